// The lesson's steps, without the window: each drives the real client session and the
// embedded server, and asks for the pane that shows it.

#include "clientsession.h"
#include "lessoncontroller.h"
#include "serverhost.h"
#include "testutil.h"

#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

using namespace wslab;
using namespace wslab::test;
using Step = LessonController::Step;
using Pane = LessonController::Pane;

class tst_LessonController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void sendConnectsFirstThenSends();
    void pushTurnsThePushOn();
    void kickClosesThisClientOnly();
    void abortDropsTcp();
    void stepsWithoutTheClient();
    void everyStepShowsItsPane_data();
    void everyStepShowsItsPane();

private:
    std::unique_ptr<ServerHost> m_server;
    std::unique_ptr<ClientSession> m_session;
    std::unique_ptr<LessonController> m_lesson;
    std::unique_ptr<QSignalSpy> m_connectWanted;
};

void tst_LessonController::init()
{
    m_server = std::make_unique<ServerHost>();
    QVERIFY2(m_server->start(testConfig(0)), qPrintable(m_server->errorString()));
    m_session = std::make_unique<ClientSession>();
    m_lesson = std::make_unique<LessonController>(m_session.get(), m_server.get());
    m_connectWanted
        = std::make_unique<QSignalSpy>(m_lesson.get(), &LessonController::connectWanted);
    // The window connects to the address in its bar; here, the server's /ws.
    connect(m_lesson.get(), &LessonController::connectWanted, m_session.get(),
            [this] { m_session->connectTo(m_server->webSocketUrl().toString()); });
}

void tst_LessonController::cleanup()
{
    m_connectWanted.reset();
    m_lesson.reset();
    m_session.reset();
    m_server.reset();
}

void tst_LessonController::sendConnectsFirstThenSends()
{
    QSignalSpy received(m_session.get(), &ClientSession::messageReceived);
    m_lesson->run(Step::Send);
    QCOMPARE(m_connectWanted->count(), 1); // it was not connected
    QTRY_COMPARE(received.count(), 1); // "Hello", echoed
    QCOMPARE(received.at(0).at(0).toByteArray(), QByteArray("Hello"));
    // Open now: the next Send only sends.
    m_lesson->run(Step::Send);
    QTRY_COMPARE(received.count(), 2);
    QCOMPARE(m_connectWanted->count(), 1);
}

void tst_LessonController::pushTurnsThePushOn()
{
    QCOMPARE(m_server->pushInterval(), 0.0);
    QSignalSpy received(m_session.get(), &ClientSession::messageReceived);
    m_lesson->run(Step::Push);
    QTRY_COMPARE(m_server->pushInterval(), 1.0);
    QTRY_VERIFY_WITH_TIMEOUT(received.count() >= 1, 5000); // Beijing time, unasked
}

void tst_LessonController::kickClosesThisClientOnly()
{
    m_lesson->run(Step::Handshake);
    QTRY_COMPARE(m_session->state(), ClientSession::State::Open);
    QWebSocket bystander; // connected after us, so a "kick the newest" would hit it
    QVERIFY(openWebSocket(bystander, m_server->webSocketUrl()));
    QTRY_COMPARE(m_server->clients().size(), 2);
    m_lesson->run(Step::Kick);
    QTRY_COMPARE(m_session->state(), ClientSession::State::Closed);
    QCOMPARE(m_session->closeInfo().initiator, Initiator::Server);
    QCOMPARE(m_session->closeInfo().code, quint16(4000));
    QCOMPARE(bystander.state(), QAbstractSocket::ConnectedState);
}

void tst_LessonController::abortDropsTcp()
{
    m_lesson->run(Step::Abort);
    QTRY_COMPARE(m_session->state(), ClientSession::State::Closed);
    QCOMPARE(m_connectWanted->count(), 1);
    QCOMPARE(m_session->closeInfo().code, quint16(1006));
    QVERIFY(!m_session->closeInfo().clean);
}

void tst_LessonController::stepsWithoutTheClient()
{
    QSignalSpy page(m_lesson.get(), &LessonController::pageWanted);
    QSignalSpy copy(m_lesson.get(), &LessonController::copyWanted);
    QSignalSpy pollPush(m_lesson.get(), &LessonController::pollPushWanted);
    m_lesson->run(Step::Browser);
    QCOMPARE(page.count(), 1);
    QCOMPARE(page.at(0).at(0).toUrl(), m_server->httpUrl());
    m_lesson->run(Step::Exercises);
    QCOMPARE(copy.count(), 1);
    QCOMPARE(copy.at(0).at(0).toString(), LessonController::exerciseCommands());
    QVERIFY(copy.at(0).at(0).toString().contains(u"wslab-server"));
    QVERIFY(!copy.at(0).at(1).toString().isEmpty()); // the user is told
    m_lesson->run(Step::ScaleOut);
    QCOMPARE(copy.count(), 2);
    QCOMPARE(copy.at(1).at(0).toString(), LessonController::clusterCommand());
    QVERIFY(copy.at(1).at(0).toString().startsWith(u"scripts/cluster"));
    QVERIFY(!copy.at(1).at(1).toString().isEmpty());
    m_lesson->run(Step::Polling);
    QCOMPARE(pollPush.count(), 1);
    QCOMPARE(m_connectWanted->count(), 0); // none of these needs the client
}

void tst_LessonController::everyStepShowsItsPane_data()
{
    QTest::addColumn<Step>("step");
    QTest::addColumn<Pane>("pane");
    QTest::newRow("polling") << Step::Polling << Pane::PollPush;
    QTest::newRow("handshake") << Step::Handshake << Pane::Handshake;
    QTest::newRow("send") << Step::Send << Pane::Frames;
    QTest::newRow("kick") << Step::Kick << Pane::Server;
    QTest::newRow("abort") << Step::Abort << Pane::Events;
    QTest::newRow("push") << Step::Push << Pane::None;
}

void tst_LessonController::everyStepShowsItsPane()
{
    QFETCH(Step, step);
    QFETCH(Pane, pane);
    QSignalSpy shown(m_lesson.get(), &LessonController::showPane);
    m_lesson->run(step);
    QCOMPARE(shown.count(), pane == Pane::None ? 0 : 1);
    if (pane != Pane::None)
        QCOMPARE(shown.at(0).at(0).value<Pane>(), pane);
}

QTEST_GUILESS_MAIN(tst_LessonController)
#include "tst_lessoncontroller.moc"
