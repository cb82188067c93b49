#include "installlayout.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace wslab {

namespace {
// The build's own programs, for a program that runs from the build (set in CMakeLists.txt).
QString buildPathOf(const QString &program)
{
    if (program == u"wslab-server")
        return QStringLiteral(WSLAB_BUILD_SERVER);
    if (program == u"wslab-client")
        return QStringLiteral(WSLAB_BUILD_CLIENT);
    return {};
}
} // namespace

QString InstallLayout::dataDirFor(const QString &programDir)
{
    // WSLAB_BIN_TO_DATA is bin → share/wslab as the install rules lay it out ("../share/wslab").
    const QFileInfo data(QDir(programDir).filePath(QStringLiteral(WSLAB_BIN_TO_DATA)));
    return data.isDir() ? data.canonicalFilePath() : QString();
}

QString InstallLayout::dataDir()
{
    return dataDirFor(QCoreApplication::applicationDirPath());
}

QString InstallLayout::translationsDir()
{
    const QString data = dataDir();
    return data.isEmpty() ? QString() : data + u"/translations";
}

QString InstallLayout::commandFor(const QString &program, const QString &programDir)
{
    if (dataDirFor(programDir).isEmpty())
        return buildPathOf(program);
    const QString installed = QFileInfo(QDir(programDir).filePath(program)).canonicalFilePath();
    const QString onPath = QFileInfo(QStandardPaths::findExecutable(program)).canonicalFilePath();
    return !onPath.isEmpty() && onPath == installed ? program : QDir(programDir).filePath(program);
}

QString InstallLayout::command(const QString &program)
{
    return commandFor(program, QCoreApplication::applicationDirPath());
}

} // namespace wslab
