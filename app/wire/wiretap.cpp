#include "wiretap.h"

#include "connectrequest.h"
#include "tlsdescription.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

#include <optional>

#ifdef Q_OS_LINUX
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#endif

namespace wslab {

namespace {
constexpr qsizetype kMaxConnectHead = 8 * 1024;
constexpr int kConnectTimeoutMs = 10'000;

// Qt 6.4 turns ECONNRESET into an ordinary end of stream, and closes its descriptor before it
// reports anything. The tap keeps a duplicate descriptor of each socket, so the kernel socket
// outlives Qt's close() long enough to ask Linux how it ended: CLOSE_WAIT after the peer's
// FIN, CLOSE after its RST. The duplicate is closed right after, which sends our FIN.
int keepAlias(const QTcpSocket *socket)
{
#ifdef Q_OS_LINUX
    return socket->socketDescriptor() == -1 ? -1 : ::dup(int(socket->socketDescriptor()));
#else
    Q_UNUSED(socket);
    return -1;
#endif
}

QString howItEnded(int alias)
{
#ifdef Q_OS_LINUX
    tcp_info info = {};
    socklen_t size = sizeof info;
    if (alias != -1 && ::getsockopt(alias, IPPROTO_TCP, TCP_INFO, &info, &size) == 0
        && info.tcpi_state == TCP_CLOSE)
        return QStringLiteral("reset");
#else
    Q_UNUSED(alias);
#endif
    return QStringLiteral("EOF");
}

void closeAlias(int &alias)
{
    if (alias != -1)
        ::close(alias);
    alias = -1;
}
} // namespace

struct WireTap::Tunnel
{
    quint64 id = 0;
    QPointer<QTcpSocket> client;
    QPointer<QTcpSocket> upstream;
    QByteArray connectHead; // the CONNECT request, until its blank line
    bool established = false;
    bool ended = false; // refused, failed, or one side gone: no new data accepted
    bool closed[2] = {}; // per Direction: that side's end was reported
    bool closedByTap[2] = {}; // per Direction: we closed it, after the other side ended
    QString how[2]; // per Direction: "EOF" or "reset", when known
    QString tlsFailure; // wss://: why the server's certificate was refused
    bool serverTlsUp = false; // wss://: the tap's TLS with the server is established
    bool serverSpoke = false; // a byte from the server crossed
    std::optional<std::pair<Direction, QString>> pendingEnd; // an end waiting behind held bytes
    int alias[2] = { -1, -1 }; // per Direction: duplicate descriptors, see keepAlias()

    ~Tunnel()
    {
        closeAlias(alias[0]);
        closeAlias(alias[1]);
    }
    QTimer deadline;
};

void WireTapServer::incomingConnection(qintptr descriptor)
{
    if (!acceptsTls) {
        QTcpServer::incomingConnection(descriptor);
        return;
    }
    auto *socket = new QSslSocket(this);
    if (socket->setSocketDescriptor(descriptor))
        addPendingConnection(socket);
    else
        delete socket;
}

WireTap::WireTap(QObject *parent) : QObject(parent)
{
    m_clock.start();
    connect(&m_server, &QTcpServer::newConnection, this, &WireTap::onNewConnection);
}

WireTap::~WireTap()
{
    for (auto &[id, tunnel] : m_tunnels) {
        if (tunnel->client)
            tunnel->client->disconnect(this);
        if (tunnel->upstream)
            tunnel->upstream->disconnect(this);
        delete tunnel->client;
        delete tunnel->upstream;
    }
}

void WireTap::setTarget(const QString &host, quint16 port)
{
    m_targetHost = host;
    m_targetPort = port;
}

void WireTap::setTls(const QSslCertificate &certificate, const QSslKey &key,
                     const QSslConfiguration &upstream)
{
    m_server.acceptsTls = true;
    m_toClient = QSslConfiguration::defaultConfiguration();
    m_toClient.setLocalCertificate(certificate);
    m_toClient.setPrivateKey(key);
    m_toClient.setPeerVerifyMode(QSslSocket::VerifyNone); // the client shows no certificate
    m_toServer = upstream;
}

bool WireTap::listen()
{
    return m_server.isListening() || m_server.listen(QHostAddress::LocalHost, 0);
}

quint16 WireTap::port() const
{
    return m_server.serverPort();
}

QNetworkProxy WireTap::proxy() const
{
    return QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), port());
}

void WireTap::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        auto tunnel = std::make_unique<Tunnel>();
        const quint64 id = m_nextId++;
        tunnel->id = id;
        tunnel->client = socket;
        socket->setReadBufferSize(readBufferSize);
        tunnel->alias[int(Direction::ClientToServer)] = keepAlias(socket);
        socket->setParent(nullptr);
        tunnel->deadline.setSingleShot(true);
        connect(&tunnel->deadline, &QTimer::timeout, this, [this, id] {
            const auto it = m_tunnels.find(id);
            const bool asked = it != m_tunnels.end() && it->second->upstream;
            Q_EMIT errorOccurred(
                id,
                asked ? tr("the tunnel to %1 did not open within %2 ms")
                            .arg(m_targetHost)
                            .arg(kConnectTimeoutMs)
                      : tr("no complete CONNECT request within %1 ms").arg(kConnectTimeoutMs),
                now());
            endTunnel(id, Direction::ClientToServer, tr("timeout"));
        });
        tunnel->deadline.start(kConnectTimeoutMs);
        connect(socket, &QIODevice::readyRead, this, [this, id] {
            const auto it = m_tunnels.find(id);
            if (it == m_tunnels.end())
                return;
            if (it->second->established)
                relay(*it->second, Direction::ClientToServer);
            else if (!it->second->upstream) // after the CONNECT, bytes wait for the tunnel
                readConnectRequest(*it->second);
        });
        connect(socket, &QAbstractSocket::errorOccurred, this,
                [this, id, socket](QAbstractSocket::SocketError error) {
                    const auto it = m_tunnels.find(id);
                    if (it == m_tunnels.end())
                        return;
                    Tunnel &t = *it->second;
                    const bool hungUp = error == QAbstractSocket::RemoteHostClosedError;
                    if (hungUp)
                        t.how[int(Direction::ClientToServer)]
                            = howItEnded(t.alias[int(Direction::ClientToServer)]);
                    const auto *secure = qobject_cast<QSslSocket *>(socket);
                    if (secure && secure->mode() != QSslSocket::UnencryptedMode && !t.established
                        && !t.ended) {
                        // The client refused the tap's certificate (a client that trusts only
                        // the system's CAs hangs up), or spoke no TLS.
                        Q_EMIT errorOccurred(
                            id,
                            tr("TLS between the client and the tap failed: %1")
                                .arg(hungUp ? tr("the client hung up during the handshake: it "
                                                 "must trust the tap's certificate "
                                                 "(WireSession::clientTrust())")
                                            : socket->errorString()),
                            now());
                        t.ended = true;
                        if (!hungUp)
                            socket->abort();
                    }
                });
        connect(
            socket, &QAbstractSocket::disconnected, this,
            [this, id] { endTunnel(id, Direction::ClientToServer, QStringLiteral("EOF")); },
            Qt::QueuedConnection);
        connect(socket, &QIODevice::bytesWritten, this, [this, id] {
            // Back-pressure: the client drained, read the server again.
            if (const auto it = m_tunnels.find(id);
                it != m_tunnels.end() && it->second->established)
                relay(*it->second, Direction::ServerToClient);
        });
        m_tunnels.emplace(id, std::move(tunnel));
    }
}

void WireTap::readConnectRequest(Tunnel &tunnel)
{
    tunnel.connectHead += tunnel.client->read(kMaxConnectHead + 1 - tunnel.connectHead.size());
    const ConnectRequest request = parseConnectRequest(tunnel.connectHead, kMaxConnectHead);
    if (request.state == ConnectRequest::State::Incomplete)
        return;
    if (!request.target.isEmpty())
        Q_EMIT tunnelRequested(tunnel.id, request.target, now());
    QString refusal = request.error;
    if (request.state == ConnectRequest::State::Complete
        && (request.host.compare(m_targetHost, Qt::CaseInsensitive) != 0
            || request.port != m_targetPort))
        refusal = tr("only %1:%2 may be tapped, not %3")
                      .arg(m_targetHost)
                      .arg(m_targetPort)
                      .arg(request.target);
    if (!refusal.isEmpty()) {
        Q_EMIT tunnelRefused(tunnel.id, request.target, refusal, now());
        answerAndClose(tunnel, request.status == 431 ? "431 Request Header Fields Too Large"
                                                     : "403 Forbidden");
        return;
    }

    const QString host = request.host;
    const uint port = request.port;
    const qsizetype end = request.headSize - 4;
    const quint64 id = tunnel.id;
    const QByteArray early = tunnel.connectHead.mid(end + 4); // bytes sent before our 200
    tunnel.connectHead.clear();
    if (tls() && !early.isEmpty()) {
        // A TLS client waits for our 200 before its ClientHello; anything else is not one.
        Q_EMIT tunnelRefused(id, request.target, tr("data sent before the tunnel opened"), now());
        answerAndClose(tunnel, "400 Bad Request");
        return;
    }
    QTcpSocket *upstream = tls() ? new QSslSocket : new QTcpSocket;
    upstream->setReadBufferSize(readBufferSize);
    upstream->setProxy(m_upstreamProxy);
    tunnel.upstream = upstream;
    connect(upstream, &QAbstractSocket::connected, this, [this, id, host, port, early] {
        const auto it = m_tunnels.find(id);
        if (it == m_tunnels.end())
            return;
        Tunnel &t = *it->second;
        t.alias[int(Direction::ServerToClient)] = keepAlias(t.upstream);
        Q_EMIT connectedToTarget(id, host, quint16(port), t.upstream->localAddress(),
                                 t.upstream->localPort(), now());
        if (!tls()) // wss://: once the server's TLS is up and verified (watchTls)
            openTunnel(t, early);
    });
    connect(upstream, &QIODevice::readyRead, this, [this, id] {
        if (const auto it = m_tunnels.find(id); it != m_tunnels.end())
            relay(*it->second, Direction::ServerToClient);
    });
    connect(upstream, &QIODevice::bytesWritten, this, [this, id] {
        if (const auto it = m_tunnels.find(id); it != m_tunnels.end())
            relay(*it->second, Direction::ClientToServer);
    });
    connect(upstream, &QAbstractSocket::errorOccurred, this,
            [this, id, upstream](QAbstractSocket::SocketError error) {
                const auto it = m_tunnels.find(id);
                if (it == m_tunnels.end())
                    return;
                Tunnel &t = *it->second;
                const bool tlsError = error == QAbstractSocket::SslHandshakeFailedError
                    || error == QAbstractSocket::SslInternalError
                    || error == QAbstractSocket::SslInvalidUserDataError;
                // TLS 1.3: a server that requires a client certificate checks it after the
                // handshake and hangs up before it answers (Qt reports the hang-up, not the
                // server's alert).
                const bool hungUpAfterTls = error == QAbstractSocket::RemoteHostClosedError
                    && t.serverTlsUp && !t.serverSpoke;
                QString why;
                if (!t.tlsFailure.isEmpty())
                    why = t.tlsFailure;
                else if (hungUpAfterTls && m_toServer.localCertificate().isNull())
                    why = tr("%1 hung up right after the TLS handshake, before answering: servers "
                             "that require a client certificate do this when none is presented.")
                              .arg(m_targetHost);
                else if (hungUpAfterTls)
                    why = tr("%1 hung up right after the TLS handshake, before answering: did it "
                             "refuse the client certificate?")
                              .arg(m_targetHost);
                else if (tlsError)
                    why = tr("TLS with %1 failed: %2").arg(m_targetHost, upstream->errorString());
                else
                    why = tr("cannot reach %1: %2").arg(m_targetHost, upstream->errorString());
                if (!t.established && !t.ended) {
                    Q_EMIT errorOccurred(id, why, now());
                    if (const auto *client = qobject_cast<QSslSocket *>(t.client.get());
                        client && client->mode() != QSslSocket::UnencryptedMode) {
                        // The client's TLS has begun: too late for a 502.
                        t.ended = true;
                        t.client->abort();
                    } else {
                        answerAndClose(t, "502 Bad Gateway");
                    }
                } else if (t.established && tlsError) {
                    Q_EMIT errorOccurred(id, why, now());
                    endTunnel(id, Direction::ServerToClient, upstream->errorString());
                } else if (t.established && hungUpAfterTls) {
                    Q_EMIT errorOccurred(id, why, now());
                    t.how[int(Direction::ServerToClient)]
                        = howItEnded(t.alias[int(Direction::ServerToClient)]);
                } else if (error == QAbstractSocket::RemoteHostClosedError) {
                    it->second->how[int(Direction::ServerToClient)]
                        = howItEnded(it->second->alias[int(Direction::ServerToClient)]);
                } else {
                    endTunnel(id, Direction::ServerToClient, upstream->errorString());
                }
            });
    connect(
        upstream, &QAbstractSocket::disconnected, this,
        [this, id] { endTunnel(id, Direction::ServerToClient, QStringLiteral("EOF")); },
        Qt::QueuedConnection);
    if (tls()) {
        watchTls(tunnel);
        auto *secure = static_cast<QSslSocket *>(upstream);
        secure->setSslConfiguration(m_toServer);
        // Verified against the name the client asked for, as the client itself would.
        secure->connectToHostEncrypted(host, quint16(port), m_targetHost);
    } else {
        upstream->connectToHost(host, quint16(port));
    }
}

void WireTap::openTunnel(Tunnel &t, const QByteArray &early)
{
    const quint64 id = t.id;
    if (!tls()) {
        t.deadline.stop();
        t.established = true;
    }
    t.client->write("HTTP/1.1 200 Connection established\r\n\r\n");
    if (tls()) {
        // The client's TLS follows our 200; the tunnel opens when it is up.
        static_cast<QSslSocket *>(t.client.get())->startServerEncryption();
        return;
    }
    if (!early.isEmpty()) {
        if (m_stepping) {
            m_held.push_back({ id, Direction::ClientToServer, early });
            m_heldBytes += early.size();
            Q_EMIT heldChanged(heldCount());
        } else {
            forward(t, Direction::ClientToServer, early);
        }
    }
    relay(t, Direction::ClientToServer);
}

void WireTap::watchTls(Tunnel &tunnel)
{
    const quint64 id = tunnel.id;
    auto *client = static_cast<QSslSocket *>(tunnel.client.get());
    auto *upstream = static_cast<QSslSocket *>(tunnel.upstream.get());
    client->setSslConfiguration(m_toClient);
    connect(upstream, &QSslSocket::sslErrors, this, [this, id](const QList<QSslError> &errors) {
        // Not ignored: the handshake fails next, and errorOccurred() says this.
        if (const auto it = m_tunnels.find(id); it != m_tunnels.end())
            it->second->tlsFailure = certificateProblem(errors, m_targetHost);
    });
    connect(upstream, &QSslSocket::encrypted, this, [this, id, upstream] {
        const auto it = m_tunnels.find(id);
        if (it == m_tunnels.end() || it->second->ended)
            return;
        const QSslSocket::PeerVerifyMode mode = upstream->peerVerifyMode();
        const bool verified = mode == QSslSocket::VerifyPeer || mode == QSslSocket::AutoVerifyPeer;
        TlsSummary summary = summarizeTls(*upstream, verified);
        if (!verified)
            summary.unverifiedProblem = certificateProblem(
                QSslCertificate::verify(upstream->peerCertificateChain(), m_targetHost),
                m_targetHost);
        it->second->serverTlsUp = true;
        Q_EMIT tlsEstablished(id, summary, now());
        openTunnel(*it->second, {});
    });
    connect(client, &QSslSocket::encrypted, this, [this, id] {
        const auto it = m_tunnels.find(id);
        if (it == m_tunnels.end() || it->second->ended)
            return;
        Tunnel &t = *it->second;
        t.deadline.stop();
        t.established = true;
        relay(t, Direction::ClientToServer);
        relay(t, Direction::ServerToClient);
    });
}

void WireTap::answerAndClose(Tunnel &tunnel, QByteArrayView status)
{
    // The tunnel never opened: answer the CONNECT and hang up.
    tunnel.deadline.stop();
    tunnel.ended = true;
    tunnel.client->write("HTTP/1.1 " + status.toByteArray()
                         + "\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    tunnel.client->disconnectFromHost();
}

void WireTap::relay(Tunnel &tunnel, Direction direction)
{
    QTcpSocket *from = direction == Direction::ClientToServer ? tunnel.client : tunnel.upstream;
    QTcpSocket *to = direction == Direction::ClientToServer ? tunnel.upstream : tunnel.client;
    if (!from || !to || !tunnel.established)
        return;
    if (m_stepping) {
        bool added = false;
        while (from->bytesAvailable() > 0 && m_heldBytes < maxHeld) {
            const QByteArray bytes = from->read(qMin<qint64>(from->bytesAvailable(), 256 * 1024));
            m_held.push_back({ tunnel.id, direction, bytes });
            m_heldBytes += bytes.size();
            added = true;
        }
        if (added)
            Q_EMIT heldChanged(heldCount());
        return;
    }
    while (from->bytesAvailable() > 0 && to->bytesToWrite() < maxBuffered)
        forward(tunnel, direction, from->read(qMin<qint64>(from->bytesAvailable(), 256 * 1024)));
}

void WireTap::forward(Tunnel &tunnel, Direction direction, const QByteArray &bytes)
{
    QTcpSocket *to = direction == Direction::ClientToServer ? tunnel.upstream : tunnel.client;
    Q_EMIT chunk(tunnel.id, direction, bytes, now());
    if (direction == Direction::ServerToClient)
        tunnel.serverSpoke = true;
    if (to)
        to->write(bytes);
}

bool WireTap::holds(quint64 tunnel) const
{
    return std::any_of(m_held.begin(), m_held.end(),
                       [tunnel](const Held &held) { return held.tunnel == tunnel; });
}

void WireTap::setStepping(bool stepping)
{
    m_stepping = stepping;
    if (stepping)
        return;
    while (!m_held.empty())
        step();
    for (auto &[id, tunnel] : m_tunnels) { // what arrived meanwhile flows again
        relay(*tunnel, Direction::ClientToServer);
        relay(*tunnel, Direction::ServerToClient);
    }
}

bool WireTap::step()
{
    if (m_held.empty())
        return false;
    const Held held = std::move(m_held.front());
    m_held.pop_front();
    m_heldBytes -= held.bytes.size();
    const auto it = m_tunnels.find(held.tunnel);
    if (it != m_tunnels.end()) {
        Tunnel &tunnel = *it->second;
        forward(tunnel, held.direction, held.bytes);
        if (tunnel.pendingEnd && !holds(held.tunnel)) {
            const auto [from, how] = *std::exchange(tunnel.pendingEnd, std::nullopt);
            endTunnel(held.tunnel, from, how);
        }
    }
    Q_EMIT heldChanged(heldCount());
    if (m_stepping) // reading may have stopped at maxHeld
        for (auto &[id, tunnel] : m_tunnels) {
            relay(*tunnel, Direction::ClientToServer);
            relay(*tunnel, Direction::ServerToClient);
        }
    return true;
}

void WireTap::endTunnel(quint64 id, Direction from, const QString &how)
{
    const auto it = m_tunnels.find(id);
    if (it == m_tunnels.end())
        return;
    Tunnel &tunnel = *it->second;
    const int side = int(from);
    if (tunnel.how[side].isEmpty() && tunnel.alias[side] != -1)
        tunnel.how[side] = howItEnded(tunnel.alias[side]);
    closeAlias(tunnel.alias[side]); // lets our FIN go out now that Qt has closed its descriptor
    if (m_stepping && tunnel.established && !tunnel.closed[side]) {
        relay(tunnel, from); // hold what the closing side sent last
        if (holds(id)) {
            tunnel.pendingEnd = std::pair(from, how); // the end crosses after the held bytes
            return;
        }
    }
    if (tunnel.established && !tunnel.closed[side]) {
        relay(tunnel, from); // whatever the closing side sent last still goes through
        tunnel.closed[side] = true;
        const QString reported = tunnel.closedByTap[side]
            ? tr("closed by the tap after the other side ended")
            : (tunnel.how[side].isEmpty() ? how : tunnel.how[side]);
        Q_EMIT tcpClosed(id, from, reported, now());
    }
    tunnel.ended = true;
    const Direction otherDirection
        = from == Direction::ClientToServer ? Direction::ServerToClient : Direction::ClientToServer;
    QTcpSocket *other
        = otherDirection == Direction::ClientToServer ? tunnel.client : tunnel.upstream;
    if (other && other->state() != QAbstractSocket::UnconnectedState) {
        tunnel.closedByTap[int(otherDirection)] = true;
        other->disconnectFromHost(); // flushes what is buffered first; its disconnected() ends the
                                     // tunnel
        return;
    }
    const int otherSide = int(otherDirection);
    if (tunnel.established && !tunnel.closed[otherSide]) { // both went at once
        tunnel.closed[otherSide] = true;
        Q_EMIT tcpClosed(id, otherDirection, QStringLiteral("EOF"), now());
    }
    if (tunnel.client)
        tunnel.client->deleteLater();
    if (tunnel.upstream)
        tunnel.upstream->deleteLater();
    m_tunnels.erase(it);
}

} // namespace wslab
