#include "reconnectbackoff.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace wslab;
using namespace std::chrono_literals;

class tst_ReconnectBackoff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults();
    void doublesUpToTheCap();
    void countsDownEachStep();
    void cancel();
    void resetStartsAgain();
};

void tst_ReconnectBackoff::defaults()
{
    ReconnectBackoff backoff;
    QCOMPARE(backoff.step(), 1000ms);
    QCOMPARE(backoff.maxSteps(), 30);
    QCOMPARE(backoff.nextDelay(), 1);
    QVERIFY(!backoff.isPending());
}

void tst_ReconnectBackoff::doublesUpToTheCap()
{
    ReconnectBackoff backoff;
    backoff.setStep(1h); // never due here: only the delays are looked at
    QList<int> delays;
    for (int i = 0; i < 8; ++i) {
        backoff.schedule();
        delays.append(backoff.stepsLeft());
        backoff.cancel();
    }
    QCOMPARE(delays, (QList<int> { 1, 2, 4, 8, 16, 30, 30, 30 }));
    QCOMPARE(backoff.attempt(), 8);
}

void tst_ReconnectBackoff::countsDownEachStep()
{
    ReconnectBackoff backoff;
    backoff.setStep(20ms);
    QSignalSpy countdown(&backoff, &ReconnectBackoff::countdown);
    QSignalSpy due(&backoff, &ReconnectBackoff::due);
    backoff.schedule(); // 1
    QTRY_COMPARE(due.size(), 1);
    backoff.schedule(); // 2
    QVERIFY(backoff.isPending());
    QElapsedTimer clock;
    clock.start();
    QTRY_COMPARE(due.size(), 2);
    QVERIFY2(clock.elapsed() >= 35, qPrintable(QString::number(clock.elapsed())));
    QList<int> seen;
    for (const QList<QVariant> &args : countdown)
        seen.append(args.at(0).toInt());
    QCOMPARE(seen, (QList<int> { 1, 0, 2, 1, 0 }));
    QVERIFY(!backoff.isPending());
}

void tst_ReconnectBackoff::cancel()
{
    ReconnectBackoff backoff;
    backoff.setStep(20ms);
    QSignalSpy countdown(&backoff, &ReconnectBackoff::countdown);
    QSignalSpy due(&backoff, &ReconnectBackoff::due);
    backoff.schedule();
    backoff.cancel();
    QCOMPARE(countdown.size(), 2);
    QCOMPARE(countdown.last().at(0).toInt(), 0);
    QVERIFY(!backoff.isPending());
    backoff.cancel(); // nothing pending: nothing said
    QCOMPARE(countdown.size(), 2);
    QCOMPARE(backoff.nextDelay(), 2); // cancelling does not forget the backoff
    // The cancelled one never comes due: the next, twice as long, is the first to.
    backoff.schedule();
    QTRY_COMPARE(due.size(), 1);
    QList<int> seen;
    for (const QList<QVariant> &args : countdown)
        seen.append(args.at(0).toInt());
    QCOMPARE(seen, (QList<int> { 1, 0, 2, 1, 0 }));
}

void tst_ReconnectBackoff::resetStartsAgain()
{
    ReconnectBackoff backoff;
    backoff.setStep(1h);
    backoff.schedule();
    backoff.schedule();
    QCOMPARE(backoff.stepsLeft(), 2);
    backoff.reset(); // a connection opened
    QVERIFY(!backoff.isPending());
    QCOMPARE(backoff.nextDelay(), 1);
    QCOMPARE(backoff.attempt(), 0);
    backoff.setMaxSteps(3);
    backoff.schedule();
    backoff.schedule();
    backoff.schedule();
    QCOMPARE(backoff.stepsLeft(), 3);
}

QTEST_GUILESS_MAIN(tst_ReconnectBackoff)
#include "tst_reconnectbackoff.moc"
