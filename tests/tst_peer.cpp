// One server-side WebSocket (Peer) over a real loopback connection: what it counts, what it
// sends, how it closes and who it says closed.

#include "framebuilder.h"
#include "peer.h"
#include "testutil.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>

using namespace wslab;
using namespace std::chrono_literals;

class tst_Peer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void receivesAndSendsAndCounts();
    void prebuiltFrameArrivesAsText();
    void nothingIsSentOnceClosing();
    void closeByServerIsAttributedToServer();
    void closeByClientIsAttributedToClient();
    void abortIsNoCloseFrame();
    void protocolCodeFromTheClientIsTheClients();
    void oversizedMessageIsClosedByTheServer();
    void longReasonIsCutAtACharacter();
    void previewIsCutAtACharacter_data();
    void previewIsCutAtACharacter();
    void overBudgetIsClosedAsTooSlow();
    void idlePeerIsPingedThenClosed();

private:
    // Connects a client; `m_peer` wraps the server's end.
    bool connectPeer(const Peer::Limits &limits = {});

    std::unique_ptr<QTcpServer> m_tcpServer;
    QPointer<QTcpSocket> m_tcp; // the server's end of the connection, below the WebSocket
    std::unique_ptr<QWebSocketServer> m_server;
    std::unique_ptr<QWebSocket> m_client;
    std::unique_ptr<Peer> m_peer;
};

void tst_Peer::init()
{
    m_server = std::make_unique<QWebSocketServer>(u"tst_peer"_qs, QWebSocketServer::NonSecureMode);
    // As in EmbeddedServer: the TCP connection is accepted first, then upgraded, so the
    // connection below the WebSocket is known.
    m_tcpServer = std::make_unique<QTcpServer>();
    QVERIFY(m_tcpServer->listen(QHostAddress::LocalHost, 0));
    connect(m_tcpServer.get(), &QTcpServer::newConnection, this, [this] {
        m_tcp = m_tcpServer->nextPendingConnection();
        m_server->handleConnection(m_tcp);
    });
}

void tst_Peer::cleanup()
{
    m_peer.reset();
    m_client.reset();
    m_server.reset();
    m_tcpServer.reset();
}

bool tst_Peer::connectPeer(const Peer::Limits &limits)
{
    QSignalSpy pending(m_server.get(), &QWebSocketServer::newConnection);
    m_client
        = test::connectWebSocket(QUrl(u"ws://127.0.0.1:%1/ws"_qs.arg(m_tcpServer->serverPort())));
    if (!m_client || !(pending.count() > 0 || pending.wait(5000)))
        return false;
    QWebSocket *socket = m_server->nextPendingConnection();
    ClientInfo info;
    info.id = 42;
    info.peerAddress = socket->peerAddress();
    info.peerPort = socket->peerPort();
    m_peer = std::make_unique<Peer>(socket, m_tcp, info, limits, false);
    return m_tcp != nullptr;
}

void tst_Peer::receivesAndSendsAndCounts()
{
    QVERIFY(connectPeer());
    QList<std::pair<Peer *, Message>> received;
    m_peer->setMessageHandler([&](Peer &peer, const Message &message) {
        received.append({ &peer, message });
    });
    QSignalSpy clientGot(m_client.get(), &QWebSocket::textMessageReceived);
    QSignalSpy clientGotBinary(m_client.get(), &QWebSocket::binaryMessageReceived);

    m_client->sendTextMessage(u"你好"_qs);
    m_client->sendBinaryMessage(QByteArray("\x00\x01", 2));
    QTRY_COMPARE(received.count(), 2);
    QCOMPARE(received.at(0).first, m_peer.get());
    QCOMPARE(received.at(0).second.text, u"你好"_qs);
    QVERIFY(received.at(1).second.binary);
    QCOMPARE(m_peer->info().messagesIn, 2u);

    QVERIFY(m_peer->send(Message::fromText(u"echo"_qs), SendKind::Echo));
    QVERIFY(m_peer->send(Message::fromText(u"tick"_qs), SendKind::Push));
    QVERIFY(m_peer->send(Message::fromBinary("bin"), SendKind::Echo));
    QTRY_COMPARE(clientGot.count(), 2);
    QCOMPARE(clientGot.at(0).at(0).toString(), u"echo"_qs);
    QTRY_COMPARE(clientGotBinary.count(), 1);
    QCOMPARE(m_peer->info().messagesOut, 3u);
    QCOMPARE(m_peer->info().sentByKind[size_t(SendKind::Echo)], 2u);
    QCOMPARE(m_peer->info().sentByKind[size_t(SendKind::Push)], 1u);
}

void tst_Peer::prebuiltFrameArrivesAsText()
{
    QVERIFY(connectPeer());
    QSignalSpy clientGot(m_client.get(), &QWebSocket::textMessageReceived);
    const QByteArray big(70'000, 'x'); // a 64-bit length
    QVERIFY(m_peer->sendFrame(test::buildFrame(0x1, "one"), SendKind::Broadcast));
    QVERIFY(m_peer->sendFrame(test::buildFrame(0x1, big), SendKind::Broadcast));
    QTRY_COMPARE(clientGot.count(), 2);
    QCOMPARE(clientGot.at(0).at(0).toString(), u"one"_qs);
    QCOMPARE(clientGot.at(1).at(0).toString().size(), big.size());
    QCOMPARE(m_peer->info().sentByKind[size_t(SendKind::Broadcast)], 2u);
}

void tst_Peer::nothingIsSentOnceClosing()
{
    QVERIFY(connectPeer());
    m_peer->close(1000, u"bye"_qs);
    QVERIFY(m_peer->isClosing());
    QVERIFY(!m_peer->send(Message::fromText(u"late"_qs), SendKind::Direct));
    QVERIFY(!m_peer->sendFrame(test::buildFrame(0x1, "late"), SendKind::Broadcast));
    QVERIFY(!m_peer->ping("late"));
    QCOMPARE(m_peer->info().messagesOut, 0u);
}

void tst_Peer::closeByServerIsAttributedToServer()
{
    QVERIFY(connectPeer());
    QSignalSpy ended(m_peer.get(), &Peer::disconnected);
    QSignalSpy clientEnded(m_client.get(), &QWebSocket::disconnected);
    m_peer->close(4000, u"kicked"_qs);
    QTRY_COMPARE(ended.count(), 1);
    const auto info = ended.at(0).at(1).value<CloseInfo>();
    QCOMPARE(info.code, 4000);
    QCOMPARE(info.reason, u"kicked"_qs);
    QCOMPARE(info.initiator, Initiator::Server);
    QVERIFY(info.clean);
    QTRY_COMPARE(clientEnded.count(), 1);
    QCOMPARE(int(m_client->closeCode()), 4000);
}

void tst_Peer::closeByClientIsAttributedToClient()
{
    QVERIFY(connectPeer());
    QSignalSpy ended(m_peer.get(), &Peer::disconnected);
    m_client->close(QWebSocketProtocol::CloseCodeGoingAway, u"tab closed"_qs);
    QTRY_COMPARE(ended.count(), 1);
    const auto info = ended.at(0).at(1).value<CloseInfo>();
    QCOMPARE(info.code, 1001);
    QCOMPARE(info.reason, u"tab closed"_qs);
    QCOMPARE(info.initiator, Initiator::Client);
    QVERIFY(info.clean);
}

void tst_Peer::abortIsNoCloseFrame()
{
    QVERIFY(connectPeer());
    QSignalSpy ended(m_peer.get(), &Peer::disconnected);
    m_client->abort();
    QTRY_COMPARE(ended.count(), 1);
    const auto info = ended.at(0).at(1).value<CloseInfo>();
    QCOMPARE(info.code, 1006);
    QCOMPARE(info.initiator, Initiator::Nobody);
    QVERIFY(!info.clean);
}

void tst_Peer::protocolCodeFromTheClientIsTheClients()
{
    // A client may itself close with 1002: a code alone does not say that Qt closed.
    QVERIFY(connectPeer());
    QSignalSpy ended(m_peer.get(), &Peer::disconnected);
    m_client->close(QWebSocketProtocol::CloseCodeProtocolError, u"my own"_qs);
    QTRY_COMPARE(ended.count(), 1);
    const auto info = ended.at(0).at(1).value<CloseInfo>();
    QCOMPARE(info.code, 1002);
    QCOMPARE(info.initiator, Initiator::Client);
    QVERIFY(info.clean);
}

void tst_Peer::oversizedMessageIsClosedByTheServer()
{
    Peer::Limits limits;
    limits.maxMessageSize = 1000;
    QVERIFY(connectPeer(limits));
    QSignalSpy ended(m_peer.get(), &Peer::disconnected);
    QSignalSpy clientEnded(m_client.get(), &QWebSocket::disconnected);
    m_client->sendTextMessage(QString(5000, u'x'));
    QTRY_COMPARE(ended.count(), 1);
    const auto info = ended.at(0).at(1).value<CloseInfo>();
    QCOMPARE(info.code, 1009); // Qt's own close, on the server's side
    QCOMPARE(info.initiator, Initiator::Server);
    QTRY_COMPARE(clientEnded.count(), 1);
    QCOMPARE(int(m_client->closeCode()), 1009);
}

void tst_Peer::longReasonIsCutAtACharacter()
{
    QVERIFY(connectPeer());
    QSignalSpy clientEnded(m_client.get(), &QWebSocket::disconnected);
    const QString reason = QString(200, u'界'); // 3 bytes each: 600 bytes
    m_peer->close(1000, reason);
    QTRY_COMPARE(clientEnded.count(), 1);
    // A Close frame holds 123 bytes of reason: 41 whole characters, none cut in half.
    QCOMPARE(m_client->closeReason(), QString(41, u'界'));
}

void tst_Peer::previewIsCutAtACharacter_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("preview");
    const QString emoji = u"😀"_qs; // two UTF-16 code units
    QTest::newRow("emoji across the cut")
        << QString(79, u'a') + emoji + u"more"_qs << QString(79, u'a');
    QTest::newRow("emoji just before the cut")
        << QString(78, u'a') + emoji + u"more"_qs << QString(78, u'a') + emoji;
    QTest::newRow("emoji just after the cut") << QString(80, u'a') + emoji << QString(80, u'a');
    QTest::newRow("emoji only") << QString(50, u'x').replace(u'x', emoji)
                                << QString(40, u'x').replace(u'x', emoji);
}

// The preview of the last message (the class list shows it) never ends in half an emoji.
void tst_Peer::previewIsCutAtACharacter()
{
    QFETCH(QString, text);
    QFETCH(QString, preview);
    QVERIFY(connectPeer());
    int received = 0;
    m_peer->setMessageHandler([&](Peer &, const Message &) { ++received; });
    m_client->sendTextMessage(text);
    QTRY_COMPARE(received, 1);
    const QString shown = m_peer->info().lastMessage;
    QCOMPARE(shown, preview);
    QVERIFY(shown.isValidUtf16());
    QCOMPARE(m_peer->info().lastMessageLength, text.size());
}

void tst_Peer::overBudgetIsClosedAsTooSlow()
{
    Peer::Limits limits;
    limits.sendBudget = 64 * 1024;
    QVERIFY(connectPeer(limits));
    QSignalSpy ended(m_peer.get(), &Peer::disconnected);
    // Nothing leaves before the event loop runs: after the first message, all of it waits.
    const QString big(1024 * 1024, u'x');
    QVERIFY(m_peer->send(Message::fromText(big), SendKind::Echo));
    QVERIFY(!m_peer->send(Message::fromText(big), SendKind::Echo));
    QVERIFY(m_peer->isClosing());
    QCOMPARE(m_peer->info().messagesOut, 1u);
    QTRY_COMPARE(ended.count(), 1);
    const auto info = ended.at(0).at(1).value<CloseInfo>();
    QCOMPARE(info.code, 1008);
    QCOMPARE(info.initiator, Initiator::Server);
    QVERIFY2(info.reason.contains(u"65536"), qPrintable(info.reason));
}

void tst_Peer::idlePeerIsPingedThenClosed()
{
    QVERIFY(connectPeer());
    QSignalSpy pongs(m_peer.get(), &Peer::pong);
    QSignalSpy ended(m_peer.get(), &Peer::disconnected);
    const qint64 now = monotonicNowNs() / 1'000'000;
    m_peer->checkIdle(now, 60'000); // heard just now: nothing happens
    m_peer->checkIdle(now + 60'000, 60'000); // silent for the limit: pinged
    QTRY_COMPARE(pongs.count(), 1);
    QCOMPARE(pongs.at(0).at(2).toByteArray(), QByteArray("idle?"));
    QVERIFY(!m_peer->isClosing()); // the pong counts as heard

    m_peer->checkIdle(now + 200'000, 60'000); // silent again: pinged, not closed (the pong
    QVERIFY(!m_peer->isClosing()); // that came cleared the first ping)
    m_peer->checkIdle(now + 260'000, 60'000); // the pong is not back yet: closed
    QVERIFY(m_peer->isClosing());
    QTRY_COMPARE(ended.count(), 1);
    const auto info = ended.at(0).at(1).value<CloseInfo>();
    QCOMPARE(info.code, 1001);
    QCOMPARE(info.initiator, Initiator::Server);
}

QTEST_GUILESS_MAIN(tst_Peer)
#include "tst_peer.moc"
