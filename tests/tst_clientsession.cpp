#include "clientsession.h"
#include "testutil.h"
#include "tlscredentials.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocketServer>

#include <sys/socket.h>

#include <algorithm>
#include <memory>

using namespace wslab;
using namespace wslab::test;
using namespace std::chrono_literals;
using State = ClientSession::State;

namespace {

// A server that is not a proper WebSocket server: it accepts TCP, reads the HTTP request, then
// does what the test asks. Event-loop driven, like everything else in these tests.
class RawPeer
{
public:
    enum class Behaviour {
        HangUp, // closes TCP (FIN) without answering
        Reset, // drops TCP with an RST without answering
        Answer200, // an ordinary web page, not a WebSocket
        Garbage, // bytes that are not HTTP
        Silent, // says nothing at all
        OpenThenVanish, // completes the handshake, then drops TCP without a Close frame
        OpenThenHugeFrame, // completes the handshake, then announces a 4 GiB frame
    };
    explicit RawPeer(Behaviour behaviour) : m_behaviour(behaviour)
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                accept(socket);
        });
    }
    quint16 port() const { return m_server.serverPort(); }
    QString url() const { return QStringLiteral("ws://127.0.0.1:%1/ws").arg(port()); }
    bool gotRequest() const { return m_gotRequest; }
    // The client's end of the TCP connection is gone (or was never there).
    bool connectionGone() const
    {
        return !m_socket || m_socket->state() != QAbstractSocket::ConnectedState;
    }
    // No further connections: they are refused.
    void stopListening() { m_server.close(); }
    // OpenThenVanish: the server drops TCP without a Close frame.
    void vanish()
    {
        if (m_socket)
            m_socket->abort();
    }

private:
    void accept(QTcpSocket *socket)
    {
        m_socket = socket;
        QObject::connect(socket, &QIODevice::readyRead, socket, [this, socket] {
            m_request += socket->readAll();
            if (m_gotRequest || !m_request.contains("\r\n\r\n"))
                return;
            m_gotRequest = true;
            answer(socket);
        });
    }

    void answer(QTcpSocket *socket)
    {
        switch (m_behaviour) {
        case Behaviour::HangUp:
            socket->disconnectFromHost();
            return;
        case Behaviour::Reset: {
            const linger abortive { 1, 0 }; // close() then sends RST, not FIN
            ::setsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &abortive,
                         sizeof abortive);
            socket->abort();
            return;
        }
        case Behaviour::Answer200:
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\n"
                          "hello");
            return;
        case Behaviour::Garbage:
            socket->write(QByteArray("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n\r\n", 15));
            return;
        case Behaviour::Silent:
            return;
        case Behaviour::OpenThenVanish:
        case Behaviour::OpenThenHugeFrame:
            break;
        }
        const qsizetype at = m_request.indexOf("Sec-WebSocket-Key: ") + 19;
        const QByteArray key = m_request.mid(at, m_request.indexOf("\r\n", at) - at);
        const QByteArray accept
            = QCryptographicHash::hash(QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                                       QCryptographicHash::Sha1)
                  .toBase64();
        socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Accept: "
                      + accept + "\r\n\r\n");
        if (m_behaviour == Behaviour::OpenThenHugeFrame) {
            // Binary, FIN, 64-bit length 2^32: the client must refuse it from the header.
            socket->write(QByteArray("\x82\x7f\x00\x00\x00\x01\x00\x00\x00\x00", 10));
            socket->write(QByteArray(4096, 'x'));
            return;
        }
    }

    Behaviour m_behaviour;
    QTcpServer m_server;
    QPointer<QTcpSocket> m_socket;
    QByteArray m_request;
    bool m_gotRequest = false;
};

// A port nothing listens on: bound, then released.
quint16 closedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

QList<Event> eventsOf(const QSignalSpy &spy, Event::Side side, Event::Kind kind)
{
    QList<Event> found;
    for (const auto &args : spy) {
        const Event e = args.at(0).value<Event>();
        if (e.side == side && e.kind == kind)
            found.append(e);
    }
    return found;
}

// A minimal HTTP CONNECT proxy: answers 200, then relays bytes both ways. It remembers every
// target it was asked for, so a test can tell the connection really went through it.
class ConnectProxy
{
public:
    ConnectProxy()
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection())
                accept(client);
        });
    }
    quint16 port() const { return m_server.serverPort(); }
    QStringList targets() const { return m_targets; }

private:
    void accept(QTcpSocket *client)
    {
        auto *upstream = new QTcpSocket(client);
        auto request = std::make_shared<QByteArray>();
        QObject::connect(client, &QTcpSocket::readyRead, client, [this, client, upstream, request] {
            if (upstream->state() != QAbstractSocket::UnconnectedState) {
                if (upstream->state() == QAbstractSocket::ConnectedState)
                    upstream->write(client->readAll());
                return;
            }
            request->append(client->readAll());
            const qsizetype end = request->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QList<QByteArray> words = request->left(request->indexOf("\r\n")).split(' ');
            if (words.size() != 3 || words[0] != "CONNECT") {
                client->write("HTTP/1.1 405 Method Not Allowed\r\n\r\n");
                client->disconnectFromHost();
                return;
            }
            m_targets.append(QString::fromLatin1(words[1]));
            const qsizetype colon = words[1].lastIndexOf(':');
            const QByteArray early = request->mid(end + 4);
            QObject::connect(upstream, &QTcpSocket::connected, client, [client, upstream, early] {
                client->write("HTTP/1.1 200 Connection established\r\n\r\n");
                upstream->write(early + client->readAll());
            });
            QObject::connect(upstream, &QTcpSocket::readyRead, client,
                             [client, upstream] { client->write(upstream->readAll()); });
            QObject::connect(upstream, &QTcpSocket::disconnected, client,
                             &QTcpSocket::disconnectFromHost);
            QObject::connect(client, &QTcpSocket::disconnected, upstream,
                             &QTcpSocket::disconnectFromHost);
            upstream->connectToHost(QString::fromLatin1(words[1].left(colon)),
                                    words[1].mid(colon + 1).toUShort());
        });
        QObject::connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
    }

    QTcpServer m_server;
    QStringList m_targets;
};

// The first message handshake_echo_server.py sends: what it received in the handshake.
QJsonObject handshakeSeen(const QSignalSpy &messages)
{
    if (messages.isEmpty())
        return {};
    return QJsonDocument::fromJson(messages.first().at(0).toByteArray()).object();
}

bool hasHeader(const QJsonObject &seen, const QString &name, const QString &value)
{
    return reportedHeaders(seen).contains(name + QStringLiteral(": ") + value);
}

QStringList summaries(const QSignalSpy &spy)
{
    QStringList lines;
    for (const auto &args : spy) {
        const Event e = args.at(0).value<Event>();
        lines.append(sideName(e.side) + u' ' + kindName(e.kind) + u": " + e.summary.toString());
    }
    return lines;
}

} // namespace

class tst_ClientSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void phasesInOrderThroughTheTap();
    void phasesWithoutTheTap();
    void sendEchoAndWireFrames();
    void disconnectIsClosedByClient();
    void kickIsClosedByServer();
    void abortIsNoCloseFrameOnTheServer();
    void badUrl();
    void refusedAndRejected();
    void pingShowsRoundTrip();
    void reconnectAfterClose();
    void failuresBeforeOpenAreExplained_data();
    void failuresBeforeOpenAreExplained();
    void internationalizedHostGoesAsPunycodeAndFailsAtDns_data();
    void internationalizedHostGoesAsPunycodeAndFailsAtDns();
    void ipv6Literal_data();
    void ipv6Literal();
    void serverVanishingAfterOpenIs1006ClosedByNobody_data();
    void serverVanishingAfterOpenIs1006ClosedByNobody();
    void tooBigMessageIsClosedByClientWith1009_data();
    void tooBigMessageIsClosedByClientWith1009();
    void serverSent1009IsClosedByServer();
    void defaultLimitIs16MiB();
    void abortWhileTheServerSaysNothing();
    void handshakeOptionsAsReceived_data();
    void handshakeOptionsAsReceived();
    void serverChoosesNoSubprotocol();
    void badOptionFailsTheConnect();
    void caFileAcceptedAndRefusedWithout();
    void insecureConnectsWithAWarning();
    void mutualTls();
    void throughAnHttpConnectProxy();
    void reconnectsWithBackoffAfterTheServerCloses();
    void noReconnectAfterDisconnectOrAbort();
    void reconnectBacksOffWhileTheServerIsGone();

private:
    void makeCertificates();
    QTemporaryDir m_certDir;
    QString m_serverCert, m_serverKey, m_clientCert, m_clientKey;
    void addTapColumn();
};

void tst_ClientSession::addTapColumn()
{
    QTest::addColumn<bool>("viaTap");
}

void tst_ClientSession::phasesInOrderThroughTheTap()
{
    auto server = startServer();
    QVERIFY(server);
    ClientSession session;
    QSignalSpy states(&session, &ClientSession::stateChanged);
    QVERIFY(session.connectTo(server->webSocketUrl().toString()));
    QTRY_COMPARE(session.state(), State::Open);
    QList<State> seen;
    for (const auto &args : std::as_const(states))
        seen.append(args.at(0).value<State>());
    QCOMPARE(seen, (QList<State> { State::TcpConnecting, State::HttpHandshake, State::Open }));
    session.disconnectGracefully();
    QTRY_COMPARE(session.state(), State::Closed);
    QCOMPARE(states.at(states.count() - 2).at(0).value<State>(), State::Closing);
}

void tst_ClientSession::phasesWithoutTheTap()
{
    auto server = startServer();
    QVERIFY(server);
    ClientSession session;
    session.setViaTap(false);
    QSignalSpy wire(&session, &ClientSession::wireEvent);
    QSignalSpy states(&session, &ClientSession::stateChanged);
    QSignalSpy events(&session, &ClientSession::event);
    QVERIFY(session.connectTo(server->webSocketUrl().toString()));
    QTRY_COMPARE(session.state(), State::Open);
    QCOMPARE(wire.count(), 0);
    // Without the tap too, the phases light up in turn: TCP, then HTTP, then open.
    QList<State> seen;
    for (const auto &args : std::as_const(states))
        seen.append(args.at(0).value<State>());
    QCOMPARE(seen, (QList<State> { State::TcpConnecting, State::HttpHandshake, State::Open }));
    const QList<Event> connected = eventsOf(events, Event::Side::Client, Event::Kind::TcpConnected);
    QCOMPARE(connected.size(), 1);
    QCOMPARE(connected.first().summary.toString(),
             QStringLiteral("TCP connected to 127.0.0.1:%1").arg(server->port()));
}

void tst_ClientSession::sendEchoAndWireFrames()
{
    auto server = startServer();
    QVERIFY(server);
    ClientSession session;
    QSignalSpy received(&session, &ClientSession::messageReceived);
    QSignalSpy wire(&session, &ClientSession::wireEvent);
    QSignalSpy events(&session, &ClientSession::event);
    QVERIFY(session.connectTo(server->webSocketUrl().toString()));
    QTRY_COMPARE(session.state(), State::Open);
    session.sendText(QStringLiteral("你好"));
    session.sendBinary(QByteArray("\x00\x01", 2));
    QTRY_COMPARE(received.count(), 2);
    QCOMPARE(received.at(0).at(0).toByteArray(), QStringLiteral("你好").toUtf8());
    QCOMPARE(received.at(1).at(1).toBool(), true);
    // The tap saw the frames: masked out, unmasked in.
    QTRY_VERIFY(std::count_if(wire.begin(), wire.end(),
                              [](const auto &a) {
                                  return a.at(0).template value<WireEvent>().kind
                                      == WireEvent::Kind::Frame;
                              })
                >= 4);
    const auto firstFrame = std::find_if(wire.begin(), wire.end(), [](const auto &a) {
        return a.at(0).template value<WireEvent>().kind == WireEvent::Kind::Frame;
    });
    QVERIFY(firstFrame->at(0).value<WireEvent>().frame.masked);
    // Client and wire events, the wire ones carrying the decoded frame.
    QVERIFY(std::any_of(events.begin(), events.end(), [](const auto &a) {
        const Event e = a.at(0).template value<Event>();
        return e.side == Event::Side::Wire && e.kind == Event::Kind::HandshakeResponse
            && e.summary.toString() == u"< HTTP/1.1 101 Switching Protocols";
    }));
    QVERIFY(std::any_of(events.begin(), events.end(), [](const auto &a) {
        const Event e = a.at(0).template value<Event>();
        return e.side == Event::Side::Client && e.kind == Event::Kind::MessageSent
            && e.payload == QStringLiteral("你好").toUtf8();
    }));
}

void tst_ClientSession::disconnectIsClosedByClient()
{
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy serverClosed(server.get(), &EmbeddedServer::closed);
    ClientSession session;
    QSignalSpy closed(&session, &ClientSession::closed);
    QVERIFY(session.connectTo(server->webSocketUrl().toString()));
    QTRY_COMPARE(session.state(), State::Open);
    session.disconnectGracefully(1000, QStringLiteral("bye"));
    QTRY_COMPARE(closed.count(), 1);
    const auto info = closed.at(0).at(0).value<CloseInfo>();
    QCOMPARE(info.initiator, Initiator::Client);
    QCOMPARE(info.code, quint16(1000));
    QTRY_COMPARE(serverClosed.count(), 1);
    QCOMPARE(serverClosed.at(0).at(1).value<CloseInfo>().initiator, Initiator::Client);
}

void tst_ClientSession::kickIsClosedByServer()
{
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy opened(server.get(), &EmbeddedServer::opened);
    ClientSession session;
    QSignalSpy events(&session, &ClientSession::event);
    QVERIFY(session.connectTo(server->webSocketUrl().toString()));
    QTRY_COMPARE(opened.count(), 1);
    server->kick(opened.at(0).at(0).value<ClientInfo>().id, 4000, QStringLiteral("class is over"));
    QTRY_COMPARE(session.state(), State::Closed);
    QCOMPARE(session.closeInfo().initiator, Initiator::Server);
    QCOMPARE(session.closeInfo().code, quint16(4000));
    QVERIFY(std::any_of(events.begin(), events.end(), [](const auto &a) {
        const Event e = a.at(0).template value<Event>();
        return e.kind == Event::Kind::Closed
            && e.summary.toString().startsWith(u"closed by server: code 4000 \"class is over\"");
    }));
}

void tst_ClientSession::abortIsNoCloseFrameOnTheServer()
{
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy serverClosed(server.get(), &EmbeddedServer::closed);
    ClientSession session;
    QVERIFY(session.connectTo(server->webSocketUrl().toString()));
    QTRY_COMPARE(session.state(), State::Open);
    session.abort();
    QTRY_COMPARE(serverClosed.count(), 1);
    const auto info = serverClosed.at(0).at(1).value<CloseInfo>();
    QCOMPARE(info.code, quint16(1006));
    QCOMPARE(info.initiator, Initiator::Nobody);
    QTRY_COMPARE(session.state(), State::Closed);
    QCOMPARE(session.closeInfo().initiator, Initiator::Client); // we dropped it...
    QCOMPARE(session.closeInfo().code, quint16(1006)); // ...without a Close frame
    QVERIFY(!session.closeInfo().clean);
}

void tst_ClientSession::badUrl()
{
    ClientSession session;
    QSignalSpy events(&session, &ClientSession::event);
    QVERIFY(!session.connectTo(QStringLiteral("http://127.0.0.1:8888/ws")));
    QCOMPARE(session.state(), State::Idle);
    QVERIFY(session.errorString().contains(QStringLiteral("ws://127.0.0.1:8888/ws")));
    QCOMPARE(events.count(), 1);
    QCOMPARE(events.at(0).at(0).value<Event>().kind, Event::Kind::Error);
}

void tst_ClientSession::refusedAndRejected()
{
    auto server = startServer();
    QVERIFY(server);
    ClientSession session;
    QUrl url = server->webSocketUrl();
    url.setPath(QStringLiteral("/nope"));
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("WebSocket received but no slots")));
    QVERIFY(session.connectTo(url.toString()));
    QTRY_COMPARE(session.state(), State::Closed);
    QVERIFY2(session.errorString().contains(QStringLiteral("404")),
             qPrintable(session.errorString()));
    // Try again: a good URL works after a failure.
    QVERIFY(session.connectTo(server->webSocketUrl().toString()));
    QTRY_COMPARE(session.state(), State::Open);
}

void tst_ClientSession::pingShowsRoundTrip()
{
    auto server = startServer();
    QVERIFY(server);
    ClientSession session;
    QSignalSpy pongs(&session, &ClientSession::pongReceived);
    QVERIFY(session.connectTo(server->webSocketUrl().toString()));
    QTRY_COMPARE(session.state(), State::Open);
    session.ping("x");
    QTRY_COMPARE(pongs.count(), 1);
    QVERIFY(pongs.at(0).at(0).toLongLong() >= 0);
}

void tst_ClientSession::reconnectAfterClose()
{
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy opened(server.get(), &EmbeddedServer::opened);
    ClientSession session;
    for (int i = 0; i < 3; ++i) {
        QVERIFY(session.connectTo(server->webSocketUrl().toString()));
        QTRY_COMPARE(session.state(), State::Open);
        session.disconnectGracefully();
        QTRY_COMPARE(session.state(), State::Closed);
    }
    QCOMPARE(opened.count(), 3);
}

void tst_ClientSession::failuresBeforeOpenAreExplained_data()
{
    QTest::addColumn<bool>("viaTap");
    QTest::addColumn<int>("behaviour"); // RawPeer::Behaviour; -1: no peer, see url
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("message"); // what the user reads; %1: the port
    QTest::addColumn<Phase>("phase");

    using B = RawPeer::Behaviour;
    struct Row
    {
        const char *name;
        int behaviour;
        QString url;
        QString message;
        Phase phase;
    };
    const QList<Row> rows {
        // RFC 6761: .invalid never resolves, with or without a network.
        { "DNS failure", -1, QStringLiteral("ws://nowhere.invalid/ws"),
          QStringLiteral("cannot find the host nowhere.invalid: the name does not resolve (DNS)"),
          Phase::Tcp },
        { "connection refused", -1, QStringLiteral("ws://127.0.0.1:%1/ws"),
          QStringLiteral("127.0.0.1 refused the connection: nothing is listening on port %1"),
          Phase::Tcp },
        { "hang-up mid-handshake",
          int(B::HangUp),
          {},
          QStringLiteral("the server closed the connection before answering the handshake"),
          Phase::Http },
        { "reset mid-handshake",
          int(B::Reset),
          {},
          QStringLiteral("the server closed the connection before answering the handshake"),
          Phase::Http },
        { "server answers 200 OK",
          int(B::Answer200),
          {},
          QStringLiteral("handshake failed: the server answered \"200 OK\" instead of \"101 "
                         "Switching Protocols\""),
          Phase::Http },
        { "server answers garbage",
          int(B::Garbage),
          {},
          QStringLiteral("handshake failed: the server's answer is not HTTP"),
          Phase::Http },
        { "server says nothing",
          int(B::Silent),
          {},
          QStringLiteral("handshake timed out: the server accepted the connection but did not "
                         "answer within 0.3 s"),
          Phase::Http },
    };
    for (const bool viaTap : { true, false })
        for (const Row &row : rows)
            QTest::addRow("%s, %s", row.name, viaTap ? "through the tap" : "direct")
                << viaTap << row.behaviour << row.url << row.message << row.phase;
}

void tst_ClientSession::failuresBeforeOpenAreExplained()
{
    QFETCH(bool, viaTap);
    QFETCH(int, behaviour);
    QFETCH(QString, url);
    QFETCH(QString, message);
    QFETCH(Phase, phase);

    std::unique_ptr<RawPeer> peer;
    if (behaviour >= 0) {
        peer = std::make_unique<RawPeer>(RawPeer::Behaviour(behaviour));
        QVERIFY(peer->port());
        url = peer->url();
    } else if (url.contains(u"%1")) {
        const quint16 port = closedPort();
        url = url.arg(port);
        message = message.arg(port);
    }
    ClientSession session;
    session.setViaTap(viaTap);
    const bool silent = RawPeer::Behaviour(behaviour) == RawPeer::Behaviour::Silent;
    session.setHandshakeTimeout(silent ? 300ms : 30s); // the others must not end by the clock
    QSignalSpy events(&session, &ClientSession::event);
    QSignalSpy closed(&session, &ClientSession::closed);
    QElapsedTimer elapsed;
    elapsed.start();
    QVERIFY(session.connectTo(url));
    // A resolver without a network can take a while to give up: wait for it.
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), State::Closed, 40000);

    QCOMPARE(session.errorString(), message);
    const QList<Event> errors = eventsOf(events, Event::Side::Client, Event::Kind::Error);
    QVERIFY2(errors.size() == 1, qPrintable(summaries(events).join(u'\n')));
    QCOMPARE(errors.first().summary.toString(), message);
    QCOMPARE(errors.first().phase, phase);
    QCOMPARE(closed.count(), 1);
    QVERIFY(!session.closeInfo().clean);
    QVERIFY(eventsOf(events, Event::Side::Client, Event::Kind::Open).isEmpty());
    if (silent)
        QVERIFY2(elapsed.elapsed() >= 250, qPrintable(QString::number(elapsed.elapsed())));
    if (peer) {
        QVERIFY(peer->gotRequest());
        // Qt 6.4 would keep the connection to a server it rejected: the session drops it.
        QTRY_VERIFY(peer->connectionGone());
    }
    // Nothing is left over: the next connection works.
    auto server = startServer();
    QVERIFY(server);
    QVERIFY(session.connectTo(server->webSocketUrl().toString()));
    QTRY_COMPARE(session.state(), State::Open);
    QVERIFY(session.errorString().isEmpty());
}

void tst_ClientSession::internationalizedHostGoesAsPunycodeAndFailsAtDns_data()
{
    addTapColumn();
    QTest::newRow("through the tap") << true;
    QTest::newRow("direct") << false;
}

void tst_ClientSession::internationalizedHostGoesAsPunycodeAndFailsAtDns()
{
    QFETCH(bool, viaTap);
    ClientSession session;
    session.setViaTap(viaTap);
    session.setHandshakeTimeout(30s); // a resolver without a network can take a while
    QSignalSpy events(&session, &ClientSession::event);
    QSignalSpy wire(&session, &ClientSession::wireEvent);
    // 测试 is IANA's IDN test domain ("test" in Chinese), never delegated.
    QVERIFY2(session.connectTo(QStringLiteral("ws://例子.测试/ws")),
             qPrintable(session.errorString()));
    QCOMPARE(session.url().host(QUrl::EncodeUnicode), QStringLiteral("xn--fsqu00a.xn--0zwm56d"));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), State::Closed, 40000);
    QCOMPARE(session.errorString(),
             QStringLiteral("cannot find the host 例子.测试 (xn--fsqu00a.xn--0zwm56d): the name "
                            "does not resolve (DNS)"));
    if (viaTap) { // the tap was asked for the name as DNS sees it
        QVERIFY(!wire.isEmpty());
        const auto request = wire.first().at(0).value<WireEvent>();
        QCOMPARE(request.kind, WireEvent::Kind::TunnelRequested);
        QCOMPARE(request.text, QStringLiteral("xn--fsqu00a.xn--0zwm56d:80"));
    }
}

void tst_ClientSession::ipv6Literal_data()
{
    addTapColumn();
    QTest::newRow("through the tap") << true;
    QTest::newRow("direct") << false;
}

void tst_ClientSession::ipv6Literal()
{
    QFETCH(bool, viaTap);
    {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHostIPv6, 0))
            QSKIP("this machine has no IPv6 loopback (::1) to listen on");
    }
    ServerConfig config = testConfig();
    config.host = QHostAddress(QHostAddress::LocalHostIPv6);
    auto server = startServer(config);
    QVERIFY(server);
    QSignalSpy opened(server.get(), &EmbeddedServer::opened);
    ClientSession session;
    session.setViaTap(viaTap);
    QSignalSpy received(&session, &ClientSession::messageReceived);
    const QString url = QStringLiteral("ws://[::1]:%1/ws").arg(server->port());
    QVERIFY(session.connectTo(url));
    QTRY_COMPARE(session.state(), State::Open);
    QCOMPARE(session.url().toString(), url);
    session.sendText(QStringLiteral("over IPv6"));
    QTRY_COMPARE(received.count(), 1);
    QCOMPARE(received.at(0).at(0).toByteArray(), QByteArray("over IPv6"));
    QCOMPARE(opened.count(), 1);
    QCOMPARE(opened.at(0).at(0).value<ClientInfo>().peerAddress,
             QHostAddress(QHostAddress::LocalHostIPv6));
}

void tst_ClientSession::serverVanishingAfterOpenIs1006ClosedByNobody_data()
{
    addTapColumn();
    QTest::newRow("through the tap") << true;
    QTest::newRow("direct") << false;
}

void tst_ClientSession::serverVanishingAfterOpenIs1006ClosedByNobody()
{
    QFETCH(bool, viaTap);
    RawPeer peer(RawPeer::Behaviour::OpenThenVanish);
    ClientSession session;
    session.setViaTap(viaTap);
    QSignalSpy events(&session, &ClientSession::event);
    QVERIFY(session.connectTo(peer.url()));
    QTRY_COMPARE(session.state(), State::Open);
    peer.vanish();
    QTRY_COMPARE(session.state(), State::Closed);
    const CloseInfo info = session.closeInfo();
    QCOMPARE(info.code, quint16(1006));
    QCOMPARE(info.initiator, Initiator::Nobody);
    QVERIFY(!info.clean);
    const QList<Event> closedEvents = eventsOf(events, Event::Side::Client, Event::Kind::Closed);
    QCOMPARE(closedEvents.size(), 1);
    QCOMPARE(closedEvents.first().summary.toString(),
             QStringLiteral("dropped (nobody closed it): code 1006 \"the TCP connection ended\" "
                            "(abnormal closure), no Close frame"));
    QVERIFY(eventsOf(events, Event::Side::Client, Event::Kind::CloseReceived).isEmpty());
    QVERIFY(eventsOf(events, Event::Side::Client, Event::Kind::Error).isEmpty());
}

void tst_ClientSession::tooBigMessageIsClosedByClientWith1009_data()
{
    QTest::addColumn<bool>("viaTap");
    QTest::addColumn<qint64>("frameSize"); // how the server cuts its message; 0: raw 4 GiB frame
    QTest::addColumn<QString>("qtReason");
    for (const bool viaTap : { true, false }) {
        const char *how = viaTap ? "through the tap" : "direct";
        QTest::addRow("one 2 KiB frame, %s", how)
            << viaTap << qint64(1 << 20) << QStringLiteral("Maximum framesize exceeded.");
        QTest::addRow("2 KiB in 256-byte frames, %s", how)
            << viaTap << qint64(256) << QStringLiteral("Received message is too big.");
        QTest::addRow("a header announcing 4 GiB, %s", how)
            << viaTap << qint64(0) << QStringLiteral("Maximum framesize exceeded.");
    }
}

void tst_ClientSession::tooBigMessageIsClosedByClientWith1009()
{
    QFETCH(bool, viaTap);
    QFETCH(qint64, frameSize);
    QFETCH(QString, qtReason);

    QWebSocketServer server(QStringLiteral("big"), QWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QPointer<QWebSocket> serverSide;
    QList<quint16> serverSawCodes;
    connect(&server, &QWebSocketServer::newConnection, this, [&] {
        serverSide = server.nextPendingConnection();
        serverSide->setParent(&server); // QWebSocketServer does not own what it hands out
        connect(serverSide, &QWebSocket::disconnected, this,
                [&] { serverSawCodes.append(quint16(serverSide->closeCode())); });
        serverSide->setOutgoingFrameSize(quint64(frameSize));
        serverSide->sendTextMessage(QString(2048, u'x'));
    });
    std::unique_ptr<RawPeer> raw;
    QString url = QStringLiteral("ws://127.0.0.1:%1/ws").arg(server.serverPort());
    if (frameSize == 0) {
        raw = std::make_unique<RawPeer>(RawPeer::Behaviour::OpenThenHugeFrame);
        url = raw->url();
    }

    ClientSession session;
    session.setViaTap(viaTap);
    session.setMaxIncomingMessageSize(1024);
    session.setMaxIncomingFrameSize(1024);
    QSignalSpy events(&session, &ClientSession::event);
    QSignalSpy received(&session, &ClientSession::messageReceived);
    QVERIFY(session.connectTo(url));
    QTRY_COMPARE(session.state(), State::Closed);

    QCOMPARE(received.count(), 0);
    const CloseInfo info = session.closeInfo();
    QCOMPARE(info.initiator, Initiator::Client);
    QCOMPARE(info.code, quint16(1009));
    QCOMPARE(info.reason, qtReason);
    const QList<Event> sent = eventsOf(events, Event::Side::Client, Event::Kind::CloseSent);
    QVERIFY2(sent.size() == 1, qPrintable(summaries(events).join(u'\n')));
    QCOMPARE(sent.first().summary.toString(),
             QStringLiteral("close sent: 1009 (message too big) \"%1\": the server sent more "
                            "than this client accepts (1024 bytes in a message, 1024 in a frame)")
                 .arg(qtReason));
    QVERIFY(eventsOf(events, Event::Side::Client, Event::Kind::CloseReceived).isEmpty());
    const QList<Event> closed = eventsOf(events, Event::Side::Client, Event::Kind::Closed);
    QCOMPARE(closed.size(), 1);
    QCOMPARE(closed.first().summary.toString(),
             QStringLiteral("closed by client: code 1009 \"%1\" (message too big), clean")
                 .arg(qtReason));
    if (!raw) { // the server got our Close frame, with the code
        QTRY_COMPARE(serverSawCodes, QList<quint16> { 1009 });
    }
}

void tst_ClientSession::serverSent1009IsClosedByServer()
{
    // The same code from the server's side is the server's close, not ours.
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy opened(server.get(), &EmbeddedServer::opened);
    ClientSession session;
    QSignalSpy events(&session, &ClientSession::event);
    QVERIFY(session.connectTo(server->webSocketUrl().toString()));
    QTRY_COMPARE(opened.count(), 1);
    server->kick(opened.at(0).at(0).value<ClientInfo>().id, 1009,
                 QStringLiteral("you sent too much"));
    QTRY_COMPARE(session.state(), State::Closed);
    QCOMPARE(session.closeInfo().initiator, Initiator::Server);
    QCOMPARE(session.closeInfo().code, quint16(1009));
    QVERIFY(eventsOf(events, Event::Side::Client, Event::Kind::CloseSent).isEmpty());
    const QList<Event> received = eventsOf(events, Event::Side::Client, Event::Kind::CloseReceived);
    QCOMPARE(received.size(), 1); // once, though Qt says aboutToClose twice
    QCOMPARE(eventsOf(events, Event::Side::Client, Event::Kind::Closed).first().summary.toString(),
             QStringLiteral("closed by server: code 1009 \"you sent too much\" (message too big), "
                            "clean"));
}

void tst_ClientSession::defaultLimitIs16MiB()
{
    // Qt's own limit is 2 GiB; the client's matches the server's 16 MiB.
    QWebSocketServer server(QStringLiteral("big"), QWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QPointer<QWebSocket> serverSide;
    connect(&server, &QWebSocketServer::newConnection, this, [&] {
        serverSide = server.nextPendingConnection();
        serverSide->setParent(&server); // QWebSocketServer does not own what it hands out
        serverSide->sendBinaryMessage(QByteArray(16 * 1024 * 1024, 'a')); // exactly the limit
        serverSide->sendBinaryMessage(QByteArray(16 * 1024 * 1024 + 1, 'b'));
    });
    ClientSession session;
    session.setViaTap(false);
    QCOMPARE(session.maxIncomingMessageSize(), qint64(16 * 1024 * 1024));
    QSignalSpy received(&session, &ClientSession::messageReceived);
    QVERIFY(session.connectTo(QStringLiteral("ws://127.0.0.1:%1/").arg(server.serverPort())));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), State::Closed, 20000);
    QCOMPARE(received.count(), 1);
    QCOMPARE(received.at(0).at(0).toByteArray().size(), 16 * 1024 * 1024);
    QCOMPARE(session.closeInfo().code, quint16(1009));
    QCOMPARE(session.closeInfo().initiator, Initiator::Client);
}

void tst_ClientSession::abortWhileTheServerSaysNothing()
{
    RawPeer peer(RawPeer::Behaviour::Silent);
    ClientSession session;
    QSignalSpy events(&session, &ClientSession::event);
    QVERIFY(session.connectTo(peer.url()));
    QTRY_COMPARE(session.state(), State::HttpHandshake);
    QTRY_VERIFY(peer.gotRequest());
    session.abort(); // the user gives up before the default 10 s
    QCOMPARE(session.state(), State::Closed);
    QCOMPARE(session.closeInfo().initiator, Initiator::Client);
    QCOMPARE(session.closeInfo().code, quint16(1006));
    QVERIFY(session.errorString().isEmpty()); // not an error: the user's choice
    QVERIFY(!eventsOf(events, Event::Side::Client, Event::Kind::Info).isEmpty());
    QTRY_VERIFY(peer.connectionGone());
}

void tst_ClientSession::handshakeOptionsAsReceived_data()
{
    addTapColumn();
    QTest::newRow("direct") << false;
    QTest::newRow("through the tap") << true;
}

void tst_ClientSession::handshakeOptionsAsReceived()
{
    QFETCH(bool, viaTap);
    HandshakeEchoServer peer({ QStringLiteral("--subprotocols"), QStringLiteral("chat,other") });
    const quint16 port = peer.port();
    QVERIFY(port);

    ClientSession session;
    session.setViaTap(viaTap);
    ConnectOptions options;
    options.headers = { { "X-Api-Key", "k1" }, { "Authorization", "Bearer t0k" } };
    options.subprotocols = { QStringLiteral("superchat"), QStringLiteral("chat") };
    options.query = { { QStringLiteral("room"), QStringLiteral("lobby") },
                      { QStringLiteral("q"), QStringLiteral("a b") } };
    session.setConnectOptions(options);
    QSignalSpy events(&session, &ClientSession::event);
    QSignalSpy messages(&session, &ClientSession::messageReceived);
    QVERIFY(session.connectTo(QStringLiteral("ws://127.0.0.1:%1/ws?own=1").arg(port)));
    QTRY_COMPARE(session.state(), State::Open);
    QTRY_COMPARE(messages.size(), 1);

    const QJsonObject seen = handshakeSeen(messages);
    QCOMPARE(seen.value(QStringLiteral("path")).toString(),
             QStringLiteral("/ws?own=1&room=lobby&q=a%20b"));
    QVERIFY2(hasHeader(seen, QStringLiteral("X-Api-Key"), QStringLiteral("k1")),
             QJsonDocument(seen).toJson().constData());
    QVERIFY(hasHeader(seen, QStringLiteral("Authorization"), QStringLiteral("Bearer t0k")));
    QVERIFY(hasHeader(seen, QStringLiteral("Sec-WebSocket-Protocol"),
                      QStringLiteral("superchat, chat")));
    QCOMPARE(seen.value(QStringLiteral("subprotocol")).toString(), QStringLiteral("chat"));
    QCOMPARE(session.subprotocol(), QStringLiteral("chat"));
    // The URL stays as typed (the history keeps it); the event says what was requested.
    QCOMPARE(session.url(), QUrl(QStringLiteral("ws://127.0.0.1:%1/ws?own=1").arg(port)));
    QVERIFY(summaries(events)
                .filter(QStringLiteral("connecting to ws://127.0.0.1:%1/ws?own=1&room=lobby&q=a b")
                            .arg(port))
                .size()
            == 1);
    QVERIFY2(summaries(events)
                     .filter(QStringLiteral("the server chose chat (offered: superchat, "
                                            "chat)"))
                     .size()
                 == 1,
             qPrintable(summaries(events).join(u'\n')));

    if (viaTap) {
        // The Handshake pane shows the request exactly as sent: the extra headers in it.
        const QList<Event> requests
            = eventsOf(events, Event::Side::Wire, Event::Kind::HandshakeRequest);
        QCOMPARE(requests.size(), 1);
        QCOMPARE(requests.first().wire->startLine,
                 QByteArray("GET /ws?own=1&room=lobby&q=a%20b HTTP/1.1"));
        QStringList sent;
        for (const HeaderLine &line : requests.first().wire->headers)
            sent.append(QString::fromLatin1(line.name + ": " + line.value));
        QVERIFY2(sent.contains(QStringLiteral("X-Api-Key: k1")), qPrintable(sent.join(u'|')));
        QVERIFY(sent.contains(QStringLiteral("Authorization: Bearer t0k")));
        QVERIFY(sent.contains(QStringLiteral("Sec-WebSocket-Protocol: superchat, chat")));
    }
}

void tst_ClientSession::serverChoosesNoSubprotocol()
{
    HandshakeEchoServer peer({ QStringLiteral("--subprotocols"), QStringLiteral("other") });
    const quint16 port = peer.port();
    QVERIFY(port);
    ClientSession session;
    ConnectOptions options;
    options.subprotocols = { QStringLiteral("chat"), QStringLiteral("superchat") };
    session.setConnectOptions(options);
    QSignalSpy events(&session, &ClientSession::event);
    QSignalSpy messages(&session, &ClientSession::messageReceived);
    QVERIFY(session.connectTo(QStringLiteral("ws://127.0.0.1:%1/").arg(port)));
    QTRY_COMPARE(messages.size(), 1);
    QVERIFY(hasHeader(handshakeSeen(messages), QStringLiteral("Sec-WebSocket-Protocol"),
                      QStringLiteral("chat, superchat"))); // offered, and declined
    QVERIFY(handshakeSeen(messages).value(QStringLiteral("subprotocol")).isNull());
    QCOMPARE(session.subprotocol(), QString());
    QVERIFY2(
        summaries(events).filter(QStringLiteral("the server chose none of chat, superchat")).size()
            == 1,
        qPrintable(summaries(events).join(u'\n')));
}

void tst_ClientSession::badOptionFailsTheConnect()
{
    auto server = startServer();
    QVERIFY(server);
    ClientSession session;
    QVERIFY(session.connectTo(server->webSocketUrl().toString()));
    QTRY_COMPARE(session.state(), State::Open);
    ConnectOptions options;
    options.tls.caFile = QStringLiteral("/nonexistent/ca.pem");
    session.setConnectOptions(options);
    QSignalSpy events(&session, &ClientSession::event);
    QVERIFY(!session.connectTo(server->webSocketUrl().toString()));
    const QList<Event> errors = eventsOf(events, Event::Side::Client, Event::Kind::Error);
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.first().summary.toString().contains(
                 QStringLiteral("CA file: cannot read /nonexistent/ca.pem")),
             qPrintable(errors.first().summary.toString()));
    QVERIFY(session.errorString().contains(QStringLiteral("CA file")));
    // The open connection is not the price of a typo.
    QCOMPARE(session.state(), State::Open);
}

void tst_ClientSession::makeCertificates()
{
    if (!m_serverCert.isEmpty())
        return;
    QVERIFY(m_certDir.isValid());
    QString error;
    const TlsCredentials server = makeSelfSignedCredentials(
        { QStringLiteral("localhost") }, { QHostAddress(QHostAddress::LocalHost) }, &error, 2);
    QVERIFY2(!server.isNull(), qPrintable(error));
    m_serverCert = m_certDir.filePath(QStringLiteral("server.pem"));
    m_serverKey = m_certDir.filePath(QStringLiteral("server.key"));
    QVERIFY2(saveTlsCredentials(server, m_serverCert, m_serverKey, &error), qPrintable(error));
    // A client certificate (extendedKeyUsage clientAuth, which makeSelfSignedCredentials does
    // not make): OpenSSL's command line.
    m_clientCert = m_certDir.filePath(QStringLiteral("client.pem"));
    m_clientKey = m_certDir.filePath(QStringLiteral("client.key"));
    const ProcessResult made
        = runProcess(QStringLiteral("openssl"),
                     { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                       QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                       QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                       QStringLiteral("-subj"), QStringLiteral("/CN=wslab-test-client"),
                       QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-addext"),
                       QStringLiteral("extendedKeyUsage=clientAuth"), QStringLiteral("-keyout"),
                       m_clientKey, QStringLiteral("-out"), m_clientCert });
    QVERIFY2(made.finished && made.exitCode == 0, made.err.constData());
}

void tst_ClientSession::caFileAcceptedAndRefusedWithout()
{
    makeCertificates();
    if (QTest::currentTestFailed())
        return;
    HandshakeEchoServer peer({ QStringLiteral("--tls"), m_serverCert, m_serverKey });
    const quint16 port = peer.port();
    QVERIFY(port);
    const QString url = QStringLiteral("wss://localhost:%1/").arg(port);

    ClientSession session;
    session.setViaTap(false);
    QVERIFY(session.connectTo(url));
    QTRY_COMPARE(session.state(), State::Closed);
    QVERIFY2(session.errorString().contains(QStringLiteral("certificate"), Qt::CaseInsensitive),
             qPrintable(session.errorString()));

    ConnectOptions options;
    options.tls.caFile = m_serverCert;
    session.setConnectOptions(options);
    QSignalSpy messages(&session, &ClientSession::messageReceived);
    QVERIFY(session.connectTo(url));
    QTRY_COMPARE(session.state(), State::Open);
    QTRY_COMPARE(messages.size(), 1);
}

void tst_ClientSession::insecureConnectsWithAWarning()
{
    makeCertificates();
    if (QTest::currentTestFailed())
        return;
    HandshakeEchoServer peer({ QStringLiteral("--tls"), m_serverCert, m_serverKey });
    const quint16 port = peer.port();
    QVERIFY(port);
    ClientSession session;
    session.setViaTap(false);
    ConnectOptions options;
    options.tls.verify = false;
    session.setConnectOptions(options);
    QSignalSpy events(&session, &ClientSession::event);
    QVERIFY(session.connectTo(QStringLiteral("wss://localhost:%1/").arg(port)));
    QTRY_COMPARE(session.state(), State::Open);
    const QList<Event> warnings = eventsOf(events, Event::Side::Client, Event::Kind::Tls);
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings.first().summary.toString().contains(QStringLiteral("NOT verified")),
             qPrintable(warnings.first().summary.toString()));
}

void tst_ClientSession::mutualTls()
{
    makeCertificates();
    if (QTest::currentTestFailed())
        return;
    HandshakeEchoServer peer({ QStringLiteral("--tls"), m_serverCert, m_serverKey,
                               QStringLiteral("--client-ca"), m_clientCert });
    const quint16 port = peer.port();
    QVERIFY(port);
    const QString url = QStringLiteral("wss://localhost:%1/").arg(port);

    ClientSession session;
    session.setViaTap(false);
    ConnectOptions options;
    options.tls.caFile = m_serverCert;
    session.setConnectOptions(options);
    QSignalSpy messages(&session, &ClientSession::messageReceived);
    QVERIFY(session.connectTo(url));
    QTRY_COMPARE(session.state(), State::Closed); // refused without a client certificate
    QCOMPARE(messages.size(), 0);

    options.tls.certificateFile = m_clientCert;
    options.tls.keyFile = m_clientKey;
    session.setConnectOptions(options);
    QVERIFY(session.connectTo(url));
    QTRY_COMPARE(session.state(), State::Open);
    QTRY_COMPARE(messages.size(), 1);
    QCOMPARE(handshakeSeen(messages).value(QStringLiteral("client_certificate")).toString(),
             QStringLiteral("wslab-test-client"));
}

void tst_ClientSession::throughAnHttpConnectProxy()
{
    auto server = startServer();
    QVERIFY(server);
    ConnectProxy proxy;
    ClientSession session;
    session.setViaTap(false);
    ConnectOptions options;
    options.proxy = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(proxy.port()));
    session.setConnectOptions(options);
    QSignalSpy messages(&session, &ClientSession::messageReceived);
    QVERIFY(session.connectTo(server->webSocketUrl().toString()));
    QTRY_COMPARE(session.state(), State::Open);
    QCOMPARE(proxy.targets(), QStringList { QStringLiteral("127.0.0.1:%1").arg(server->port()) });
    session.sendText(QStringLiteral("via the proxy"));
    QTRY_VERIFY(std::any_of(messages.begin(), messages.end(), [](const QList<QVariant> &args) {
        return args.at(0).toByteArray() == "via the proxy";
    }));
}

void tst_ClientSession::reconnectsWithBackoffAfterTheServerCloses()
{
    HandshakeEchoServer peer({ QStringLiteral("--close") });
    const quint16 port = peer.port();
    QVERIFY(port);
    ClientSession session;
    session.reconnectBackoff()->setStep(30ms);
    ConnectOptions options;
    options.reconnect = true;
    session.setConnectOptions(options);
    QSignalSpy countdown(&session, &ClientSession::reconnectCountdown);
    QSignalSpy messages(&session, &ClientSession::messageReceived);
    QSignalSpy states(&session, &ClientSession::stateChanged);
    QVERIFY(session.connectTo(QStringLiteral("ws://127.0.0.1:%1/").arg(port)));
    // Each connection is closed by the server at once; each is followed by a new one.
    QTRY_VERIFY(messages.size() >= 3);
    const auto opens = [&states] {
        return std::count_if(states.begin(), states.end(), [](const QList<QVariant> &args) {
            return args.at(0).value<State>() == State::Open;
        });
    };
    QVERIFY(opens() >= 3);
    QList<int> seen;
    for (const QList<QVariant> &args : std::as_const(countdown))
        seen.append(args.at(0).toInt());
    // A connection opened in between, so the delay is back to 1 step each time.
    QCOMPARE(seen.mid(0, 4), (QList<int> { 1, 0, 1, 0 }));

    // Cancelled during a countdown: no further attempt.
    QTRY_VERIFY(session.isReconnectPending());
    session.cancelReconnect();
    QVERIFY(!session.isReconnectPending());
    QCOMPARE(countdown.last().at(0).toInt(), 0);
    QCOMPARE(session.state(), State::Closed);
}

void tst_ClientSession::noReconnectAfterDisconnectOrAbort()
{
    HandshakeEchoServer peer;
    const quint16 port = peer.port();
    QVERIFY(port);
    ClientSession session;
    ConnectOptions options;
    options.reconnect = true;
    session.setConnectOptions(options);
    QSignalSpy countdown(&session, &ClientSession::reconnectCountdown);
    const QString url = QStringLiteral("ws://127.0.0.1:%1/").arg(port);
    QVERIFY(session.connectTo(url));
    QTRY_COMPARE(session.state(), State::Open);
    session.disconnectGracefully();
    QTRY_COMPARE(session.state(), State::Closed);
    QVERIFY(!session.isReconnectPending()); // a reconnect is scheduled as it closes, or never
    QVERIFY(session.connectTo(url));
    QTRY_COMPARE(session.state(), State::Open);
    session.abort();
    QTRY_COMPARE(session.state(), State::Closed);
    QVERIFY(!session.isReconnectPending());
    QCOMPARE(countdown.size(), 0);
}

void tst_ClientSession::reconnectBacksOffWhileTheServerIsGone()
{
    RawPeer peer(RawPeer::Behaviour::OpenThenVanish);
    ClientSession session;
    session.reconnectBackoff()->setStep(20ms);
    ConnectOptions options;
    options.reconnect = true;
    session.setConnectOptions(options);
    QSignalSpy countdown(&session, &ClientSession::reconnectCountdown);
    QSignalSpy events(&session, &ClientSession::event);
    QVERIFY(session.connectTo(peer.url()));
    QTRY_COMPARE(session.state(), State::Open);
    // Gone without a Close frame (1006), and then refusing: each failed attempt waits longer.
    const quint16 port = peer.port();
    peer.stopListening();
    peer.vanish();
    QTRY_VERIFY(std::any_of(countdown.begin(), countdown.end(),
                            [](const QList<QVariant> &args) { return args.at(0).toInt() == 4; }));
    QList<int> seen;
    for (const QList<QVariant> &args : std::as_const(countdown))
        seen.append(args.at(0).toInt());
    QCOMPARE(seen.mid(0, 6), (QList<int> { 1, 0, 2, 1, 0, 4 }));
    QVERIFY2(summaries(events).filter(QStringLiteral("(attempt 3)")).size() == 1,
             qPrintable(summaries(events).join(u'\n')));
    QVERIFY(summaries(events).filter(QStringLiteral("127.0.0.1:%1").arg(port)).size() >= 2);
    session.cancelReconnect();
    QVERIFY(!session.isReconnectPending());
}

QTEST_GUILESS_MAIN(tst_ClientSession)
#include "tst_clientsession.moc"
