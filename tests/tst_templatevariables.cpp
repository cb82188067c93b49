// {{now}}, {{beijing}}, {{uuid}}, {{counter}}: expanded with a fixed clock, whatever the zone
// the test runs in (TZ is America/New_York here, see CMakeLists.txt).

#include "templatevariables.h"

#include "payloadinput.h"

#include <QRegularExpression>
#include <QTest>
#include <QTimeZone>

using namespace wslab;
namespace TV = TemplateVariables;

namespace {
// 2026-12-01 23:59:58.042 UTC: already the next day in Beijing.
QDateTime fixedInstant()
{
    return QDateTime(QDate(2026, 12, 1), QTime(23, 59, 58, 42), QTimeZone::utc());
}

TV::Context fixedContext(qint64 counter = 7)
{
    TV::Context context;
    context.clock = [] {
        return fixedInstant();
    };
    context.uuid = [] {
        return QStringLiteral("00000000-0000-4000-8000-000000000000");
    };
    context.counter = counter;
    return context;
}
} // namespace

class tst_TemplateVariables : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void expands_data();
    void expands();
    void nowIsLocalIsoWithMilliseconds();
    void beijingWhateverTheZone();
    void uuidIsFreshEachTime();
    void unknownIsKeptAndReported();
    void counterIsReported();
    void standInsKeepPlaces();
    void composeExpandsTextAndJsonOnly();
};

void tst_TemplateVariables::expands_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expanded");
    QTest::newRow("none") << QStringLiteral("hello") << QStringLiteral("hello");
    QTest::newRow("beijing") << QStringLiteral("at {{beijing}}!")
                             << QStringLiteral("at 2026-12-02 07:59:58!");
    QTest::newRow("spaces in braces") << QStringLiteral("{{ counter }}") << QStringLiteral("7");
    QTest::newRow("uuid and counter")
        << QStringLiteral("{\"id\":\"{{uuid}}\",\"n\":{{counter}}}")
        << QStringLiteral("{\"id\":\"00000000-0000-4000-8000-000000000000\",\"n\":7}");
    QTest::newRow("escaped") << QStringLiteral("\\{{now}} is {{counter}}")
                             << QStringLiteral("{{now}} is 7");
    QTest::newRow("unclosed") << QStringLiteral("{{now") << QStringLiteral("{{now");
    QTest::newRow("not a name") << QStringLiteral("{{ {\"a\":1} }}")
                                << QStringLiteral("{{ {\"a\":1} }}");
    QTest::newRow("twice") << QStringLiteral("{{counter}}{{counter}}") << QStringLiteral("77");
    QTest::newRow("unicode around")
        << QStringLiteral("时间 {{beijing}}") << QStringLiteral("时间 2026-12-02 07:59:58");
}

void tst_TemplateVariables::expands()
{
    QFETCH(QString, text);
    QFETCH(QString, expanded);
    const TV::Expansion result = TV::expand(text, fixedContext());
    QCOMPARE(result.text, expanded);
    QVERIFY(result.unknown.isEmpty());
}

void tst_TemplateVariables::nowIsLocalIsoWithMilliseconds()
{
    const QString now = TV::expand(QStringLiteral("{{now}}"), fixedContext()).text;
    // America/New_York in December: UTC-5.
    QCOMPARE(qEnvironmentVariable("TZ"), QStringLiteral("America/New_York"));
    QCOMPARE(now, QStringLiteral("2026-12-01T18:59:58.042-05:00"));
    QCOMPARE(QDateTime::fromString(now, Qt::ISODateWithMs), fixedInstant());
}

void tst_TemplateVariables::beijingWhateverTheZone()
{
    // The machine's zone changed while running: Beijing time stays the same.
    const QByteArray saved = qgetenv("TZ");
    for (const char *zone : { "Pacific/Kiritimati", "UTC", "America/Los_Angeles" }) {
        qputenv("TZ", zone);
        tzset();
        QCOMPARE(TV::expand(QStringLiteral("{{beijing}}"), fixedContext()).text,
                 QStringLiteral("2026-12-02 07:59:58"));
    }
    qputenv("TZ", saved);
    tzset();
}

void tst_TemplateVariables::uuidIsFreshEachTime()
{
    const TV::Expansion result = TV::expand(QStringLiteral("{{uuid}} {{uuid}}"));
    const QStringList uuids = result.text.split(u' ');
    QCOMPARE(uuids.size(), 2);
    static const QRegularExpression shape(
        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
    for (const QString &uuid : uuids)
        QVERIFY2(shape.match(uuid).hasMatch(), qPrintable(uuid));
    QVERIFY(uuids.at(0) != uuids.at(1));
    QVERIFY(TV::expand(QStringLiteral("{{uuid}}")).text
            != TV::expand(QStringLiteral("{{uuid}}")).text);
}

void tst_TemplateVariables::unknownIsKeptAndReported()
{
    const TV::Expansion result
        = TV::expand(QStringLiteral("{{nwo}} {{counter}} {{ Now }} {{nwo}}"), fixedContext());
    QCOMPARE(result.text, QStringLiteral("{{nwo}} 7 {{ Now }} {{nwo}}"));
    QCOMPARE(result.unknown, QStringList({ QStringLiteral("nwo"), QStringLiteral("Now") }));
}

void tst_TemplateVariables::counterIsReported()
{
    QVERIFY(TV::expand(QStringLiteral("n={{counter}}"), fixedContext()).usedCounter);
    QVERIFY(!TV::expand(QStringLiteral("n={{now}}"), fixedContext()).usedCounter);
    QVERIFY(!TV::expand(QStringLiteral("\\{{counter}}"), fixedContext()).usedCounter);
}

void tst_TemplateVariables::standInsKeepPlaces()
{
    const QString typed = QStringLiteral("{\"n\": {{counter}}, \"t\": \"{{now}}\",\n \"x\": oops}");
    const QString standIns = TV::standIns(typed);
    QCOMPARE(standIns.size(), typed.size());
    QCOMPARE(standIns, QStringLiteral("{\"n\": 10000000000, \"t\": \"xxxxxxx\",\n \"x\": oops}"));
    // The JSON error is placed in what was typed: line 2, at "oops".
    const auto result = PayloadInput::fromJson(standIns);
    QVERIFY(!result.ok());
    QCOMPARE(result.line, 2);
    // A variable where a string would need quotes is not hidden by its stand-in.
    QVERIFY(!PayloadInput::fromJson(TV::standIns(QStringLiteral("{\"id\": {{uuid}}}"))).ok());
    QVERIFY(PayloadInput::fromJson(TV::standIns(QStringLiteral("[{{counter}}]"))).ok());
}

void tst_TemplateVariables::composeExpandsTextAndJsonOnly()
{
    using PayloadInput::Kind;
    const auto json
        = TV::compose(Kind::Json, QStringLiteral("{\"n\": {{counter}}}"), fixedContext());
    QVERIFY(json.payload.ok());
    QCOMPARE(json.payload.bytes, QByteArray("{\"n\": 7}"));
    QVERIFY(!json.payload.binary);
    // Checked after expansion: a uuid where a string needs quotes is not JSON.
    QVERIFY(!TV::compose(Kind::Json, QStringLiteral("[{{uuid}}]"), fixedContext()).payload.ok());
    const auto text = TV::compose(Kind::Text, QStringLiteral("{{x}} {{counter}}"), fixedContext());
    QCOMPARE(text.payload.bytes, QByteArray("{{x}} 7"));
    QCOMPARE(text.unknown, QStringList { QStringLiteral("x") });
    // Hex is bytes: {{counter}} is not a hex digit, said as such rather than read as one.
    const auto hex = TV::compose(Kind::Hex, QStringLiteral("{{counter}}"), fixedContext());
    QVERIFY(!hex.payload.ok());
    QVERIFY(hex.payload.binary);
}

QTEST_GUILESS_MAIN(tst_TemplateVariables)
#include "tst_templatevariables.moc"
