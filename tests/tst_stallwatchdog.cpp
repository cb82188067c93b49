#include "stallwatchdog.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace wslab;

class tst_StallWatchdog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aBlockedLoopIsOneStall();
};

namespace {
// Keeps the thread busy, as a slow slot would: the event loop cannot run meanwhile.
void holdTheThread(int ms)
{
    QElapsedTimer busy;
    busy.start();
    while (busy.elapsed() < ms) { }
}
} // namespace

void tst_StallWatchdog::aBlockedLoopIsOneStall()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("stalls.json"));
    auto watchdog = std::make_unique<StallWatchdog>(file);
    // Enough ticks that one late tick is not the 99th percentile. The suite runs tests side by
    // side (and sanitized), so the machine may delay a tick by itself now and then: what is
    // counted is the difference the blocked loop makes, over the few ticks right after it.
    QTRY_VERIFY_WITH_TIMEOUT(watchdog->figures().ticks >= 150, 10000);
    const StallWatchdog::Figures before = watchdog->figures();

    holdTheThread(150);
    QTRY_VERIFY(watchdog->figures().ticks >= before.ticks + 2); // the late tick and one more
    const StallWatchdog::Figures f = watchdog->figures();
    QCOMPARE(f.stallsOver50ms - before.stallsOver50ms, 1); // one stall, not 15 missed ticks
    QVERIFY2(f.longestMs >= 130 && f.longestMs < 1000, qPrintable(QString::number(f.longestMs)));
    QVERIFY(f.p99Ms < f.longestMs); // one late tick in 150 is not the 99th percentile

    watchdog.reset(); // writes its last figures
    QFile out(file);
    QVERIFY(out.open(QIODevice::ReadOnly));
    const QJsonObject json = QJsonDocument::fromJson(out.readAll()).object();
    QCOMPARE(json.value(QStringLiteral("stalls_over_50ms")).toInt(), f.stallsOver50ms);
    QCOMPARE(json.value(QStringLiteral("longest_stall_ms")).toDouble(), f.longestMs);
}

QTEST_GUILESS_MAIN(tst_StallWatchdog)
#include "tst_stallwatchdog.moc"
