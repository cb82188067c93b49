#pragma once

#include "joinaddress.h"

#include <QObject>
#include <QUrl>

namespace wslab {

class ServerHost;

// What students type or scan to join the window's server: one of this machine's LAN addresses
// (the teacher's choice when there are several, kept while the program runs) with the server's
// port and scheme. One per server, shared by the server pane's join panel and the full-screen
// join code, so that both always show the same address.
class JoinLink : public QObject
{
    Q_OBJECT

public:
    // The server's link, made on first use; it lives as long as the server host.
    static JoinLink *of(ServerHost *host);

    ServerHost *host() const { return m_host; }
    // On the LAN and with an address to join on: what to show; otherwise empty.
    QUrl url() const;
    bool isOnLan() const;
    // The usable addresses as of the last refresh(), best first.
    QList<JoinAddress> addresses() const { return m_addresses; }
    int currentIndex() const;

public Q_SLOTS:
    // Reads this machine's addresses again (an interface may have come up or gone).
    void refresh();
    void choose(const QHostAddress &address);

Q_SIGNALS:
    // The URL, the addresses or the choice changed, or the server went on or off the LAN.
    void changed();

private:
    explicit JoinLink(ServerHost *host);

    ServerHost *m_host;
    QList<JoinAddress> m_addresses;
    QHostAddress m_chosen; // null: the first (best) one
};

} // namespace wslab
