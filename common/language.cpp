#include "language.h"

#include "installlayout.h"

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
        // Installed, the .qm beside the installation (share/wslab/translations), which a
        // translator or a distribution may update without rebuilding; else the one compiled in.
        const QString installed = InstallLayout::translationsDir();
        const QString file = QStringLiteral("wslab_%1.qm").arg(code);
        if ((!installed.isEmpty() && appTranslator().load(file, installed))
            || appTranslator().load(u":/i18n/" + file))
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
