// wslab-server and wslab-client run as real processes, as a student runs them.

#include "testutil.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace wslab;
using namespace wslab::test;

namespace {
const QString serverBin = QStringLiteral(WSLAB_SERVER_BIN);
const QString clientBin = QStringLiteral(WSLAB_CLIENT_BIN);
const QString guiBin = QStringLiteral(WSLAB_GUI_BIN);
const QRegularExpression
    beijingIso(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+08:00$"));

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

QString url(const EmbeddedServer &server, Route route = Route::Echo)
{
    return server.webSocketUrl(route).toString();
}

// A server that reads the HTTP request and then does something a WebSocket server must not:
// answers `reply` (empty: nothing), and hangs up if asked. "101" completes the handshake.
class RawPeer
{
public:
    RawPeer(const QByteArray &reply, bool hangUp)
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [=, this] {
            m_socket = m_server.nextPendingConnection();
            QTcpSocket *socket = m_socket;
            QObject::connect(socket, &QIODevice::readyRead, socket, [=] {
                const QByteArray request = socket->readAll();
                if (!request.contains("\r\n\r\n"))
                    return;
                if (reply == "101") {
                    const qsizetype at = request.indexOf("Sec-WebSocket-Key: ") + 19;
                    const QByteArray key = request.mid(at, request.indexOf("\r\n", at) - at);
                    socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                  "Connection: Upgrade\r\nSec-WebSocket-Accept: "
                                  + QCryptographicHash::hash(
                                        QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                                        QCryptographicHash::Sha1)
                                        .toBase64()
                                  + "\r\n\r\n");
                } else {
                    socket->write(reply);
                }
                socket->flush();
                if (hangUp)
                    socket->abort();
            });
        });
    }
    QString url() const
    {
        return QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_server.serverPort());
    }

private:
    QTcpServer m_server;
    QPointer<QTcpSocket> m_socket;
};
} // namespace

class tst_Programs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void serverHelpAndVersion();
    void serverSpeaksTheSystemLanguage();
    void windowHelpInTheSystemLanguage();
    void serverBadArguments_data();
    void serverBadArguments();
    void serverPortTaken();
    void serverLogsServesAndStopsOnSignal();
    void clientPrintsEchoes();
    void clientPrintsPushedBeijingTime();
    void clientBadArguments_data();
    void clientBadArguments();
    void clientConnectFailures_data();
    void clientConnectFailures();
    void clientReportsVanishedServer_data();
    void clientReportsVanishedServer();
    void clientRefusesTooBigMessage();
    void clientRejectedByTheServer();
    void clientSendsHeaders();
    void clientReportsKick();
    void clientServerShutdownIsNormal();
    void clientCtrlCClosesCleanly();
    void clientWireShowsHandshakeAndFrames();
    void clientConnectionOptionsAsReceived_data();
    void clientConnectionOptionsAsReceived();
    void clientReportsNoSubprotocol();
    void clientReconnectsAfterTheServerCloses();
    void windowConnectsWithTheCommandLineOptions();
};

void tst_Programs::serverHelpAndVersion()
{
    const auto help = runProcess(serverBin, { QStringLiteral("--help") });
    QCOMPARE(help.exitCode, 0);
    for (const char *option :
         { "--host", "--port", "--interval", "--max-connections", "--max-message-size" })
        QVERIFY2(help.out.contains(option), option);
    const auto version = runProcess(serverBin, { QStringLiteral("--version") });
    QCOMPARE(version.exitCode, 0);
    QVERIFY(version.out.contains("wslab-server " WSLAB_VERSION));
}

void tst_Programs::serverSpeaksTheSystemLanguage()
{
    // A student whose machine is in Chinese reads the help and the errors in Chinese.
    const auto help
        = runProcess(serverBin, { QStringLiteral("--help") }, 5000, QStringLiteral("zh_CN.UTF-8"));
    QCOMPARE(help.exitCode, 0);
    QVERIFY2(QString::fromUtf8(help.out).contains(u"北京时间"), help.out.constData());
    QVERIFY(help.out.contains("--max-per-address")); // the options keep their names
    const auto bad = runProcess(serverBin, { QStringLiteral("--port"), QStringLiteral("x") }, 5000,
                                QStringLiteral("zh_CN.UTF-8"));
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(QString::fromUtf8(bad.err).contains(u"不是端口号"), bad.err.constData());
    // And in English elsewhere.
    const auto english = runProcess(serverBin, { QStringLiteral("--port"), QStringLiteral("x") },
                                    5000, QStringLiteral("en_US.UTF-8"));
    QVERIFY2(english.err.contains("is not a port number"), english.err.constData());

    // The console client too: its help, and its status lines on a real connection.
    const auto clientHelp
        = runProcess(clientBin, { QStringLiteral("--help") }, 5000, QStringLiteral("zh_CN.UTF-8"));
    QCOMPARE(clientHelp.exitCode, 0);
    QVERIFY2(QString::fromUtf8(clientHelp.out).contains(u"连接后要发送的文本消息"),
             clientHelp.out.constData());
    auto server = startServer();
    QVERIFY(server);
    const auto talk = runProcess(clientBin,
                                 { url(*server), QStringLiteral("--send"), QStringLiteral("hi"),
                                   QStringLiteral("--count"), QStringLiteral("1") },
                                 10000, QStringLiteral("zh_CN.UTF-8"));
    QCOMPARE(talk.exitCode, 0);
    QCOMPARE(talk.out.trimmed(), QByteArray("hi")); // the messages are data: as they came
    QVERIFY2(QString::fromUtf8(talk.err).contains(u"已连接"), talk.err.constData());
}

void tst_Programs::windowHelpInTheSystemLanguage()
{
    // No saved language (a settings folder of its own): the system's decides the help's.
    QTemporaryDir config;
    QVERIFY(config.isValid());
    const auto run = [&](const QString &language, const QStringList &arguments) {
        QProcess process;
        QProcessEnvironment environment = programEnvironment(language);
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
        process.setProcessEnvironment(environment);
        process.start(guiBin, arguments);
        process.waitForFinished(10000);
        return std::pair { process.exitCode(),
                           QString::fromUtf8(process.readAllStandardOutput()
                                             + process.readAllStandardError()) };
    };
    const auto [helpCode, help] = run(QStringLiteral("zh_CN.UTF-8"), { QStringLiteral("--help") });
    QCOMPARE(helpCode, 0);
    QVERIFY2(help.contains(u"内置服务器的端口"), qPrintable(help));
    const auto [badCode, bad]
        = run(QStringLiteral("zh_CN.UTF-8"), { QStringLiteral("--theme"), QStringLiteral("pink") });
    QCOMPARE(badCode, 2);
    QVERIFY2(bad.contains(u"请用 dark"), qPrintable(bad));
    const auto [englishCode, english]
        = run(QStringLiteral("C.UTF-8"), { QStringLiteral("--help") });
    QCOMPARE(englishCode, 0);
    QVERIFY2(english.contains(u"Port of the embedded server"), qPrintable(english));
}

void tst_Programs::serverBadArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("port 99999") << QStringList { QStringLiteral("--port"), QStringLiteral("99999") }
                                << QStringLiteral("--port");
    QTest::newRow("port word") << QStringList { QStringLiteral("--port"), QStringLiteral("http") }
                               << QStringLiteral("--port");
    QTest::newRow("negative interval")
        << QStringList { QStringLiteral("--interval"), QStringLiteral("-1") }
        << QStringLiteral("--interval");
    QTest::newRow("interval word")
        << QStringList { QStringLiteral("--interval"), QStringLiteral("often") }
        << QStringLiteral("--interval");
    QTest::newRow("zero connections")
        << QStringList { QStringLiteral("--max-connections"), QStringLiteral("0") }
        << QStringLiteral("--max-connections");
    QTest::newRow("zero message size")
        << QStringList { QStringLiteral("--max-message-size"), QStringLiteral("0") }
        << QStringLiteral("--max-message-size");
    QTest::newRow("host name") << QStringList { QStringLiteral("--host"),
                                                QStringLiteral("not-an-ip") }
                               << QStringLiteral("--host");
    QTest::newRow("foreign address")
        << QStringList { QStringLiteral("--host"), QStringLiteral("192.0.2.1"),
                         QStringLiteral("--port"), QStringLiteral("0") }
        << QStringLiteral("not an address of this machine");
    QTest::newRow("unknown option")
        << QStringList { QStringLiteral("--bogus") } << QStringLiteral("bogus");
    QTest::newRow("stray argument")
        << QStringList { QStringLiteral("extra") } << QStringLiteral("extra");
}

void tst_Programs::serverBadArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    const auto result = runProcess(serverBin, arguments, 5000);
    QVERIFY(result.finished);
    QVERIFY(result.exitCode != 0);
    QVERIFY2(QString::fromUtf8(result.err).contains(mentions), result.err.constData());
}

void tst_Programs::serverPortTaken()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    const QString port = QString::number(squatter.serverPort());

    const auto refused = runProcess(serverBin, { QStringLiteral("--port"), port }, 5000);
    QCOMPARE(refused.exitCode, 1);
    const QByteArray expected = "Port " + port.toUtf8() + " on 127.0.0.1 is already in use";
    QVERIFY2(refused.err.contains(expected), refused.err.constData());
    QVERIFY(refused.err.contains("--next-free-port"));

    ScopedProcess server(serverBin,
                         { QStringLiteral("--port"), port, QStringLiteral("--next-free-port") });
    const quint16 used = waitForListeningPort(*server);
    QVERIFY(used != 0);
    QVERIFY(used != squatter.serverPort());
}

void tst_Programs::serverLogsServesAndStopsOnSignal()
{
    ScopedProcess server(serverBin,
                         { QStringLiteral("--port"), QStringLiteral("0"),
                           QStringLiteral("--interval"), QStringLiteral("0.2") });
    const quint16 port = waitForListeningPort(*server);
    QVERIFY(port);
    QWebSocket client;
    QSignalSpy messages(&client, &QWebSocket::textMessageReceived);
    QSignalSpy disconnected(&client, &QWebSocket::disconnected);
    QVERIFY(openWebSocket(client, QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(port))));
    client.sendTextMessage(QStringLiteral("hello"));
    QTRY_VERIFY(messages.count() >= 3);
    QVERIFY(std::any_of(messages.begin(), messages.end(),
                        [](const auto &m) { return m.at(0).toString() == u"hello"; }));
    QVERIFY(std::any_of(messages.begin(), messages.end(), [](const auto &m) {
        return beijingIso.match(m.at(0).toString()).hasMatch();
    }));

    ::kill(server->processId(), SIGINT); // Ctrl+C
    QTRY_COMPARE(disconnected.count(), 1);
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    QTRY_COMPARE(server->state(), QProcess::NotRunning);
    QCOMPARE(server->exitCode(), 0);
    const QString log = QString::fromUtf8(server->readAllStandardOutput());
    for (const QString &expected :
         { QStringLiteral("#1 TCP accepted from 127.0.0.1:"),
           QStringLiteral("#1 open (101 sent): /ws"),
           QStringLiteral("#1 on_message text 5 B: \"hello\""),
           QStringLiteral("#1 write_message (echo) text 5 B: \"hello\""),
           QStringLiteral("#1 write_message (push) text 25 B: \""), QStringLiteral("stopped") })
        QVERIFY2(log.contains(expected), qPrintable(expected + u"\n" + log));
}

void tst_Programs::clientPrintsEchoes()
{
    auto server = startServer();
    QVERIFY(server);
    const auto result = runProcess(
        clientBin,
        { url(*server), QStringLiteral("--send"), QStringLiteral("hello"), QStringLiteral("--send"),
          QStringLiteral("你好 🌏"), QStringLiteral("--count"), QStringLiteral("2") });
    QVERIFY(result.finished);
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.outLines(),
             (QStringList { QStringLiteral("hello"), QStringLiteral("你好 🌏") }));
    QVERIFY(result.err.contains("connected"));
}

void tst_Programs::clientPrintsPushedBeijingTime()
{
    auto server = startServer(testConfig(0.1));
    QVERIFY(server);
    server->setClock([] { return QDateTime(QDate(2026, 11, 24), QTime(6, 31, 13), Qt::UTC); });
    const auto result
        = runProcess(clientBin, { url(*server), QStringLiteral("--count"), QStringLiteral("3") });
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.outLines(), QStringList(3, QStringLiteral("2026-11-24T14:31:13+08:00")));
}

void tst_Programs::clientBadArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("no URL") << QStringList {} << QStringLiteral("URL is required");
    QTest::newRow("http URL") << QStringList { QStringLiteral("http://127.0.0.1:8888/ws") }
                              << QStringLiteral("ws://127.0.0.1:8888/ws");
    QTest::newRow("port 70000") << QStringList { QStringLiteral("ws://127.0.0.1:70000/ws") }
                                << QStringLiteral("port 70000 is out of range (1 to 65535)");
    QTest::newRow("port -1") << QStringList { QStringLiteral("ws://127.0.0.1:-1/ws") }
                             << QStringLiteral("port -1 is out of range (1 to 65535)");
    QTest::newRow("IPv6 without brackets")
        << QStringList { QStringLiteral("ws://::1:8888/ws") }
        << QStringLiteral("an IPv6 address goes in brackets, e.g. ws://[::1]:8888/ws");
    QTest::newRow("max message size 0")
        << QStringList { QStringLiteral("ws://h/ws"), QStringLiteral("--max-message-size"),
                         QStringLiteral("0") }
        << QStringLiteral("--max-message-size");
    QTest::newRow("count 0") << QStringList { QStringLiteral("ws://h/ws"),
                                              QStringLiteral("--count"), QStringLiteral("0") }
                             << QStringLiteral("--count");
    QTest::newRow("bad header") << QStringList {
        QStringLiteral("ws://h/ws"), QStringLiteral("--header"), QStringLiteral("nocolon")
    } << QStringLiteral("Name: value");
    QTest::newRow("bad proxy") << QStringList {
        QStringLiteral("ws://h/ws"), QStringLiteral("--proxy"), QStringLiteral("ftp://p:1")
    } << QStringLiteral("--proxy: proxy \"ftp://p:1\"");
    QTest::newRow("cert without key")
        << QStringList { QStringLiteral("ws://h/ws"), QStringLiteral("--cert"),
                         QStringLiteral("/c.pem") }
        << QStringLiteral("--cert needs --key");
    QTest::newRow("missing CA file")
        << QStringList { QStringLiteral("ws://h/ws"), QStringLiteral("--ca"),
                         QStringLiteral("/nonexistent/ca.pem") }
        << QStringLiteral("--ca: CA file: cannot read /nonexistent/ca.pem");
    QTest::newRow("bad subprotocol")
        << QStringList { QStringLiteral("ws://h/ws"), QStringLiteral("--subprotocol"),
                         QStringLiteral("a,b") }
        << QStringLiteral("subprotocol \"a,b\"");
}

void tst_Programs::clientBadArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    const auto result = runProcess(clientBin, arguments, 5000);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(QString::fromUtf8(result.err).contains(mentions), result.err.constData());
}

void tst_Programs::clientConnectFailures_data()
{
    QTest::addColumn<bool>("wire");
    QTest::addColumn<QString>("url"); // "refused": a port nobody listens on; "peer": a RawPeer
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<bool>("hangUp");
    QTest::addColumn<QString>("message"); // %1: the port
    struct Row
    {
        const char *name;
        QString url;
        QByteArray reply;
        bool hangUp;
        QString message;
    };
    const QList<Row> rows {
        { "DNS failure",
          QStringLiteral("ws://nowhere.invalid/ws"),
          {},
          false,
          QStringLiteral("cannot find the host nowhere.invalid: the name does not resolve (DNS)") },
        { "refused",
          QStringLiteral("refused"),
          {},
          false,
          QStringLiteral("127.0.0.1 refused the connection: nothing is listening on port %1") },
        { "hang-up mid-handshake",
          QStringLiteral("peer"),
          {},
          true,
          QStringLiteral("the server closed the connection before answering the handshake") },
        { "200 OK", QStringLiteral("peer"), "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false,
          QStringLiteral("handshake failed: the server answered \"200 OK\" instead of \"101 "
                         "Switching Protocols\"") },
        { "garbage", QStringLiteral("peer"), QByteArray("\x16\x03\x01\r\n\r\n"), false,
          QStringLiteral("handshake failed: the server's answer is not HTTP") },
        { "silence",
          QStringLiteral("peer"),
          {},
          false,
          QStringLiteral("timed out after 300 ms waiting for the handshake") },
    };
    for (const bool wire : { false, true })
        for (const Row &row : rows)
            QTest::addRow("%s%s", row.name, wire ? ", --wire" : "")
                << wire << row.url << row.reply << row.hangUp << row.message;
}

void tst_Programs::clientConnectFailures()
{
    QFETCH(bool, wire);
    QFETCH(QString, url);
    QFETCH(QByteArray, reply);
    QFETCH(bool, hangUp);
    QFETCH(QString, message);
    std::unique_ptr<RawPeer> peer;
    if (url == u"refused") {
        const quint16 port = freePort();
        url = QStringLiteral("ws://127.0.0.1:%1/ws").arg(port);
        message = message.arg(port);
    } else if (url == u"peer") {
        peer = std::make_unique<RawPeer>(reply, hangUp);
        url = peer->url();
    }
    // Only the silent server may end by the clock.
    const bool silent = message.startsWith(u"timed out");
    QStringList arguments { url, QStringLiteral("--timeout"),
                            silent ? QStringLiteral("300") : QStringLiteral("20000") };
    if (wire)
        arguments.append(QStringLiteral("--wire"));
    const auto result = runProcess(clientBin, arguments, 30000);
    QVERIFY(result.finished);
    QCOMPARE(result.exitCode, 1);
    const QString expected = u"wslab-client: cannot connect to " + url + u": " + message;
    QVERIFY2(QString::fromUtf8(result.err).contains(expected),
             qPrintable(expected + u"\n---\n" + QString::fromUtf8(result.err)));
}

void tst_Programs::clientReportsVanishedServer_data()
{
    QTest::addColumn<bool>("wire");
    QTest::newRow("direct") << false;
    QTest::newRow("--wire") << true;
}

void tst_Programs::clientReportsVanishedServer()
{
    QFETCH(bool, wire);
    RawPeer peer("101", true); // the handshake, then TCP gone without a Close frame
    QStringList arguments { peer.url() };
    if (wire)
        arguments.append(QStringLiteral("--wire"));
    const auto result = runProcess(clientBin, arguments);
    QVERIFY(result.finished);
    QCOMPARE(result.exitCode, 3);
    QVERIFY2(result.err.contains("connected"), result.err.constData());
    QVERIFY2(result.err.contains("connection closed by nobody (TCP dropped): code 1006 \"the TCP "
                                 "connection ended\" (abnormal closure)"),
             result.err.constData());
}

void tst_Programs::clientRefusesTooBigMessage()
{
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy closed(server.get(), &EmbeddedServer::closed);
    connect(server.get(), &EmbeddedServer::opened, server.get(), [&](const ClientInfo &client) {
        server->sendTo(client.id, QStringLiteral("small"));
        server->sendTo(client.id, QString(2048, u'x'));
    });
    const auto result = runProcess(
        clientBin, { url(*server), QStringLiteral("--max-message-size"), QStringLiteral("1024") });
    QVERIFY(result.finished);
    QCOMPARE(result.exitCode, 3);
    QCOMPARE(result.outLines(), QStringList { QStringLiteral("small") });
    QVERIFY2(result.err.contains("connection closed by client: code 1009 \"Maximum framesize "
                                 "exceeded.\" (message too big)"),
             result.err.constData());
    QTRY_COMPARE(closed.count(), 1); // the server got the Close frame with 1009
    QCOMPARE(closed.at(0).at(1).value<CloseInfo>().code, quint16(1009));
    QVERIFY(closed.at(0).at(1).value<CloseInfo>().clean);
}

void tst_Programs::clientRejectedByTheServer()
{
    auto server = startServer();
    QVERIFY(server);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("WebSocket received but no slots")));
    QUrl nope = server->webSocketUrl();
    nope.setPath(QStringLiteral("/nope"));
    const auto notFound = runProcess(clientBin, { nope.toString() });
    QCOMPARE(notFound.exitCode, 1);
    QVERIFY2(notFound.err.contains("handshake failed: the server answered \"404 Not Found\""),
             notFound.err.constData());
}

void tst_Programs::clientSendsHeaders()
{
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy handshakes(server.get(), &EmbeddedServer::handshakeReceived);
    const auto result
        = runProcess(clientBin,
                     { url(*server), QStringLiteral("--header"),
                       QStringLiteral("X-Lesson: chapter 6"), QStringLiteral("--send"),
                       QStringLiteral("x"), QStringLiteral("--count"), QStringLiteral("1") });
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(handshakes.count(), 1);
    const auto headers = handshakes.at(0).at(2).value<HeaderList>();
    QVERIFY(std::any_of(headers.begin(), headers.end(), [](const auto &h) {
        return h.first.compare("x-lesson", Qt::CaseInsensitive) == 0 && h.second == "chapter 6";
    }));
}

void tst_Programs::clientReportsKick()
{
    auto server = startServer();
    QVERIFY(server);
    connect(server.get(), &EmbeddedServer::opened, server.get(), [&](const ClientInfo &client) {
        server->sendTo(client.id, QStringLiteral("before the kick"));
        server->kick(client.id, 4000, QStringLiteral("class is over"));
    });
    const auto result = runProcess(clientBin, { url(*server) });
    QCOMPARE(result.exitCode, 3);
    QCOMPARE(result.outLines(), QStringList { QStringLiteral("before the kick") });
    QVERIFY2(result.err.contains("connection closed by server: code 4000 \"class is over\""),
             result.err.constData());
}

void tst_Programs::clientServerShutdownIsNormal()
{
    auto server = startServer();
    QVERIFY(server);
    connect(server.get(), &EmbeddedServer::opened, server.get(),
            [&] { QTimer::singleShot(0, server.get(), &EmbeddedServer::stop); });
    const auto result = runProcess(clientBin, { url(*server) });
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.err.contains("closed by server: code 1001 \"server shutting down\""),
             result.err.constData());
}

void tst_Programs::clientCtrlCClosesCleanly()
{
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy opened(server.get(), &EmbeddedServer::opened);
    QSignalSpy closed(server.get(), &EmbeddedServer::closed);
    ScopedProcess client(clientBin, { url(*server) });
    QTRY_COMPARE(opened.count(), 1);
    ::kill(client->processId(), SIGINT);
    QTRY_COMPARE(closed.count(), 1);
    const auto info = closed.at(0).at(1).value<CloseInfo>();
    QCOMPARE(info.initiator, Initiator::Client);
    QCOMPARE(info.code, quint16(1000));
    QCOMPARE(info.reason, QStringLiteral("client interrupted"));
    QTRY_COMPARE(client->state(), QProcess::NotRunning);
    QCOMPARE(client->exitCode(), 0);
}

void tst_Programs::clientWireShowsHandshakeAndFrames()
{
    auto server = startServer();
    QVERIFY(server);
    const auto result
        = runProcess(clientBin,
                     { url(*server), QStringLiteral("--wire"), QStringLiteral("--send"),
                       QStringLiteral("Hello"), QStringLiteral("--count"), QStringLiteral("1") });
    QCOMPARE(result.exitCode, 0);
    const QStringList lines = result.outLines();
    const auto indexOf = [&](const QString &pattern) {
        const QRegularExpression re(QRegularExpression::anchoredPattern(pattern));
        for (qsizetype i = 0; i < lines.size(); ++i)
            if (re.match(lines.at(i)).hasMatch())
                return i;
        return qsizetype(-1);
    };
    const QList<qsizetype> order {
        indexOf(QStringLiteral("> GET /ws HTTP/1\\.1")),
        indexOf(QStringLiteral("> Host: 127\\.0\\.0\\.1:%1").arg(server->port())),
        indexOf(QStringLiteral("> Sec-WebSocket-Key: [A-Za-z0-9+/]{22}==")),
        indexOf(QStringLiteral("< HTTP/1\\.1 101 Switching Protocols")),
        indexOf(QStringLiteral("< Sec-WebSocket-Accept: \\S+")),
        indexOf(QStringLiteral("\\* Sec-WebSocket-Accept ok: .*")),
        indexOf(QStringLiteral(
            "> frame fin=1 rsv=0 opcode=1 text mask=1 key=[0-9a-f]{8} len=5 payload=\"Hello\"")),
        indexOf(QStringLiteral("< frame fin=1 rsv=0 opcode=1 text mask=0 len=5 payload=\"Hello\"")),
        indexOf(QStringLiteral("Hello")), // the message itself, as without --wire
        indexOf(QStringLiteral("> frame fin=1 rsv=0 opcode=8 close mask=1 key=[0-9a-f]{8} len=6 "
                               "code=1000 reason=\"done\"")),
    };
    for (qsizetype i = 0; i < order.size(); ++i)
        QVERIFY2(order[i] >= 0 && (i == 0 || order[i] > order[i - 1]),
                 qPrintable(QStringLiteral("line %1 missing or out of order:\n").arg(i)
                            + lines.join(u'\n')));
}

void tst_Programs::clientConnectionOptionsAsReceived_data()
{
    QTest::addColumn<bool>("wire");
    QTest::newRow("direct") << false;
    QTest::newRow("--wire") << true;
}

void tst_Programs::clientConnectionOptionsAsReceived()
{
    QFETCH(bool, wire);
    HandshakeEchoServer peer({ QStringLiteral("--subprotocols"), QStringLiteral("chat") });
    const quint16 port = peer.port();
    QVERIFY(port);
    QStringList arguments { QStringLiteral("ws://127.0.0.1:%1/ws").arg(port),
                            QStringLiteral("--subprotocol"),
                            QStringLiteral("superchat"),
                            QStringLiteral("--subprotocol"),
                            QStringLiteral("chat"),
                            QStringLiteral("--header"),
                            QStringLiteral("X-Api-Key: k1"),
                            QStringLiteral("--query"),
                            QStringLiteral("room=lobby"),
                            QStringLiteral("--basic"),
                            QStringLiteral("ann:pw"),
                            QStringLiteral("--count"),
                            QStringLiteral("1") };
    if (wire)
        arguments << QStringLiteral("--wire");
    const auto result = runProcess(clientBin, arguments);
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.err.contains("\nsubprotocol: chat\n"), result.err.constData());
    const QStringList lines = result.outLines();
    const auto json = std::find_if(lines.begin(), lines.end(),
                                   [](const QString &line) { return line.startsWith(u'{'); });
    QVERIFY2(json != lines.end(), result.out.constData());
    const QJsonObject seen = QJsonDocument::fromJson(json->toUtf8()).object();
    QCOMPARE(seen.value(QStringLiteral("path")).toString(), QStringLiteral("/ws?room=lobby"));
    QCOMPARE(seen.value(QStringLiteral("subprotocol")).toString(), QStringLiteral("chat"));
    const QStringList headers = reportedHeaders(seen);
    QVERIFY2(headers.contains(QStringLiteral("X-Api-Key: k1")), qPrintable(headers.join(u'|')));
    QVERIFY(headers.contains(QStringLiteral("Authorization: Basic YW5uOnB3")));
    QVERIFY(headers.contains(QStringLiteral("Sec-WebSocket-Protocol: superchat, chat")));
    if (wire) {
        // The handshake lines as the tap saw them: exactly what was sent.
        QVERIFY2(lines.contains(QStringLiteral("> GET /ws?room=lobby HTTP/1.1")),
                 result.out.constData());
        QVERIFY(lines.contains(QStringLiteral("> X-Api-Key: k1")));
        QVERIFY(lines.contains(QStringLiteral("> Sec-WebSocket-Protocol: superchat, chat")));
        QVERIFY(lines.contains(QStringLiteral("< Sec-WebSocket-Protocol: chat")));
    }
}

void tst_Programs::clientReportsNoSubprotocol()
{
    HandshakeEchoServer peer({ QStringLiteral("--subprotocols"), QStringLiteral("other") });
    const quint16 port = peer.port();
    QVERIFY(port);
    const auto result = runProcess(clientBin,
                                   { QStringLiteral("ws://127.0.0.1:%1/").arg(port),
                                     QStringLiteral("--subprotocol"), QStringLiteral("chat"),
                                     QStringLiteral("--count"), QStringLiteral("1") });
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.err.contains("\nno subprotocol\n"), result.err.constData());
}

void tst_Programs::clientReconnectsAfterTheServerCloses()
{
    // The server closes every connection at once (1001); --reconnect comes back after 1 s.
    HandshakeEchoServer peer({ QStringLiteral("--close") });
    const quint16 port = peer.port();
    QVERIFY(port);
    const auto result = runProcess(clientBin,
                                   { QStringLiteral("ws://127.0.0.1:%1/").arg(port),
                                     QStringLiteral("--reconnect"), QStringLiteral("--count"),
                                     QStringLiteral("2") });
    QCOMPARE(result.exitCode, 0);
    const QString err = QString::fromUtf8(result.err);
    QCOMPARE(err.count(QStringLiteral("connected\n")), 2);
    QVERIFY2(err.contains(QStringLiteral("connection closed by server: code 1001")),
             qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("reconnecting in 1 s")), qPrintable(err));
    QCOMPARE(result.outLines().filter(QStringLiteral("\"path\"")).size(), 2);

    // Through the tap: the same tap relays the next connection, and shows its handshake.
    const auto wired = runProcess(clientBin,
                                  { QStringLiteral("ws://127.0.0.1:%1/").arg(port),
                                    QStringLiteral("--reconnect"), QStringLiteral("--wire"),
                                    QStringLiteral("--count"), QStringLiteral("2") });
    QCOMPARE(wired.exitCode, 0);
    QCOMPARE(
        wired.outLines().filter(QRegularExpression(QStringLiteral("^> GET / HTTP/1\\.1$"))).size(),
        2);

    // Without --reconnect: the first close ends it.
    const auto once = runProcess(clientBin, { QStringLiteral("ws://127.0.0.1:%1/").arg(port) });
    QCOMPARE(once.exitCode, 0);
    QVERIFY(!once.err.contains("reconnecting"));
}

void tst_Programs::windowConnectsWithTheCommandLineOptions()
{
    HandshakeEchoServer peer(
        { QStringLiteral("--subprotocols"), QStringLiteral("chat"), QStringLiteral("--log") });
    const quint16 port = peer.port();
    QVERIFY(port);
    QTemporaryDir config; // not the user's settings
    QVERIFY(config.isValid());
    QProcessEnvironment environment = programEnvironment();
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));

    QProcess bad;
    bad.setProcessEnvironment(environment);
    bad.start(guiBin, { QStringLiteral("--proxy"), QStringLiteral("ftp://p:1") });
    QVERIFY(bad.waitForFinished(10000));
    QCOMPARE(bad.exitCode(), 2);
    QVERIFY2(bad.readAllStandardError().contains("wslab: --proxy: proxy \"ftp://p:1\""),
             "no --proxy error");

    QProcess window;
    window.setProcessEnvironment(environment);
    window.start(guiBin,
                 { QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--url"),
                   QStringLiteral("ws://127.0.0.1:%1/ws").arg(port), QStringLiteral("--header"),
                   QStringLiteral("X-Lesson: six"), QStringLiteral("--subprotocol"),
                   QStringLiteral("superchat"), QStringLiteral("--subprotocol"),
                   QStringLiteral("chat"), QStringLiteral("--query"), QStringLiteral("a=1"),
                   QStringLiteral("--connect") });
    QByteArray logged;
    QTRY_VERIFY_WITH_TIMEOUT(
        (logged += peer.process().readAllStandardOutput()).contains("handshake {"), 20000);
    window.terminate(); // closes the window as its close button does
    QVERIFY(window.waitForFinished(10000));
    const QByteArray line = logged.mid(logged.indexOf("handshake {") + 10).split('\n').first();
    const QJsonObject seen = QJsonDocument::fromJson(line).object();
    QCOMPARE(seen.value(QStringLiteral("path")).toString(), QStringLiteral("/ws?a=1"));
    QCOMPARE(seen.value(QStringLiteral("subprotocol")).toString(), QStringLiteral("chat"));
    const QStringList headers = reportedHeaders(seen);
    QVERIFY2(headers.contains(QStringLiteral("X-Lesson: six")), qPrintable(headers.join(u'|')));
    QVERIFY(headers.contains(QStringLiteral("Sec-WebSocket-Protocol: superchat, chat")));
}

QTEST_GUILESS_MAIN(tst_Programs)
#include "tst_programs.moc"
