#include "cowebsocket.h"
#include "testutil.h"

#include <QNetworkRequest>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QWebSocketServer>

#include <QCoro/QCoroTask>

using namespace wslab;
using namespace wslab::test;
using namespace std::chrono_literals;

class tst_CoWebSocket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsEveryMessageInOrder();
    void binaryAndTextKeepTheirKind();
    void serverCloseEndsTheStream();
    void tcpDropIs1006();
    void ownCloseIsAttributedToClient();
    void refusedConnection();
    void handshakeRejected();
    void handshakeTimeout();
    void customHeadersReachTheServer();
    void subprotocolNegotiated_data();
    void subprotocolNegotiated();
    void failuresSayWhy_data();
    void failuresSayWhy();
    void tooBigMessageIsClosedByClientWith1009();
    void serverSent1009IsClosedByServer();
};

namespace {
QCoro::Task<QList<QByteArray>> readN(CoWebSocket &ws, int n)
{
    QList<QByteArray> messages;
    while (messages.size() < n) {
        const auto message = co_await ws.readMessage();
        if (!message)
            break;
        messages.append(message->payload);
    }
    co_return messages;
}

QCoro::Task<QList<QByteArray>> readAll(CoWebSocket &ws)
{
    QList<QByteArray> messages;
    while (const auto message = co_await ws.readMessage())
        messages.append(message->payload);
    co_return messages;
}
} // namespace

void tst_CoWebSocket::readsEveryMessageInOrder()
{
    auto server = startServer();
    QVERIFY(server);
    CoWebSocket ws;
    QVERIFY(QCoro::waitFor(ws.open(QNetworkRequest(server->webSocketUrl()))));
    // 200 echoes arrive in bursts, several per TCP read; none may fall between two awaits.
    for (int i = 0; i < 200; ++i)
        ws.sendText(QString::number(i));
    const QList<QByteArray> messages = QCoro::waitFor(readN(ws, 200));
    QCOMPARE(messages.size(), 200);
    for (int i = 0; i < 200; ++i)
        QCOMPARE(messages.at(i), QByteArray::number(i));
}

void tst_CoWebSocket::binaryAndTextKeepTheirKind()
{
    auto server = startServer();
    QVERIFY(server);
    CoWebSocket ws;
    QVERIFY(QCoro::waitFor(ws.open(QNetworkRequest(server->webSocketUrl()))));
    ws.sendBinary(QByteArray("\x00\x01", 2));
    ws.sendText(QStringLiteral("文字"));
    const auto first = QCoro::waitFor(ws.readMessage());
    const auto second = QCoro::waitFor(ws.readMessage());
    QVERIFY(first && second);
    QVERIFY(first->binary);
    QCOMPARE(first->payload, QByteArray("\x00\x01", 2));
    QVERIFY(!second->binary);
    QCOMPARE(QString::fromUtf8(second->payload), QStringLiteral("文字"));
}

void tst_CoWebSocket::serverCloseEndsTheStream()
{
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy opened(server.get(), &EmbeddedServer::opened);
    CoWebSocket ws;
    QVERIFY(QCoro::waitFor(ws.open(QNetworkRequest(server->webSocketUrl()))));
    QTRY_COMPARE(opened.count(), 1);
    ws.sendText(QStringLiteral("last words"));
    QSignalSpy received(server.get(), &EmbeddedServer::messageReceived);
    QTRY_COMPARE(received.count(), 1);
    server->kick(opened.at(0).at(0).value<ClientInfo>().id, 4001, QStringLiteral("kicked"));
    // Like Tornado's read_message() returning None: the stream ends after what was sent.
    const QList<QByteArray> messages = QCoro::waitFor(readAll(ws));
    QCOMPARE(messages, QList<QByteArray> { "last words" });
    QVERIFY(ws.isClosed());
    const CloseInfo info = ws.closeInfo();
    QCOMPARE(info.code, quint16(4001));
    QCOMPARE(info.reason, QStringLiteral("kicked"));
    QCOMPARE(info.initiator, Initiator::Server);
    QVERIFY(info.clean);
}

void tst_CoWebSocket::tcpDropIs1006()
{
    // A "server" that completes the handshake by hand, then drops TCP without a Close frame.
    QTcpServer raw;
    QVERIFY(raw.listen(QHostAddress::LocalHost, 0));
    QTcpSocket *peer = nullptr;
    connect(&raw, &QTcpServer::newConnection, this, [&] {
        peer = raw.nextPendingConnection();
        connect(peer, &QIODevice::readyRead, peer, [peer] {
            const QByteArray request = peer->readAll();
            const QByteArray key = request.mid(request.indexOf("Sec-WebSocket-Key: ") + 19, 24);
            const QByteArray accept
                = QCryptographicHash::hash(QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                                           QCryptographicHash::Sha1)
                      .toBase64();
            peer->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                        "Connection: Upgrade\r\nSec-WebSocket-Accept: "
                        + accept + "\r\n\r\n");
            peer->write(QByteArray("\x81\x02hi", 4));
            peer->flush();
            peer->abort();
        });
    });
    CoWebSocket ws;
    QUrl url(QStringLiteral("ws://127.0.0.1/"));
    url.setPort(raw.serverPort());
    QVERIFY(QCoro::waitFor(ws.open(QNetworkRequest(url))));
    const QList<QByteArray> messages = QCoro::waitFor(readAll(ws));
    QCOMPARE(messages, QList<QByteArray> { "hi" });
    const CloseInfo info = ws.closeInfo();
    QCOMPARE(info.code, quint16(1006)); // Qt 6.4 itself would say 1000
    QCOMPARE(info.initiator, Initiator::Nobody);
    QVERIFY(!info.clean);
}

void tst_CoWebSocket::ownCloseIsAttributedToClient()
{
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy closed(server.get(), &EmbeddedServer::closed);
    CoWebSocket ws;
    QVERIFY(QCoro::waitFor(ws.open(QNetworkRequest(server->webSocketUrl()))));
    ws.close(1000, QStringLiteral("done"));
    QCoro::waitFor(ws.waitClosed());
    QCOMPARE(ws.closeInfo().initiator, Initiator::Client);
    QCOMPARE(ws.closeInfo().code, quint16(1000));
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(closed.at(0).at(1).value<CloseInfo>().reason, QStringLiteral("done"));
}

void tst_CoWebSocket::refusedConnection()
{
    QTcpServer probe; // find a port nobody listens on
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    QUrl url(QStringLiteral("ws://127.0.0.1/ws"));
    url.setPort(probe.serverPort());
    probe.close();
    CoWebSocket ws;
    QVERIFY(!QCoro::waitFor(ws.open(QNetworkRequest(url))));
    QVERIFY2(ws.errorString().contains(QStringLiteral("refused"), Qt::CaseInsensitive),
             qPrintable(ws.errorString()));
}

void tst_CoWebSocket::handshakeRejected()
{
    auto server = startServer();
    QVERIFY(server);
    QUrl url = server->webSocketUrl();
    url.setPath(QStringLiteral("/nope"));
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("WebSocket received but no slots")));
    CoWebSocket ws;
    QVERIFY(!QCoro::waitFor(ws.open(QNetworkRequest(url))));
    QVERIFY2(ws.errorString().startsWith(QStringLiteral("handshake failed:")),
             qPrintable(ws.errorString()));
    QVERIFY2(ws.errorString().contains(QStringLiteral("404")), qPrintable(ws.errorString()));
}

void tst_CoWebSocket::handshakeTimeout()
{
    QTcpServer silent; // accepts TCP, never answers the handshake
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    QUrl url(QStringLiteral("ws://127.0.0.1/ws"));
    url.setPort(silent.serverPort());
    CoWebSocket ws;
    QElapsedTimer timer;
    timer.start();
    QVERIFY(!QCoro::waitFor(ws.open(QNetworkRequest(url), 300ms)));
    QVERIFY(timer.elapsed() >= 250);
    QVERIFY2(ws.errorString().contains(QStringLiteral("timed out")), qPrintable(ws.errorString()));
}

void tst_CoWebSocket::customHeadersReachTheServer()
{
    ServerConfig config = testConfig();
    config.allowedOrigins = { QStringLiteral("http://lesson.example") }; // else refused (403)
    auto server = startServer(config);
    QVERIFY(server);
    QSignalSpy handshakes(server.get(), &EmbeddedServer::handshakeReceived);
    QNetworkRequest request(server->webSocketUrl());
    request.setRawHeader("Origin", "http://lesson.example");
    CoWebSocket ws;
    QVERIFY(QCoro::waitFor(ws.open(request)));
    QTRY_COMPARE(handshakes.count(), 1);
    const auto headers = handshakes.at(0).at(2).value<HeaderList>();
    QVERIFY(
        headers.contains(qMakePair(QByteArray("origin"), QByteArray("http://lesson.example")))
        || headers.contains(qMakePair(QByteArray("Origin"), QByteArray("http://lesson.example"))));
}

void tst_CoWebSocket::failuresSayWhy_data()
{
    QTest::addColumn<QString>("url"); // %1: a port that answers with `answer`
    QTest::addColumn<QByteArray>("answer"); // empty: nobody listens on %1
    QTest::addColumn<QString>("message");
    QTest::newRow("DNS failure") << QStringLiteral("ws://nowhere.invalid/ws") << QByteArray()
                                 << QStringLiteral("cannot find the host nowhere.invalid: the "
                                                   "name does not resolve (DNS)");
    QTest::newRow("refused") << QStringLiteral("ws://127.0.0.1:%1/ws") << QByteArray()
                             << QStringLiteral("127.0.0.1 refused the connection: nothing is "
                                               "listening on port %1");
    QTest::newRow("200 OK") << QStringLiteral("ws://127.0.0.1:%1/ws")
                            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                            << QStringLiteral("handshake failed: the server answered \"200 OK\" "
                                              "instead of \"101 Switching Protocols\"");
    QTest::newRow("garbage") << QStringLiteral("ws://127.0.0.1:%1/ws")
                             << QByteArray("\x01\x02\x03\r\n\r\n")
                             << QStringLiteral("handshake failed: the server's answer is not HTTP");
}

void tst_CoWebSocket::failuresSayWhy()
{
    QFETCH(QString, url);
    QFETCH(QByteArray, answer);
    QFETCH(QString, message);
    QTcpServer peer;
    QVERIFY(peer.listen(QHostAddress::LocalHost, 0));
    const quint16 port = peer.serverPort();
    QPointer<QTcpSocket> accepted;
    if (answer.isEmpty()) {
        peer.close();
    } else {
        connect(&peer, &QTcpServer::newConnection, this, [&] {
            accepted = peer.nextPendingConnection();
            connect(accepted, &QIODevice::readyRead, accepted, [&] {
                if (accepted->readAll().contains("\r\n\r\n"))
                    accepted->write(answer);
            });
        });
    }
    CoWebSocket ws;
    const QString target = url.contains(u"%1") ? url.arg(port) : url;
    QVERIFY(!QCoro::waitFor(ws.open(QNetworkRequest(QUrl(target)), 20s)));
    QCOMPARE(ws.errorString(), message.contains(u"%1") ? message.arg(port) : message);
    if (!answer.isEmpty()) // Qt 6.4 would stay connected to a server it rejected
        QTRY_VERIFY(accepted && accepted->state() == QAbstractSocket::UnconnectedState);
}

void tst_CoWebSocket::tooBigMessageIsClosedByClientWith1009()
{
    QWebSocketServer server(QStringLiteral("big"), QWebSocketServer::NonSecureMode);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QList<quint16> serverSawCodes;
    connect(&server, &QWebSocketServer::newConnection, this, [&] {
        QWebSocket *socket = server.nextPendingConnection();
        socket->setParent(&server); // QWebSocketServer does not own what it hands out
        connect(socket, &QWebSocket::disconnected, this,
                [&, socket] { serverSawCodes.append(quint16(socket->closeCode())); });
        socket->sendTextMessage(QStringLiteral("small"));
        socket->sendTextMessage(QString(2048, u'x'));
    });
    CoWebSocket ws;
    ws.setMaxIncomingMessageSize(1024);
    QUrl url(QStringLiteral("ws://127.0.0.1/"));
    url.setPort(server.serverPort());
    QVERIFY(QCoro::waitFor(ws.open(QNetworkRequest(url))));
    const QList<QByteArray> messages = QCoro::waitFor(readAll(ws));
    QCOMPARE(messages, QList<QByteArray> { "small" });
    const CloseInfo info = ws.closeInfo();
    QCOMPARE(info.code, quint16(1009));
    QCOMPARE(info.initiator, Initiator::Client); // Qt closed it on our side
    QTRY_COMPARE(serverSawCodes, QList<quint16> { 1009 });
}

void tst_CoWebSocket::serverSent1009IsClosedByServer()
{
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy opened(server.get(), &EmbeddedServer::opened);
    CoWebSocket ws;
    QVERIFY(QCoro::waitFor(ws.open(QNetworkRequest(server->webSocketUrl()))));
    QTRY_COMPARE(opened.count(), 1);
    server->kick(opened.at(0).at(0).value<ClientInfo>().id, 1009, QStringLiteral("too much"));
    QCoro::waitFor(ws.waitClosed());
    QCOMPARE(ws.closeInfo().code, quint16(1009));
    QCOMPARE(ws.closeInfo().initiator, Initiator::Server);
    QCOMPARE(ws.closeInfo().reason, QStringLiteral("too much"));
}

void tst_CoWebSocket::subprotocolNegotiated_data()
{
    QTest::addColumn<QStringList>("offered");
    QTest::addColumn<QString>("chosen");
    QTest::newRow("one of several")
        << QStringList { QStringLiteral("superchat"), QStringLiteral("chat") }
        << QStringLiteral("chat");
    QTest::newRow("none in common") << QStringList { QStringLiteral("mqtt") } << QString();
    QTest::newRow("none offered") << QStringList {} << QString();
}

void tst_CoWebSocket::subprotocolNegotiated()
{
    QFETCH(QStringList, offered);
    QFETCH(QString, chosen);
    QWebSocketServer server(QStringLiteral("test"), QWebSocketServer::NonSecureMode);
    server.setSupportedSubprotocols({ QStringLiteral("chat"), QStringLiteral("other") });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QStringList seenByServer;
    connect(&server, &QWebSocketServer::newConnection, &server, [&] {
        QWebSocket *peer = server.nextPendingConnection();
        seenByServer = { peer->subprotocol() };
        peer->setParent(&server);
    });
    CoWebSocket ws;
    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols(offered);
    QVERIFY(QCoro::waitFor(ws.open(
        QNetworkRequest(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server.serverPort()))),
        handshake, std::chrono::seconds(5))));
    QCOMPARE(ws.subprotocol(), chosen);
    QTRY_COMPARE(seenByServer, QStringList { chosen });
}

QTEST_GUILESS_MAIN(tst_CoWebSocket)
#include "tst_cowebsocket.moc"
