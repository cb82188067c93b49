#include "appicon.h"

#include <QDir>
#include <QFileInfo>

namespace wslab {

QIcon applicationIcon(const QString &dataDir)
{
    const QString id = QString::fromUtf16(applicationId);
    QIcon icon;
    if (!dataDir.isEmpty()) {
        const QDir hicolor(dataDir + u"/../icons/hicolor");
        const QStringList sizes = hicolor.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString &size : sizes) {
            for (const QString &suffix : { QStringLiteral(".png"), QStringLiteral(".svg") }) {
                const QString file = hicolor.filePath(size + u"/apps/" + id + suffix);
                if (QFileInfo::exists(file))
                    icon.addFile(file);
            }
        }
    }
    if (icon.isNull()) // from the build, or an installation without its icons
        icon.addFile(u":/wslab/icons/" + id + u".svg");
    return icon;
}

} // namespace wslab
