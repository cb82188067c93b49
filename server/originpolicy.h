#pragma once

#include <QHostAddress>
#include <QStringList>

#include <optional>

namespace wslab {

// Which web pages may open a WebSocket on this server. A browser sends the origin of the page
// with every handshake (RFC 6455 §10.2); a page from another site that opens
// ws://127.0.0.1:8888/ws in a student's browser (cross-site WebSocket hijacking) is refused.
// Handshakes without an Origin come from programs, not pages, and are let in.
class OriginPolicy
{
public:
    // "scheme://host:port" in lower case with the port always written, or nullopt (and `error`)
    // for text that is not a web origin. "null" (a file:// page, a sandboxed frame) and "*"
    // (any origin) are kept as they are.
    static std::optional<QString> normalize(const QString &origin, QString *error = nullptr);

    // Every origin a page served by this server can have: each name the listening address is
    // reachable as (localhost and 127.0.0.1 alike; on the LAN, every address of this machine
    // and its host name), with the server's port and scheme.
    static QStringList ownOrigins(const QHostAddress &listening, quint16 port, bool tls);

    void setOwnOrigins(const QStringList &origins) { m_own = origins; }
    // Where the server listens: its own origins (as ownOrigins() above) and, on an any-address,
    // the rule that a page from the very address a connection reached is this server's own
    // (see allows()).
    void setListening(const QHostAddress &listening, quint16 port, bool tls);
    // False (and `error`) when `origin` is not an origin. "*" allows every origin.
    bool allow(const QString &origin, QString *error = nullptr);

    bool allowsAny() const { return m_extra.contains(QStringLiteral("*")); }
    QStringList ownOrigins() const { return m_own; }
    QStringList extraOrigins() const { return m_extra; }
    // `origin` is the Origin header's value; empty when the handshake had none. `local` is the
    // address of this machine the connection reached: on an any-address the machine's addresses
    // change while it listens (a new Wi-Fi, a DHCP lease), and a page fetched from an address it
    // did not have at start is still this server's page. Listening on one address, it adds nothing.
    bool allows(const QString &origin, const QHostAddress &local = {}) const;

private:
    // "scheme://host:port" for a page served from `address`, as a browser writes it.
    QString originAt(const QHostAddress &address) const;

    QStringList m_own;
    QStringList m_extra;
    bool m_onAnyAddress = false;
    quint16 m_port = 0;
    bool m_tls = false;
};

} // namespace wslab
