#include "joinaddress.h"

#include <QNetworkInterface>

#include <algorithm>

namespace wslab {

namespace {

bool inSubnet(const QHostAddress &address, const char *subnet)
{
    return address.isInSubnet(QHostAddress::parseSubnet(QLatin1StringView(subnet)));
}

// Interfaces made by Docker, libvirt, LXC, VirtualBox and the like: private addresses that no
// phone in the room can reach.
bool looksVirtual(const QString &name)
{
    static const char *const prefixes[]
        = { "docker", "br-", "veth", "virbr", "lxc", "lxd", "vbox", "vmnet", "podman", "cni" };
    return std::any_of(std::begin(prefixes), std::end(prefixes), [&](const char *prefix) {
        return name.startsWith(QLatin1StringView(prefix));
    });
}

} // namespace

QString JoinAddress::label() const
{
    return interfaceName.isEmpty() ? address.toString()
                                   : address.toString() + u" (" + interfaceName + u')';
}

bool JoinAddress::isPrivate(const QHostAddress &address)
{
    return inSubnet(address, "10.0.0.0/8") || inSubnet(address, "172.16.0.0/12")
        || inSubnet(address, "192.168.0.0/16");
}

QList<NetworkEntry> JoinAddress::machineEntries()
{
    QList<NetworkEntry> entries;
    const auto interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &interface : interfaces) {
        const auto flags = interface.flags();
        const QString name = interface.humanReadableName();
        for (const QNetworkAddressEntry &entry : interface.addressEntries()) {
            if (entry.ip().protocol() != QAbstractSocket::IPv4Protocol)
                continue;
            entries.append({ name, entry.ip(), flags.testFlag(QNetworkInterface::IsUp),
                             flags.testFlag(QNetworkInterface::IsRunning),
                             flags.testFlag(QNetworkInterface::IsLoopBack) });
        }
    }
    return entries;
}

QList<JoinAddress> JoinAddress::usable(const QList<NetworkEntry> &entries)
{
    struct Ranked
    {
        int rank;
        JoinAddress address;
    };
    QList<Ranked> kept;
    for (const NetworkEntry &entry : entries) {
        const QHostAddress &ip = entry.address;
        if (ip.protocol() != QAbstractSocket::IPv4Protocol || !entry.up || !entry.running
            || entry.loopback || ip.isLoopback() || inSubnet(ip, "169.254.0.0/16")
            || inSubnet(ip, "0.0.0.0/8") || ip.isMulticast() || ip.isBroadcast())
            continue;
        if (std::any_of(kept.cbegin(), kept.cend(),
                        [&](const Ranked &k) { return k.address.address == ip; }))
            continue;
        const int rank = isPrivate(ip) ? (looksVirtual(entry.interfaceName) ? 1 : 0) : 2;
        kept.append({ rank, { ip, entry.interfaceName } });
    }
    std::stable_sort(kept.begin(), kept.end(),
                     [](const Ranked &a, const Ranked &b) { return a.rank < b.rank; });
    QList<JoinAddress> result;
    for (const Ranked &k : std::as_const(kept))
        result.append(k.address);
    return result;
}

QUrl JoinAddress::joinUrl(const QHostAddress &address, quint16 port, bool tls)
{
    QUrl url;
    url.setScheme(tls ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(address.toString());
    url.setPort(port);
    url.setPath(QStringLiteral("/"));
    return url;
}

} // namespace wslab
