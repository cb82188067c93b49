#include "joinlink.h"

#include "portbinding.h"
#include "serverhost.h"

namespace wslab {

JoinLink *JoinLink::of(ServerHost *host)
{
    if (auto *link = host->findChild<JoinLink *>(QString(), Qt::FindDirectChildrenOnly))
        return link;
    return new JoinLink(host);
}

JoinLink::JoinLink(ServerHost *host) : QObject(host), m_host(host)
{
    m_addresses = JoinAddress::forThisMachine();
    const auto serverMoved = [this] {
        m_addresses = JoinAddress::forThisMachine();
        Q_EMIT changed();
    };
    connect(host, &ServerHost::addressChanged, this, serverMoved);
    connect(host, &ServerHost::tlsChanged, this, &JoinLink::changed); // http:// or https://
}

bool JoinLink::isOnLan() const
{
    return m_host->isListening() && m_host->isOnLan();
}

int JoinLink::currentIndex() const
{
    if (m_addresses.isEmpty())
        return -1;
    for (int i = 0; i < m_addresses.size(); ++i)
        if (m_addresses.at(i).address == m_chosen)
            return i;
    return 0; // nothing chosen yet, or the chosen address has gone: the best one
}

QUrl JoinLink::url() const
{
    if (!isOnLan())
        return {};
    const QHostAddress listening = m_host->address();
    if (!isAnyAddress(listening))
        // Started on one address of its own (not wslab's --lan): that one, whatever the choice.
        return JoinAddress::joinUrl(listening, m_host->port(), m_host->tls().has_value());
    const int index = currentIndex();
    if (index < 0)
        return {};
    return JoinAddress::joinUrl(m_addresses.at(index).address, m_host->port(),
                                m_host->tls().has_value());
}

void JoinLink::refresh()
{
    const QList<JoinAddress> now = JoinAddress::forThisMachine();
    if (now == m_addresses)
        return;
    m_addresses = now;
    Q_EMIT changed();
}

void JoinLink::choose(const QHostAddress &address)
{
    if (address == m_chosen)
        return;
    m_chosen = address;
    Q_EMIT changed();
}

} // namespace wslab
