#include "clientsession.h"
#include "serverhost.h"
#include "sessionreplay.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace wslab;
using namespace wslab::test;
using namespace Qt::StringLiterals;

namespace {
SessionRecord recordOf(const QList<RecordedMessage> &messages)
{
    SessionRecord r;
    r.messages = messages;
    return r;
}
} // namespace

class tst_SessionReplay : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void needsAnOpenConnection();
    void sendsTheClientsMessagesInOrder();
    void keepsTheSpacing();
    void stopsWhenTheConnectionCloses();

private:
    std::unique_ptr<ServerHost> m_host;
    std::unique_ptr<ClientSession> m_session;
};

void tst_SessionReplay::init()
{
    m_host = std::make_unique<ServerHost>();
    QVERIFY2(m_host->start(testConfig()), qPrintable(m_host->errorString()));
    m_session = std::make_unique<ClientSession>();
}

void tst_SessionReplay::cleanup()
{
    m_session.reset();
    m_host.reset();
}

void tst_SessionReplay::needsAnOpenConnection()
{
    SessionReplay replay(m_session.get());
    QString error;
    QVERIFY(
        !replay.start(recordOf({ { 0, Direction::ClientToServer, false, "x" } }), false, &error));
    QVERIFY2(error.contains(u"open connection"_s), qPrintable(error));
    QVERIFY(m_session->connectTo(m_host->webSocketUrl().toString()));
    QTRY_COMPARE(m_session->state(), ClientSession::State::Open);
    // Only what the server sent: nothing to replay.
    QVERIFY(
        !replay.start(recordOf({ { 0, Direction::ServerToClient, false, "x" } }), false, &error));
    QVERIFY2(error.contains(u"no client"_s), qPrintable(error));
}

void tst_SessionReplay::sendsTheClientsMessagesInOrder()
{
    QByteArray all;
    for (int i = 0; i < 256; ++i)
        all.append(char(i));
    const QByteArray text = u"第一 – first"_s.toUtf8();
    const SessionRecord record = recordOf({
        { 1, Direction::ClientToServer, false, text },
        { 2, Direction::ServerToClient, false, "not mine to send" },
        { 3, Direction::ClientToServer, true, all },
        { 4, Direction::ClientToServer, false, "third" },
    });
    QVERIFY(m_session->connectTo(m_host->webSocketUrl().toString()));
    QTRY_COMPARE(m_session->state(), ClientSession::State::Open);
    SessionReplay replay(m_session.get());
    QSignalSpy sent(m_session.get(), &ClientSession::messageSent);
    QSignalSpy echoed(m_session.get(), &ClientSession::messageReceived);
    QSignalSpy finished(&replay, &SessionReplay::finished);
    QVERIFY(replay.start(record, false));
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QCOMPARE(sent.count(), 3);
    QTRY_COMPARE(echoed.count(), 3); // the server's /ws echoes
    QCOMPARE(echoed.at(0).at(0).toByteArray(), text);
    QCOMPARE(echoed.at(1).at(0).toByteArray(), all);
    QCOMPARE(echoed.at(1).at(1).toBool(), true);
    QCOMPARE(echoed.at(2).at(0).toByteArray(), QByteArray("third"));
}

void tst_SessionReplay::keepsTheSpacing()
{
    const SessionRecord record = recordOf({
        { 1'000'000'000, Direction::ClientToServer, false, "a" },
        { 1'400'000'000, Direction::ClientToServer, false, "b" },
    });
    QVERIFY(m_session->connectTo(m_host->webSocketUrl().toString()));
    QTRY_COMPARE(m_session->state(), ClientSession::State::Open);
    SessionReplay replay(m_session.get());
    QSignalSpy progress(&replay, &SessionReplay::progress);
    QSignalSpy finished(&replay, &SessionReplay::finished);
    QElapsedTimer timer;
    timer.start();
    QVERIFY(replay.start(record, true));
    QTRY_COMPARE(progress.count(), 1);
    const qint64 first = timer.elapsed();
    QTRY_COMPARE(finished.count(), 1);
    QVERIFY2(timer.elapsed() - first >= 390, qPrintable(QString::number(timer.elapsed() - first)));
    // Without spacing, the same record goes at once.
    QSignalSpy again(&replay, &SessionReplay::finished);
    timer.restart();
    QVERIFY(replay.start(record, false));
    QTRY_COMPARE(again.count(), 1);
    QVERIFY2(timer.elapsed() < 390, qPrintable(QString::number(timer.elapsed())));
}

void tst_SessionReplay::stopsWhenTheConnectionCloses()
{
    const SessionRecord record = recordOf({
        { 0, Direction::ClientToServer, false, "a" },
        { 5'000'000'000, Direction::ClientToServer, false, "b" },
    });
    QVERIFY(m_session->connectTo(m_host->webSocketUrl().toString()));
    QTRY_COMPARE(m_session->state(), ClientSession::State::Open);
    SessionReplay replay(m_session.get());
    QSignalSpy progress(&replay, &SessionReplay::progress);
    QSignalSpy finished(&replay, &SessionReplay::finished);
    QVERIFY(replay.start(record, true));
    QTRY_COMPARE(progress.count(), 1);
    m_session->disconnectGracefully(1000, u"bye"_s);
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QVERIFY(!replay.isRunning());
}

QTEST_GUILESS_MAIN(tst_SessionReplay)
#include "tst_sessionreplay.moc"
