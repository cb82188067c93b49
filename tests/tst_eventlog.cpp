#include "eventlog.h"
#include "testutil.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace wslab;
using wslab::test::shownAsToolTip;

namespace {
Event makeEvent(int n, Phase phase = Phase::WebSocket, Event::Side side = Event::Side::Client)
{
    Event e;
    e.timeNs = qint64(n) * 1'000'000;
    e.side = side;
    e.phase = phase;
    e.kind = Event::Kind::MessageReceived;
    e.connection = 1;
    e.summary = Text::verbatim(QStringLiteral("event %1").arg(n));
    return e;
}
} // namespace

class tst_EventLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void columnsAndRoles();
    void appendsAreBatched();
    void boundedWithDroppedCount();
    void pauseHoldsRowsBack();
    void clear();
    void detailToolTipIsNotHtml();
    void aFloodStaysResponsive();
};

void tst_EventLog::columnsAndRoles()
{
    EventLog log;
    QAbstractItemModelTester tester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
    log.append(makeEvent(1500, Phase::Http, Event::Side::Server));
    log.flush();
    QCOMPARE(log.rowCount(), 1);
    QCOMPARE(log.columnCount(), int(EventLog::ColumnCount));
    QCOMPARE(log.headerData(EventLog::Detail, Qt::Horizontal).toString(), QStringLiteral("Detail"));
    QCOMPARE(log.index(0, EventLog::Time).data().toString(), QStringLiteral("1.500"));
    QCOMPARE(log.index(0, EventLog::Side).data().toString(), QStringLiteral("server"));
    QCOMPARE(log.index(0, EventLog::Phase).data().toString(), QStringLiteral("HTTP"));
    QCOMPARE(log.index(0, EventLog::Kind).data().toString(), QStringLiteral("message received"));
    QCOMPARE(log.index(0, EventLog::Connection).data().toString(), QStringLiteral("#1"));
    QCOMPARE(log.index(0, EventLog::Detail).data().toString(), QStringLiteral("event 1500"));
    QCOMPARE(log.index(0, 0).data(EventLog::PhaseRole).toInt(), int(Phase::Http));
    QCOMPARE(log.index(0, 0).data(EventLog::SideRole).toInt(), int(Event::Side::Server));
    // Rows are coloured by phase, and the three phases differ.
    const auto colour = [&](Phase phase) {
        log.append(makeEvent(1, phase));
        log.flush();
        return log.index(log.rowCount() - 1, 0).data(Qt::BackgroundRole).value<QBrush>().color();
    };
    QVERIFY(colour(Phase::Tcp) != colour(Phase::Http));
    QVERIFY(colour(Phase::Http) != colour(Phase::WebSocket));
}

void tst_EventLog::appendsAreBatched()
{
    EventLog log;
    QAbstractItemModelTester tester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&log, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 500; ++i)
        log.append(makeEvent(i));
    QCOMPARE(log.rowCount(), 0); // nothing yet: one insertion per tick, not per event
    QTRY_COMPARE(log.rowCount(), 500);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(log.index(499, EventLog::Detail).data().toString(), QStringLiteral("event 499"));
}

void tst_EventLog::boundedWithDroppedCount()
{
    EventLog log;
    QAbstractItemModelTester tester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(log.maxEvents(), 100'000); // DESIGN.md's default
    log.setMaxEvents(100);
    QSignalSpy dropped(&log, &EventLog::droppedCountChanged);
    for (int i = 0; i < 250; ++i)
        log.append(makeEvent(i));
    log.flush();
    QCOMPARE(log.rowCount(), 100);
    QCOMPARE(log.droppedCount(), 150);
    QVERIFY(!dropped.isEmpty());
    QCOMPARE(log.index(0, EventLog::Detail).data().toString(),
             QStringLiteral("event 150")); // the newest kept
    QCOMPARE(log.index(99, EventLog::Detail).data().toString(), QStringLiteral("event 249"));
    log.append(makeEvent(250));
    log.flush();
    QCOMPARE(log.rowCount(), 100);
    QCOMPARE(log.droppedCount(), 151);
}

void tst_EventLog::pauseHoldsRowsBack()
{
    EventLog log;
    QAbstractItemModelTester tester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
    log.append(makeEvent(0));
    log.flush();
    log.setPaused(true);
    for (int i = 1; i <= 10; ++i)
        log.append(makeEvent(i));
    log.flush();
    QCOMPARE(log.rowCount(), 1); // the table holds still while paused...
    QCOMPARE(log.pendingCount(), 10); // ...and loses nothing
    log.setPaused(false);
    QTRY_COMPARE(log.rowCount(), 11);
}

void tst_EventLog::clear()
{
    EventLog log;
    QAbstractItemModelTester tester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int i = 0; i < 5; ++i)
        log.append(makeEvent(i));
    log.flush();
    log.clear();
    QCOMPARE(log.rowCount(), 0);
    log.append(makeEvent(9));
    log.flush();
    QCOMPARE(log.rowCount(), 1);
}

void tst_EventLog::aFloodStaysResponsive()
{
    // 200 000 events into a log of 100 000: bounded memory, and each tick is one insert.
    EventLog log;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 200'000; ++i)
        log.append(makeEvent(i));
    log.flush();
    QCOMPARE(log.rowCount(), 100'000);
    QCOMPARE(log.droppedCount(), 100'000);
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
}

// A detail holds what a peer sent (a chat line, a User-Agent): its tool tip shows it as written.
void tst_EventLog::detailToolTipIsNotHtml()
{
    EventLog log;
    const QString sent = u"<h1>big</h1><img src=x> & <b>x</b>"_qs;
    Event e = makeEvent(1);
    e.summary = Text::verbatim(sent);
    log.append(e);
    log.flush();
    QCOMPARE(log.index(0, EventLog::Detail).data().toString(), sent);
    const QString tip = log.index(0, EventLog::Detail).data(Qt::ToolTipRole).toString();
    QCOMPARE(shownAsToolTip(tip), sent);
}

QTEST_MAIN(tst_EventLog)
#include "tst_eventlog.moc"
