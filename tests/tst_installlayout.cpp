// Installed or run from the build: where the programs find their files, and what the lesson
// tells students to type. The "installed" cases use a made-up installation in a temporary folder
// (tst_install checks a real `cmake --install`).

#include "appicon.h"
#include "installlayout.h"
#include "lessoncontroller.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

using namespace wslab;

namespace {
// <root>/bin/<programs> and <root>/share/wslab, as cmake --install lays them out.
void makeInstallation(const QString &root)
{
    QVERIFY(QDir(root).mkpath(QStringLiteral("bin")));
    QVERIFY(QDir(root).mkpath(QStringLiteral("share/wslab/translations")));
    for (const char *program : { "wslab-server", "wslab-client" }) {
        QFile file(root + u"/bin/" + QLatin1StringView(program));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("#!/bin/sh\n");
        file.close();
        QVERIFY(file.setPermissions(file.permissions() | QFileDevice::ExeOwner));
    }
}

class PathGuard
{
public:
    explicit PathGuard(const QByteArray &path) : m_saved(qgetenv("PATH")) { qputenv("PATH", path); }
    ~PathGuard() { qputenv("PATH", m_saved); }

private:
    QByteArray m_saved;
};
} // namespace

class tst_InstallLayout : public QObject
{
    Q_OBJECT

private slots:
    void fromTheBuildTheProgramsAreTheBuilds();
    void installedTheProgramsGoByName();
    void installedButNotOnPathTheFullPath();
    void installedIconIsTheInstalledFiles();
    void fromTheBuildTheIconIsCompiledIn();
};

void tst_InstallLayout::fromTheBuildTheProgramsAreTheBuilds()
{
    const QString here = QCoreApplication::applicationDirPath();
    QVERIFY2(InstallLayout::dataDirFor(here).isEmpty(), qPrintable(here));
    for (const QString &program :
         { QStringLiteral("wslab-server"), QStringLiteral("wslab-client") }) {
        const QString command = InstallLayout::commandFor(program, here);
        const QFileInfo file(command);
        QVERIFY2(file.isAbsolute() && file.isExecutable(), qPrintable(command));
        QCOMPARE(file.fileName(), program);
        // The lesson's exercises start these very programs.
        QVERIFY2(LessonController::exerciseCommands().contains(QStringLiteral("%1 ").arg(command)),
                 qPrintable(LessonController::exerciseCommands()));
    }
}

void tst_InstallLayout::installedTheProgramsGoByName()
{
    QTemporaryDir root;
    QVERIFY(root.isValid());
    makeInstallation(root.path());
    const QString bin = root.filePath(QStringLiteral("bin"));
    QCOMPARE(InstallLayout::dataDirFor(bin),
             QFileInfo(root.filePath(QStringLiteral("share/wslab"))).canonicalFilePath());

    const PathGuard path(QFile::encodeName(bin) + ":/usr/bin:/bin");
    QCOMPARE(InstallLayout::commandFor(QStringLiteral("wslab-server"), bin),
             QStringLiteral("wslab-server"));
    QCOMPARE(InstallLayout::commandFor(QStringLiteral("wslab-client"), bin),
             QStringLiteral("wslab-client"));
}

void tst_InstallLayout::installedButNotOnPathTheFullPath()
{
    QTemporaryDir root;
    QVERIFY(root.isValid());
    makeInstallation(root.path());
    const QString bin = root.filePath(QStringLiteral("bin"));

    // Another wslab-server first on PATH is not this installation's: name the installed one.
    QTemporaryDir other;
    makeInstallation(other.path());
    const PathGuard path(QFile::encodeName(other.filePath(QStringLiteral("bin"))) + ":/usr/bin");
    QCOMPARE(InstallLayout::commandFor(QStringLiteral("wslab-server"), bin),
             QString(bin + u"/wslab-server"));
}

void tst_InstallLayout::installedIconIsTheInstalledFiles()
{
    QTemporaryDir root;
    QVERIFY(root.isValid());
    makeInstallation(root.path());
    const QString id = QString::fromUtf16(applicationId);
    QDir share(root.filePath(QStringLiteral("share")));
    QVERIFY(share.mkpath(QStringLiteral("icons/hicolor/48x48/apps")));
    QVERIFY(share.mkpath(QStringLiteral("icons/hicolor/scalable/apps")));
    QImage png(48, 48, QImage::Format_ARGB32);
    png.fill(Qt::red);
    QVERIFY(png.save(share.filePath(u"icons/hicolor/48x48/apps/" + id + u".png")));
    QVERIFY(QFile::copy(u":/wslab/icons/" + id + u".svg",
                        share.filePath(u"icons/hicolor/scalable/apps/" + id + u".svg")));

    const QIcon icon
        = applicationIcon(InstallLayout::dataDirFor(root.filePath(QStringLiteral("bin"))));
    QVERIFY(!icon.isNull());
    QVERIFY2(icon.availableSizes().contains(QSize(48, 48)), "the installed 48x48 PNG is used");
    // At 48 it is the installed PNG (all red), not the compiled-in drawing.
    QCOMPARE(icon.pixmap(48, 48).toImage().pixelColor(24, 24), QColor(Qt::red));
}

void tst_InstallLayout::fromTheBuildTheIconIsCompiledIn()
{
    const QIcon icon = applicationIcon(QString());
    QVERIFY(!icon.isNull());
    const QImage image = icon.pixmap(64, 64).toImage();
    QCOMPARE(image.size(), QSize(64, 64));
    // The drawing's blue square, not an empty pixmap.
    const QColor centre = image.pixelColor(32, 12);
    QVERIFY2(centre.blue() > 150 && centre.red() < 100, qPrintable(centre.name()));
}

QTEST_MAIN(tst_InstallLayout)
#include "tst_installlayout.moc"
