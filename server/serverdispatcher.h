#pragma once

class QAbstractEventDispatcher;

namespace wslab {

// The event dispatcher for a thread that serves many sockets: Qt's UNIX (poll) dispatcher.
//
// Qt's default on Linux is glib's, which walks every socket source on each loop iteration and
// pays for every notifier switched on and off: a push to 5,000 clients spread over 266 ms with
// it and 81 ms with this one (DESIGN.md, measured facts). Install it before the thread runs:
// QThread::setEventDispatcher(), or QCoreApplication::setEventDispatcher() before the
// application object exists.
QAbstractEventDispatcher *createServerEventDispatcher();

} // namespace wslab
