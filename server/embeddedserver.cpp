#include "embeddedserver.h"

#include "devicesummary.h"
#include "guardedtcpserver_p.h"
#include "httpfront_p.h"
#include "peer.h"
#include "portbinding.h"
#include "redisbus.h"
#include "socketmemory.h"

#include <QHttpServerRequest>
#include <QPointer>
#include <QTcpSocket>
#include <QWebSocket>

#include <algorithm>
#include <optional>

using namespace std::chrono_literals;

namespace wslab {

struct EmbeddedServer::PendingUpgrade
{
    QHostAddress peerAddress;
    quint16 peerPort = 0;
    Route route = Route::Echo;
    QString name;
    QString userAgent;
    QPointer<QTcpSocket> tcp; // the connection Qt upgrades: the WebSocket keeps writing to it
};

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    using M = QHttpServerRequest::Method;
    switch (method) {
    case M::Get:
        return "GET";
    case M::Put:
        return "PUT";
    case M::Delete:
        return "DELETE";
    case M::Post:
        return "POST";
    case M::Head:
        return "HEAD";
    case M::Options:
        return "OPTIONS";
    case M::Patch:
        return "PATCH";
    case M::Connect:
        return "CONNECT";
    case M::Trace:
        return "TRACE";
    default:
        return {}; // routeRequest() answers 501
    }
}

qint64 monotonicMs()
{
    return monotonicNowNs() / 1'000'000;
}

QString userAgentOf(const HeaderList &headers)
{
    for (const auto &[name, value] : headers) {
        if (name.compare("user-agent", Qt::CaseInsensitive) == 0)
            return QString::fromUtf8(value.left(maxUserAgentLength * 4)).left(maxUserAgentLength);
    }
    return {};
}

// One unmasked, final text frame (RFC 6455 §5.2), as a server sends it.
QByteArray serverTextFrame(const QByteArray &payload)
{
    QByteArray frame;
    frame.reserve(payload.size() + 10);
    frame.append(char(0x81)); // FIN, text
    const quint64 length = quint64(payload.size());
    if (length < 126) {
        frame.append(char(length));
    } else if (length <= 0xffff) {
        frame.append(char(126));
        frame.append(char(length >> 8)).append(char(length & 0xff));
    } else {
        frame.append(char(127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((length >> shift) & 0xff));
    }
    return frame + payload;
}

} // namespace

EmbeddedServer::EmbeddedServer(const ServerConfig &config, QObject *parent)
    : QObject(parent), m_config(config), m_clock(systemClock())
{
    m_pushTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_pushTimer, &QTimer::timeout, this, &EmbeddedServer::pushTime);
    connect(&m_idleTimer, &QTimer::timeout, this, &EmbeddedServer::checkIdlePeers);
}

QString EmbeddedServer::closeCodeProblem(quint16 code)
{
    if (isValidCloseCode(code))
        return {};
    if (code == 1005 || code == 1006 || code == 1015)
        return tr("%1 only reports a close that had no code; it cannot be sent. "
                  "Use 1000–1003, 1007–1014 or 3000–4999.")
            .arg(code);
    return tr("%1 is not a code a Close frame may carry. Use 1000–1003, 1007–1014 or "
              "3000–4999 (4000–4999 are for your own use).")
        .arg(code);
}

EmbeddedServer::~EmbeddedServer()
{
    stop();
}

bool EmbeddedServer::start()
{
    if (isListening())
        return true;
    m_errorString.clear();
    for (const QString &origin : std::as_const(m_config.allowedOrigins)) {
        QString error;
        if (!m_origins.allow(origin, &error)) {
            m_errorString = tr("Cannot allow origin: %1").arg(error);
            Q_EMIT errorOccurred(0, m_errorString);
            return false;
        }
    }

    GuardedTcpServer::Settings settings { m_config.limits.maxConnections,
                                          m_config.limits.maxPerAddress,
                                          m_config.limits.handshakeTimeout,
                                          m_config.limits.maxHttpRequestSize, std::nullopt };
    if (!m_config.instance.isEmpty())
        settings.upgradeHeaders = "X-WsLab-Instance: " + m_config.instance.toLatin1() + "\r\n";
    if (m_config.tls) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(m_config.tls->certificate);
        tls.setLocalCertificateChain(QList { m_config.tls->certificate } + m_config.tls->chain);
        tls.setPrivateKey(m_config.tls->key);
        tls.setPeerVerifyMode(QSslSocket::VerifyNone); // clients are not asked for certificates
        tls.setProtocol(QSsl::TlsV1_2OrLater);
        settings.tls = tls;
    }
    auto tcp = std::make_unique<GuardedTcpServer>(settings, nullptr);
    m_errorString = listenOnPort(*tcp, m_config.host, m_config.port, m_config.useNextFreePort);
    if (!m_errorString.isEmpty()) {
        Q_EMIT errorOccurred(0, m_errorString);
        return false;
    }

    m_tcp = tcp.release();
    connect(m_tcp, &GuardedTcpServer::accepted, this,
            [this](ConnectionGuard *guard, QTcpSocket *socket) {
                const quint64 id = guard->id();
                connect(guard, &ConnectionGuard::timedOut, this, [this](quint64 id) {
                    Q_EMIT errorOccurred(
                        id,
                        tr("closed: the HTTP request did not complete within %1 ms")
                            .arg(m_config.limits.handshakeTimeout.count()));
                });
                connect(guard, &ConnectionGuard::rejected, this, &EmbeddedServer::requestRejected);
                Q_EMIT tcpAccepted(id, socket->peerAddress(), socket->peerPort());
            });
    connect(m_tcp, &GuardedTcpServer::refused, this, &EmbeddedServer::tcpRefused);
    connect(m_tcp, &GuardedTcpServer::connectionEnded, this, [this](quint64 id) {
        m_pendingUpgrades.erase(id); // a handshake Qt rejected after we accepted it
        Q_EMIT tcpClosed(id);
    });

    m_http = new HttpFront(this);
    connect(m_http, &HttpFront::newWebSocketConnection, this,
            &EmbeddedServer::onNewWebSocketConnection);
    m_http->bind(m_tcp);

    m_origins.setListening(address(), this->port(), isTls());
    m_chat.setInstance(m_config.instance);
    restartPushTimer();
    if (m_config.limits.idleTimeout.count() > 0)
        m_idleTimer.start(qMax(std::chrono::milliseconds(10), m_config.limits.idleTimeout / 4));
    Q_EMIT listening(address(), this->port());
    if (m_config.redis) {
        m_bus = new RedisBus(*m_config.redis, m_config.instance, this);
        connect(m_bus, &RedisBus::received, this,
                [this](RedisBus::Channel channel, const QString &, const QString &text) {
                    deliverFromCluster(int(channel), text);
                });
        connect(m_bus, &RedisBus::stateChanged, this,
                [this](RedisBus::State state, const Text &description) {
                    Q_EMIT clusterChanged(state == RedisBus::State::Shared, description);
                });
        m_bus->start();
    }
    return true;
}

void EmbeddedServer::stop()
{
    if (isListening())
        Q_EMIT stopping();
    m_pushTimer.stop();
    m_idleTimer.stop();
    delete m_bus; // the leave notices below stay on this instance: its clients go together
    m_bus = nullptr;
    for (auto &[id, peer] : m_peers)
        peer->shutDown();
    m_peers.clear();
    m_chat = {};
    m_pendingUpgrades.clear();
    if (m_tcp)
        m_tcp->disconnect(this);
    delete m_http; // owns m_tcp and every socket still in the HTTP phase
    m_http = nullptr;
    m_tcp = nullptr;
}

bool EmbeddedServer::isListening() const
{
    return m_tcp && m_tcp->isListening();
}

QString EmbeddedServer::errorString() const
{
    return m_errorString;
}

QHostAddress EmbeddedServer::address() const
{
    return m_tcp ? m_tcp->serverAddress() : QHostAddress();
}

quint16 EmbeddedServer::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

QUrl EmbeddedServer::httpUrl(const QString &path) const
{
    QUrl url;
    url.setScheme(isTls() ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(address().toString());
    url.setPort(port());
    url.setPath(path);
    return url;
}

QUrl EmbeddedServer::webSocketUrl(Route route) const
{
    QUrl url = httpUrl(routePath(route));
    url.setScheme(isTls() ? QStringLiteral("wss") : QStringLiteral("ws"));
    return url;
}

int EmbeddedServer::connectionCount() const
{
    return m_tcp ? m_tcp->liveConnections() : 0;
}

QList<ClientInfo> EmbeddedServer::clients() const
{
    QList<ClientInfo> result;
    result.reserve(qsizetype(m_peers.size()));
    const QDateTime now = m_clock();
    for (const auto &[id, peer] : m_peers)
        result.append(peer->snapshot(now));
    return result;
}

std::optional<ClientInfo> EmbeddedServer::client(quint64 id) const
{
    const Peer *found = peer(id);
    return found ? std::optional(found->snapshot(m_clock())) : std::nullopt;
}

Peer *EmbeddedServer::peer(quint64 id) const
{
    const auto it = m_peers.find(id);
    return it == m_peers.end() ? nullptr : it->second.get();
}

void EmbeddedServer::setMessageSignalsMuted(quint64 id, bool muted)
{
    if (Peer *found = peer(id))
        found->setMuted(muted);
}

void EmbeddedServer::setClock(Clock clock)
{
    m_clock = clock ? std::move(clock) : systemClock();
}

void EmbeddedServer::setPushInterval(double seconds)
{
    if (seconds < 0 || !qIsFinite(seconds) || seconds == m_config.pushInterval)
        return;
    m_config.pushInterval = seconds;
    restartPushTimer();
    Q_EMIT pushIntervalChanged(seconds);
}

bool EmbeddedServer::isShared() const
{
    return m_bus && m_bus->isShared();
}

void EmbeddedServer::publishNews(const QString &text)
{
    fanOut(Route::News, m_news.publish(text).encode(), SendKind::Push);
    if (m_bus) // each instance numbers the headlines its own /news serves
        m_bus->publish(RedisBus::Channel::News, text);
}

void EmbeddedServer::chatToAll(const QString &text)
{
    fanOut(Route::Chat, text, SendKind::Chat);
    if (m_bus)
        m_bus->publish(RedisBus::Channel::Chat, text);
}

void EmbeddedServer::deliverFromCluster(int channel, const QString &text)
{
    switch (RedisBus::Channel(channel)) {
    case RedisBus::Channel::Chat:
        fanOut(Route::Chat, text, SendKind::Chat);
        break;
    case RedisBus::Channel::Broadcast:
        fanOut(std::nullopt, text, SendKind::Broadcast);
        break;
    case RedisBus::Channel::News:
        fanOut(Route::News, m_news.publish(text).encode(), SendKind::Push);
        break;
    }
}

void EmbeddedServer::tag(HttpResponse &response) const
{
    if (!m_config.instance.isEmpty())
        response.headers.emplaceBack("X-WsLab-Instance", m_config.instance.toLatin1());
}

void EmbeddedServer::setHandshakeTimeout(std::chrono::milliseconds timeout)
{
    m_config.limits.handshakeTimeout = timeout;
    if (m_tcp)
        m_tcp->setHandshakeTimeout(timeout);
}

void EmbeddedServer::restartPushTimer()
{
    if (m_config.pushInterval > 0 && isListening())
        m_pushTimer.start(
            std::chrono::milliseconds(qMax<qint64>(1, qRound64(m_config.pushInterval * 1000))));
    else
        m_pushTimer.stop();
}

RouteDecision EmbeddedServer::route(const QHttpServerRequest &request,
                                    const QTcpSocket *socket) const
{
    return routeRequest({ methodName(request.method()), request.url().path(), request.query(),
                          request.headers(), socket ? socket->localAddress() : QHostAddress() },
                        { m_clock(), m_news.latestLine(), &m_origins });
}

bool EmbeddedServer::handleHttpRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    ConnectionGuard *guard = ConnectionGuard::of(socket);
    const quint64 id = guard ? guard->id() : 0;
    const qint64 requestBytes = guard ? guard->requestBytes() : 0;
    if (guard)
        guard->requestCompleted(m_config.limits.httpIdleTimeout);

    const QString path = request.url().path();
    if (isWebSocketUpgrade(request.headers()))
        Q_EMIT handshakeReceived(id, path, request.headers());
    RouteDecision decision = route(request, socket);
    switch (decision.action) {
    case RouteDecision::Action::Reject:
        return false; // rejectRequest() answers
    case RouteDecision::Action::Upgrade:
        m_pendingUpgrades[id] = PendingUpgrade { socket->peerAddress(),
                                                 socket->peerPort(),
                                                 decision.route,
                                                 ChatRoom::nameFor(decision.requestedName, id),
                                                 userAgentOf(request.headers()),
                                                 socket };
        if (guard)
            guard->upgraded();
        if (!isTls()) // a TLS socket's bytes live in its inner socket
            setReadChunkSize(socket, idleReadChunk);
        return true; // Qt completes the handshake and emits newWebSocketConnection
    case RouteDecision::Action::Respond:
        break;
    }
    tag(decision.response);
    const qint64 responseBytes = HttpFront::respond(request, socket, decision.response);
    const QByteArray method = methodName(request.method());
    Q_EMIT httpServed(id,
                      method.isEmpty() ? QStringLiteral("UNKNOWN") : QString::fromLatin1(method),
                      path, decision.response.status);
    Q_EMIT httpBytes(id, path, requestBytes, responseBytes);
    return true;
}

void EmbeddedServer::rejectRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const quint64 id = ConnectionGuard::of(socket) ? ConnectionGuard::of(socket)->id() : 0;
    RouteDecision decision = route(request, socket);
    if (decision.action != RouteDecision::Action::Reject) { // Qt declined what we would take
        const Text why = Text::of<EmbeddedServer>(
            QT_TR_NOOP("the WebSocket handshake could not be completed"));
        decision.rejection = { 500, why.english(), why };
        decision.response = HttpResponse::text(500, why.english());
    }
    tag(decision.response);
    HttpFront::respond(request, socket, decision.response);
    Q_EMIT handshakeRejected(id, decision.rejection.status, decision.rejection.why);
}

void EmbeddedServer::onNewWebSocketConnection()
{
    while (m_http && m_http->hasPendingWebSocketConnections())
        adoptWebSocket(m_http->nextPendingWebSocketConnection().release());
}

void EmbeddedServer::adoptWebSocket(QWebSocket *socket)
{
    socket->setParent(this);
    const auto pending
        = std::find_if(m_pendingUpgrades.begin(), m_pendingUpgrades.end(), [&](const auto &entry) {
              return entry.second.peerPort == socket->peerPort()
                  && entry.second.peerAddress.isEqual(socket->peerAddress());
          });
    if (pending == m_pendingUpgrades.end()) {
        Q_EMIT errorOccurred(0, tr("a WebSocket arrived without its handshake record; closed"));
        socket->close(QWebSocketProtocol::CloseCodeAbnormalDisconnection);
        socket->deleteLater();
        return;
    }

    ClientInfo info;
    info.id = pending->first;
    info.peerAddress = socket->peerAddress();
    info.peerPort = socket->peerPort();
    info.route = pending->second.route;
    info.name = pending->second.name;
    info.userAgent = pending->second.userAgent;
    info.device = deviceSummary(info.userAgent);
    info.since = m_clock();
    const ServerLimits &limits = m_config.limits;
    // A chat message goes to every member, and a member gets every member's messages: its
    // limits are its own, and Qt enforces the message limit (1009) before assembling it.
    const bool chat = info.route == Route::Chat;
    const Peer::Limits peerLimits {
        chat ? qMin(limits.maxMessageSize, limits.maxChatMessageSize) : limits.maxMessageSize,
        limits.maxFrameSize,
        chat ? qMin(limits.maxSendBuffer, limits.maxChatSendBuffer) : limits.maxSendBuffer,
        limits.closeTimeout,
    };
    auto peer
        = std::make_unique<Peer>(socket, pending->second.tcp, info, peerLimits, isTls(), this);
    m_pendingUpgrades.erase(pending);

    peer->setMessageHandler(
        [this](Peer &from, const Message &message) { onMessage(from, message); });
    connect(peer.get(), &Peer::pong, this, &EmbeddedServer::pongReceived);
    connect(peer.get(), &Peer::errorOccurred, this, &EmbeddedServer::errorOccurred);
    connect(peer.get(), &Peer::disconnected, this, &EmbeddedServer::onDisconnected);
    m_peers.emplace(info.id, std::move(peer));
    Q_EMIT opened(info);
    if (chat)
        chatToAll(m_chat.join(info.id, info.name));
}

void EmbeddedServer::onMessage(Peer &peer, const Message &message)
{
    ++m_messageCount;
    if (!peer.isMuted())
        Q_EMIT messageReceived(peer.id(), message);
    switch (peer.route()) {
    case Route::Echo:
        send(peer, message, SendKind::Echo);
        break;
    case Route::Chat:
        if (message.binary)
            peer.close(QWebSocketProtocol::CloseCodeDatatypeNotSupported,
                       ChatRoom::binaryRefusal());
        else
            chatToAll(m_chat.say(peer.id(), message.text));
        break;
    case Route::News: // only listens
        break;
    }
}

void EmbeddedServer::onDisconnected(Peer *peer, const CloseInfo &info)
{
    const quint64 id = peer->id();
    if (this->peer(id) != peer)
        return; // not ours (any more)
    // Still listed while receivers learn of the close, so they can read its last counters.
    Q_EMIT closed(id, info);
    auto node = m_peers.extract(id);
    node.mapped().release()->deleteLater(); // we are inside one of its signals
    if (const QString notice = m_chat.leave(id); !notice.isEmpty())
        chatToAll(notice);
}

void EmbeddedServer::pushTime()
{
    fanOut(Route::Echo, BeijingTime::format(m_clock()), SendKind::Push);
}

void EmbeddedServer::fanOut(std::optional<Route> route, const QString &text, SendKind kind)
{
    // Qt frames a message anew for each socket it is sent on: a fan-out builds its frame once.
    const QByteArray frame = serverTextFrame(text.toUtf8());
    const Message message = Message::fromText(text);
    for (auto &[id, peer] : m_peers) {
        if ((!route || peer->route() == *route) && peer->sendFrame(frame, kind))
            accountSent(*peer, message, kind);
    }
}

bool EmbeddedServer::send(Peer &peer, const Message &message, SendKind kind)
{
    if (!peer.send(message, kind))
        return false;
    accountSent(peer, message, kind);
    return true;
}

void EmbeddedServer::accountSent(Peer &peer, const Message &message, SendKind kind)
{
    ++m_messageCount;
    if (!peer.isMuted())
        Q_EMIT messageSent(peer.id(), message, kind);
}

bool EmbeddedServer::sendTo(quint64 id, const QString &text)
{
    Peer *found = peer(id);
    return found && send(*found, Message::fromText(text), SendKind::Direct);
}

void EmbeddedServer::broadcast(const QString &text)
{
    fanOut(std::nullopt, text, SendKind::Broadcast);
    if (m_bus)
        m_bus->publish(RedisBus::Channel::Broadcast, text);
}

bool EmbeddedServer::kick(quint64 id, quint16 code, const QString &reason)
{
    Peer *found = peer(id);
    if (!found)
        return false;
    if (const QString problem = closeCodeProblem(code); !problem.isEmpty()) {
        Q_EMIT errorOccurred(id, tr("not kicked: %1").arg(problem));
        return false;
    }
    found->close(code, reason);
    return true;
}

int EmbeddedServer::kickAll(quint16 code, const QString &reason)
{
    if (const QString problem = closeCodeProblem(code); !problem.isEmpty()) {
        Q_EMIT errorOccurred(0, tr("not kicked: %1").arg(problem));
        return 0;
    }
    int kicked = 0;
    for (auto &[id, peer] : m_peers) {
        if (!peer->isClosing()) {
            peer->close(code, reason);
            ++kicked;
        }
    }
    return kicked;
}

int EmbeddedServer::pingAll(const QByteArray &payload)
{
    int pinged = 0;
    for (auto &[id, peer] : m_peers)
        pinged += peer->ping(payload) ? 1 : 0;
    return pinged;
}

bool EmbeddedServer::kickPeer(const QHostAddress &address, quint16 port, quint16 code,
                              const QString &reason)
{
    const auto it = std::find_if(m_peers.begin(), m_peers.end(), [&](const auto &entry) {
        return entry.second->info().peerPort == port
            && entry.second->info().peerAddress.isEqual(address);
    });
    return it != m_peers.end() && kick(it->first, code, reason);
}

bool EmbeddedServer::allowOrigin(const QString &origin)
{
    QString error;
    if (!m_origins.allow(origin, &error)) {
        Q_EMIT errorOccurred(0, error);
        return false;
    }
    Q_EMIT originsChanged(m_origins.ownOrigins(), m_origins.extraOrigins());
    return true;
}

void EmbeddedServer::checkIdlePeers()
{
    const qint64 now = monotonicMs();
    const qint64 limit = m_config.limits.idleTimeout.count();
    for (auto &[id, peer] : m_peers)
        peer->checkIdle(now, limit);
}

bool EmbeddedServer::ping(quint64 id, const QByteArray &payload)
{
    Peer *found = peer(id);
    return found && found->ping(payload);
}

} // namespace wslab
