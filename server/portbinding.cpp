#include "portbinding.h"

#include <QCoreApplication>
#include <QTcpServer>

namespace wslab {

bool isAnyAddress(const QHostAddress &address)
{
    return address == QHostAddress(QHostAddress::AnyIPv4)
        || address == QHostAddress(QHostAddress::AnyIPv6)
        || address == QHostAddress(QHostAddress::Any);
}

QString listenOnPort(QTcpServer &server, const QHostAddress &host, quint16 port, bool nextFree)
{
    const int attempts = (nextFree && port != 0) ? 100 : 1;
    quint16 last = port; // the last port tried
    for (int i = 0; i < attempts; ++i) {
        last = quint16(port + i);
        if (server.listen(host, last))
            return {};
        if (server.serverError() != QAbstractSocket::AddressInUseError || last == 65535)
            break;
    }
    const QString where = QStringLiteral("%1:%2").arg(host.toString()).arg(port);
    switch (server.serverError()) {
    case QAbstractSocket::AddressInUseError:
        if (attempts > 1)
            return QCoreApplication::translate("wslab::PortBinding",
                                               "Ports %1 to %2 on %3 are all in use.")
                .arg(port)
                .arg(last)
                .arg(host.toString());
        return QCoreApplication::translate("wslab::PortBinding",
                                           "Port %1 on %2 is already in use by another program.")
            .arg(port)
            .arg(host.toString());
    case QAbstractSocket::SocketAddressNotAvailableError:
        return QCoreApplication::translate(
                   "wslab::PortBinding",
                   "Cannot listen on %1: %2 is not an address of this machine.")
            .arg(where, host.toString());
    case QAbstractSocket::SocketAccessError:
        return QCoreApplication::translate(
                   "wslab::PortBinding",
                   "Not allowed to listen on %1 (ports below 1024 need privileges).")
            .arg(where);
    default:
        return QCoreApplication::translate("wslab::PortBinding", "Cannot listen on %1: %2")
            .arg(where, server.errorString());
    }
}

} // namespace wslab
