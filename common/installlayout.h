#pragma once

#include <QString>

namespace wslab {

// Where this program's files are: an installation (cmake --install, the .deb) or the build
// folder it was built in. Installed, a program in <prefix>/bin finds its data in
// <prefix>/share/wslab (the translations) and <prefix>/share/icons (the icon); from the build,
// the same files come from the build (the translations and icon compiled in) and the other
// programs are started by their paths in the build.
namespace InstallLayout {

// <prefix>/share/wslab when the program in programDir runs from an installation, else empty.
QString dataDirFor(const QString &programDir);
QString dataDir(); // for QCoreApplication::applicationDirPath()

// The folder with the installed .qm files, or empty when not installed.
QString translationsDir();

// What to type in a terminal to start one of WsLab's programs ("wslab-server",
// "wslab-client"): installed, its name when the PATH finds this installation's copy, else its
// full path; from the build, its path in the build.
QString commandFor(const QString &program, const QString &programDir);
QString command(const QString &program);

} // namespace InstallLayout

} // namespace wslab
