// The wire tap with wss://: it ends the client's TLS, verifies the real server as configured,
// and decodes the plaintext. Real peers: python-websockets over TLS with certificates made here.

#include "clientsession.h"
#include "testutil.h"
#include "tlscredentials.h"
#include "wirelines.h"
#include "wiresession.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

using namespace wslab;
using namespace wslab::test;

namespace {
using Kind = WireEvent::Kind;

const QString fixtures = QStringLiteral(WSLAB_INTEROP_DIR);

struct Recorder
{
    explicit Recorder(WireSession &session)
    {
        QObject::connect(&session, &WireSession::event,
                         [this](const WireEvent &e) { events.append(e); });
    }
    QList<WireEvent> of(Kind kind) const
    {
        QList<WireEvent> found;
        std::copy_if(events.begin(), events.end(), std::back_inserter(found),
                     [kind](const WireEvent &e) { return e.kind == kind; });
        return found;
    }
    QString errors() const
    {
        QStringList texts;
        for (const WireEvent &e : of(Kind::Error))
            texts.append(e.text);
        return texts.join(u" | ");
    }
    QList<WireEvent> events;
};

// Certificates made for this test, as PEM files the Python peer reads.
struct Credentials
{
    TlsCredentials tls;
    QString certFile, keyFile;
};

Credentials makeCredentials(const QTemporaryDir &dir, const QString &name, const QString &host)
{
    Credentials made;
    QString error;
    made.tls = makeSelfSignedCredentials({ host }, {}, &error, 1);
    made.certFile = dir.filePath(name + u".crt");
    made.keyFile = dir.filePath(name + u".key");
    if (made.tls.isNull() || !saveTlsCredentials(made.tls, made.certFile, made.keyFile, &error))
        qWarning("cannot make credentials: %s", qPrintable(error));
    return made;
}

// A client certificate: ours are for servers only (serverAuth), which a server rejects from a
// client, so openssl makes this one.
bool makeClientCertificate(const QTemporaryDir &dir, QSslCertificate *certificate, QSslKey *key)
{
    const QString certFile = dir.filePath(QStringLiteral("client.crt"));
    const QString keyFile = dir.filePath(QStringLiteral("client.key"));
    const ProcessResult made
        = runProcess(QStringLiteral("openssl"),
                     { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                       QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                       QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                       QStringLiteral("-subj"), QStringLiteral("/CN=student"),
                       QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-keyout"),
                       keyFile, QStringLiteral("-out"), certFile });
    if (made.exitCode != 0) {
        qWarning("openssl failed: %s", made.err.constData());
        return false;
    }
    QString error;
    const auto loaded = loadTlsCredentials(certFile, keyFile, &error);
    if (!loaded) {
        qWarning("%s", qPrintable(error));
        return false;
    }
    *certificate = loaded->certificate;
    *key = loaded->key;
    return true;
}

QUrl wssUrl(quint16 port)
{
    QUrl url(QStringLiteral("wss://127.0.0.1/"));
    url.setPort(port);
    return url;
}

WireTarget targetFor(quint16 port, const QList<QSslCertificate> &trusted = {})
{
    WireTarget target;
    target.host = QStringLiteral("127.0.0.1");
    target.port = port;
    target.tls = true;
    target.tlsConfiguration.addCaCertificates(trusted);
    return target;
}

// Points `client` at the tap, trusting its certificate and nothing else, as ClientSession does.
void throughTap(QWebSocket &client, WireSession &session)
{
    client.setProxy(session.tap()->proxy());
    QSslConfiguration toTap = QSslConfiguration::defaultConfiguration();
    toTap.setCaCertificates(session.clientTrust());
    client.setSslConfiguration(toTap);
}

// A QWebSocket through its own tap, and what the tap saw. Bind it with
// `auto &[session, recorder, client, connected, failed] = run;`.
struct TapClient
{
    TapClient() : recorder(session) { }
    bool start(const WireTarget &target)
    {
        if (!session.start(target))
            return false;
        throughTap(client, session);
        return true;
    }
    WireSession session;
    Recorder recorder;
    QWebSocket client;
    QSignalSpy connected { &client, &QWebSocket::connected };
    QSignalSpy failed { &client, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error) };
};

// The python-websockets echo server over TLS, started for one test.
class TlsPeer
{
public:
    explicit TlsPeer(const Credentials &credentials, const QString &clientCa = {})
        : m_process(debianPython(),
                    QStringList { fixtures + QStringLiteral("/websockets_peer.py"),
                                  QStringLiteral("server"), credentials.certFile,
                                  credentials.keyFile }
                        + (clientCa.isEmpty() ? QStringList() : QStringList { clientCa }))
    {
        port = waitForListeningPort(*m_process);
    }
    quint16 port = 0;

private:
    ScopedProcess m_process;
};
} // namespace

class tst_WireTapTls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void decodesWssLikeWs();
    void refusesAServerItCannotVerify_data();
    void refusesAServerItCannotVerify();
    void insecureOpensWithAWarning();
    void presentsTheClientCertificate();
    void clientMustTrustTheTap_data();
    void clientMustTrustTheTap();
    void steppingHoldsThePlaintext();
    void reachesTheServerThroughAProxy();
    void clientSessionOpensAndExplainsRefusal();
    void wslabClientSaysWhyWssIsRefused();
    void wslabClientDecodesWssWithCa();

private:
    QTemporaryDir m_dir;
    Credentials m_server; // for 127.0.0.1
};

void tst_WireTapTls::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_server = makeCredentials(m_dir, QStringLiteral("server"), QStringLiteral("127.0.0.1"));
    QVERIFY(!m_server.tls.isNull());
}

void tst_WireTapTls::decodesWssLikeWs()
{
    TlsPeer peer(m_server);
    QVERIFY(peer.port);
    TapClient run;
    QVERIFY(run.start(targetFor(peer.port, { m_server.tls.certificate })));
    auto &[session, recorder, client, connected, failed] = run;
    QCOMPARE(session.clientTrust().size(), 1);
    // The tap's certificate is its own, for the name the client asked for.
    QVERIFY(session.clientTrust().first() != m_server.tls.certificate);
    QVERIFY(session.clientTrust().first().subjectAlternativeNames().values().contains(
        QStringLiteral("127.0.0.1")));

    QSignalSpy received(&client, &QWebSocket::textMessageReceived);
    client.open(wssUrl(peer.port));
    QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 1, 10000);
    const QString text = QStringLiteral("你好 over wss 🌏");
    client.sendTextMessage(text);
    QTRY_COMPARE(received.count(), 1);
    QCOMPARE(received.first().first().toString(), text);

    // TCP, then TLS, then the handshake: in the order they happened.
    QStringList order;
    for (const WireEvent &e : std::as_const(recorder.events))
        if (e.kind == Kind::TcpConnected || e.kind == Kind::TlsEstablished
            || e.kind == Kind::HandshakeRequest || e.kind == Kind::HandshakeResponse)
            order.append(QString::number(int(e.kind)));
    QCOMPARE(order,
             QStringList({ QString::number(int(Kind::TcpConnected)),
                           QString::number(int(Kind::TlsEstablished)),
                           QString::number(int(Kind::HandshakeRequest)),
                           QString::number(int(Kind::HandshakeResponse)) }));

    const WireEvent tls = recorder.of(Kind::TlsEstablished).first();
    QVERIFY(tls.tls.verified);
    QVERIFY(!tls.tls.protocol.isEmpty());
    QVERIFY(tls.tls.protocol.startsWith(QStringLiteral("TLS 1.")));
    QVERIFY(!tls.tls.cipher.isEmpty());
    QCOMPARE(tls.tls.peerName, QStringLiteral("127.0.0.1"));
    QVERIFY(!tls.tls.chain.isEmpty());
    QCOMPARE(tls.tls.chain.first().sha256, sha256Fingerprint(m_server.tls.certificate));
    QCOMPARE(tls.tls.chain.first().subject, QStringLiteral("CN=127.0.0.1, O=WsLab"));
    QVERIFY(tls.tls.chain.first().notBefore < QDateTime::currentDateTimeUtc());
    QVERIFY(tls.tls.chain.first().notAfter > QDateTime::currentDateTimeUtc());
    QVERIFY(!tls.tls.clientCertificate);
    const QStringList lines = wireLines(tls);
    QVERIFY2(lines.first().contains(QStringLiteral("certificate verified")),
             qPrintable(lines.first()));
    QVERIFY(lines.join(u'\n').contains(sha256Fingerprint(m_server.tls.certificate)));
    QVERIFY(recorder.of(Kind::Warning).isEmpty());
    QVERIFY(recorder.of(Kind::Tls).isEmpty()); // no encrypted records: the plaintext is decoded

    const WireEvent request = recorder.of(Kind::HandshakeRequest).first();
    QVERIFY(request.startLine.startsWith("GET / HTTP/1.1"));
    const WireEvent response = recorder.of(Kind::HandshakeResponse).first();
    QVERIFY(response.startLine.startsWith("HTTP/1.1 101"));
    QVERIFY(response.accept.ok());
    QList<Frame> texts;
    for (const WireEvent &e : recorder.of(Kind::Frame))
        if (e.frame.opcode == Frame::Text)
            texts.append(e.frame);
    QCOMPARE(texts.size(), 2); // ours, masked, and the echo
    QVERIFY(texts.at(0).masked);
    QCOMPARE(QString::fromUtf8(texts.at(0).payload), text);
    QVERIFY(!texts.at(1).masked);
    QCOMPARE(QString::fromUtf8(texts.at(1).payload), text);
    QVERIFY2(recorder.of(Kind::Error).isEmpty(), qPrintable(recorder.errors()));
    client.close();
}

void tst_WireTapTls::refusesAServerItCannotVerify_data()
{
    QTest::addColumn<QString>("certifiedHost");
    QTest::addColumn<bool>("trusted");
    QTest::addColumn<QString>("reason");
    QTest::newRow("self-signed, not trusted")
        << QStringLiteral("127.0.0.1") << false
        << QStringLiteral("TLS refused: the certificate \"CN=127.0.0.1, O=WsLab\" of 127.0.0.1 is "
                          "self-signed and not among the trusted certificates.");
    QTest::newRow("trusted, but for another name")
        << QStringLiteral("example.org") << true
        << QStringLiteral("TLS refused: the certificate \"CN=example.org, O=WsLab\" of 127.0.0.1 "
                          "is for example.org, not for 127.0.0.1.");
}

void tst_WireTapTls::refusesAServerItCannotVerify()
{
    QFETCH(QString, certifiedHost);
    QFETCH(bool, trusted);
    QFETCH(QString, reason);
    const Credentials server = makeCredentials(m_dir, certifiedHost, certifiedHost);
    TlsPeer peer(server);
    QVERIFY(peer.port);
    TapClient run;
    QVERIFY(run.start(targetFor(
        peer.port, trusted ? QList { server.tls.certificate } : QList<QSslCertificate>())));
    auto &[session, recorder, client, connected, failed] = run;
    client.open(wssUrl(peer.port));
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 10000);
    QTRY_VERIFY(!recorder.of(Kind::Error).isEmpty());
    QCOMPARE(recorder.of(Kind::Error).first().text, reason);
    QCOMPARE(recorder.of(Kind::Error).first().phase, Phase::Tcp);
    QCOMPARE(connected.count(), 0);
    QVERIFY(recorder.of(Kind::TlsEstablished).isEmpty());
    QVERIFY(recorder.of(Kind::HandshakeRequest).isEmpty()); // nothing crossed
}

void tst_WireTapTls::insecureOpensWithAWarning()
{
    TlsPeer peer(m_server);
    QVERIFY(peer.port);
    WireTarget target = targetFor(peer.port);
    target.tlsConfiguration.setPeerVerifyMode(QSslSocket::VerifyNone);
    TapClient run;
    QVERIFY(run.start(target));
    auto &[session, recorder, client, connected, failed] = run;
    client.open(wssUrl(peer.port));
    QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 1, 10000);
    const WireEvent tls = recorder.of(Kind::TlsEstablished).first();
    QVERIFY(!tls.tls.verified);
    QCOMPARE(tls.tls.chain.first().sha256, sha256Fingerprint(m_server.tls.certificate));
    QVERIFY(wireLines(tls).first().contains(QStringLiteral("NOT verified")));
    QCOMPARE(recorder.of(Kind::Warning).size(), 1);
    const QString warning = recorder.of(Kind::Warning).first().text;
    QVERIFY2(warning.contains(QStringLiteral("not verified")) && warning.contains(u"self-signed"),
             qPrintable(warning));
    QVERIFY(wireLines(recorder.of(Kind::Warning).first()).first().startsWith(u"* warning: "));
    client.close();
}

void tst_WireTapTls::presentsTheClientCertificate()
{
    QSslCertificate clientCertificate;
    QSslKey clientKey;
    QVERIFY(makeClientCertificate(m_dir, &clientCertificate, &clientKey));
    TlsPeer peer(m_server, m_dir.filePath(QStringLiteral("client.crt")));
    QVERIFY(peer.port);

    for (const bool withCertificate : { true, false }) {
        WireTarget target = targetFor(peer.port, { m_server.tls.certificate });
        if (withCertificate) {
            target.tlsConfiguration.setLocalCertificate(clientCertificate);
            target.tlsConfiguration.setPrivateKey(clientKey);
        }
        TapClient run;
        QVERIFY(run.start(target));
        auto &[session, recorder, client, connected, failed] = run;
        QSignalSpy received(&client, &QWebSocket::textMessageReceived);
        client.open(wssUrl(peer.port));
        if (withCertificate) {
            QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 1, 10000);
            client.sendTextMessage(QStringLiteral("mutual"));
            QTRY_COMPARE(received.count(), 1);
            QVERIFY(recorder.of(Kind::TlsEstablished).first().tls.clientCertificate);
            QVERIFY(wireLines(recorder.of(Kind::TlsEstablished).first())
                        .contains(QStringLiteral("*   the tap presented the client certificate")));
            client.close();
        } else {
            QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 10000);
            QCOMPARE(connected.count(), 0);
            QTRY_VERIFY(!recorder.of(Kind::Error).isEmpty());
            // TLS 1.3: the server checks after the handshake, and hangs up.
            QCOMPARE(recorder.of(Kind::Error).first().text,
                     QStringLiteral("127.0.0.1 hung up right after the TLS handshake, before "
                                    "answering: servers that require a client certificate do "
                                    "this when none is presented."));
            QVERIFY(recorder.of(Kind::HandshakeResponse).isEmpty());
        }
    }
}

void tst_WireTapTls::clientMustTrustTheTap_data()
{
    QTest::addColumn<bool>("trustServer"); // the real server's certificate, not the tap's
    QTest::newRow("the system's CAs") << false;
    QTest::newRow("the server's own certificate") << true;
}

void tst_WireTapTls::clientMustTrustTheTap()
{
    QFETCH(bool, trustServer);
    TlsPeer peer(m_server);
    QVERIFY(peer.port);
    TapClient run;
    QVERIFY(run.start(targetFor(peer.port, { m_server.tls.certificate })));
    auto &[session, recorder, client, connected, failed] = run;
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    if (trustServer)
        configuration.setCaCertificates({ m_server.tls.certificate });
    client.setSslConfiguration(configuration);
    QSignalSpy sslErrors(&client, &QWebSocket::sslErrors);
    client.open(wssUrl(peer.port));
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 10000);
    QVERIFY(!sslErrors.isEmpty()); // the tap's certificate is not one it trusts
    QCOMPARE(connected.count(), 0);
    QTRY_VERIFY(!recorder.of(Kind::Error).isEmpty());
    QVERIFY2(
        recorder.errors().contains(QStringLiteral("TLS between the client and the tap failed")),
        qPrintable(recorder.errors()));
    QVERIFY(recorder.of(Kind::HandshakeRequest).isEmpty());
}

void tst_WireTapTls::steppingHoldsThePlaintext()
{
    TlsPeer peer(m_server);
    QVERIFY(peer.port);
    TapClient run;
    QVERIFY(run.start(targetFor(peer.port, { m_server.tls.certificate })));
    auto &[session, recorder, client, connected, failed] = run;
    session.tap()->setStepping(true);
    client.open(wssUrl(peer.port));
    // Both TLS handshakes are the tap's own; what waits is the client's HTTP request.
    QTRY_COMPARE_WITH_TIMEOUT(session.tap()->heldCount(), 1, 10000);
    QVERIFY(recorder.of(Kind::HandshakeRequest).isEmpty());
    QVERIFY(session.tap()->step());
    QTRY_COMPARE(recorder.of(Kind::HandshakeRequest).size(), 1);
    QTRY_COMPARE(session.tap()->heldCount(), 1); // the server's response
    QCOMPARE(connected.count(), 0);
    QVERIFY(session.tap()->step());
    QTRY_COMPARE(connected.count(), 1);
    QCOMPARE(recorder.of(Kind::HandshakeResponse).size(), 1);
    session.tap()->setStepping(false);
    client.close();
}

void tst_WireTapTls::reachesTheServerThroughAProxy()
{
    TlsPeer peer(m_server);
    QVERIFY(peer.port);
    // A second tap as the HTTP proxy in between: it sees only TLS records.
    WireSession proxy;
    QVERIFY(proxy.start(QStringLiteral("127.0.0.1"), peer.port));
    Recorder atProxy(proxy);
    WireTarget target = targetFor(peer.port, { m_server.tls.certificate });
    target.proxy = proxy.tap()->proxy();
    TapClient run;
    QVERIFY(run.start(target));
    auto &[session, recorder, client, connected, failed] = run;
    client.open(wssUrl(peer.port));
    QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 1, 10000);
    QCOMPARE(recorder.of(Kind::HandshakeRequest).size(), 1);
    QCOMPARE(atProxy.of(Kind::TcpConnected).size(), 1);
    QVERIFY(!atProxy.of(Kind::Tls).isEmpty());
    QVERIFY(atProxy.of(Kind::HandshakeRequest).isEmpty());
    client.close();
}

void tst_WireTapTls::clientSessionOpensAndExplainsRefusal()
{
    TlsPeer peer(m_server);
    QVERIFY(peer.port);
    const QString url = wssUrl(peer.port).toString();
    for (const bool trusted : { true, false }) {
        ClientSession session;
        if (trusted)
            session.setTrustedCertificates({ m_server.tls.certificate });
        QList<ClientSession::State> states;
        connect(&session, &ClientSession::stateChanged,
                [&states](ClientSession::State state) { states.append(state); });
        QList<WireEvent> wire;
        connect(&session, &ClientSession::wireEvent,
                [&wire](const WireEvent &e) { wire.append(e); });
        QSignalSpy received(&session, &ClientSession::messageReceived);
        QVERIFY(session.connectTo(url));
        if (trusted) {
            QTRY_COMPARE_WITH_TIMEOUT(session.state(), ClientSession::State::Open, 10000);
            session.sendText(QStringLiteral("through ClientSession"));
            QTRY_COMPARE(received.count(), 1);
            QCOMPARE(received.first().first().toByteArray(), "through ClientSession");
            QVERIFY(std::any_of(wire.begin(), wire.end(), [](const WireEvent &e) {
                return e.kind == Kind::TlsEstablished && e.tls.verified;
            }));
            QVERIFY(std::any_of(wire.begin(), wire.end(), [](const WireEvent &e) {
                return e.kind == Kind::Frame && e.frame.payload == "through ClientSession";
            }));
            session.abort();
        } else {
            QTRY_COMPARE_WITH_TIMEOUT(session.state(), ClientSession::State::Closed, 10000);
            QVERIFY(!states.contains(ClientSession::State::Open));
            QVERIFY2(session.errorString().contains(QStringLiteral("self-signed"))
                         && !session.errorString().contains(QStringLiteral("proxy"),
                                                            Qt::CaseInsensitive),
                     qPrintable(session.errorString()));
        }
    }
}

void tst_WireTapTls::wslabClientSaysWhyWssIsRefused()
{
    // Without --ca the test's self-signed server is refused, and the client says which
    // certificate and why.
    TlsPeer peer(m_server);
    QVERIFY(peer.port);
    const ProcessResult result = runProcess(QStringLiteral(WSLAB_CLIENT_BIN),
                                            { QStringLiteral("--wire"), QStringLiteral("--send"),
                                              QStringLiteral("hi"), QStringLiteral("--count"),
                                              QStringLiteral("1"), wssUrl(peer.port).toString() });
    QVERIFY(result.finished);
    const QString out = QString::fromUtf8(result.out);
    const QString err = QString::fromUtf8(result.err);
    QVERIFY2(result.exitCode != 0, qPrintable(out + err));
    const QString reason
        = QStringLiteral("TLS refused: the certificate \"CN=127.0.0.1, O=WsLab\" of 127.0.0.1 is "
                         "self-signed and not among the trusted certificates.");
    QVERIFY2(out.contains(QStringLiteral("* TCP connected to 127.0.0.1:")), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("* error: ") + reason), qPrintable(out));
    QVERIFY2(
        err.contains(
            QStringLiteral("cannot connect to %1: %2").arg(wssUrl(peer.port).toString(), reason)),
        qPrintable(err));
    QVERIFY(!out.contains(QStringLiteral("> GET")));
}

void tst_WireTapTls::wslabClientDecodesWssWithCa()
{
    // The same server trusted with --ca: the tap verifies it, and the handshake and the frames
    // print decoded, as for ws://.
    TlsPeer peer(m_server);
    QVERIFY(peer.port);
    const ProcessResult result = runProcess(
        QStringLiteral(WSLAB_CLIENT_BIN),
        { QStringLiteral("--wire"), QStringLiteral("--ca"), m_server.certFile,
          QStringLiteral("--send"), QStringLiteral("hi over wss"), QStringLiteral("--count"),
          QStringLiteral("1"), wssUrl(peer.port).toString() });
    QVERIFY(result.finished);
    const QString out = QString::fromUtf8(result.out);
    const QString err = QString::fromUtf8(result.err);
    QVERIFY2(result.exitCode == 0, qPrintable(out + err));
    QVERIFY2(out.contains(QStringLiteral("certificate verified")), qPrintable(out));
    QVERIFY2(out.contains(sha256Fingerprint(m_server.tls.certificate)), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("> GET /")), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("< HTTP/1.1 101")), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("hi over wss")), qPrintable(out));
    // The frame lines: the client's masked text frame and the echo.
    QVERIFY2(out.count(QStringLiteral("TEXT")) + out.count(QStringLiteral("text")) >= 2,
             qPrintable(out));
}

QTEST_GUILESS_MAIN(tst_WireTapTls)
#include "tst_wiretap_tls.moc"
