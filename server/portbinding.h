#pragma once

#include <QHostAddress>
#include <QString>

class QTcpServer;

namespace wslab {

// Listens on `host`:`port`, or, with `nextFree`, on the first free port of the 100 from `port`
// on. Returns an empty string, or why not in words a user can act on (port taken, address
// not of this machine, privileges).
QString listenOnPort(QTcpServer &server, const QHostAddress &host, quint16 port, bool nextFree);

// True for 0.0.0.0, :: and Qt's dual-stack Any: a server listening there is reachable on every
// address of this machine (the LAN), and this machine's own clients use the loopback one.
bool isAnyAddress(const QHostAddress &address);

} // namespace wslab
