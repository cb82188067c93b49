#include "serverdispatcher.h"

// A private header of Qt 6.4.2 (Debian's qt6-base-private-dev): the class is exported but not
// public API. QT_NO_GLIB=1 selects the same dispatcher, but for every thread of the process.
#include <QtCore/private/qeventdispatcher_unix_p.h>

namespace wslab {

QAbstractEventDispatcher *createServerEventDispatcher()
{
    return new QEventDispatcherUNIX;
}

} // namespace wslab
