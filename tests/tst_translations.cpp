// The Simplified Chinese translation is complete and consistent with the sources.
// tst_translations_current checks that the .ts holds every string of today's code, so a new
// string that nobody translated fails there or here rather than showing up in English in a
// Chinese window.

#include <QDomDocument>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

class tst_Translations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void chineseIsComplete();
};

void tst_Translations::chineseIsComplete()
{
    QFile file(QStringLiteral(WSLAB_TS_FILE));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    QDomDocument ts;
    QVERIFY(ts.setContent(&file));
    const QDomNodeList messages = ts.elementsByTagName(QStringLiteral("message"));
    QVERIFY2(messages.count() > 200, "the .ts should hold every string of the window");
    // lupdate files tr() calls it cannot attribute to a class under the namespace name; such
    // strings would never be found at run time.
    const QDomNodeList contexts = ts.elementsByTagName(QStringLiteral("name"));
    for (int i = 0; i < contexts.count(); ++i)
        QVERIFY2(contexts.at(i).toElement().text() != u"wslab",
                 "strings in context \"wslab\": use QCoreApplication::translate with the class's "
                 "context");
    static const QRegularExpression placeholder(QStringLiteral("%(n|\\d)"));
    QStringList problems;
    for (int i = 0; i < messages.count(); ++i) {
        const QDomElement message = messages.at(i).toElement();
        const QString source = message.firstChildElement(QStringLiteral("source")).text();
        const QDomElement translation = message.firstChildElement(QStringLiteral("translation"));
        const QString type = translation.attribute(QStringLiteral("type"));
        if (type == u"obsolete" || type == u"vanished")
            continue;
        const QString text = message.attribute(QStringLiteral("numerus")) == u"yes"
            ? translation.firstChildElement(QStringLiteral("numerusform")).text()
            : translation.text();
        if (type == u"unfinished" || text.isEmpty()) {
            problems.append(QStringLiteral("untranslated: ") + source);
            continue;
        }
        // Every %1, %2, %n of the source must survive, or arguments land in the wrong place.
        QStringList wanted, got;
        for (auto it = placeholder.globalMatch(source); it.hasNext();)
            wanted.append(it.next().captured());
        for (auto it = placeholder.globalMatch(text); it.hasNext();)
            got.append(it.next().captured());
        wanted.sort();
        got.sort();
        if (wanted != got)
            problems.append(QStringLiteral("placeholders differ: %1 → %2").arg(source, text));
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
}

QTEST_GUILESS_MAIN(tst_Translations)
#include "tst_translations.moc"
