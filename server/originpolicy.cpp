#include "originpolicy.h"

#include "portbinding.h"
#include "text.h"

#include <QHostInfo>
#include <QNetworkInterface>
#include <QUrl>

namespace wslab {

std::optional<QString> OriginPolicy::normalize(const QString &origin, QString *error)
{
    const QString text = origin.trimmed();
    if (text == u"*" || text == u"null")
        return text;
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    Text problem;
    if (!url.isValid() || url.host().isEmpty())
        problem = Text("wslab::OriginPolicy",
                       QT_TRANSLATE_NOOP(
                           "wslab::OriginPolicy",
                           "\"%1\" is not an origin; write it like http://example.com:8080"))
                      .arg(text);
    else if (scheme != u"http" && scheme != u"https")
        problem = Text("wslab::OriginPolicy",
                       QT_TRANSLATE_NOOP("wslab::OriginPolicy",
                                         "\"%1\": an origin starts with http:// or https://"))
                      .arg(text);
    else if ((!url.path().isEmpty() && url.path() != u"/") || url.hasQuery() || url.hasFragment()
             || !url.userInfo().isEmpty())
        problem = Text("wslab::OriginPolicy",
                       QT_TRANSLATE_NOOP("wslab::OriginPolicy",
                                         "\"%1\": an origin is scheme://host:port, without a path"))
                      .arg(text);
    if (!problem.isEmpty()) {
        if (error)
            *error = problem.toString(); // shown at once, in the language of the moment
        return std::nullopt;
    }
    const int port = url.port(scheme == u"https" ? 443 : 80);
    const QString host = url.host(QUrl::EncodeUnicode).toLower();
    const QString shownHost = host.contains(u':') ? u'[' + host + u']' : host;
    return QStringLiteral("%1://%2:%3").arg(scheme, shownHost).arg(port);
}

QStringList OriginPolicy::ownOrigins(const QHostAddress &listening, quint16 port, bool tls)
{
    QStringList hosts;
    const auto addHost = [&](const QString &host) {
        const QString lower = host.toLower();
        if (!lower.isEmpty() && !hosts.contains(lower))
            hosts.append(lower);
    };
    const auto addAddress = [&](const QHostAddress &address) {
        QHostAddress plain = address;
        plain.setScopeId({}); // a browser's origin has no zone
        if (plain.protocol() == QAbstractSocket::IPv6Protocol)
            addHost(u'[' + plain.toString() + u']');
        else
            addHost(plain.toString());
    };
    const bool any = isAnyAddress(listening);
    if (any || listening.isLoopback()) {
        addHost(QStringLiteral("localhost"));
        addHost(QStringLiteral("127.0.0.1"));
        addHost(QStringLiteral("[::1]"));
    }
    if (any) {
        for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
            if (!address.isLinkLocal())
                addAddress(address);
        }
        const QString name = QHostInfo::localHostName();
        if (!name.isEmpty()) {
            addHost(name);
            if (!name.contains(u'.'))
                addHost(name + QStringLiteral(".local")); // mDNS, as phones on the LAN see it
        }
    } else if (!listening.isLoopback()) {
        addAddress(listening);
    }
    QStringList origins;
    const QString scheme = tls ? QStringLiteral("https") : QStringLiteral("http");
    for (const QString &host : std::as_const(hosts))
        origins.append(QStringLiteral("%1://%2:%3").arg(scheme, host).arg(port));
    return origins;
}

void OriginPolicy::setListening(const QHostAddress &listening, quint16 port, bool tls)
{
    m_own = ownOrigins(listening, port, tls);
    m_onAnyAddress = isAnyAddress(listening);
    m_port = port;
    m_tls = tls;
}

QString OriginPolicy::originAt(const QHostAddress &address) const
{
    QHostAddress plain = address;
    plain.setScopeId({}); // a browser's origin has no zone
    bool mapped = false; // an IPv4 client of a dual-stack socket reached ::ffff:a.b.c.d
    const quint32 ipv4 = plain.toIPv4Address(&mapped);
    if (mapped)
        plain = QHostAddress(ipv4);
    const QString host = plain.protocol() == QAbstractSocket::IPv6Protocol
        ? u'[' + plain.toString().toLower() + u']'
        : plain.toString();
    return QStringLiteral("%1://%2:%3")
        .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"), host)
        .arg(m_port);
}

bool OriginPolicy::allow(const QString &origin, QString *error)
{
    const auto normalized = normalize(origin, error);
    if (!normalized)
        return false;
    if (!m_extra.contains(*normalized))
        m_extra.append(*normalized);
    return true;
}

bool OriginPolicy::allows(const QString &origin, const QHostAddress &local) const
{
    if (origin.isEmpty() || allowsAny())
        return true;
    const auto normalized = normalize(origin);
    if (!normalized)
        return false;
    if (m_own.contains(*normalized) || m_extra.contains(*normalized))
        return true;
    return m_onAnyAddress && !local.isNull() && *normalized == originAt(local);
}

} // namespace wslab
