// The wire tap end to end: real clients through the tap to real servers on 127.0.0.1.

#include "testutil.h"
#include "wirelines.h"
#include "wiresession.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QWebSocket>

#include <sys/socket.h>

using namespace wslab;
using namespace wslab::test;

Q_DECLARE_METATYPE(Direction)

namespace {
using Kind = WireEvent::Kind;

// Collects a session's events and the raw bytes per direction.
struct Recorder
{
    explicit Recorder(WireSession &session)
    {
        QObject::connect(&session, &WireSession::event,
                         [this](const WireEvent &e) { events.append(e); });
        QObject::connect(session.tap(), &WireTap::chunk,
                         [this](quint64, Direction d, const QByteArray &bytes, qint64 t) {
                             (d == Direction::ClientToServer ? toServer : toClient) += bytes;
                             QVERIFY(t >= lastTime); // monotonic
                             lastTime = t;
                         });
    }
    QList<WireEvent> of(Kind kind) const
    {
        QList<WireEvent> found;
        std::copy_if(events.begin(), events.end(), std::back_inserter(found),
                     [kind](const WireEvent &e) { return e.kind == kind; });
        return found;
    }
    QList<WireEvent> events;
    QByteArray toServer, toClient;
    qint64 lastTime = 0;
};

QUrl localUrl(quint16 port, const QString &path)
{
    QUrl url(QStringLiteral("ws://127.0.0.1") + path);
    url.setPort(port);
    return url;
}
} // namespace

class tst_WireTap : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listensOnLoopbackOnly();
    void relaysBytesUnchanged();
    void decodesAConversationWithTheEmbeddedServer();
    void serverCloseAndTcpEnd();
    void decodesTornado();
    void wssShowsTlsRecordsNotFrames();
    void refusesOtherTargets_data();
    void refusesOtherTargets();
    void unreachableTarget();
    void serverEndIsReportedAsEofOrReset_data();
    void serverEndIsReportedAsEofOrReset();
    void steppingReleasesOneChunkPerStep();
};

void tst_WireTap::listensOnLoopbackOnly()
{
    WireSession session;
    QVERIFY(session.start(QStringLiteral("127.0.0.1"), 9));
    QCOMPARE(session.tap()->address(), QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(session.tap()->proxy().type(), QNetworkProxy::HttpProxy);
    QCOMPARE(session.tap()->proxy().hostName(), QStringLiteral("127.0.0.1"));
    QCOMPARE(session.tap()->proxy().port(), session.tap()->port());
}

void tst_WireTap::relaysBytesUnchanged()
{
    // A plain TCP echo server as the target, and a raw socket through the tap.
    QTcpServer target;
    QVERIFY(target.listen(QHostAddress::LocalHost, 0));
    QByteArray targetReceived;
    connect(&target, &QTcpServer::newConnection, this, [&] {
        QTcpSocket *peer = target.nextPendingConnection();
        connect(peer, &QIODevice::readyRead, peer, [&, peer] {
            const QByteArray bytes = peer->readAll();
            targetReceived += bytes;
            peer->write(bytes);
        });
    });
    WireSession session;
    QVERIFY(session.start(QStringLiteral("127.0.0.1"), target.serverPort()));
    Recorder recorder(session);

    QTcpSocket client;
    client.setProxy(session.tap()->proxy());
    QByteArray clientReceived;
    connect(&client, &QIODevice::readyRead, this, [&] { clientReceived += client.readAll(); });
    client.connectToHost(QStringLiteral("127.0.0.1"), target.serverPort());
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    QByteArray sent(2 * 1024 * 1024, Qt::Uninitialized);
    QRandomGenerator(7).fillRange(reinterpret_cast<quint32 *>(sent.data()), sent.size() / 4);
    client.write(sent);
    QTRY_COMPARE_WITH_TIMEOUT(clientReceived.size(), sent.size(), 20000);
    QCOMPARE(clientReceived, sent); // bytes out equal bytes in, both ways
    QCOMPARE(targetReceived, sent);
    QCOMPARE(recorder.toServer, sent); // and the recording is exact
    QCOMPARE(recorder.toClient, sent);
}

void tst_WireTap::decodesAConversationWithTheEmbeddedServer()
{
    auto server = startServer();
    QVERIFY(server);
    WireSession session;
    QVERIFY(session.start(QStringLiteral("127.0.0.1"), server->port()));
    Recorder recorder(session);

    QWebSocket client;
    client.setProxy(session.tap()->proxy());
    QSignalSpy echoes(&client, &QWebSocket::textMessageReceived);
    QVERIFY(openWebSocket(client, server->webSocketUrl()));
    client.sendTextMessage(QStringLiteral("Hello"));
    QTRY_COMPARE(echoes.count(), 1);
    client.close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("bye"));
    QTRY_VERIFY(!recorder.of(Kind::TcpClosed).isEmpty());

    // TCP, then HTTP, then WebSocket, in that order.
    QList<Kind> kinds;
    for (const WireEvent &e : std::as_const(recorder.events))
        if (kinds.isEmpty() || kinds.last() != e.kind)
            kinds.append(e.kind);
    QCOMPARE(kinds.mid(0, 5),
             (QList<Kind> { Kind::TunnelRequested, Kind::TcpConnected, Kind::HandshakeRequest,
                            Kind::HandshakeResponse, Kind::Frame }));

    const WireEvent request = recorder.of(Kind::HandshakeRequest).first();
    QCOMPARE(request.startLine, QByteArray("GET /ws HTTP/1.1"));
    QCOMPARE(request.phase, Phase::Http);
    // The Host header stays as the user typed the URL.
    const auto host
        = std::find_if(request.headers.begin(), request.headers.end(), [](const HeaderLine &h) {
              return h.name.compare("host", Qt::CaseInsensitive) == 0;
          });
    QVERIFY(host != request.headers.end());
    QCOMPARE(host->value, QStringLiteral("127.0.0.1:%1").arg(server->port()).toLatin1());

    const WireEvent response = recorder.of(Kind::HandshakeResponse).first();
    QCOMPARE(response.startLine, QByteArray("HTTP/1.1 101 Switching Protocols"));
    QVERIFY(response.accept.ok());

    const QList<WireEvent> frames = recorder.of(Kind::Frame);
    QVERIFY(frames.size() >= 3);
    QCOMPARE(frames[0].direction, Direction::ClientToServer);
    QVERIFY(frames[0].frame.masked);
    QCOMPARE(frames[0].frame.payload, QByteArray("Hello"));
    QCOMPARE(frames[0].phase, Phase::WebSocket);
    QCOMPARE(frames[1].direction, Direction::ServerToClient);
    QVERIFY(!frames[1].frame.masked);
    QCOMPARE(frames[1].frame.payload, QByteArray("Hello"));
    QCOMPARE(frames[2].frame.opcode, quint8(Frame::Close));
    QCOMPARE(frames[2].frame.closeCode, std::optional<quint16>(1000));
    QCOMPARE(frames[2].frame.closeReason, QStringLiteral("bye"));
    QVERIFY(recorder.of(Kind::ProtocolError).isEmpty());
    // Offsets: the first frame starts right after the request.
    QCOMPARE(frames[0].frame.header.offset, recorder.of(Kind::HandshakeRequest).first().byteCount);
}

void tst_WireTap::serverCloseAndTcpEnd()
{
    auto server = startServer();
    QVERIFY(server);
    QSignalSpy opened(server.get(), &EmbeddedServer::opened);
    WireSession session;
    QVERIFY(session.start(QStringLiteral("127.0.0.1"), server->port()));
    Recorder recorder(session);
    QWebSocket client;
    client.setProxy(session.tap()->proxy());
    QSignalSpy disconnected(&client, &QWebSocket::disconnected);
    QVERIFY(openWebSocket(client, server->webSocketUrl()));
    QTRY_COMPARE(opened.count(), 1);
    server->kick(opened.at(0).at(0).value<ClientInfo>().id, 4000, QStringLiteral("class is over"));
    QTRY_COMPARE(disconnected.count(), 1);
    QTRY_COMPARE(recorder.of(Kind::TcpClosed).size(), 2); // each side's end is reported
    const QList<WireEvent> frames = recorder.of(Kind::Frame);
    const auto close = std::find_if(frames.begin(), frames.end(), [](const WireEvent &e) {
        return e.direction == Direction::ServerToClient && e.frame.opcode == Frame::Close;
    });
    QVERIFY(close != frames.end());
    QCOMPARE(close->frame.closeCode, std::optional<quint16>(4000));
    QCOMPARE(close->frame.closeReason, QStringLiteral("class is over"));
    const auto closedSides = recorder.of(Kind::TcpClosed);
    QCOMPARE(closedSides.first().phase, Phase::Tcp);
}

void tst_WireTap::decodesTornado()
{
    ScopedProcess tornado(
        debianPython(),
        { QStringLiteral(WSLAB_INTEROP_DIR "/tornado_time_server.py"), QStringLiteral("0.1") });
    const quint16 port = waitForListeningPort(*tornado);
    QVERIFY2(port, "python3-tornado is required: run scripts/test");
    WireSession session;
    QVERIFY(session.start(QStringLiteral("127.0.0.1"), port));
    Recorder recorder(session);
    QWebSocket client;
    client.setProxy(session.tap()->proxy());
    QSignalSpy messages(&client, &QWebSocket::textMessageReceived);
    QVERIFY(openWebSocket(client, localUrl(port, QStringLiteral("/ws"))));
    client.sendTextMessage(QStringLiteral("你好 Tornado"));
    QTRY_VERIFY(messages.count() >= 3);

    const WireEvent response = recorder.of(Kind::HandshakeResponse).first();
    QVERIFY(response.accept.ok());
    QVERIFY(std::any_of(response.headers.begin(), response.headers.end(), [](const HeaderLine &h) {
        return h.name == "Server" && h.value.startsWith("TornadoServer");
    }));
    static const QRegularExpression beijing(
        QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+08:00$"));
    int pushes = 0;
    bool echoed = false;
    for (const WireEvent &e : recorder.of(Kind::Frame)) {
        if (e.direction != Direction::ServerToClient)
            continue;
        pushes += beijing.match(QString::fromUtf8(e.frame.payload)).hasMatch();
        echoed |= e.frame.payload == QStringLiteral("你好 Tornado").toUtf8();
    }
    QVERIFY(pushes >= 2);
    QVERIFY(echoed);
    QVERIFY(recorder.of(Kind::ProtocolError).isEmpty());
}

void tst_WireTap::wssShowsTlsRecordsNotFrames()
{
    // A target that accepts TCP and listens: enough to see the client's TLS ClientHello.
    QTcpServer target;
    QVERIFY(target.listen(QHostAddress::LocalHost, 0));
    WireSession session;
    QVERIFY(session.start(QStringLiteral("127.0.0.1"), target.serverPort()));
    Recorder recorder(session);
    QWebSocket client;
    client.setProxy(session.tap()->proxy());
    QUrl url(QStringLiteral("wss://127.0.0.1/ws"));
    url.setPort(target.serverPort());
    client.open(url);
    QTRY_VERIFY(!recorder.of(Kind::Tls).isEmpty());
    const WireEvent tls = recorder.of(Kind::Tls).first();
    QCOMPARE(tls.direction, Direction::ClientToServer);
    QCOMPARE(tls.text, QStringLiteral("TLS: frames not visible"));
    QVERIFY(tls.byteCount > 0);
    QCOMPARE(wireLines(tls).first().left(15), QStringLiteral("> tls records=1"));
    QVERIFY(recorder.of(Kind::HandshakeRequest).isEmpty());
    QVERIFY(recorder.of(Kind::Error).isEmpty());
    client.abort();
}

void tst_WireTap::refusesOtherTargets_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::newRow("another port") << QByteArray("CONNECT 127.0.0.1:1 HTTP/1.1\r\n\r\n");
    QTest::newRow("another host") << QByteArray("CONNECT example.org:80 HTTP/1.1\r\n\r\n");
    QTest::newRow("plain GET (not a proxy)")
        << QByteArray("GET http://127.0.0.1/ HTTP/1.1\r\n\r\n");
    QTest::newRow("TLS bytes") << QByteArray("\x16\x03\x01\x00\x05hello\r\n\r\n", 13);
}

void tst_WireTap::refusesOtherTargets()
{
    QFETCH(QByteArray, request);
    auto server = startServer();
    QVERIFY(server);
    WireSession session;
    QVERIFY(session.start(QStringLiteral("127.0.0.1"), server->port()));
    QSignalSpy refused(session.tap(), &WireTap::tunnelRefused);
    QSignalSpy connected(session.tap(), &WireTap::connectedToTarget);
    const QByteArray response = rawExchange(session.tap()->port(), request);
    QCOMPARE(statusOf(response), 403);
    QCOMPARE(refused.count(), 1);
    QCOMPARE(connected.count(), 0);
    // The allowed target still works.
    QWebSocket client;
    client.setProxy(session.tap()->proxy());
    QVERIFY(openWebSocket(client, server->webSocketUrl()));
    QCOMPARE(connected.count(), 1);
}

void tst_WireTap::unreachableTarget()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 closedPort = probe.serverPort();
    probe.close();
    WireSession session;
    QVERIFY(session.start(QStringLiteral("127.0.0.1"), closedPort));
    Recorder recorder(session);
    QWebSocket client;
    client.setProxy(session.tap()->proxy());
    QSignalSpy errors(&client, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error));
    client.open(localUrl(closedPort, QStringLiteral("/ws")));
    QTRY_VERIFY(!errors.isEmpty());
    QTRY_VERIFY(!recorder.of(Kind::Error).isEmpty());
    QVERIFY2(recorder.of(Kind::Error).first().text.contains(QStringLiteral("cannot reach")),
             qPrintable(recorder.of(Kind::Error).first().text));
}

void tst_WireTap::serverEndIsReportedAsEofOrReset_data()
{
    QTest::addColumn<bool>("reset");
    QTest::addColumn<QString>("how");
    QTest::newRow("FIN") << false << QStringLiteral("EOF");
    QTest::newRow("RST") << true << QStringLiteral("reset");
}

void tst_WireTap::serverEndIsReportedAsEofOrReset()
{
    QFETCH(bool, reset);
    QFETCH(QString, how);
    // A target that reads the first bytes, then hangs up: politely (FIN) or abruptly (RST).
    QTcpServer target;
    QVERIFY(target.listen(QHostAddress::LocalHost, 0));
    connect(&target, &QTcpServer::newConnection, this, [&] {
        QTcpSocket *peer = target.nextPendingConnection();
        connect(peer, &QIODevice::readyRead, peer, [peer, reset] {
            peer->readAll();
            if (reset) {
                const linger abrupt { 1, 0 };
                ::setsockopt(int(peer->socketDescriptor()), SOL_SOCKET, SO_LINGER, &abrupt,
                             sizeof abrupt);
                peer->abort();
            } else {
                peer->disconnectFromHost();
            }
        });
    });
    WireSession session;
    QVERIFY(session.start(QStringLiteral("127.0.0.1"), target.serverPort()));
    Recorder recorder(session);
    QTcpSocket client;
    client.setProxy(session.tap()->proxy());
    client.connectToHost(QStringLiteral("127.0.0.1"), target.serverPort());
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
    client.write("hello");
    QTRY_COMPARE(client.state(), QAbstractSocket::UnconnectedState); // the client sees the end too
    QTRY_COMPARE(recorder.of(Kind::TcpClosed).size(), 2);
    const WireEvent server = recorder.of(Kind::TcpClosed).first();
    QCOMPARE(server.direction, Direction::ServerToClient);
    QCOMPARE(server.text, how);
    QCOMPARE(wireLines(server), QStringList { u"* TCP closed by server: " + how });
}

void tst_WireTap::steppingReleasesOneChunkPerStep()
{
    ServerConfig config = testConfig();
    config.limits.handshakeTimeout = std::chrono::milliseconds(300);
    auto server = startServer(config);
    QVERIFY(server);
    server->setHandshakeTimeout(std::chrono::hours(1)); // what the window does while stepping
    QSignalSpy serverErrors(server.get(), &EmbeddedServer::errorOccurred);
    QSignalSpy handshakes(server.get(), &EmbeddedServer::handshakeReceived);
    WireSession session;
    QVERIFY(session.start(QStringLiteral("127.0.0.1"), server->port()));
    WireTap *tap = session.tap();
    tap->setStepping(true);
    QSignalSpy chunks(tap, &WireTap::chunk);
    QWebSocket client;
    client.setProxy(tap->proxy());
    QSignalSpy connected(&client, &QWebSocket::connected);
    QSignalSpy echoes(&client, &QWebSocket::textMessageReceived);
    client.open(server->webSocketUrl());

    // TCP connects; the request waits on the wire, longer than the server's usual deadline.
    QTRY_VERIFY(tap->heldCount() >= 1);
    QVERIFY(!serverErrors.wait(600));
    QCOMPARE(chunks.count(), 0);
    QCOMPARE(handshakes.count(), 0);
    const auto stepOnce = [&] {
        const int before = int(chunks.count());
        QVERIFY(tap->step());
        QCOMPARE(chunks.count(), before + 1); // exactly one chunk crossed
    };
    while (tap->heldCount() > 0) // the request (normally one chunk)
        stepOnce();
    QCOMPARE(chunks.last().at(1).value<Direction>(), Direction::ClientToServer);
    QTRY_COMPARE(handshakes.count(), 1);
    QTRY_VERIFY(tap->heldCount() >= 1); // the 101, held
    QCOMPARE(connected.count(), 0);
    while (tap->heldCount() > 0)
        stepOnce();
    QTRY_COMPARE(connected.count(), 1);

    client.sendTextMessage(QStringLiteral("Hello"));
    QTRY_COMPARE(tap->heldCount(), 1);
    stepOnce();
    QTRY_COMPARE(tap->heldCount(), 1); // the echo
    QCOMPARE(echoes.count(), 0);
    stepOnce();
    QTRY_COMPARE(echoes.count(), 1);
    QVERIFY(!tap->step()); // nothing left

    tap->setStepping(false); // Run: everything flows again
    client.sendTextMessage(QStringLiteral("again"));
    QTRY_COMPARE(echoes.count(), 2);
    QCOMPARE(serverErrors.count(), 0);
}

QTEST_GUILESS_MAIN(tst_WireTap)
#include "tst_wiretap.moc"
