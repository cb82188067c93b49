#include "clientsession.h"
#include "testutil.h"

#include <QSignalSpy>
#include <QTest>

using namespace wslab;
using namespace wslab::test;
using State = ClientSession::State;

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
};

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
    QVERIFY(session.connectTo(server->webSocketUrl().toString()));
    QTRY_COMPARE(session.state(), State::Open);
    QCOMPARE(wire.count(), 0);
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
            && e.summary == u"< HTTP/1.1 101 Switching Protocols";
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
            && e.summary.startsWith(u"closed by server: code 4000 \"class is over\"");
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

QTEST_GUILESS_MAIN(tst_ClientSession)
#include "tst_clientsession.moc"
