#include "language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace wslab {

namespace {
QTranslator &appTranslator()
{
    static QTranslator translator;
    return translator;
}
QTranslator &qtTranslator()
{
    static QTranslator translator;
    return translator;
}
QString &currentCode()
{
    static QString code = QStringLiteral("en");
    return code;
}
} // namespace

QStringList Language::available()
{
    return { QStringLiteral("en"), QStringLiteral("zh_CN") };
}

QString Language::systemDefault()
{
    return QLocale::system().language() == QLocale::Chinese ? QStringLiteral("zh_CN")
                                                            : QStringLiteral("en");
}

bool Language::apply(const QString &code)
{
    if (!available().contains(code))
        return false;
    QCoreApplication::removeTranslator(&appTranslator());
    QCoreApplication::removeTranslator(&qtTranslator());
    if (code != u"en") {
        if (appTranslator().load(QStringLiteral(":/i18n/wslab_%1.qm").arg(code)))
            QCoreApplication::installTranslator(&appTranslator());
        if (qtTranslator().load(QStringLiteral("qtbase_%1").arg(code),
                                QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QCoreApplication::installTranslator(&qtTranslator());
    }
    currentCode() = code;
    return true;
}

QString Language::current()
{
    return currentCode();
}

} // namespace wslab
