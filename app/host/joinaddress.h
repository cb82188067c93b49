#pragma once

#include <QHostAddress>
#include <QList>
#include <QString>
#include <QUrl>

namespace wslab {

// One address of one network interface, as QNetworkInterface reports it; made up in tests.
struct NetworkEntry
{
    QString interfaceName; // "wlan0", "eth0"
    QHostAddress address;
    bool up = true;
    bool running = true;
    bool loopback = false; // the interface's flag (127.0.0.0/8 is treated as loopback anyway)
};

// An address of this machine that students' phones on the same network can use to join: a LAN
// IPv4 address and the interface it belongs to, for the teacher to tell them apart.
struct JoinAddress
{
    QHostAddress address;
    QString interfaceName;

    // "192.168.1.20 (wlan0)"
    QString label() const;
    bool operator==(const JoinAddress &other) const = default;

    // Every IPv4 address of every interface of this machine.
    static QList<NetworkEntry> machineEntries();
    // The addresses a phone can join on, best first: IPv4 only, interfaces up and running, no
    // loopback, no link-local (169.254/16, which a phone never shares with us); private ranges
    // (10/8, 172.16/12, 192.168/16) first, those of virtual interfaces (containers, VMs) after
    // the real ones; otherwise in the order given. Each address once.
    static QList<JoinAddress> usable(const QList<NetworkEntry> &entries);
    static QList<JoinAddress> forThisMachine() { return usable(machineEntries()); }

    static bool isPrivate(const QHostAddress &address);
    // "http://ADDR:PORT/", or https:// when the server speaks TLS.
    static QUrl joinUrl(const QHostAddress &address, quint16 port, bool tls);
};

} // namespace wslab
