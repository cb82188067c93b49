#include "connectoptions.h"
#include "tlscredentials.h"

#include <QSettings>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace wslab;
using namespace std::chrono_literals;

class tst_ConnectOptions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void query();
    void authorization();
    void handshake();
    void handshakeErrors_data();
    void handshakeErrors();
    void tlsDefaults();
    void tlsCaFile();
    void tlsClientCertificate();
    void tlsErrors_data();
    void tlsErrors();
    void proxy_data();
    void proxy();
    void variantMapRoundTrip();
    void variantMapDefaults();
    void summary();

private:
    QString path(const char *name) const { return m_dir.filePath(QLatin1StringView(name)); }
    QTemporaryDir m_dir;
    TlsCredentials m_one, m_two;
};

void tst_ConnectOptions::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    m_one = makeSelfSignedCredentials({ QStringLiteral("one.test") }, {}, &error, 2);
    QVERIFY2(!m_one.isNull(), qPrintable(error));
    m_two = makeSelfSignedCredentials({ QStringLiteral("two.test") }, {}, &error, 2);
    QVERIFY2(!m_two.isNull(), qPrintable(error));
    QVERIFY2(saveTlsCredentials(m_one, path("one.pem"), path("one.key"), &error),
             qPrintable(error));
    QVERIFY2(saveTlsCredentials(m_two, path("two.pem"), path("two.key"), &error),
             qPrintable(error));
    QFile text(path("notpem.txt"));
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("just text\n");
}

void tst_ConnectOptions::query()
{
    const QUrl url(QStringLiteral("ws://h/ws?a=1"));
    QCOMPARE(urlWithQuery(url, {}), url);
    const QUrl merged = urlWithQuery(url,
                                     { { QStringLiteral("token"), QStringLiteral("x y&z+1") },
                                       { QStringLiteral("名"), QStringLiteral("值") } });
    const QUrlQuery items(merged);
    QCOMPARE(items.queryItemValue(QStringLiteral("a")), QStringLiteral("1"));
    QCOMPARE(items.queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded),
             QStringLiteral("x y&z+1"));
    QCOMPARE(items.queryItemValue(QStringLiteral("名"), QUrl::FullyDecoded), QStringLiteral("值"));
    // In order, after the URL's own; '&' and '+' inside a value stay data, not separators.
    QVERIFY2(merged.toString(QUrl::FullyEncoded)
                 .endsWith(QStringLiteral("?a=1&token=x%20y%26z%2B1&%E5%90%8D=%E5%80%BC")),
             qPrintable(merged.toString(QUrl::FullyEncoded)));

    QString error;
    QCOMPARE(parseQueryArgument(QStringLiteral("k=v=w"), &error),
             std::make_optional(qMakePair(QStringLiteral("k"), QStringLiteral("v=w"))));
    QCOMPARE(parseQueryArgument(QStringLiteral("k="), &error),
             std::make_optional(qMakePair(QStringLiteral("k"), QString())));
    QVERIFY(!parseQueryArgument(QStringLiteral("=v"), &error));
    QVERIFY2(error.contains(QStringLiteral("name=value")), qPrintable(error));
    QVERIFY(!parseQueryArgument(QStringLiteral("novalue"), &error));
}

void tst_ConnectOptions::authorization()
{
    QString error;
    const auto bearer = bearerAuthorization(QStringLiteral(" abc.def "), &error);
    QVERIFY(bearer);
    QCOMPARE(bearer->first, QByteArray("Authorization"));
    QCOMPARE(bearer->second, QByteArray("Bearer abc.def"));
    QVERIFY(!bearerAuthorization(QString(), &error));
    QVERIFY2(error.contains(QStringLiteral("Bearer")), qPrintable(error));
    QVERIFY(!bearerAuthorization(QStringLiteral("a b"), &error));

    // RFC 7617's example.
    const auto basic = basicAuthorization(QStringLiteral("Aladdin:open sesame"), &error);
    QVERIFY(basic);
    QCOMPARE(basic->second, QByteArray("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
    QVERIFY(basicAuthorization(QStringLiteral("user:"), &error)); // an empty password is one
    QVERIFY(!basicAuthorization(QStringLiteral("nocolon"), &error));
    QVERIFY2(error.contains(QStringLiteral("user:password")), qPrintable(error));
    QVERIFY(!basicAuthorization(QStringLiteral(":password"), &error));
}

void tst_ConnectOptions::handshake()
{
    ConnectOptions options;
    options.headers = { { "X-Api-Key", "k1" }, { "Cookie", "a=b" } };
    options.subprotocols = { QStringLiteral("chat"), QStringLiteral("v2.chat") };
    options.query = { { QStringLiteral("room"), QStringLiteral("1") } };
    QString error;
    const auto handshake = makeHandshake(QUrl(QStringLiteral("ws://h:1/ws")), options, &error);
    QVERIFY2(handshake, qPrintable(error));
    QCOMPARE(handshake->request.url(), QUrl(QStringLiteral("ws://h:1/ws?room=1")));
    QCOMPARE(handshake->request.rawHeader("X-Api-Key"), QByteArray("k1"));
    QCOMPARE(handshake->request.rawHeader("Cookie"), QByteArray("a=b"));
    QCOMPARE(handshake->options.subprotocols(), options.subprotocols);
}

void tst_ConnectOptions::handshakeErrors_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("subprotocol");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("space in a name")
        << QByteArray("X Y") << QByteArray("1") << QString() << QStringLiteral("header \"X Y\"");
    QTest::newRow("line break in a value") << QByteArray("X") << QByteArray("a\r\nHost: evil")
                                           << QString() << QStringLiteral("line break");
    QTest::newRow("Qt's own header") << QByteArray("Sec-WebSocket-Key") << QByteArray("x")
                                     << QString() << QStringLiteral("sets it itself");
    QTest::newRow("protocol as a header")
        << QByteArray("sec-websocket-protocol") << QByteArray("chat") << QString()
        << QStringLiteral("offer subprotocols instead");
    QTest::newRow("comma in a subprotocol") << QByteArray() << QByteArray() << QStringLiteral("a,b")
                                            << QStringLiteral("subprotocol \"a,b\"");
    QTest::newRow("space in a subprotocol")
        << QByteArray() << QByteArray() << QStringLiteral("a b") << QStringLiteral("subprotocol");
    QTest::newRow("non-ASCII subprotocol")
        << QByteArray() << QByteArray() << QStringLiteral("聊天") << QStringLiteral("subprotocol");
}

void tst_ConnectOptions::handshakeErrors()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, value);
    QFETCH(QString, subprotocol);
    QFETCH(QString, mentions);
    ConnectOptions options;
    if (!header.isEmpty())
        options.headers = { { header, value } };
    if (!subprotocol.isEmpty())
        options.subprotocols = { subprotocol };
    QString error;
    QVERIFY(!makeHandshake(QUrl(QStringLiteral("ws://h/")), options, &error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
    QVERIFY(!error.contains(u'\n'));
    QVERIFY(!checkConnectOptions(options, &error));
}

void tst_ConnectOptions::tlsDefaults()
{
    QString error;
    const auto tls = makeTlsConfiguration({}, {}, &error);
    QVERIFY2(tls, qPrintable(error));
    QCOMPARE(tls->peerVerifyMode(), QSslConfiguration::defaultConfiguration().peerVerifyMode());
    QCOMPARE(tls->caCertificates().size(),
             QSslConfiguration::defaultConfiguration().caCertificates().size());
    QVERIFY(tls->localCertificate().isNull());

    ConnectOptions::Tls insecure;
    insecure.verify = false;
    QCOMPARE(makeTlsConfiguration(insecure, {}, &error)->peerVerifyMode(), QSslSocket::VerifyNone);
}

void tst_ConnectOptions::tlsCaFile()
{
    ConnectOptions::Tls tls;
    tls.caFile = path("one.pem");
    QString error;
    const auto configuration = makeTlsConfiguration(tls, { m_two.certificate }, &error);
    QVERIFY2(configuration, qPrintable(error));
    // The system's, the window's own server's, and the file's.
    QVERIFY(configuration->caCertificates().contains(m_one.certificate));
    QVERIFY(configuration->caCertificates().contains(m_two.certificate));
    QVERIFY(configuration->caCertificates().size()
            >= QSslConfiguration::defaultConfiguration().caCertificates().size() + 2);
}

void tst_ConnectOptions::tlsClientCertificate()
{
    ConnectOptions::Tls tls;
    tls.certificateFile = path("one.pem");
    tls.keyFile = path("one.key");
    QString error;
    const auto configuration = makeTlsConfiguration(tls, {}, &error);
    QVERIFY2(configuration, qPrintable(error));
    QCOMPARE(configuration->localCertificate(), m_one.certificate);
    QCOMPARE(configuration->privateKey().toPem(), m_one.key.toPem());
}

void tst_ConnectOptions::tlsErrors_data()
{
    QTest::addColumn<QString>("ca");
    QTest::addColumn<QString>("cert");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("mentions");
    const QString missing = QStringLiteral("/nonexistent/ca.pem");
    QTest::newRow("CA file missing")
        << missing << QString() << QString() << QStringLiteral("CA file: cannot read");
    QTest::newRow("CA file not PEM") << QStringLiteral("notpem.txt") << QString() << QString()
                                     << QStringLiteral("holds no PEM certificate");
    QTest::newRow("certificate without key")
        << QString() << QStringLiteral("one.pem") << QString() << QStringLiteral("no key file");
    QTest::newRow("key without certificate") << QString() << QString() << QStringLiteral("one.key")
                                             << QStringLiteral("no certificate file");
    QTest::newRow("certificate file missing") << QString() << missing << QStringLiteral("one.key")
                                              << QStringLiteral("client certificate: cannot read");
    QTest::newRow("no certificate in the file")
        << QString() << QStringLiteral("notpem.txt") << QStringLiteral("one.key")
        << QStringLiteral("client certificate: ");
    QTest::newRow("no key in the file")
        << QString() << QStringLiteral("one.pem") << QStringLiteral("one.pem")
        << QStringLiteral("no unencrypted PEM");
    QTest::newRow("key of another certificate")
        << QString() << QStringLiteral("one.pem") << QStringLiteral("two.key")
        << QStringLiteral("does not belong to the certificate");
}

void tst_ConnectOptions::tlsErrors()
{
    QFETCH(QString, ca);
    QFETCH(QString, cert);
    QFETCH(QString, key);
    QFETCH(QString, mentions);
    const auto resolve = [this](const QString &name) {
        return name.startsWith(u'/') || name.isEmpty() ? name : m_dir.filePath(name);
    };
    ConnectOptions::Tls tls;
    tls.caFile = resolve(ca);
    tls.certificateFile = resolve(cert);
    tls.keyFile = resolve(key);
    QString error;
    QVERIFY(!makeTlsConfiguration(tls, {}, &error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
    QVERIFY(!error.contains(u'\n'));
}

void tst_ConnectOptions::proxy_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<int>("type"); // -1: refused
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("none") << QString() << int(QNetworkProxy::NoProxy) << QString() << 0 << QString()
                          << QString() << QString();
    QTest::newRow("http") << QStringLiteral("http://proxy.test:3128")
                          << int(QNetworkProxy::HttpProxy) << QStringLiteral("proxy.test") << 3128
                          << QString() << QString() << QString();
    QTest::newRow("http default port")
        << QStringLiteral("http://proxy.test") << int(QNetworkProxy::HttpProxy)
        << QStringLiteral("proxy.test") << 8080 << QString() << QString() << QString();
    QTest::newRow("socks5 with credentials")
        << QStringLiteral("socks5://ann:s%40cret@127.0.0.1") << int(QNetworkProxy::Socks5Proxy)
        << QStringLiteral("127.0.0.1") << 1080 << QStringLiteral("ann") << QStringLiteral("s@cret")
        << QString();
    QTest::newRow("https scheme") << QStringLiteral("https://p:1") << -1 << QString() << 0
                                  << QString() << QString() << QStringLiteral("use http://");
    QTest::newRow("socks4 scheme") << QStringLiteral("socks4://p:1") << -1 << QString() << 0
                                   << QString() << QString() << QStringLiteral("socks5://");
    QTest::newRow("no host") << QStringLiteral("http://:8080") << -1 << QString() << 0 << QString()
                             << QString() << QStringLiteral("proxy");
    QTest::newRow("a path") << QStringLiteral("http://p:1/x") << -1 << QString() << 0 << QString()
                            << QString() << QStringLiteral("no path");
    QTest::newRow("password not shown")
        << QStringLiteral("ftp://u:topsecret@p:1") << -1 << QString() << 0 << QString() << QString()
        << QStringLiteral("ftp://u@p:1");
}

void tst_ConnectOptions::proxy()
{
    QFETCH(QString, url);
    QFETCH(int, type);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, mentions);
    QString error;
    const auto proxy = makeProxy(QUrl(url, QUrl::StrictMode), &error);
    if (type < 0) {
        QVERIFY(!proxy);
        QVERIFY2(error.contains(mentions), qPrintable(error));
        QVERIFY2(!error.contains(QStringLiteral("topsecret")), qPrintable(error));
        return;
    }
    QVERIFY2(proxy, qPrintable(error));
    QCOMPARE(int(proxy->type()), type);
    QCOMPARE(proxy->hostName(), host);
    QCOMPARE(int(proxy->port()), port);
    QCOMPARE(proxy->user(), user);
    QCOMPARE(proxy->password(), password);
}

void tst_ConnectOptions::variantMapRoundTrip()
{
    ConnectOptions options;
    options.headers = { { "X-A", "1" }, { "X-B", "é" } };
    options.subprotocols = { QStringLiteral("chat"), QStringLiteral("superchat") };
    options.query = { { QStringLiteral("q"), QStringLiteral("a b") } };
    options.timeout = 2500ms;
    options.tls.verify = false;
    options.tls.caFile = QStringLiteral("/ca.pem");
    options.tls.certificateFile = QStringLiteral("/c.pem");
    options.tls.keyFile = QStringLiteral("/k.pem");
    options.proxy = QUrl(QStringLiteral("socks5://u:p@h:1"));
    options.reconnect = true;
    QCOMPARE(connectOptionsFromVariantMap(toVariantMap(options)), options);
    QCOMPARE(connectOptionsFromVariantMap(toVariantMap({})), ConnectOptions());

    // Through a real settings file, where everything becomes strings.
    QSettings settings(path("settings.ini"), QSettings::IniFormat);
    settings.setValue(QStringLiteral("connect/options"), toVariantMap(options));
    settings.sync();
    QSettings reread(path("settings.ini"), QSettings::IniFormat);
    QCOMPARE(connectOptionsFromVariantMap(reread.value(QStringLiteral("connect/options")).toMap()),
             options);
}

void tst_ConnectOptions::variantMapDefaults()
{
    QCOMPARE(connectOptionsFromVariantMap({}), ConnectOptions());
    const QVariantMap garbage { { QStringLiteral("headers"), QStringLiteral("nonsense") },
                                { QStringLiteral("timeoutMs"), QStringLiteral("-5") },
                                { QStringLiteral("query"), QVariantList { 1, 2 } } };
    QCOMPARE(connectOptionsFromVariantMap(garbage), ConnectOptions());
}

void tst_ConnectOptions::summary()
{
    QCOMPARE(connectOptionsSummary({}), QString());
    ConnectOptions options;
    options.headers = { { "A", "1" }, { "B", "2" } };
    options.subprotocols = { QStringLiteral("chat") };
    QCOMPARE(connectOptionsSummary(options), QStringLiteral("2 header(s), subprotocol chat"));
    options.tls.verify = false;
    options.proxy = QUrl(QStringLiteral("http://u:secret@p:1"));
    options.reconnect = true;
    const QString text = connectOptionsSummary(options);
    QVERIFY2(text.contains(QStringLiteral("NOT verified")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("proxy http://p:1")), qPrintable(text));
    QVERIFY2(!text.contains(QStringLiteral("secret")), qPrintable(text));
    QVERIFY2(text.endsWith(QStringLiteral("reconnect")), qPrintable(text));
}

QTEST_GUILESS_MAIN(tst_ConnectOptions)
#include "tst_connectoptions.moc"
