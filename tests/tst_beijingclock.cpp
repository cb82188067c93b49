#include "beijingclock.h"

#include <QTest>

using namespace wslab;

// Runs under TZ=America/New_York and TZ=Pacific/Kiritimati (see CMakeLists.txt): the answer
// must not depend on the machine's zone.
class tst_BeijingClock : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void machineZoneIsNotBeijing();
    void format_data();
    void format();
    void sameInstantInAnyInputZone();
    void noDaylightSaving();
    void recognisesItsOwnFormat_data();
    void recognisesItsOwnFormat();
};

void tst_BeijingClock::machineZoneIsNotBeijing()
{
    // Otherwise the other tests would pass for the wrong reason.
    const QDateTime instant(QDate(2026, 7, 1), QTime(0, 0), Qt::UTC);
    QVERIFY(instant.toLocalTime().offsetFromUtc() != 8 * 3600);
}

void tst_BeijingClock::format_data()
{
    QTest::addColumn<QDateTime>("utc");
    QTest::addColumn<QString>("expected");

    QTest::newRow("issue example") << QDateTime(QDate(2026, 11, 24), QTime(6, 31, 13), Qt::UTC)
                                   << QStringLiteral("2026-11-24T14:31:13+08:00");
    QTest::newRow("UTC 16:00 is tomorrow's midnight in Beijing")
        << QDateTime(QDate(2026, 12, 31), QTime(16, 0, 0), Qt::UTC)
        << QStringLiteral("2027-01-01T00:00:00+08:00");
    QTest::newRow("milliseconds are dropped, not rounded")
        << QDateTime(QDate(2026, 3, 8), QTime(1, 59, 59, 999), Qt::UTC)
        << QStringLiteral("2026-03-08T09:59:59+08:00");
    QTest::newRow("leap day") << QDateTime(QDate(2028, 2, 29), QTime(20, 0, 0), Qt::UTC)
                              << QStringLiteral("2028-03-01T04:00:00+08:00");
}

void tst_BeijingClock::format()
{
    QFETCH(QDateTime, utc);
    QFETCH(QString, expected);
    QCOMPARE(BeijingTime::format(utc), expected);
}

void tst_BeijingClock::sameInstantInAnyInputZone()
{
    const QDateTime utc(QDate(2026, 11, 24), QTime(6, 31, 13), Qt::UTC);
    QCOMPARE(BeijingTime::format(utc.toLocalTime()), QStringLiteral("2026-11-24T14:31:13+08:00"));
    QCOMPARE(BeijingTime::format(utc.toOffsetFromUtc(-5 * 3600)),
             QStringLiteral("2026-11-24T14:31:13+08:00"));
}

void tst_BeijingClock::noDaylightSaving()
{
    for (int month = 1; month <= 12; ++month) {
        const QDateTime instant(QDate(2026, month, 15), QTime(12, 0), Qt::UTC);
        QCOMPARE(BeijingTime::zone().offsetFromUtc(instant), 8 * 3600);
    }
    QVERIFY(systemClock()().isValid());
    QCOMPARE(systemClock()().timeSpec(), Qt::UTC);
}

void tst_BeijingClock::recognisesItsOwnFormat_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("isPush");
    QTest::newRow("a push") << BeijingTime::format(QDateTime::currentDateTimeUtc()) << true;
    QTest::newRow("fixed") << QStringLiteral("2026-11-24T14:31:13+08:00") << true;
    QTest::newRow("another zone") << QStringLiteral("2026-11-24T14:31:13+09:00") << false;
    QTest::newRow("UTC") << QStringLiteral("2026-11-24T06:31:13Z") << false;
    QTest::newRow("milliseconds") << QStringLiteral("2026-11-24T14:31:13.500+08:00") << false;
    QTest::newRow("a chat message") << QStringLiteral("成绩出来了吗?") << false;
    QTest::newRow("trailing text") << QStringLiteral("2026-11-24T14:31:13+08:00!") << false;
    QTest::newRow("empty") << QString() << false;
}

void tst_BeijingClock::recognisesItsOwnFormat()
{
    QFETCH(QString, text);
    QFETCH(bool, isPush);
    QCOMPARE(BeijingTime::isFormatted(text), isPush);
}

QTEST_GUILESS_MAIN(tst_BeijingClock)
#include "tst_beijingclock.moc"
