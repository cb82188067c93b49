#include "wiresession.h"

#include "tlscredentials.h"

#include <QCoreApplication>
#include <QHostAddress>

namespace wslab {

WireSession::WireSession(QObject *parent) : QObject(parent)
{
    using Kind = WireEvent::Kind;
    connect(&m_tap, &WireTap::tunnelRequested, this,
            [this](quint64 id, const QString &target, qint64 t) {
                emitEvent(Kind::TunnelRequested, id, Direction::ClientToServer, Phase::Tcp, target,
                          t);
            });
    connect(&m_tap, &WireTap::tunnelRefused, this,
            [this](quint64 id, const QString &target, const QString &reason, qint64 t) {
                emitEvent(Kind::TunnelRefused, id, Direction::ClientToServer, Phase::Tcp,
                          target + u": " + reason, t);
            });
    connect(&m_tap, &WireTap::connectedToTarget, this,
            [this](quint64 id, const QString &host, quint16 port, const QHostAddress &local,
                   quint16 localPort, qint64 t) {
                WireEvent e;
                e.kind = Kind::TcpConnected;
                e.connection = id;
                e.phase = Phase::Tcp;
                e.text = QStringLiteral("%1:%2").arg(host).arg(port);
                e.localPort = localPort;
                e.localAddress = local.toString();
                e.timeNs = t;
                Q_EMIT event(e);
            });
    connect(&m_tap, &WireTap::tlsEstablished, this,
            [this](quint64 id, const TlsSummary &tls, qint64 t) {
                WireEvent e;
                e.kind = Kind::TlsEstablished;
                e.connection = id;
                e.direction = Direction::ServerToClient;
                e.phase = Phase::Tcp;
                e.text = tls.peerName;
                e.tls = tls;
                e.timeNs = t;
                Q_EMIT event(e);
                if (!tls.verified)
                    emitEvent(Kind::Warning, id, Direction::ServerToClient, Phase::Tcp,
                              tls.unverifiedProblem.isEmpty()
                                  ? QCoreApplication::translate(
                                      "wslab::WireSession",
                                      "insecure: the server's certificate was not verified "
                                      "(it would have passed).")
                                  : QCoreApplication::translate(
                                        "wslab::WireSession",
                                        "insecure: the server's certificate was not verified; "
                                        "verification would have said: %1")
                                        .arg(tls.unverifiedProblem),
                              t);
            });
    connect(&m_tap, &WireTap::chunk, this,
            [this](quint64 id, Direction direction, const QByteArray &bytes, qint64 t) {
                for (const WireEvent &decoded : m_decoder.feed(id, direction, bytes, t))
                    Q_EMIT event(decoded);
            });
    connect(&m_tap, &WireTap::tcpClosed, this,
            [this](quint64 id, Direction from, const QString &how, qint64 t) {
                emitEvent(Kind::TcpClosed, id, from, Phase::Tcp, how, t);
            });
    connect(&m_tap, &WireTap::errorOccurred, this,
            [this](quint64 id, const QString &message, qint64 t) {
                emitEvent(Kind::Error, id, Direction::ClientToServer, Phase::Tcp, message, t);
            });
}

bool WireSession::start(const QString &host, quint16 port)
{
    m_tap.setTarget(host, port);
    return m_tap.listen();
}

bool WireSession::start(const WireTarget &target)
{
    m_tap.setUpstreamProxy(target.proxy);
    if (target.tls && m_clientTrust.isEmpty()) {
        // For this tap and target only, and short-lived: nobody but our client trusts it.
        QString error;
        const TlsCredentials credentials
            = makeSelfSignedCredentials({ target.host }, {}, &error, 1);
        if (credentials.isNull()) {
            m_error = error;
            return false;
        }
        m_tap.setTls(credentials.certificate, credentials.key, target.tlsConfiguration);
        m_clientTrust = { credentials.certificate };
    }
    return start(target.host, target.port);
}

void WireSession::emitEvent(WireEvent::Kind kind, quint64 connection, Direction direction,
                            Phase phase, const QString &text, qint64 timeNs)
{
    WireEvent e;
    e.kind = kind;
    e.connection = connection;
    e.direction = direction;
    e.phase = phase;
    e.text = text;
    e.timeNs = timeNs;
    Q_EMIT event(e);
}

} // namespace wslab
