// Text: English source and arguments kept, translated only when shown.

#include "text.h"

#include <QCoreApplication>
#include <QTest>
#include <QTranslator>

using namespace wslab;

namespace {

// A translator for this test's context only, so the test needs no .qm file.
class FakeTranslator : public QTranslator
{
public:
    QString translate(const char *context, const char *source, const char *, int n) const override
    {
        if (qstrcmp(context, "tst_Text") != 0)
            return {};
        const QString s = QString::fromUtf8(source);
        if (s == u"closed by %1: code %2")
            return QStringLiteral("由 %1 关闭:代码 %2");
        if (s == u"client")
            return QStringLiteral("客户端");
        if (s == u"%2 then %1")
            return QStringLiteral("先 %1 后 %2");
        if (s == u"%n message(s)")
            return QStringLiteral("%n 条消息").replace(QStringLiteral("%n"), QString::number(n));
        if (s == u"%1")
            return QStringLiteral("translated!");
        return {};
    }
    bool isEmpty() const override { return false; }
};

} // namespace

class tst_Text : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { QCoreApplication::removeTranslator(&m_translator); }
    void englishWithArguments();
    void argumentsAreNotLookedInto();
    void translatedWhenShown();
    void nestedTextIsTranslatedToo();
    void placeholdersFollowTheTranslation();
    void plural();
    void verbatimIsNeverTranslated();
    void emptyAndMissingArguments();
    void carriedInAVariant();

private:
    void translateToChinese() { QCoreApplication::installTranslator(&m_translator); }
    FakeTranslator m_translator;
};

void tst_Text::englishWithArguments()
{
    const Text text = Text("tst_Text", QT_TRANSLATE_NOOP("tst_Text", "closed by %1: code %2"))
                          .arg(QStringLiteral("server"))
                          .arg(1000);
    QCOMPARE(text.english(), QStringLiteral("closed by server: code 1000"));
    QCOMPARE(text.toString(), QStringLiteral("closed by server: code 1000")); // no translator yet
    QCOMPARE(text.argumentCount(), 2);
    QCOMPARE(QString::fromUtf8(text.source()), QStringLiteral("closed by %1: code %2"));
    QCOMPARE(Text(nullptr, "%1 of %2").arg(2.5, 'f', 1).arg(qint64(-3)).english(),
             QStringLiteral("2.5 of -3"));
}

void tst_Text::argumentsAreNotLookedInto()
{
    const Text text = Text("tst_Text", "closed by %1: code %2").arg(QStringLiteral("%2%1")).arg(7);
    QCOMPARE(text.english(), QStringLiteral("closed by %2%1: code 7"));
}

void tst_Text::translatedWhenShown()
{
    const Text text = Text("tst_Text", "closed by %1: code %2").arg(QStringLiteral("x")).arg(1001);
    translateToChinese();
    QCOMPARE(text.toString(), QStringLiteral("由 x 关闭:代码 1001"));
    QCOMPARE(text.english(), QStringLiteral("closed by x: code 1001"));
    cleanup();
    QCOMPARE(text.toString(), QStringLiteral("closed by x: code 1001"));
}

void tst_Text::nestedTextIsTranslatedToo()
{
    const Text who("tst_Text", "client");
    Text text = Text("tst_Text", "closed by %1: code %2").arg(who).arg(1000);
    const Text copy = text; // copies share their nested arguments
    text.arg(QStringLiteral("unused"));
    translateToChinese();
    QCOMPARE(copy.toString(), QStringLiteral("由 客户端 关闭:代码 1000"));
    QCOMPARE(copy.english(), QStringLiteral("closed by client: code 1000"));
    QCOMPARE(text.argumentCount(), 3);
    QCOMPARE(copy.argumentCount(), 2);
    // Plain and nested arguments in any order.
    QCOMPARE(Text::untranslated("%1 %2 %3 %4")
                 .arg(QStringLiteral("a"))
                 .arg(who)
                 .arg(QStringLiteral("b"))
                 .arg(who)
                 .toString(),
             QStringLiteral("a 客户端 b 客户端"));
    // Nested in an untranslated pattern, the inner text is still translated.
    QCOMPARE(Text::untranslated("%1, %2").arg(who).arg(QStringLiteral("client")).toString(),
             QStringLiteral("客户端, client"));
}

void tst_Text::placeholdersFollowTheTranslation()
{
    const Text text
        = Text("tst_Text", "%2 then %1").arg(QStringLiteral("A")).arg(QStringLiteral("B"));
    QCOMPARE(text.english(), QStringLiteral("B then A"));
    translateToChinese();
    QCOMPARE(text.toString(), QStringLiteral("先 A 后 B"));
}

void tst_Text::plural()
{
    const Text text("tst_Text", QT_TRANSLATE_N_NOOP("tst_Text", "%n message(s)"), 3);
    QCOMPARE(text.english(), QStringLiteral("3 message(s)"));
    translateToChinese();
    QCOMPARE(text.toString(), QStringLiteral("3 条消息"));
}

void tst_Text::verbatimIsNeverTranslated()
{
    translateToChinese();
    const Text text = Text::verbatim(QStringLiteral("client"));
    QCOMPARE(text.toString(), QStringLiteral("client"));
    QCOMPARE(text.english(), QStringLiteral("client"));
    QCOMPARE(Text::verbatim(QStringLiteral("%1 stays")).toString(), QStringLiteral("%1 stays"));
}

void tst_Text::emptyAndMissingArguments()
{
    QVERIFY(Text().isEmpty());
    QVERIFY(Text().toString().isNull());
    QVERIFY(!Text::verbatim(QString()).isEmpty());
    QCOMPARE(Text("tst_Text", "closed by %1: code %2").arg(QStringLiteral("x")).english(),
             QStringLiteral("closed by x: code %2"));
    QCOMPARE(Text(nullptr, "100%").english(), QStringLiteral("100%"));
}

void tst_Text::carriedInAVariant()
{
    const Text text
        = Text("tst_Text", "closed by %1: code %2").arg(Text("tst_Text", "client")).arg(1);
    const QVariant variant = QVariant::fromValue(text);
    QCOMPARE(variant.metaType(), QMetaType::fromType<Text>());
    QCOMPARE(variant.value<Text>().english(), QStringLiteral("closed by client: code 1"));
}

QTEST_GUILESS_MAIN(tst_Text)
#include "tst_text.moc"
