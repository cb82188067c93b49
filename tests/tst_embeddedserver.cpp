#include "embeddedserver.h"
#include "framebuilder.h"
#include "originpolicy.h"
#include "testutil.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslCipher>
#include <QTest>
#include <QWebSocket>

using namespace wslab;
using namespace wslab::test;
using namespace std::chrono_literals;

namespace {
const QRegularExpression
    beijingIso(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+08:00$"));

struct HttpResult
{
    int status = 0;
    QByteArray body;
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    QHash<QByteArray, QByteArray> headers;
};

HttpResult httpRequest(const QByteArray &verb, const QUrl &url)
{
    static auto *manager = new QNetworkAccessManager(QCoreApplication::instance());
    QNetworkRequest request(url);
    QNetworkReply *reply
        = verb == "HEAD" ? manager->head(request) : manager->sendCustomRequest(request, verb);
    if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 5000))
        qWarning("no HTTP answer for %s %s", verb.constData(), qPrintable(url.toString()));
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        result.headers.insert(name.toLower(), value);
    delete reply;
    return result;
}
} // namespace

class tst_EmbeddedServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listensOnLoopbackByDefault();
    void portInUse();
    void nextFreePort();
    void httpRoutes_data();
    void httpRoutes();
    void pageConnectsToWs();
    void timeRouteUsesInjectedClock();
    void malformedRequests_data();
    void malformedRequests();
    void badHandshakes_data();
    void badHandshakes();
    void echoText_data();
    void echoText();
    void echoBinary();
    void pushCadence();
    void pushIsBeijingTimeFromClock();
    void intervalZeroIsPureEcho();
    void setPushIntervalAtRuntime();
    void chatRelayAndNotices();
    void chatRejectsBinary();
    void kickIsSeenByClient();
    void kickPeerClosesOnlyThatClient();
    void clientCloseIsAttributedToClient();
    void abortIsNoCloseFrame();
    void sendToBroadcastAndPing();
    void classListKnowsDeviceLastMessageAndPing();
    void pingAllAndKickAll();
    void handshakeEventCarriesRequestHeaders();
    void maxMessageSize();
    void defaultMaxMessageIs16MiB();
    void maxConnections();
    void handshakeTimeout();
    void idleKeepAliveIsClosed();
    void requestTooLarge();
    void slowClientIsClosed();
    void fanOutKeepsOrderBehindQueuedBytes();
    void stopClosesClientsWithGoingAway();
    void connectionsAreReleased();
    void pipelinedRequestsAreAllAnswered();
    void maxPerAddress();
    void originCheck();
    void originOfTheAddressReached();
    void originNormalization_data();
    void originNormalization();
    void chatMessageCap();
    void chatSlowReaderIsClosed();
    void idleClientIsPingedThenClosed();
    void kickWithUnsendableCode();
    void tlsServesWssAndRefusesPlainText();
    void qtRejectsValidUtf8SplitAcrossFragments();
};

void tst_EmbeddedServer::listensOnLoopbackByDefault()
{
    QCOMPARE(ServerConfig().host, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(ServerConfig().port, quint16(8888));
    auto server = startServer();
    QVERIFY(server);
    QCOMPARE(server->address(), QHostAddress(QHostAddress::LocalHost));
    QVERIFY(server->port() != 0);
    QCOMPARE(server->webSocketUrl().toString(),
             QStringLiteral("ws://127.0.0.1:%1/ws").arg(server->port()));
}

void tst_EmbeddedServer::portInUse()
{
    auto first = startServer();
    QVERIFY(first);
    ServerConfig config = testConfig();
    config.port = first->port();
    EmbeddedServer second(config);
    QSignalSpy errors(&second, &EmbeddedServer::errorOccurred);
    QVERIFY(!second.start());
    QVERIFY2(second.errorString().contains(QStringLiteral("already in use")),
             qPrintable(second.errorString()));
    QVERIFY(second.errorString().contains(QString::number(first->port())));
    QCOMPARE(errors.count(), 1);
    // The first server is undisturbed.
    QCOMPARE(httpRequest("GET", first->httpUrl(QStringLiteral("/time"))).status, 200);
}

void tst_EmbeddedServer::nextFreePort()
{
    auto first = startServer();
    QVERIFY(first);
    ServerConfig config = testConfig();
    config.port = first->port();
    config.useNextFreePort = true;
    EmbeddedServer second(config);
    QVERIFY2(second.start(), qPrintable(second.errorString()));
    QVERIFY(second.port() != first->port());
    QVERIFY(second.port() > first->port());
    QCOMPARE(httpRequest("GET", second.httpUrl(QStringLiteral("/time"))).status, 200);
}

void tst_EmbeddedServer::httpRoutes_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentType");

    QTest::newRow("GET /") << QByteArray("GET") << QStringLiteral("/") << 200
                           << QByteArray("text/html");
    QTest::newRow("GET /time") << QByteArray("GET") << QStringLiteral("/time") << 200
                               << QByteArray("text/plain");
    QTest::newRow("HEAD /time") << QByteArray("HEAD") << QStringLiteral("/time") << 200
                                << QByteArray("text/plain");
    QTest::newRow("POST /time") << QByteArray("POST") << QStringLiteral("/time") << 405
                                << QByteArray("text/plain");
    QTest::newRow("DELETE /") << QByteArray("DELETE") << QStringLiteral("/") << 405
                              << QByteArray("text/plain");
    QTest::newRow("GET /nope") << QByteArray("GET") << QStringLiteral("/nope") << 404
                               << QByteArray("text/plain");
    QTest::newRow("GET /ws without upgrade")
        << QByteArray("GET") << QStringLiteral("/ws") << 426 << QByteArray("text/plain");
    QTest::newRow("GET /chat without upgrade")
        << QByteArray("GET") << QStringLiteral("/chat") << 426 << QByteArray("text/plain");
}

void tst_EmbeddedServer::httpRoutes()
{
    QFETCH(QByteArray, verb);
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QByteArray, contentType);
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy served(server.get(), &EmbeddedServer::httpServed);
    const HttpResult result = httpRequest(verb, server->httpUrl(path));
    QCOMPARE(result.status, status);
    QVERIFY2(result.header("content-type").startsWith(contentType), result.header("content-type"));
    if (verb == "HEAD")
        QVERIFY(result.body.isEmpty());
    else
        QVERIFY(!result.body.isEmpty()); // errors are explained, not blank
    if (status == 405)
        QCOMPARE(result.header("allow"), QByteArray("GET, HEAD"));
    if (status == 426)
        QCOMPARE(result.header("upgrade"), QByteArray("websocket"));
    QTRY_COMPARE(served.count(), 1);
    QCOMPARE(served.at(0).at(1).toString(), QString::fromLatin1(verb));
    QCOMPARE(served.at(0).at(2).toString(), path);
    QCOMPARE(served.at(0).at(3).toInt(), status);
}

void tst_EmbeddedServer::pageConnectsToWs()
{
    auto server = startServer();
    QVERIFY(server);
    const HttpResult page = httpRequest("GET", server->httpUrl());
    QCOMPARE(page.status, 200);
    QVERIFY(page.body.contains("new WebSocket("));
    QVERIFY(page.body.contains("'/ws'"));
    QVERIFY(page.body.contains("<meta charset=\"utf-8\">"));
}

void tst_EmbeddedServer::timeRouteUsesInjectedClock()
{
    auto server = startServer();
    QVERIFY(server);
    server->setClock([] { return QDateTime(QDate(2026, 11, 24), QTime(6, 31, 13), Qt::UTC); });
    const HttpResult result = httpRequest("GET", server->httpUrl(QStringLiteral("/time")));
    QCOMPARE(result.status, 200);
    QCOMPARE(result.body, QByteArray("2026-11-24T14:31:13+08:00\n"));
    QCOMPARE(result.header("cache-control"), QByteArray("no-store"));
}

void tst_EmbeddedServer::malformedRequests_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::newRow("garbage") << QByteArray("GARBAGE\r\n\r\n") << 400;
    QTest::newRow("binary junk") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n",
                                               13)
                                 << 400;
    QTest::newRow("HTTP/0.9") << QByteArray("GET /time\r\n\r\n") << 400;
    QTest::newRow("header without colon")
        << QByteArray("GET /time HTTP/1.1\r\nOops\r\n\r\n") << 400;
    QTest::newRow("space in path") << QByteArray("GET /ti me HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("unknown method") << QByteArray("BREW /pot HTTP/1.1\r\n\r\n") << 501;
    QTest::newRow("HTTP/2.0") << QByteArray("GET /time HTTP/2.0\r\n\r\n") << 505;
}

void tst_EmbeddedServer::malformedRequests()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy rejected(server.get(), &EmbeddedServer::requestRejected);
    const QByteArray response = rawExchange(server->port(), request);
    QCOMPARE(statusOf(response), status);
    QVERIFY2(!response.endsWith("<timeout>"), "the server must close after rejecting");
    QTRY_COMPARE(rejected.count(), 1);
    QCOMPARE(rejected.at(0).at(1).toInt(), status);
    // ... and goes on serving everyone else.
    auto client = connectWebSocket(server->webSocketUrl());
    QVERIFY(client);
    QSignalSpy echoed(client.get(), &QWebSocket::textMessageReceived);
    client->sendTextMessage(QStringLiteral("still here"));
    QTRY_COMPARE(echoed.count(), 1);
    QCOMPARE(httpRequest("GET", server->httpUrl(QStringLiteral("/time"))).status, 200);
}

void tst_EmbeddedServer::badHandshakes_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::newRow("key not base64 of 16 bytes") << upgradeRequest("/ws", {}, "abc") << 400;
    QTest::newRow("key missing") << upgradeRequest("/ws", {}, {}) << 400;
    QTest::newRow("key twice") << upgradeRequest("/ws",
                                                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n")
                               << 400;
    QTest::newRow("version 8")
        << QByteArray(upgradeRequest("/ws")).replace("Version: 13", "Version: 8") << 426;
    QTest::newRow("unknown WebSocket path") << upgradeRequest("/nows") << 404;
    QTest::newRow("upgrade on the page") << upgradeRequest("/") << 404;
}

void tst_EmbeddedServer::badHandshakes()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy rejected(server.get(), &EmbeddedServer::handshakeRejected);
    QSignalSpy opened(server.get(), &EmbeddedServer::opened);
    // Qt 6.4 warns whenever handleRequest() declines an upgrade, which is how we reject one.
    QTest::ignoreMessage(
        QtWarningMsg,
        QRegularExpression(QStringLiteral("WebSocket received but no slots connected")));
    const QByteArray response = rawExchange(server->port(), request);
    QCOMPARE(statusOf(response), status);
    QVERIFY(!response.contains("101 Switching Protocols"));
    QTRY_COMPARE(rejected.count(), 1);
    QCOMPARE(rejected.at(0).at(1).toInt(), status);
    QCOMPARE(opened.count(), 0);
    // A correct handshake right after still works.
    const QByteArray good = rawExchange(server->port(), upgradeRequest("/ws"), 300);
    QCOMPARE(statusOf(good), 101);
    QVERIFY(good.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

void tst_EmbeddedServer::echoText_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("ascii") << QStringLiteral("Hello");
    QTest::newRow("Chinese and emoji")
        << QStringLiteral("你好,世界 🌏👋🏽 成绩出来了吗?");
    QTest::newRow("empty") << QString();
    QTest::newRow("control characters") << QStringLiteral("a\tb\nc\u0000d");
    QTest::newRow("64 KiB") << QString(65536, u'字');
}

void tst_EmbeddedServer::echoText()
{
    QFETCH(QString, text);
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy received(server.get(), &EmbeddedServer::messageReceived);
    auto client = connectWebSocket(server->webSocketUrl());
    QVERIFY(client);
    QSignalSpy echoed(client.get(), &QWebSocket::textMessageReceived);
    client->sendTextMessage(text);
    QTRY_COMPARE(echoed.count(), 1);
    QCOMPARE(echoed.at(0).at(0).toString().toUtf8(), text.toUtf8()); // byte for byte
    QCOMPARE(received.count(), 1);
    const Message message = received.at(0).at(1).value<Message>();
    QCOMPARE(message.bytes(), text.toUtf8());
    QCOMPARE(message.size(), text.toUtf8().size());
    QVERIFY(!message.binary);
}

void tst_EmbeddedServer::echoBinary()
{
    auto server = startServer();
    QVERIFY(server);
    auto client = connectWebSocket(server->webSocketUrl());
    QVERIFY(client);
    QSignalSpy echoed(client.get(), &QWebSocket::binaryMessageReceived);
    QByteArray everyByte;
    for (int i = 0; i < 256; ++i)
        everyByte.append(char(i));
    QByteArray random(1024 * 1024, Qt::Uninitialized);
    QRandomGenerator(42).fillRange(reinterpret_cast<quint32 *>(random.data()), random.size() / 4);
    client->sendBinaryMessage(everyByte);
    client->sendBinaryMessage(random);
    client->sendBinaryMessage(QByteArray());
    QTRY_COMPARE(echoed.count(), 3);
    QCOMPARE(echoed.at(0).at(0).toByteArray(), everyByte);
    QCOMPARE(echoed.at(1).at(0).toByteArray(), random);
    QCOMPARE(echoed.at(2).at(0).toByteArray(), QByteArray());
}

void tst_EmbeddedServer::pushCadence()
{
    auto server = startServer(testConfig(0.1));
    QVERIFY(server);
    auto client = connectWebSocket(server->webSocketUrl());
    QVERIFY(client);
    QSignalSpy pushes(client.get(), &QWebSocket::textMessageReceived);
    QElapsedTimer timer;
    timer.start();
    QTRY_VERIFY_WITH_TIMEOUT(pushes.count() >= 10, 5000);
    const qint64 elapsed = timer.elapsed();
    // Ten pushes at 100 ms take about a second: not a burst, not a stall.
    QVERIFY2(elapsed >= 800 && elapsed < 3000, qPrintable(QString::number(elapsed)));
    for (const auto &push : std::as_const(pushes))
        QVERIFY2(beijingIso.match(push.at(0).toString()).hasMatch(),
                 qPrintable(push.at(0).toString()));
}

void tst_EmbeddedServer::pushIsBeijingTimeFromClock()
{
    auto server = startServer(testConfig(0.05));
    QVERIFY(server);
    // The machine runs in New York (ctest sets TZ); the push must still say +08:00.
    server->setClock([] { return QDateTime(QDate(2026, 12, 31), QTime(16, 0, 5), Qt::UTC); });
    auto client = connectWebSocket(server->webSocketUrl());
    QVERIFY(client);
    QSignalSpy pushes(client.get(), &QWebSocket::textMessageReceived);
    QSignalSpy sent(server.get(), &EmbeddedServer::messageSent);
    QTRY_VERIFY(pushes.count() >= 1);
    QCOMPARE(pushes.at(0).at(0).toString(), QStringLiteral("2027-01-01T00:00:05+08:00"));
    QCOMPARE(sent.at(0).at(2).value<SendKind>(), SendKind::Push);
}

void tst_EmbeddedServer::intervalZeroIsPureEcho()
{
    auto server = startServer(testConfig(0));
    QVERIFY(server);
    auto client = connectWebSocket(server->webSocketUrl());
    QVERIFY(client);
    QSignalSpy messages(client.get(), &QWebSocket::textMessageReceived);
    client->sendTextMessage(QStringLiteral("ping?"));
    QTRY_COMPARE(messages.count(), 1);
    QCOMPARE(messages.at(0).at(0).toString(), QStringLiteral("ping?"));
    // Nothing else arrives, though several push intervals' worth of time passes.
    QVERIFY(!messages.wait(1500));
    QCOMPARE(messages.count(), 1);
}

void tst_EmbeddedServer::setPushIntervalAtRuntime()
{
    auto server = startServer(testConfig(0));
    QVERIFY(server);
    auto client = connectWebSocket(server->webSocketUrl());
    QVERIFY(client);
    QSignalSpy messages(client.get(), &QWebSocket::textMessageReceived);
    QSignalSpy changed(server.get(), &EmbeddedServer::pushIntervalChanged);
    server->setPushInterval(0.05);
    QCOMPARE(changed.count(), 1);
    QTRY_VERIFY(messages.count() >= 3);
    server->setPushInterval(-1); // ignored
    QCOMPARE(server->pushInterval(), 0.05);
    server->setPushInterval(0);
    const auto countAtStop = messages.count();
    QVERIFY(!messages.wait(500));
    QVERIFY(messages.count() <= countAtStop + 1); // at most one already in flight
}

void tst_EmbeddedServer::chatRelayAndNotices()
{
    auto server = startServer();
    QVERIFY(server);
    QUrl url = server->webSocketUrl(Route::Chat);
    url.setQuery(QStringLiteral("name=ann"));
    QWebSocket ann, lei, guest;
    QSignalSpy annHears(&ann, &QWebSocket::textMessageReceived);
    QSignalSpy leiHears(&lei, &QWebSocket::textMessageReceived);
    QSignalSpy guestHears(&guest, &QWebSocket::textMessageReceived);
    QVERIFY(openWebSocket(ann, url));
    QTRY_COMPARE(annHears.count(), 1);
    QCOMPARE(annHears.at(0).at(0).toString(), QStringLiteral("* ann joined (1 in the room)"));

    url.setQuery(QStringLiteral("name=%E6%9D%8E%E9%9B%B7")); // 李雷
    QVERIFY(openWebSocket(lei, url));
    url.setQuery(QString());
    QVERIFY(openWebSocket(guest, url));
    QTRY_COMPARE(annHears.count(), 3);
    QCOMPARE(annHears.at(1).at(0).toString(), QStringLiteral("* 李雷 joined (2 in the room)"));
    QVERIFY(annHears.at(2).at(0).toString().startsWith(QStringLiteral("* guest-")));

    QCOMPARE(leiHears.at(0).at(0).toString(), QStringLiteral("* 李雷 joined (2 in the room)"));
    lei.sendTextMessage(QStringLiteral("大家好"));
    const QString expected = QStringLiteral("李雷: 大家好");
    QTRY_VERIFY(annHears.count() == 4 && guestHears.count() >= 2);
    QCOMPARE(annHears.last().at(0).toString(), expected);
    QTRY_COMPARE(guestHears.last().at(0).toString(), expected);
    QTRY_COMPARE(leiHears.last().at(0).toString(), expected); // the sender sees it too

    lei.close();
    QTRY_COMPARE(annHears.last().at(0).toString(), QStringLiteral("* 李雷 left"));
    QTRY_COMPARE(guestHears.last().at(0).toString(), QStringLiteral("* 李雷 left"));
    // Chat members get no time push and no echo of their own beyond the relay.
    QVERIFY(std::none_of(annHears.begin(), annHears.end(), [](const auto &args) {
        return beijingIso.match(args.at(0).toString()).hasMatch();
    }));
}

void tst_EmbeddedServer::chatRejectsBinary()
{
    auto server = startServer();
    QVERIFY(server);
    auto client = connectWebSocket(server->webSocketUrl(Route::Chat));
    QVERIFY(client);
    QSignalSpy disconnected(client.get(), &QWebSocket::disconnected);
    client->sendBinaryMessage("\x01\x02");
    QTRY_COMPARE(disconnected.count(), 1);
    QCOMPARE(client->closeCode(), QWebSocketProtocol::CloseCodeDatatypeNotSupported);
}

void tst_EmbeddedServer::kickIsSeenByClient()
{
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy opened(server.get(), &EmbeddedServer::opened);
    QSignalSpy closed(server.get(), &EmbeddedServer::closed);
    auto client = connectWebSocket(server->webSocketUrl());
    QVERIFY(client);
    QTRY_COMPARE(opened.count(), 1);
    const quint64 id = opened.at(0).at(0).value<ClientInfo>().id;
    QSignalSpy disconnected(client.get(), &QWebSocket::disconnected);

    QVERIFY(!server->kick(id, 1005)); // reserved codes cannot be sent
    QVERIFY(!server->kick(id + 100, 1000));
    QVERIFY(server->kick(id, 4000, QStringLiteral("下课了 (class is over)")));
    QTRY_COMPARE(disconnected.count(), 1);
    QCOMPARE(int(client->closeCode()), 4000);
    QCOMPARE(client->closeReason(), QStringLiteral("下课了 (class is over)"));

    QTRY_COMPARE(closed.count(), 1);
    const auto info = closed.at(0).at(1).value<CloseInfo>();
    QCOMPARE(info.code, quint16(4000));
    QCOMPARE(info.initiator, Initiator::Server);
    QVERIFY(info.clean);
    QVERIFY(server->clients().isEmpty());
}

void tst_EmbeddedServer::kickPeerClosesOnlyThatClient()
{
    auto server = startServer();
    QVERIFY(server);
    auto mine = connectWebSocket(server->webSocketUrl());
    auto other = connectWebSocket(server->webSocketUrl());
    QVERIFY(mine && other);
    QTRY_COMPARE(server->clients().size(), 2);
    QSignalSpy mineGone(mine.get(), &QWebSocket::disconnected);
    const QHostAddress loopback(QHostAddress::LocalHost);
    QVERIFY(!server->kickPeer(loopback, 1, 4000)); // nobody there
    // In LAN mode two students can have the same port on different machines: the address counts.
    QVERIFY(!server->kickPeer(QHostAddress(QStringLiteral("192.0.2.7")), mine->localPort(), 4000));
    QCOMPARE(mine->state(), QAbstractSocket::ConnectedState);
    QVERIFY(server->kickPeer(mine->localAddress(), mine->localPort(), 4000, QStringLiteral("you")));
    QTRY_COMPARE(mineGone.count(), 1);
    QCOMPARE(int(mine->closeCode()), 4000);
    QCOMPARE(other->state(), QAbstractSocket::ConnectedState);
}

void tst_EmbeddedServer::clientCloseIsAttributedToClient()
{
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy closed(server.get(), &EmbeddedServer::closed);
    auto client = connectWebSocket(server->webSocketUrl());
    QVERIFY(client);
    client->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("bye"));
    QTRY_COMPARE(closed.count(), 1);
    const auto info = closed.at(0).at(1).value<CloseInfo>();
    QCOMPARE(info.code, quint16(1001));
    QCOMPARE(info.reason, QStringLiteral("bye"));
    QCOMPARE(info.initiator, Initiator::Client);
    QVERIFY(info.clean);
}

void tst_EmbeddedServer::abortIsNoCloseFrame()
{
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy closed(server.get(), &EmbeddedServer::closed);
    auto client = connectWebSocket(server->webSocketUrl());
    QVERIFY(client);
    client->abort();
    QTRY_COMPARE(closed.count(), 1);
    const auto info = closed.at(0).at(1).value<CloseInfo>();
    QCOMPARE(info.code, quint16(1006));
    QCOMPARE(info.initiator, Initiator::Nobody);
    QVERIFY(!info.clean);
}

void tst_EmbeddedServer::sendToBroadcastAndPing()
{
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy opened(server.get(), &EmbeddedServer::opened);
    QWebSocket a, b;
    QSignalSpy aHears(&a, &QWebSocket::textMessageReceived);
    QSignalSpy bHears(&b, &QWebSocket::textMessageReceived);
    QVERIFY(openWebSocket(a, server->webSocketUrl()));
    QVERIFY(openWebSocket(b, server->webSocketUrl(Route::Chat)));
    QTRY_COMPARE(opened.count(), 2);
    const quint64 idA = opened.at(0).at(0).value<ClientInfo>().id;
    QTRY_COMPARE(bHears.count(), 1); // join notice

    QVERIFY(server->sendTo(idA, QStringLiteral("only for a")));
    QVERIFY(!server->sendTo(9999, QStringLiteral("nobody")));
    server->broadcast(QStringLiteral("everyone"));
    QTRY_COMPARE(aHears.count(), 2);
    QCOMPARE(aHears.at(0).at(0).toString(), QStringLiteral("only for a"));
    QCOMPARE(aHears.at(1).at(0).toString(), QStringLiteral("everyone"));
    QTRY_COMPARE(bHears.count(), 2);
    QCOMPARE(bHears.at(1).at(0).toString(), QStringLiteral("everyone"));

    QSignalSpy pongs(server.get(), &EmbeddedServer::pongReceived);
    QVERIFY(server->ping(idA, "rtt?"));
    QVERIFY(!server->ping(idA, QByteArray(126, 'x'))); // control frames carry ≤ 125 bytes
    QTRY_COMPARE(pongs.count(), 1);
    QCOMPARE(pongs.at(0).at(0).toULongLong(), idA);
    QVERIFY(pongs.at(0).at(1).toLongLong() >= 0);
    QCOMPARE(pongs.at(0).at(2).toByteArray(), QByteArray("rtt?"));

    const auto clients = server->clients();
    QCOMPARE(clients.size(), 2);
    QCOMPARE(clients.at(0).messagesOut, 2u);
}

void tst_EmbeddedServer::classListKnowsDeviceLastMessageAndPing()
{
    auto server = startServer();
    QVERIFY(server);
    const QDateTime lesson(QDate(2026, 9, 1), QTime(8, 0), Qt::UTC);
    server->setClock([lesson] { return lesson; });
    QSignalSpy opened(server.get(), &EmbeddedServer::opened);
    const QString iphone = u"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) "
                           "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 "
                           "Safari/604.1"_qs;
    QWebSocket phone, program;
    QUrl url = server->webSocketUrl(Route::Chat);
    url.setQuery(u"name=ann"_qs);
    QNetworkRequest request(url);
    request.setRawHeader("User-Agent", iphone.toLatin1());
    QSignalSpy phoneOpen(&phone, &QWebSocket::connected);
    phone.open(request);
    QTRY_COMPARE(phoneOpen.count(), 1);
    QVERIFY(openWebSocket(program, server->webSocketUrl()));
    QTRY_COMPARE(opened.count(), 2);
    const auto atOpen = opened.at(0).at(0).value<ClientInfo>();
    QCOMPARE(atOpen.name, u"ann"_qs);
    QCOMPARE(atOpen.userAgent, iphone);
    QCOMPARE(atOpen.device, u"iPhone · Safari"_qs);
    QVERIFY(!atOpen.lastMessageAt.isValid());
    QCOMPARE(atOpen.lastPingMs, -1);
    // Qt's client sends no User-Agent: nothing to say, rather than a guess.
    QVERIFY(opened.at(1).at(0).value<ClientInfo>().userAgent.isEmpty());
    QVERIFY(opened.at(1).at(0).value<ClientInfo>().device.isEmpty());

    // The last message: a short one whole, a long one cut, binary only counted.
    QSignalSpy echoed(&program, &QWebSocket::binaryMessageReceived);
    phone.sendTextMessage(u"你好, everyone"_qs);
    QTRY_COMPARE(server->client(atOpen.id)->messagesIn, 1u);
    auto ann = *server->client(atOpen.id);
    QCOMPARE(ann.lastMessage, u"你好, everyone"_qs);
    QCOMPARE(ann.lastMessageLength, 12);
    QVERIFY(!ann.lastMessageBinary);
    // Dated by the server's clock (which the test fixed), as long ago as it came.
    QVERIFY2(ann.lastMessageAt <= lesson && ann.lastMessageAt > lesson.addSecs(-10),
             qPrintable(ann.lastMessageAt.toString(Qt::ISODateWithMs)));
    phone.sendTextMessage(QString(1000, u'z'));
    QTRY_COMPARE(server->client(atOpen.id)->messagesIn, 2u);
    ann = *server->client(atOpen.id);
    QCOMPARE(ann.lastMessage, QString(ClientInfo::lastMessagePreviewLength, u'z'));
    QCOMPARE(ann.lastMessageLength, 1000);
    program.sendBinaryMessage(QByteArray(300, '\x01'));
    QTRY_COMPARE(echoed.count(), 1);
    const auto bin = server->clients().at(1);
    QVERIFY(bin.lastMessageBinary);
    QCOMPARE(bin.lastMessageLength, 300);
    QVERIFY(bin.lastMessage.isEmpty());

    QSignalSpy pongs(server.get(), &EmbeddedServer::pongReceived);
    QVERIFY(server->ping(atOpen.id, "rtt?"));
    QTRY_COMPARE(pongs.count(), 1);
    ann = *server->client(atOpen.id);
    QCOMPARE(ann.pongs, 1u);
    QCOMPARE(ann.lastPingMs, pongs.at(0).at(1).toLongLong());
    QVERIFY(ann.lastPingMs >= 0);
}

void tst_EmbeddedServer::pingAllAndKickAll()
{
    auto server = startServer();
    QVERIFY(server);
    std::vector<std::unique_ptr<QWebSocket>> clients;
    for (int i = 0; i < 5; ++i) {
        clients.push_back(
            connectWebSocket(server->webSocketUrl(i % 2 ? Route::Chat : Route::Echo)));
        QVERIFY(clients.back());
    }
    QTRY_COMPARE(server->clients().size(), 5);
    QSignalSpy pongs(server.get(), &EmbeddedServer::pongReceived);
    QCOMPARE(server->pingAll("all?"), 5);
    QTRY_COMPARE(pongs.count(), 5);
    for (const ClientInfo &client : server->clients())
        QVERIFY2(client.pongs == 1 && client.lastPingMs >= 0, qPrintable(client.name));

    QSignalSpy errors(server.get(), &EmbeddedServer::errorOccurred);
    QCOMPARE(server->kickAll(1006), 0); // not a code a Close frame carries
    QCOMPARE(errors.count(), 1);
    QCOMPARE(server->clients().size(), 5);
    std::vector<std::unique_ptr<QSignalSpy>> gone;
    for (const auto &client : clients)
        gone.push_back(std::make_unique<QSignalSpy>(client.get(), &QWebSocket::disconnected));
    QCOMPARE(server->kickAll(4001, u"class is over"_qs), 5);
    QCOMPARE(server->kickAll(4001), 0); // already closing
    for (size_t i = 0; i < clients.size(); ++i) {
        QTRY_COMPARE(gone[i]->count(), 1);
        QCOMPARE(int(clients[i]->closeCode()), 4001);
        QCOMPARE(clients[i]->closeReason(), u"class is over"_qs);
    }
    QTRY_VERIFY(server->clients().isEmpty());
}

void tst_EmbeddedServer::handshakeEventCarriesRequestHeaders()
{
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy tcp(server.get(), &EmbeddedServer::tcpAccepted);
    QSignalSpy handshakes(server.get(), &EmbeddedServer::handshakeReceived);
    QSignalSpy opened(server.get(), &EmbeddedServer::opened);
    QWebSocket client;
    QNetworkRequest request(server->webSocketUrl());
    request.setRawHeader("X-Lesson", "chapter6");
    client.open(request);
    QTRY_COMPARE(opened.count(), 1);
    QCOMPARE(tcp.count(), 1);
    QCOMPARE(handshakes.count(), 1);
    const quint64 id = tcp.at(0).at(0).toULongLong();
    QCOMPARE(handshakes.at(0).at(0).toULongLong(), id); // one id from TCP accept to open
    QCOMPARE(opened.at(0).at(0).value<ClientInfo>().id, id);
    QCOMPARE(handshakes.at(0).at(1).toString(), QStringLiteral("/ws"));
    const auto headers = handshakes.at(0).at(2).value<HeaderList>();
    const auto has = [&](const QByteArray &name, const QByteArray &value) {
        return std::any_of(headers.begin(), headers.end(), [&](const auto &h) {
            return h.first.compare(name, Qt::CaseInsensitive) == 0 && h.second == value;
        });
    };
    QVERIFY(has("x-lesson", "chapter6"));
    QVERIFY(has("upgrade", "websocket"));
}

void tst_EmbeddedServer::maxMessageSize()
{
    ServerConfig config = testConfig();
    config.limits.maxMessageSize = 1024;
    config.limits.maxFrameSize = 1024;
    auto server = startServer(config);
    QVERIFY(server);
    auto client = connectWebSocket(server->webSocketUrl());
    QVERIFY(client);
    QSignalSpy echoed(client.get(), &QWebSocket::binaryMessageReceived);
    QSignalSpy disconnected(client.get(), &QWebSocket::disconnected);
    client->sendBinaryMessage(QByteArray(1024, 'a'));
    QTRY_COMPARE(echoed.count(), 1);
    client->sendBinaryMessage(QByteArray(1025, 'b'));
    QTRY_COMPARE(disconnected.count(), 1);
    QCOMPARE(client->closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
    QCOMPARE(echoed.count(), 1);

    // Everyone else is unaffected.
    auto other = connectWebSocket(server->webSocketUrl());
    QVERIFY(other);
    QSignalSpy otherEchoed(other.get(), &QWebSocket::textMessageReceived);
    other->sendTextMessage(QStringLiteral("fine"));
    QTRY_COMPARE(otherEchoed.count(), 1);
}

void tst_EmbeddedServer::defaultMaxMessageIs16MiB()
{
    auto server = startServer();
    QVERIFY(server);
    QCOMPARE(server->config().limits.maxMessageSize, qint64(16 * 1024 * 1024));
    auto client = connectWebSocket(server->webSocketUrl());
    QVERIFY(client);
    QSignalSpy echoed(client.get(), &QWebSocket::binaryMessageReceived);
    QSignalSpy disconnected(client.get(), &QWebSocket::disconnected);
    client->sendBinaryMessage(QByteArray(16 * 1024 * 1024, 'x'));
    QTRY_COMPARE_WITH_TIMEOUT(echoed.count(), 1, 20000);
    QCOMPARE(echoed.at(0).at(0).toByteArray().size(), 16 * 1024 * 1024);
    client->sendBinaryMessage(QByteArray(16 * 1024 * 1024 + 1, 'y'));
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.count(), 1, 20000);
    QCOMPARE(client->closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
}

void tst_EmbeddedServer::maxConnections()
{
    ServerConfig config = testConfig();
    config.limits.maxConnections = 3;
    auto server = startServer(config);
    QVERIFY(server);
    QSignalSpy refused(server.get(), &EmbeddedServer::tcpRefused);
    std::vector<std::unique_ptr<QWebSocket>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(connectWebSocket(server->webSocketUrl()));
        QVERIFY(clients.back());
    }
    QCOMPARE(server->connectionCount(), 3);

    // The fourth is refused with a clear HTTP answer...
    const QByteArray response = rawExchange(server->port(), upgradeRequest("/ws"));
    QCOMPARE(statusOf(response), 503);
    QTRY_COMPARE(refused.count(), 1);
    QWebSocket fourth;
    QSignalSpy fourthError(&fourth, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
    fourth.open(server->webSocketUrl());
    QTRY_VERIFY(!fourthError.isEmpty());
    QVERIFY2(fourth.errorString().contains(QStringLiteral("503")),
             qPrintable(fourth.errorString()));

    // ...and the three already connected carry on.
    for (auto &client : clients) {
        QSignalSpy echoed(client.get(), &QWebSocket::textMessageReceived);
        client->sendTextMessage(QStringLiteral("still served"));
        QTRY_COMPARE(echoed.count(), 1);
    }
    // A slot frees up when one leaves.
    clients.front()->close();
    QTRY_COMPARE(server->connectionCount(), 2);
    QVERIFY(connectWebSocket(server->webSocketUrl()));
}

void tst_EmbeddedServer::handshakeTimeout()
{
    ServerConfig config = testConfig();
    config.limits.handshakeTimeout = 300ms;
    auto server = startServer(config);
    QVERIFY(server);
    QSignalSpy errors(server.get(), &EmbeddedServer::errorOccurred);

    // Connects and says nothing: dropped.
    QTcpSocket silent;
    QSignalSpy silentGone(&silent, &QTcpSocket::disconnected);
    silent.connectToHost(QHostAddress::LocalHost, server->port());
    QElapsedTimer timer;
    timer.start();
    QTRY_COMPARE(silentGone.count(), 1);
    QVERIFY(timer.elapsed() >= 250);

    // Starts a request and stalls (slowloris): 408, then closed.
    const QByteArray response = rawExchange(server->port(), "GET /ws HTTP/1.1\r\nHost: x\r\n");
    QCOMPARE(statusOf(response), 408);
    QVERIFY(!response.endsWith("<timeout>"));
    QTRY_COMPARE(errors.count(), 2);
    QVERIFY(errors.at(0).at(1).toString().contains(QStringLiteral("300 ms")));
    QTRY_COMPARE(server->connectionCount(), 0);
}

void tst_EmbeddedServer::idleKeepAliveIsClosed()
{
    ServerConfig config = testConfig();
    config.limits.httpIdleTimeout = 300ms;
    auto server = startServer(config);
    QVERIFY(server);
    // Two requests on one keep-alive connection are both answered; then, idle, it is closed.
    QElapsedTimer timer;
    timer.start();
    const QByteArray response = rawExchange(server->port(),
                                            "GET /time HTTP/1.1\r\nHost: x\r\n\r\n"
                                            "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    QCOMPARE(response.count("HTTP/1.1 200 OK"), 2);
    QVERIFY(!response.endsWith("<timeout>"));
    QVERIFY(timer.elapsed() >= 250);
    QTRY_COMPARE(server->connectionCount(), 0);
}

void tst_EmbeddedServer::requestTooLarge()
{
    ServerConfig config = testConfig();
    config.limits.maxHttpRequestSize = 4096;
    auto server = startServer(config);
    QVERIFY(server);
    const QByteArray huge = "GET /time HTTP/1.1\r\nX-Big: " + QByteArray(8000, 'a') + "\r\n\r\n";
    QCOMPARE(statusOf(rawExchange(server->port(), huge)), 413);
    const QByteArray fine
        = "GET /time HTTP/1.1\r\nX-Big: " + QByteArray(2000, 'a') + "\r\nConnection: close\r\n\r\n";
    QCOMPARE(statusOf(rawExchange(server->port(), fine)), 200);
}

void tst_EmbeddedServer::slowClientIsClosed()
{
    ServerConfig config = testConfig();
    config.limits.maxSendBuffer = 256 * 1024;
    config.limits.closeTimeout = std::chrono::milliseconds(1000);
    auto server = startServer(config);
    QVERIFY(server);
    QSignalSpy opened(server.get(), &EmbeddedServer::opened);
    QSignalSpy closed(server.get(), &EmbeddedServer::closed);

    // A raw client that completes the handshake and then never reads.
    QTcpSocket lazy;
    lazy.setReadBufferSize(1); // stop draining the kernel buffer
    lazy.connectToHost(QHostAddress::LocalHost, server->port());
    QTRY_COMPARE(lazy.state(), QAbstractSocket::ConnectedState);
    lazy.write(upgradeRequest("/ws"));
    QTRY_COMPARE(opened.count(), 1);
    auto reader = connectWebSocket(server->webSocketUrl());
    QVERIFY(reader);

    // Each message is larger than the kernel can hold for a peer that does not read (its send
    // buffer is at most 4 MiB, net.ipv4.tcp_wmem, and the peer's receive buffer stays at its
    // initial size when nothing is read), so what is left behind the Close frame can never be
    // written and the close can only end by the deadline, however fast the machine. (With
    // smaller messages a slow run could close while the kernel still had room, and the Close
    // frame went out whole.)
    const QString chunk(8 * 1024 * 1024, u'x');
    QSignalSpy readerGot(reader.get(), &QWebSocket::textMessageReceived);
    for (int i = 0; i < 8 && closed.isEmpty(); ++i) {
        server->broadcast(chunk);
        // The reader takes each message before the next: only the lazy client falls behind.
        QTRY_COMPARE_WITH_TIMEOUT(readerGot.count(), i + 1, 20000);
    }
    QTRY_VERIFY_WITH_TIMEOUT(!closed.isEmpty(), 10000);
    const auto info = closed.at(0).at(1).value<CloseInfo>();
    QCOMPARE(closed.at(0).at(0).toULongLong(), opened.at(0).at(0).value<ClientInfo>().id);
    QCOMPARE(info.code, quint16(1008));
    QCOMPARE(info.initiator, Initiator::Server);
    // It never read the Close frame either: after closeTimeout its TCP connection was dropped.
    QVERIFY(!info.clean);
    // The reading client is still connected and served.
    QCOMPARE(reader->state(), QAbstractSocket::ConnectedState);
    QCOMPARE(closed.count(), 1);
}

void tst_EmbeddedServer::fanOutKeepsOrderBehindQueuedBytes()
{
    // A fan-out writes its frame straight to the kernel only when Qt holds nothing for that
    // connection. Here a client that has stopped reading leaves most of a large echo queued in
    // Qt; the broadcast must arrive after it, whole, and an idle client must get it at once.
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy opened(server.get(), &EmbeddedServer::opened);
    QSignalSpy received(server.get(), &EmbeddedServer::messageReceived);
    QTcpSocket busy;
    busy.connectToHost(QHostAddress::LocalHost, server->port());
    QTRY_COMPARE(busy.state(), QAbstractSocket::ConnectedState);
    busy.write(upgradeRequest("/ws"));
    QTRY_COMPARE(opened.count(), 1);
    QTRY_VERIFY(busy.bytesAvailable() > 0 && busy.peek(busy.bytesAvailable()).contains("\r\n\r\n"));
    const QByteArray head = busy.readAll();
    QCOMPARE(statusOf(head), 101);
    busy.setReadBufferSize(1); // stop reading: the kernel's buffers fill, then Qt's queue

    QByteArray big(12 * 1024 * 1024, Qt::Uninitialized);
    QRandomGenerator(7).fillRange(reinterpret_cast<quint32 *>(big.data()), big.size() / 4);
    busy.write(buildFrame(0x2, big, true, 0, QByteArrayLiteral("\x01\x02\x03\x04")));
    QTRY_COMPARE_WITH_TIMEOUT(received.count(), 1, 10000);
    auto idle = connectWebSocket(server->webSocketUrl());
    QVERIFY(idle);
    QSignalSpy idleText(idle.get(), &QWebSocket::textMessageReceived);

    const QString text = QStringLiteral("after the echo, 之后 🌏");
    server->broadcast(text);
    QTRY_COMPARE(idleText.count(), 1);
    QCOMPARE(idleText.at(0).at(0).toString(), text);

    busy.setReadBufferSize(0); // read again: the echo, then the broadcast, and nothing between
    const QByteArray textFrame = buildFrame(0x1, text.toUtf8());
    QByteArray stream;
    QTRY_VERIFY_WITH_TIMEOUT((stream += busy.readAll()).endsWith(textFrame), 10000);
    // Before it, the echo as Qt frames it (fragments of at most 512 KiB), which reassemble into
    // exactly what was sent.
    QByteArray echo;
    qsizetype at = 0;
    const qsizetype echoEnd = stream.size() - textFrame.size();
    for (bool fin = false; !fin && at < echoEnd;) {
        const auto b0 = quint8(stream[at]), b1 = quint8(stream[at + 1]);
        fin = b0 & 0x80;
        QCOMPARE(b1 & 0x80, 0); // a server does not mask
        qsizetype length = b1 & 0x7f, header = 2;
        if (length == 126) {
            length = qFromBigEndian<quint16>(stream.constData() + at + 2);
            header = 4;
        } else if (length == 127) {
            length = qsizetype(qFromBigEndian<quint64>(stream.constData() + at + 2));
            header = 10;
        }
        echo += stream.mid(at + header, length);
        at += header + length;
    }
    QCOMPARE(at, echoEnd);
    QVERIFY(echo == big);
}

void tst_EmbeddedServer::stopClosesClientsWithGoingAway()
{
    auto server = startServer();
    QVERIFY(server);
    auto client = connectWebSocket(server->webSocketUrl());
    QVERIFY(client);
    QSignalSpy disconnected(client.get(), &QWebSocket::disconnected);
    server->stop();
    QVERIFY(!server->isListening());
    QTRY_COMPARE(disconnected.count(), 1);
    QCOMPARE(client->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
}

void tst_EmbeddedServer::connectionsAreReleased()
{
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy accepted(server.get(), &EmbeddedServer::tcpAccepted);
    QSignalSpy tcpClosed(server.get(), &EmbeddedServer::tcpClosed);
    {
        auto a = connectWebSocket(server->webSocketUrl());
        QVERIFY(a);
        QCOMPARE(statusOf(rawExchange(server->port(),
                                      "GET /time HTTP/1.1\r\nConnection: close\r\n\r\n")),
                 200);
        QCOMPARE(statusOf(rawExchange(server->port(), "GARBAGE\r\n\r\n")), 400);
        QTRY_VERIFY(server->connectionCount() >= 1);
        a->close();
    }
    QTRY_COMPARE(server->connectionCount(), 0);
    QTRY_COMPARE(tcpClosed.count(), accepted.count());
}

void tst_EmbeddedServer::pipelinedRequestsAreAllAnswered()
{
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy served(server.get(), &EmbeddedServer::httpServed);
    QSignalSpy rejected(server.get(), &EmbeddedServer::requestRejected);
    // One write: four requests, the last one malformed. Each is answered, in order.
    const QByteArray response = rawExchange(server->port(),
                                            "GET /time HTTP/1.1\r\nHost: x\r\n\r\n"
                                            "POST /time HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"
                                            "GET /nothing HTTP/1.1\r\n\r\n"
                                            "\x01"
                                            "bad\r\n\r\n");
    static const QRegularExpression statusLine(QStringLiteral("HTTP/1\\.1 (\\d{3}) "));
    QList<int> statuses;
    for (auto it = statusLine.globalMatch(QString::fromLatin1(response)); it.hasNext();)
        statuses.append(it.next().captured(1).toInt());
    QCOMPARE(statuses, (QList<int> { 200, 405, 404, 400 }));
    QCOMPARE(served.count(), 3);
    QCOMPARE(rejected.count(), 1);
    QCOMPARE(rejected.at(0).at(1).toInt(), 400);
}

void tst_EmbeddedServer::maxPerAddress()
{
    ServerConfig config = testConfig();
    config.limits.maxPerAddress = 2;
    auto server = startServer(config);
    QVERIFY(server);
    QSignalSpy refused(server.get(), &EmbeddedServer::tcpRefused);
    const auto connectFrom = [&](const QString &from) {
        auto socket = std::make_unique<QTcpSocket>();
        socket->bind(QHostAddress(from), 0);
        socket->connectToHost(QHostAddress::LocalHost, server->port());
        return socket;
    };
    auto first = connectFrom(QStringLiteral("127.0.0.1"));
    auto second = connectFrom(QStringLiteral("127.0.0.1"));
    QTRY_COMPARE(server->connectionCount(), 2);
    // The third from the same address is refused, with a reason naming it...
    auto third = connectFrom(QStringLiteral("127.0.0.1"));
    QTRY_COMPARE(refused.count(), 1);
    QByteArray answer;
    QTRY_VERIFY2((answer += third->readAll()).startsWith("HTTP/1.1 503"), answer.constData());
    const QString refusal = refused.at(0).at(2).value<Text>().english();
    QVERIFY2(refusal.contains(u"127.0.0.1"), qPrintable(refusal));
    // ...while another address still gets in, and is served.
    auto other = connectFrom(QStringLiteral("127.0.0.2"));
    QTRY_COMPARE(server->connectionCount(), 3);
    other->write("GET /time HTTP/1.1\r\n\r\n");
    QTRY_VERIFY(other->bytesAvailable() > 0);
    QVERIFY(other->readAll().startsWith("HTTP/1.1 200"));
    QCOMPARE(refused.count(), 1);
    // A slot frees up for that address when one of its connections ends.
    first->abort();
    QTRY_COMPARE(server->connectionCount(), 2);
    auto again = connectFrom(QStringLiteral("127.0.0.1"));
    QTRY_COMPARE(server->connectionCount(), 3);
    QCOMPARE(refused.count(), 1);
}

void tst_EmbeddedServer::originCheck()
{
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy rejected(server.get(), &EmbeddedServer::handshakeRejected);
    const QByteArray key = "dGhlIHNhbXBsZSBub25jZQ==";
    // The status of the answer to a handshake, as soon as its head is in (a 101 stays open).
    const auto handshakeStatus = [&](quint16 port, const QByteArray &origin) {
        const QByteArray header = origin.isNull() ? QByteArray() : "Origin: " + origin + "\r\n";
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        socket.write(upgradeRequest("/ws", header, key));
        QByteArray answer;
        std::ignore = QTest::qWaitFor(
            [&] { return (answer += socket.readAll()).contains("\r\n\r\n"); }, 5000);
        return statusOf(answer);
    };
    const auto statusWithOrigin = [&](const QByteArray &origin) {
        return handshakeStatus(server->port(), origin);
    };
    const QByteArray port = QByteArray::number(server->port());
    // The page at / (as localhost or 127.0.0.1) and programs that send no Origin get in.
    QCOMPARE(statusWithOrigin("http://127.0.0.1:" + port), 101);
    QCOMPARE(statusWithOrigin("http://localhost:" + port), 101);
    QCOMPARE(statusWithOrigin(QByteArray()), 101);
    QCOMPARE(rejected.count(), 0);
    // Any other site's page is refused, and the refusal says why.
    QCOMPARE(statusWithOrigin("http://evil.example"), 403);
    QCOMPARE(statusWithOrigin("http://127.0.0.1:" + QByteArray::number(server->port() + 1)), 403);
    QCOMPARE(statusWithOrigin("null"), 403);
    QCOMPARE(rejected.count(), 3);
    QCOMPARE(rejected.at(0).at(1).toInt(), 403);
    const QString why = rejected.at(0).at(2).value<Text>().english();
    QVERIFY2(why.contains(u"http://evil.example"), qPrintable(why));
    // The teacher allows one more site; nonsense is refused with a reason.
    QSignalSpy changed(server.get(), &EmbeddedServer::originsChanged);
    QSignalSpy errors(server.get(), &EmbeddedServer::errorOccurred);
    QVERIFY(!server->allowOrigin(QStringLiteral("evil.example/path")));
    QCOMPARE(errors.count(), 1);
    QVERIFY(server->allowOrigin(QStringLiteral("HTTP://Evil.Example:80/")));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(server->extraOrigins(), QStringList { QStringLiteral("http://evil.example:80") });
    QCOMPARE(statusWithOrigin("http://evil.example"), 101);
    QCOMPARE(statusWithOrigin("http://other.example"), 403);

    // "*" lets any page in.
    ServerConfig open = testConfig();
    open.allowedOrigins = QStringList { QStringLiteral("*") };
    auto anyOrigin = startServer(open);
    QVERIFY(anyOrigin);
    QCOMPARE(handshakeStatus(anyOrigin->port(), "http://other.example"), 101);
    // An origin that is not one stops the start with a clear error.
    ServerConfig wrong = testConfig();
    wrong.allowedOrigins = QStringList { QStringLiteral("ftp://x") };
    EmbeddedServer refusing(wrong);
    QVERIFY(!refusing.start());
    QVERIFY2(refusing.errorString().contains(u"ftp://x"), qPrintable(refusing.errorString()));
}

// On 0.0.0.0 the machine can get an address after the start (a new Wi-Fi): a page served from
// the address a phone reached is the server's own even when that address was not in the start's
// list. 127.0.0.2 stands for it: it reaches this machine but QNetworkInterface does not list it.
void tst_EmbeddedServer::originOfTheAddressReached()
{
    const QByteArray key = "dGhlIHNhbXBsZSBub25jZQ==";
    const auto handshakeStatus = [&](const QString &host, quint16 port, const QByteArray &origin) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress(host), port);
        socket.write(upgradeRequest("/ws", "Origin: " + origin + "\r\n", key));
        QByteArray answer;
        std::ignore = QTest::qWaitFor(
            [&] { return (answer += socket.readAll()).contains("\r\n\r\n"); }, 5000);
        return statusOf(answer);
    };
    ServerConfig lanConfig = testConfig();
    lanConfig.host = QHostAddress(QHostAddress::AnyIPv4);
    auto lan = startServer(lanConfig);
    QVERIFY(lan);
    const QByteArray port = QByteArray::number(lan->port());
    const QString reached = QStringLiteral("http://127.0.0.2:%1").arg(lan->port());
    QVERIFY2(!lan->ownOrigins().contains(reached), qPrintable(lan->ownOrigins().join(u' ')));
    QCOMPARE(handshakeStatus(u"127.0.0.1"_qs, lan->port(), "http://127.0.0.1:" + port), 101);
    QCOMPARE(handshakeStatus(u"127.0.0.2"_qs, lan->port(), "http://127.0.0.2:" + port), 101);
    // Only the address this connection reached, on this port and scheme; other sites stay out.
    QCOMPARE(handshakeStatus(u"127.0.0.1"_qs, lan->port(), "http://127.0.0.2:" + port), 403);
    QCOMPARE(handshakeStatus(u"127.0.0.2"_qs, lan->port(),
                             "http://127.0.0.2:" + QByteArray::number(lan->port() + 1)),
             403);
    QCOMPARE(handshakeStatus(u"127.0.0.2"_qs, lan->port(), "https://127.0.0.2:" + port), 403);
    QCOMPARE(handshakeStatus(u"127.0.0.2"_qs, lan->port(), "http://evil.example"), 403);

    // Listening on 127.0.0.1 only, the rule adds nothing: 127.0.0.1 and localhost, as before.
    auto loopback = startServer();
    QVERIFY(loopback);
    const QByteArray loopbackPort = QByteArray::number(loopback->port());
    QCOMPARE(handshakeStatus(u"127.0.0.1"_qs, loopback->port(), "http://127.0.0.1:" + loopbackPort),
             101);
    QCOMPARE(handshakeStatus(u"127.0.0.1"_qs, loopback->port(), "http://127.0.0.2:" + loopbackPort),
             403);
}

void tst_EmbeddedServer::originNormalization_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("normalized"); // empty: not an origin
    QTest::newRow("plain") << QStringLiteral("http://a.example")
                           << QStringLiteral("http://a.example:80");
    QTest::newRow("https default port")
        << QStringLiteral("https://a.example") << QStringLiteral("https://a.example:443");
    QTest::newRow("case and slash")
        << QStringLiteral("HTTP://LocalHost:8888/") << QStringLiteral("http://localhost:8888");
    QTest::newRow("IPv6") << QStringLiteral("http://[::1]:8888")
                          << QStringLiteral("http://[::1]:8888");
    QTest::newRow("IDN") << QStringLiteral("http://例子.测试")
                         << QStringLiteral("http://xn--fsqu00a.xn--0zwm56d:80");
    QTest::newRow("null") << QStringLiteral("null") << QStringLiteral("null");
    QTest::newRow("any") << QStringLiteral("*") << QStringLiteral("*");
    QTest::newRow("no scheme") << QStringLiteral("a.example") << QString();
    QTest::newRow("ws scheme") << QStringLiteral("ws://a.example") << QString();
    QTest::newRow("path") << QStringLiteral("http://a.example/page") << QString();
    QTest::newRow("empty") << QString() << QString();
}

void tst_EmbeddedServer::originNormalization()
{
    QFETCH(QString, input);
    QFETCH(QString, normalized);
    QString error;
    const auto result = OriginPolicy::normalize(input, &error);
    QCOMPARE(result.value_or(QString()), normalized);
    QCOMPARE(error.isEmpty(), !normalized.isEmpty());
    // The server's own origins in LAN mode include this machine's addresses, not only loopback.
    const QStringList lan = OriginPolicy::ownOrigins(QHostAddress::Any, 8888, false);
    QVERIFY(lan.contains(QStringLiteral("http://localhost:8888")));
    QVERIFY(lan.contains(QStringLiteral("http://127.0.0.1:8888")));
    QCOMPARE(OriginPolicy::ownOrigins(QHostAddress::LocalHost, 8888, true).first(),
             QStringLiteral("https://localhost:8888"));
}

void tst_EmbeddedServer::chatMessageCap()
{
    ServerConfig config = testConfig();
    config.limits.maxChatMessageSize = 1000;
    auto server = startServer(config);
    QVERIFY(server);
    auto talker = connectWebSocket(server->webSocketUrl(Route::Chat));
    auto listener = connectWebSocket(server->webSocketUrl(Route::Chat));
    QVERIFY(talker && listener);
    QSignalSpy heard(listener.get(), &QWebSocket::textMessageReceived);
    QSignalSpy talkerGone(talker.get(), &QWebSocket::disconnected);
    talker->sendTextMessage(QString(900, u'a'));
    QTRY_VERIFY(std::any_of(heard.cbegin(), heard.cend(), [](const QList<QVariant> &args) {
        return args.at(0).toString().endsWith(QString(900, u'a'));
    }));
    talker->sendTextMessage(QString(1001, u'b'));
    QTRY_COMPARE(talkerGone.count(), 1);
    QCOMPARE(talker->closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
    QVERIFY(std::none_of(heard.cbegin(), heard.cend(), [](const QList<QVariant> &args) {
        return args.at(0).toString().contains(u'b');
    }));
    QCOMPARE(listener->state(), QAbstractSocket::ConnectedState);
    // The echo route keeps the general limit.
    auto echo = connectWebSocket(server->webSocketUrl());
    QVERIFY(echo);
    QSignalSpy echoed(echo.get(), &QWebSocket::textMessageReceived);
    echo->sendTextMessage(QString(5000, u'c'));
    QTRY_VERIFY(std::any_of(echoed.cbegin(), echoed.cend(), [](const QList<QVariant> &args) {
        return args.at(0).toString().size() == 5000;
    }));
}

void tst_EmbeddedServer::chatSlowReaderIsClosed()
{
    ServerConfig config = testConfig();
    config.limits.maxChatSendBuffer = 64 * 1024;
    config.limits.closeTimeout = 500ms;
    auto server = startServer(config);
    QVERIFY(server);
    QSignalSpy opened(server.get(), &EmbeddedServer::opened);
    QSignalSpy closed(server.get(), &EmbeddedServer::closed);
    // A member that joins and never reads: what the room says piles up for it alone.
    QTcpSocket lazy;
    lazy.setReadBufferSize(1);
    lazy.connectToHost(QHostAddress::LocalHost, server->port());
    QTRY_COMPARE(lazy.state(), QAbstractSocket::ConnectedState);
    lazy.write(upgradeRequest("/chat", {}, "dGhlIHNhbXBsZSBub25jZQ=="));
    QTRY_COMPARE(opened.count(), 1);
    const quint64 lazyId = opened.at(0).at(0).value<ClientInfo>().id;
    auto talker = connectWebSocket(server->webSocketUrl(Route::Chat));
    QVERIFY(talker);
    QSignalSpy heard(talker.get(), &QWebSocket::textMessageReceived);
    const QString line(60'000, u'x');
    for (int i = 0; i < 200 && closed.isEmpty(); ++i) {
        talker->sendTextMessage(line);
        QTRY_VERIFY(heard.count() > i || !closed.isEmpty()); // the talker reads its own echo
    }
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(closed.at(0).at(0).toULongLong(), lazyId);
    const auto info = closed.at(0).at(1).value<CloseInfo>();
    QCOMPARE(info.code, quint16(1008));
    QCOMPARE(talker->state(), QAbstractSocket::ConnectedState);
}

void tst_EmbeddedServer::idleClientIsPingedThenClosed()
{
    ServerConfig config = testConfig();
    config.limits.idleTimeout = 200ms;
    config.limits.closeTimeout = 500ms;
    auto server = startServer(config);
    QVERIFY(server);
    QSignalSpy opened(server.get(), &EmbeddedServer::opened);
    QSignalSpy closed(server.get(), &EmbeddedServer::closed);
    // Qt's client answers pings by itself: it stays however long it is silent.
    auto answering = connectWebSocket(server->webSocketUrl());
    QVERIFY(answering);
    // A raw peer that completed the handshake and then went silent answers nothing.
    QTcpSocket silent;
    silent.connectToHost(QHostAddress::LocalHost, server->port());
    QTRY_COMPARE(silent.state(), QAbstractSocket::ConnectedState);
    silent.write(upgradeRequest("/ws", {}, "dGhlIHNhbXBsZSBub25jZQ=="));
    QTRY_COMPARE(opened.count(), 2);
    const quint64 silentId = opened.at(1).at(0).value<ClientInfo>().id;
    QTRY_COMPARE_WITH_TIMEOUT(closed.count(), 1, 5000);
    QCOMPARE(closed.at(0).at(0).toULongLong(), silentId);
    const auto info = closed.at(0).at(1).value<CloseInfo>();
    QCOMPARE(info.code, quint16(1001));
    QCOMPARE(info.initiator, Initiator::Server);
    QVERIFY2(info.reason.contains(u"ping"), qPrintable(info.reason));
    // Several idle periods later the answering client is still there.
    QCOMPARE(answering->state(), QAbstractSocket::ConnectedState);
    QCOMPARE(server->clients().size(), 1);
}

void tst_EmbeddedServer::kickWithUnsendableCode()
{
    auto server = startServer();
    QVERIFY(server);
    auto client = connectWebSocket(server->webSocketUrl());
    QVERIFY(client);
    QTRY_COMPARE(server->clients().size(), 1);
    const quint64 id = server->clients().first().id;
    QSignalSpy errors(server.get(), &EmbeddedServer::errorOccurred);
    for (const quint16 code : { 1005, 1006, 1015, 2000, 999, 5000 }) {
        QVERIFY(!server->kick(id, code));
        QVERIFY(!EmbeddedServer::closeCodeProblem(code).isEmpty());
    }
    QCOMPARE(errors.count(), 6);
    QVERIFY2(errors.at(0).at(1).toString().contains(u"1005"),
             qPrintable(errors.at(0).at(1).toString()));
    QCOMPARE(client->state(), QAbstractSocket::ConnectedState);
    // The same rule as the wire decoder's: IANA's 1012–1014 may be sent too.
    for (const quint16 code : { 1000, 1003, 1007, 1011, 1012, 1014, 3000, 4999 })
        QVERIFY(EmbeddedServer::closeCodeProblem(code).isEmpty());
}

void tst_EmbeddedServer::tlsServesWssAndRefusesPlainText()
{
    QString error;
    const TlsCredentials credentials = makeSelfSignedCredentials(
        { QStringLiteral("localhost") }, { QHostAddress(QHostAddress::LocalHost) }, &error);
    QVERIFY2(!credentials.isNull(), qPrintable(error));
    ServerConfig config = testConfig();
    config.tls = credentials;
    auto server = startServer(config);
    QVERIFY(server);
    QCOMPARE(server->webSocketUrl().scheme(), QStringLiteral("wss"));
    QCOMPARE(server->httpUrl().scheme(), QStringLiteral("https"));
    QVERIFY(
        server->ownOrigins().contains(QStringLiteral("https://127.0.0.1:%1").arg(server->port())));

    // A client that trusts the certificate talks WebSocket over TLS, push and echo alike.
    QWebSocket client;
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.addCaCertificate(credentials.certificate);
    client.setSslConfiguration(tls);
    QSignalSpy connected(&client, &QWebSocket::connected);
    QSignalSpy messages(&client, &QWebSocket::textMessageReceived);
    client.open(server->webSocketUrl());
    QTRY_COMPARE(connected.count(), 1);
    client.sendTextMessage(QStringLiteral("加密的 hello"));
    QTRY_VERIFY(std::any_of(messages.cbegin(), messages.cend(), [](const QList<QVariant> &args) {
        return args.at(0).toString() == u"加密的 hello";
    }));
    QVERIFY(!client.sslConfiguration().sessionCipher().isNull());

    // One that does not trust it gets a TLS error, and the server carries on.
    QWebSocket stranger;
    QSignalSpy sslErrors(&stranger, &QWebSocket::sslErrors);
    stranger.open(server->webSocketUrl());
    QTRY_VERIFY(!sslErrors.isEmpty());

    // Plain text on the TLS port: refused with a plain answer that says what to do.
    QSignalSpy refused(server.get(), &EmbeddedServer::tcpRefused);
    const QByteArray answer = rawExchange(server->port(), "GET /time HTTP/1.1\r\n\r\n");
    QCOMPARE(statusOf(answer), 400);
    QVERIFY2(answer.contains("wss://"), answer.constData());
    QTRY_COMPARE(refused.count(), 1);
    client.sendTextMessage(QStringLiteral("still here"));
    QTRY_VERIFY(std::any_of(messages.cbegin(), messages.cend(), [](const QList<QVariant> &args) {
        return args.at(0).toString() == u"still here";
    }));
}

// Autobahn|Testsuite 6.2.3/6.2.4: a valid text message whose fragments end inside a character.
// RFC 6455 §8.1 asks for the message to be checked as a whole, but QtWebSockets 6.4 decodes
// each frame on its own and closes with 1007 (invalid UTF-8). This records the upstream
// behaviour the README names as the three Autobahn failures; when Qt is fixed, this test fails
// and the README's list must shrink.
void tst_EmbeddedServer::qtRejectsValidUtf8SplitAcrossFragments()
{
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy closed(server.get(), &EmbeddedServer::closed);
    QSignalSpy received(server.get(), &EmbeddedServer::messageReceived);
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, server->port());
    QTRY_COMPARE(raw.state(), QAbstractSocket::ConnectedState);
    raw.write(upgradeRequest("/ws", {}, "dGhlIHNhbXBsZSBub25jZQ=="));
    QByteArray answer;
    QTRY_VERIFY((answer += raw.readAll()).contains("\r\n\r\n"));
    QCOMPARE(statusOf(answer), 101);
    const QByteArray text = QStringLiteral("κόσμε").toUtf8(); // 2-byte characters
    const QByteArray key("\x01\x02\x03\x04", 4);
    // The same message whole is fine...
    raw.write(buildFrame(0x1, text, true, 0, key));
    QTRY_COMPARE(received.count(), 1);
    // ...but split after its first byte, mid-character, Qt refuses it.
    raw.write(buildFrame(0x1, text.first(1), false, 0, key));
    raw.write(buildFrame(0x0, text.sliced(1), true, 0, key));
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(closed.at(0).at(1).value<CloseInfo>().code, quint16(1007));
    QCOMPARE(received.count(), 1);
}

QTEST_GUILESS_MAIN(tst_EmbeddedServer)
#include "tst_embeddedserver.moc"
