#include "clientargs.h"

#include <QCommandLineParser>
#include <QTemporaryDir>
#include <QTest>

using namespace wslab;

class tst_ClientArgs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void url_data();
    void url();
    void header_data();
    void header();
    void connectionFlags();
    void connectionFlagErrors_data();
    void connectionFlagErrors();
    void noConnectionFlags();
};

namespace {
// Parses `arguments` (after the program name) with the connection flags only.
std::optional<ConnectOptions> parseFlags(const QStringList &arguments, QString *error,
                                         bool *anySet = nullptr)
{
    QCommandLineParser parser;
    const ConnectionArguments flags;
    flags.addTo(parser);
    if (!parser.parse(QStringList { QStringLiteral("prog") } + arguments)) {
        *error = parser.errorText();
        return std::nullopt;
    }
    if (anySet)
        *anySet = flags.anySet(parser);
    return flags.read(parser, error);
}
} // namespace

void tst_ClientArgs::url_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected"); // empty: rejected
    QTest::addColumn<QString>("errorMentions");

    QTest::newRow("default") << QStringLiteral("ws://127.0.0.1:8888/ws")
                             << QStringLiteral("ws://127.0.0.1:8888/ws") << QString();
    QTest::newRow("wss") << QStringLiteral("wss://example.org/chat?name=ann")
                         << QStringLiteral("wss://example.org/chat?name=ann") << QString();
    QTest::newRow("no scheme means ws") << QStringLiteral("localhost:8888/ws")
                                        << QStringLiteral("ws://localhost:8888/ws") << QString();
    QTest::newRow("no path means /") << QStringLiteral("ws://127.0.0.1:9000")
                                     << QStringLiteral("ws://127.0.0.1:9000/") << QString();
    QTest::newRow("spaces trimmed")
        << QStringLiteral("  ws://h/ws ") << QStringLiteral("ws://h/ws") << QString();
    QTest::newRow("IPv6") << QStringLiteral("ws://[::1]:8888/ws")
                          << QStringLiteral("ws://[::1]:8888/ws") << QString();
    QTest::newRow("IPv6 without a scheme")
        << QStringLiteral("[::1]:8888/ws") << QStringLiteral("ws://[::1]:8888/ws") << QString();
    QTest::newRow("IPv6 without a port")
        << QStringLiteral("ws://[::1]/ws") << QStringLiteral("ws://[::1]/ws") << QString();
    QTest::newRow("internationalized host becomes punycode")
        << QStringLiteral("ws://例子.测试/ws") << QStringLiteral("ws://xn--fsqu00a.xn--0zwm56d/ws")
        << QString();
    QTest::newRow("internationalized host, no scheme")
        << QStringLiteral("bücher.example:8888/ws")
        << QStringLiteral("ws://xn--bcher-kva.example:8888/ws") << QString();
    QTest::newRow("highest port") << QStringLiteral("ws://h:65535/ws")
                                  << QStringLiteral("ws://h:65535/ws") << QString();

    QTest::newRow("empty") << QString() << QString() << QStringLiteral("empty");
    QTest::newRow("http suggests ws") << QStringLiteral("http://127.0.0.1:8888/ws") << QString()
                                      << QStringLiteral("ws://127.0.0.1:8888/ws");
    QTest::newRow("http host suggests ws")
        << QStringLiteral("http://host/ws") << QString()
        << QStringLiteral("http://host/ws is an HTTP address; a WebSocket URL starts with ws:// "
                          "or wss://, e.g. ws://host/ws");
    QTest::newRow("https suggests wss")
        << QStringLiteral("https://h/ws") << QString() << QStringLiteral("wss://h/ws");
    QTest::newRow("ftp") << QStringLiteral("ftp://h/") << QString() << QStringLiteral("ws://");
    QTest::newRow("port 65536")
        << QStringLiteral("ws://h:65536/ws") << QString()
        << QStringLiteral("\"ws://h:65536/ws\": port 65536 is out of range (1 to 65535)");
    QTest::newRow("port -1") << QStringLiteral("ws://h:-1/ws") << QString()
                             << QStringLiteral(
                                    "\"ws://h:-1/ws\": port -1 is out of range (1 to 65535)");
    QTest::newRow("port 99999")
        << QStringLiteral("ws://h:99999/ws") << QString()
        << QStringLiteral("\"ws://h:99999/ws\": port 99999 is out of range (1 to 65535)");
    QTest::newRow("port out of range, no scheme")
        << QStringLiteral("localhost:70000") << QString()
        << QStringLiteral("\"localhost:70000\": port 70000 is out of range (1 to 65535)");
    QTest::newRow("IPv6 port out of range")
        << QStringLiteral("ws://[::1]:65536/ws") << QString()
        << QStringLiteral("port 65536 is out of range (1 to 65535)");
    QTest::newRow("port with user info") << QStringLiteral("ws://ann@h:99999/ws") << QString()
                                         << QStringLiteral("port 99999 is out of range");
    QTest::newRow("port not a number") << QStringLiteral("ws://h:http/ws") << QString()
                                       << QStringLiteral("the port \"http\" is not a number");
    QTest::newRow("port 0") << QStringLiteral("ws://h:0/ws") << QString()
                            << QStringLiteral("port 0 cannot be connected to");
    QTest::newRow("IPv6 without brackets")
        << QStringLiteral("ws://::1:8888/ws") << QString()
        << QStringLiteral("an IPv6 address goes in brackets, e.g. ws://[::1]:8888/ws");
    QTest::newRow("IPv6 bracket not closed")
        << QStringLiteral("ws://[::1:8888/ws") << QString() << QStringLiteral("not a valid URL");
    QTest::newRow("no host") << QStringLiteral("ws:///ws") << QString()
                             << QStringLiteral("no host");
    QTest::newRow("fragment") << QStringLiteral("ws://h/ws#x") << QString()
                              << QStringLiteral("fragment");
    QTest::newRow("space in host")
        << QStringLiteral("ws://my host/ws") << QString()
        << QStringLiteral("\"ws://my host/ws\" is not a valid URL: Invalid hostname (contains "
                          "invalid characters)");
}

void tst_ClientArgs::url()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QFETCH(QString, errorMentions);
    QString error;
    const auto url = parseWebSocketUrl(input, &error);
    if (expected.isEmpty()) {
        QVERIFY2(!url, qPrintable(url ? url->toString() : QString()));
        QVERIFY2(error.contains(errorMentions), qPrintable(error));
        QVERIFY2(!error.contains(QStringLiteral("source was")), qPrintable(error)); // Qt's dump
    } else {
        QVERIFY2(url, qPrintable(error));
        QCOMPARE(url->toString(), expected);
    }
}

void tst_ClientArgs::header_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("plain") << QStringLiteral("Origin: http://example.org") << true
                           << QByteArray("Origin") << QByteArray("http://example.org");
    QTest::newRow("no space") << QStringLiteral("X-A:1") << true << QByteArray("X-A")
                              << QByteArray("1");
    QTest::newRow("UTF-8 value") << QStringLiteral("X-Name: 张三") << true << QByteArray("X-Name")
                                 << QStringLiteral("张三").toUtf8();
    QTest::newRow("no colon") << QStringLiteral("Origin") << false << QByteArray() << QByteArray();
    QTest::newRow("empty name") << QStringLiteral(": x") << false << QByteArray() << QByteArray();
    QTest::newRow("space in name")
        << QStringLiteral("X A: 1") << false << QByteArray() << QByteArray();
    QTest::newRow("header injection")
        << QStringLiteral("X: a\r\nEvil: b") << false << QByteArray() << QByteArray();
}

void tst_ClientArgs::header()
{
    QFETCH(QString, input);
    QFETCH(bool, ok);
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);
    QString error;
    const auto header = parseHeaderArgument(input, &error);
    QCOMPARE(bool(header), ok);
    if (ok) {
        QCOMPARE(header->first, name);
        QCOMPARE(header->second, value);
    } else {
        QVERIFY(!error.isEmpty());
    }
}

void tst_ClientArgs::connectionFlags()
{
    QTemporaryDir dir;
    const QString ca = dir.filePath(QStringLiteral("ca.pem"));
    QFile file(ca);
    QVERIFY(file.open(QIODevice::WriteOnly));
    // Any PEM certificate will do for parsing: Qt's own test certificates are not installed,
    // so the system's first CA.
    const QList<QSslCertificate> system = QSslConfiguration::systemCaCertificates();
    QVERIFY(!system.isEmpty());
    file.write(system.first().toPem());
    file.close();

    QString error;
    bool anySet = false;
    const auto options = parseFlags({ QStringLiteral("--header"),
                                      QStringLiteral("X-A: 1"),
                                      QStringLiteral("--header"),
                                      QStringLiteral("X-B:two words"),
                                      QStringLiteral("--subprotocol"),
                                      QStringLiteral("chat"),
                                      QStringLiteral("--subprotocol"),
                                      QStringLiteral("superchat"),
                                      QStringLiteral("--query"),
                                      QStringLiteral("room=lobby"),
                                      QStringLiteral("--query"),
                                      QStringLiteral("q=a=b"),
                                      QStringLiteral("--bearer"),
                                      QStringLiteral("t0k"),
                                      QStringLiteral("--timeout"),
                                      QStringLiteral("2500"),
                                      QStringLiteral("--ca"),
                                      ca,
                                      QStringLiteral("--insecure"),
                                      QStringLiteral("--proxy"),
                                      QStringLiteral("socks5://127.0.0.1:1081"),
                                      QStringLiteral("--reconnect") },
                                    &error, &anySet);
    QVERIFY2(options, qPrintable(error));
    QVERIFY(anySet);
    ConnectOptions expected;
    expected.headers
        = { { "X-A", "1" }, { "X-B", "two words" }, { "Authorization", "Bearer t0k" } };
    expected.subprotocols = { QStringLiteral("chat"), QStringLiteral("superchat") };
    expected.query = { { QStringLiteral("room"), QStringLiteral("lobby") },
                       { QStringLiteral("q"), QStringLiteral("a=b") } };
    expected.timeout = std::chrono::milliseconds(2500);
    expected.tls.verify = false;
    expected.tls.caFile = ca;
    expected.proxy = QUrl(QStringLiteral("socks5://127.0.0.1:1081"));
    expected.reconnect = true;
    QCOMPARE(*options, expected);

    const auto basic
        = parseFlags({ QStringLiteral("--basic"), QStringLiteral("Aladdin:open sesame") }, &error);
    QVERIFY2(basic, qPrintable(error));
    QCOMPARE(basic->headers.value(0).second, QByteArray("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
}

void tst_ClientArgs::connectionFlagErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mentions");
    const auto row = [](const char *name, QStringList arguments, const char *mentions) {
        QTest::newRow(name) << arguments << QString::fromUtf8(mentions);
    };
    row("header without a colon", { QStringLiteral("--header"), QStringLiteral("oops") },
        "--header: header \"oops\" must look like 'Name: value'");
    row("header Qt writes itself", { QStringLiteral("--header"), QStringLiteral("Host: x") },
        "header \"Host\": the WebSocket handshake sets it itself");
    row("subprotocol with a space", { QStringLiteral("--subprotocol"), QStringLiteral("a b") },
        "subprotocol \"a b\"");
    row("query without =", { QStringLiteral("--query"), QStringLiteral("lonely") },
        "--query: query \"lonely\" must look like name=value");
    row("empty bearer", { QStringLiteral("--bearer"), QString() }, "--bearer: Bearer token");
    row("basic without a colon", { QStringLiteral("--basic"), QStringLiteral("ann") },
        "--basic: Basic authorization");
    row("both authorizations",
        { QStringLiteral("--bearer"), QStringLiteral("t"), QStringLiteral("--basic"),
          QStringLiteral("a:b") },
        "--bearer and --basic");
    row("timeout not a number", { QStringLiteral("--timeout"), QStringLiteral("soon") },
        "--timeout: \"soon\"");
    row("timeout zero", { QStringLiteral("--timeout"), QStringLiteral("0") }, "--timeout");
    row("CA file missing", { QStringLiteral("--ca"), QStringLiteral("/nonexistent/ca.pem") },
        "--ca: CA file: cannot read /nonexistent/ca.pem");
    row("cert without key", { QStringLiteral("--cert"), QStringLiteral("/c.pem") },
        "--cert needs --key");
    row("key without cert", { QStringLiteral("--key"), QStringLiteral("/k.pem") },
        "--key needs --cert");
    row("cert file missing",
        { QStringLiteral("--cert"), QStringLiteral("/nonexistent/c.pem"), QStringLiteral("--key"),
          QStringLiteral("/nonexistent/k.pem") },
        "--cert: client certificate: cannot read /nonexistent/c.pem");
    row("proxy scheme", { QStringLiteral("--proxy"), QStringLiteral("ftp://p:1") },
        "--proxy: proxy \"ftp://p:1\": use http://");
    row("proxy empty", { QStringLiteral("--proxy"), QString() }, "--proxy: the proxy URL is empty");
    row("proxy without host", { QStringLiteral("--proxy"), QStringLiteral("http://:3128") },
        "--proxy: proxy");
}

void tst_ClientArgs::connectionFlagErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    QString error;
    QVERIFY(!parseFlags(arguments, &error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
    QVERIFY(!error.contains(u'\n'));
}

void tst_ClientArgs::noConnectionFlags()
{
    QString error;
    bool anySet = true;
    const auto options = parseFlags({}, &error, &anySet);
    QVERIFY(options);
    QVERIFY(!anySet);
    QCOMPARE(*options, ConnectOptions());
}

QTEST_GUILESS_MAIN(tst_ClientArgs)
#include "tst_clientargs.moc"
