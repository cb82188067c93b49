#pragma once

#include <QIcon>
#include <QString>

namespace wslab {

// The name the desktop knows WsLab by: its desktop entry, icon and AppStream id.
inline constexpr char16_t applicationId[] = u"io.github.wslab.WsLab";

// The window's icon. Installed (dataDir is <prefix>/share/wslab), the installed icon's files,
// every size in <prefix>/share/icons/hicolor; from the build (dataDir empty), the SVG compiled
// into the program.
QIcon applicationIcon(const QString &dataDir);

} // namespace wslab
