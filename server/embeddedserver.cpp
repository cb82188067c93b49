#include "embeddedserver.h"

#include "guardedtcpserver_p.h"
#include "httpfront_p.h"
#include "socketmemory.h"
#include "upgradecheck.h"

#include <QFile>
#include <QHttpServerRequest>
#include <QPointer>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QWebSocket>

#include <algorithm>
#include <optional>

#include <sys/socket.h>

using namespace std::chrono_literals;

namespace wslab {

struct EmbeddedServer::PendingUpgrade
{
    QHostAddress peerAddress;
    quint16 peerPort = 0;
    Route route = Route::Echo;
    QString name;
    QPointer<QTcpSocket> tcp; // the connection Qt upgrades: the WebSocket keeps writing to it
};

struct EmbeddedServer::Client
{
    ClientInfo info;
    QWebSocket *socket = nullptr;
    QPointer<QTcpSocket> tcp; // the same connection below the WebSocket, for fanOut()
    bool closeStarted = false; // Qt emitted aboutToClose: a Close frame went out
    bool serverInitiated = false; // we called close() (kick, shutdown, policy)
    bool dropped = false; // the peer did not finish closing in time: TCP was aborted
    bool muted = false; // no per-message signals (setMessageSignalsMuted)
    qint64 lastHeardMs = 0; // when a message or pong last came (monotonic)
    qint64 pingSentMs = 0; // an idle check's ping is out since then; 0: none
    quint16 closeCodeSent = 0;
    QString closeReasonSent;

    // Nothing more is sent to a client once either side started closing.
    bool closing() const { return closeStarted || serverInitiated; }
};

namespace {

constexpr int kMaxChatName = 32;
constexpr qsizetype kMaxCloseReasonBytes = 123; // RFC 6455 §5.5: control payload ≤ 125

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
        return "UNKNOWN";
    }
}

std::optional<Route> routeFor(const QString &path)
{
    if (path == u"/ws")
        return Route::Echo;
    if (path == u"/chat")
        return Route::Chat;
    if (path == u"/news")
        return Route::News;
    return std::nullopt;
}

qint64 monotonicMs()
{
    return monotonicNowNs() / 1'000'000;
}

// Codes Qt's own frame reader closes with when the peer breaks a rule; Qt does not say that it
// was Qt that closed, so these are attributed to the server.
bool isProtocolErrorCode(quint16 code)
{
    return code == 1002 || code == 1007 || code == 1009;
}

QString truncatedReason(const QString &reason)
{
    QByteArray utf8 = reason.toUtf8();
    if (utf8.size() <= kMaxCloseReasonBytes)
        return reason;
    // Cut at a character boundary.
    qsizetype end = kMaxCloseReasonBytes;
    while (end > 0 && (quint8(utf8.at(end)) & 0xC0) == 0x80)
        --end;
    return QString::fromUtf8(utf8.left(end));
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

QString chatName(const QUrlQuery &query, quint64 id)
{
    QString name = query.queryItemValue(QStringLiteral("name"), QUrl::FullyDecoded)
                       .simplified()
                       .left(kMaxChatName);
    return name.isEmpty() ? QStringLiteral("guest-%1").arg(id) : name;
}

HttpFront::Response textResponse(int status, const QString &text)
{
    HttpFront::Response response;
    response.status = status;
    response.body = text.toUtf8() + '\n';
    return response;
}

} // namespace

EmbeddedServer::EmbeddedServer(const ServerConfig &config, QObject *parent)
    : QObject(parent), m_config(config), m_clock(systemClock())
{
    m_pushTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_pushTimer, &QTimer::timeout, this, &EmbeddedServer::pushTime);
    connect(&m_idleTimer, &QTimer::timeout, this, &EmbeddedServer::checkIdleClients);
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
    const int attempts = (m_config.useNextFreePort && m_config.port != 0) ? 100 : 1;
    quint16 port = m_config.port;
    bool ok = false;
    for (int i = 0; i < attempts && !ok; ++i, ++port) {
        ok = tcp->listen(m_config.host, port);
        if (!ok && tcp->serverError() != QAbstractSocket::AddressInUseError)
            break;
        if (port == 65535)
            break;
    }
    if (!ok) {
        const QString where
            = QStringLiteral("%1:%2").arg(m_config.host.toString()).arg(m_config.port);
        switch (tcp->serverError()) {
        case QAbstractSocket::AddressInUseError:
            m_errorString = attempts > 1 ? tr("Ports %1 to %2 on %3 are all in use.")
                                               .arg(m_config.port)
                                               .arg(port - 1)
                                               .arg(m_config.host.toString())
                                         : tr("Port %1 on %2 is already in use by another program.")
                                               .arg(m_config.port)
                                               .arg(m_config.host.toString());
            break;
        case QAbstractSocket::SocketAddressNotAvailableError:
            m_errorString = tr("Cannot listen on %1: %2 is not an address of this machine.")
                                .arg(where, m_config.host.toString());
            break;
        case QAbstractSocket::SocketAccessError:
            m_errorString
                = tr("Not allowed to listen on %1 (ports below 1024 need privileges).").arg(where);
            break;
        default:
            m_errorString = tr("Cannot listen on %1: %2").arg(where, tcp->errorString());
            break;
        }
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

    m_origins.setOwnOrigins(OriginPolicy::ownOrigins(address(), this->port(), isTls()));
    restartPushTimer();
    if (m_config.limits.idleTimeout.count() > 0)
        m_idleTimer.start(qMax(std::chrono::milliseconds(10), m_config.limits.idleTimeout / 4));
    Q_EMIT listening(address(), this->port());
    return true;
}

void EmbeddedServer::stop()
{
    if (isListening())
        Q_EMIT stopping();
    m_pushTimer.stop();
    m_idleTimer.stop();
    for (auto &[id, client] : m_clients) {
        client->socket->disconnect(this);
        if (!client->closeStarted)
            client->socket->close(QWebSocketProtocol::CloseCodeGoingAway,
                                  QStringLiteral("server shutting down"));
        delete client->socket;
    }
    m_clients.clear();
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
    result.reserve(qsizetype(m_clients.size()));
    for (const auto &[id, client] : m_clients)
        result.append(client->info);
    return result;
}

std::optional<ClientInfo> EmbeddedServer::client(quint64 id) const
{
    const auto it = m_clients.find(id);
    return it == m_clients.end() ? std::nullopt : std::optional(it->second->info);
}

void EmbeddedServer::setMessageSignalsMuted(quint64 id, bool muted)
{
    if (const auto it = m_clients.find(id); it != m_clients.end())
        it->second->muted = muted;
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

void EmbeddedServer::publishNews(const QString &text)
{
    m_news = News { m_news.seq + 1, monotonicNowNs(), text };
    fanOut(Route::News, m_news.encode(), SendKind::Push);
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

bool EmbeddedServer::handleHttpRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    ConnectionGuard *guard = ConnectionGuard::of(socket);
    const quint64 id = guard ? guard->id() : 0;
    const qint64 requestBytes = guard ? guard->requestBytes() : 0;
    if (guard)
        guard->requestCompleted(m_config.limits.httpIdleTimeout);

    const QString path = request.url().path();
    const QByteArray method = methodName(request.method());
    const HeaderList headers = request.headers();

    if (isWebSocketUpgrade(headers)) {
        Q_EMIT handshakeReceived(id, path, headers);
        if (!judgeUpgrade(request).ok())
            return false; // rejectRequest() answers
        const Route route = *routeFor(path);
        m_pendingUpgrades[id] = PendingUpgrade { socket->peerAddress(), socket->peerPort(), route,
                                                 chatName(request.query(), id), socket };
        if (guard)
            guard->upgraded();
        if (!isTls()) // a TLS socket's bytes live in its inner socket
            setReadChunkSize(socket, idleReadChunk);
        return true; // Qt completes the handshake and emits newWebSocketConnection
    }

    HttpFront::Response response;
    const bool readOnly = method == "GET" || method == "HEAD";
    if (request.method() == QHttpServerRequest::Method::Unknown) {
        response = textResponse(501, tr("This method is not implemented."));
    } else if (path == u"/" || path == u"/index.html") {
        if (readOnly) {
            QFile page(QStringLiteral(":/wslab/web/index.html"));
            if (page.open(QIODevice::ReadOnly)) {
                response.contentType = QByteArrayLiteral("text/html; charset=utf-8");
                response.body = page.readAll();
            } else {
                response
                    = textResponse(500, QStringLiteral("The page is missing from this build."));
            }
        }
    } else if (path == u"/time") {
        if (readOnly) {
            response = textResponse(200, BeijingTime::format(m_clock()));
            response.headers.emplaceBack("Cache-Control", "no-store");
        }
    } else if (path == u"/news") {
        if (readOnly) { // the polling side of the demo
            response = textResponse(200, m_news.encode());
            response.headers.emplaceBack("Cache-Control", "no-store");
        }
    } else if (routeFor(path)) {
        response = textResponse(426,
                                tr("%1 is a WebSocket endpoint: connect to it with a "
                                   "WebSocket client (Upgrade: websocket).")
                                    .arg(path));
        response.headers.emplaceBack("Upgrade", "websocket");
        response.headers.emplaceBack("Sec-WebSocket-Version", "13");
    } else {
        response = textResponse(404,
                                tr("Nothing at %1. Try / (page), /time (Beijing time), "
                                   "/ws (WebSocket echo + time push) or /chat.")
                                    .arg(path));
    }
    if (!readOnly && response.status == 200) {
        response = textResponse(
            405, tr("%1 takes GET or HEAD, not %2.").arg(path, QString::fromLatin1(method)));
        response.headers.emplaceBack("Allow", "GET, HEAD");
    }
    const qint64 responseBytes = HttpFront::respond(request, socket, response);
    Q_EMIT httpServed(id, QString::fromLatin1(method), path, response.status);
    Q_EMIT httpBytes(id, path, requestBytes, responseBytes);
    return true;
}

UpgradeVerdict EmbeddedServer::judgeUpgrade(const QHttpServerRequest &request) const
{
    const QString path = request.url().path();
    if (!routeFor(path))
        return { 404, tr("no WebSocket endpoint at %1; use /ws or /chat").arg(path) };
    const HeaderList headers = request.headers();
    const UpgradeVerdict verdict = checkUpgradeRequest(methodName(request.method()), headers);
    if (!verdict.ok())
        return verdict;
    QString origin;
    for (const auto &[name, value] : headers) {
        if (name.compare("origin", Qt::CaseInsensitive) == 0)
            origin = QString::fromLatin1(value);
    }
    if (!m_origins.allows(origin))
        return { 403,
                 tr("a page from %1 may not open WebSockets here (allowed: this server's own "
                    "pages; add the origin with --allow-origin or in the server pane)")
                     .arg(origin.left(200)) };
    return {};
}

void EmbeddedServer::rejectRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const quint64 id = ConnectionGuard::of(socket) ? ConnectionGuard::of(socket)->id() : 0;
    UpgradeVerdict verdict = judgeUpgrade(request);
    if (verdict.ok()) // Qt declined an upgrade we would have taken
        verdict = { 500, tr("the WebSocket handshake could not be completed") };

    HttpFront::Response response = textResponse(verdict.status, verdict.reason);
    if (verdict.status == 426)
        response.headers.emplaceBack("Sec-WebSocket-Version", "13");
    if (verdict.status == 405)
        response.headers.emplaceBack("Allow", "GET");
    HttpFront::respond(request, socket, response);
    Q_EMIT handshakeRejected(id, verdict.status, verdict.reason);
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

    auto client = std::make_unique<Client>();
    const quint64 id = pending->first;
    client->socket = socket;
    client->info.id = id;
    client->info.peerAddress = socket->peerAddress();
    client->info.peerPort = socket->peerPort();
    client->info.route = pending->second.route;
    client->info.name = pending->second.name;
    client->tcp = pending->second.tcp;
    client->info.since = m_clock();
    client->lastHeardMs = monotonicMs();
    m_pendingUpgrades.erase(pending);
    // A chat message goes to every member: its limit is its own, and Qt enforces it (1009)
    // before the message is assembled.
    const qint64 maxMessage = client->info.route == Route::Chat
        ? qMin(m_config.limits.maxMessageSize, m_config.limits.maxChatMessageSize)
        : m_config.limits.maxMessageSize;
    socket->setMaxAllowedIncomingMessageSize(quint64(maxMessage));
    socket->setMaxAllowedIncomingFrameSize(quint64(qMin(maxMessage, m_config.limits.maxFrameSize)));

    connect(socket, &QWebSocket::textMessageReceived, this,
            [this, id](const QString &text) { processTextMessage(id, text); });
    connect(socket, &QWebSocket::binaryMessageReceived, this,
            [this, id](const QByteArray &data) { processBinaryMessage(id, data); });
    connect(socket, &QWebSocket::aboutToClose, this, [this, id] {
        if (const auto it = m_clients.find(id); it != m_clients.end())
            it->second->closeStarted = true;
    });
    // Queued: close() can emit disconnected at once, and callers may be iterating m_clients.
    connect(
        socket, &QWebSocket::disconnected, this, [this, id] { socketDisconnected(id); },
        Qt::QueuedConnection);
    connect(socket, &QWebSocket::pong, this,
            [this, id](quint64 elapsed, const QByteArray &payload) {
                if (const auto it = m_clients.find(id); it != m_clients.end()) {
                    it->second->lastHeardMs = monotonicMs();
                    it->second->pingSentMs = 0;
                }
                Q_EMIT pongReceived(id, qint64(elapsed), payload);
            });
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this, id, socket](QAbstractSocket::SocketError error) {
                if (error != QAbstractSocket::RemoteHostClosedError)
                    Q_EMIT errorOccurred(id, socket->errorString());
            });

    const ClientInfo info = client->info;
    m_clients.emplace(id, std::move(client));
    Q_EMIT opened(info);
    if (info.route == Route::Chat)
        relayToChat(tr("* %1 joined (%2 in the room)")
                        .arg(info.name)
                        .arg(std::count_if(m_clients.begin(), m_clients.end(), [](const auto &c) {
                            return c.second->info.route == Route::Chat;
                        })));
}

void EmbeddedServer::processTextMessage(quint64 id, const QString &text)
{
    const auto it = m_clients.find(id);
    if (it == m_clients.end())
        return;
    Client &client = *it->second;
    ++client.info.messagesIn;
    ++m_messageCount;
    client.lastHeardMs = monotonicMs();
    if (!client.muted)
        Q_EMIT messageReceived(id, Message::fromText(text));
    if (client.info.route == Route::Echo)
        sendText(client, text, SendKind::Echo);
    else if (client.info.route == Route::Chat)
        relayToChat(client.info.name + u": " + text);
    // /news only listens
}

void EmbeddedServer::processBinaryMessage(quint64 id, const QByteArray &data)
{
    const auto it = m_clients.find(id);
    if (it == m_clients.end())
        return;
    Client &client = *it->second;
    ++client.info.messagesIn;
    ++m_messageCount;
    client.lastHeardMs = monotonicMs();
    if (!client.muted)
        Q_EMIT messageReceived(id, Message::fromBinary(data));
    if (client.info.route == Route::Echo)
        sendBinary(client, data, SendKind::Echo);
    else if (client.info.route == Route::Chat)
        closeClient(client, QWebSocketProtocol::CloseCodeDatatypeNotSupported,
                    tr("the chat room takes text messages only"));
}

void EmbeddedServer::socketDisconnected(quint64 id)
{
    const auto it = m_clients.find(id);
    if (it == m_clients.end())
        return;
    const Client &client = *it->second;
    QWebSocket *socket = client.socket;

    CloseInfo info;
    if (client.serverInitiated) {
        info = { client.closeCodeSent, client.closeReasonSent, Initiator::Server, !client.dropped };
    } else if (client.closeStarted) {
        const auto code = quint16(socket->closeCode());
        info = { code, socket->closeReason(),
                 isProtocolErrorCode(code) ? Initiator::Server : Initiator::Client, true };
    } else {
        info = { 1006, tr("no Close frame: the TCP connection ended"), Initiator::Nobody, false };
    }
    socket->disconnect(this);
    socket->deleteLater();
    // Still listed while receivers learn of the close, so they can read its last counters.
    Q_EMIT closed(id, info);
    const auto node = m_clients.extract(id);
    if (!node.empty() && node.mapped()->info.route == Route::Chat)
        relayToChat(tr("* %1 left").arg(node.mapped()->info.name));
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
    for (auto &[id, client] : m_clients) {
        if ((route && client->info.route != *route) || client->closing() || tooSlow(*client))
            continue;
        if (writeFrame(*client, frame))
            accountSent(*client, message, kind);
    }
}

bool EmbeddedServer::writeFrame(Client &client, const QByteArray &frame)
{
    QTcpSocket *tcp = client.tcp;
    if (!tcp || tcp->state() != QAbstractSocket::ConnectedState)
        return false; // the connection is ending: Qt reports the close
    // Straight to the kernel when Qt holds nothing for this connection: the frame cannot
    // overtake anything, and no write notifier is switched on, polled and off again, which is
    // what otherwise keeps the last client of a big fan-out waiting. What the kernel does not
    // take goes behind, through Qt, in order.
    qint64 sent = 0;
    if (tcp->bytesToWrite() == 0 && !isTls()) { // TLS: Qt must encrypt it
        const ssize_t n = ::send(int(tcp->socketDescriptor()), frame.constData(),
                                 size_t(frame.size()), MSG_DONTWAIT | MSG_NOSIGNAL);
        sent = qMax<ssize_t>(n, 0); // an error shows again on Qt's own write below
    }
    if (sent < frame.size())
        tcp->write(frame.constData() + sent, frame.size() - sent);
    return true;
}

bool EmbeddedServer::sendTo(quint64 id, const QString &text)
{
    const auto it = m_clients.find(id);
    if (it == m_clients.end() || it->second->closing())
        return false;
    sendText(*it->second, text, SendKind::Direct);
    return true;
}

void EmbeddedServer::broadcast(const QString &text)
{
    fanOut(std::nullopt, text, SendKind::Broadcast);
}

bool EmbeddedServer::kick(quint64 id, quint16 code, const QString &reason)
{
    const auto it = m_clients.find(id);
    if (it == m_clients.end())
        return false;
    if (const QString problem = closeCodeProblem(code); !problem.isEmpty()) {
        Q_EMIT errorOccurred(id, tr("not kicked: %1").arg(problem));
        return false;
    }
    closeClient(*it->second, code, reason);
    return true;
}

bool EmbeddedServer::kickPeer(const QHostAddress &peer, quint16 peerPort, quint16 code,
                              const QString &reason)
{
    const auto it = std::find_if(m_clients.begin(), m_clients.end(), [&](const auto &c) {
        return c.second->info.peerPort == peerPort && c.second->info.peerAddress.isEqual(peer);
    });
    return it != m_clients.end() && kick(it->first, code, reason);
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

void EmbeddedServer::checkIdleClients()
{
    const qint64 now = monotonicMs();
    const qint64 limit = m_config.limits.idleTimeout.count();
    for (auto &[id, client] : m_clients) {
        if (client->closing())
            continue;
        if (client->pingSentMs != 0 && now - client->pingSentMs >= limit) {
            closeClient(*client, QWebSocketProtocol::CloseCodeGoingAway,
                        tr("no answer to a ping for %1 ms").arg(limit));
        } else if (client->pingSentMs == 0 && now - client->lastHeardMs >= limit) {
            client->pingSentMs = now;
            client->socket->ping(QByteArrayLiteral("idle?"));
        }
    }
}

bool EmbeddedServer::ping(quint64 id, const QByteArray &payload)
{
    const auto it = m_clients.find(id);
    if (it == m_clients.end() || it->second->closing() || payload.size() > 125)
        return false;
    it->second->socket->ping(payload);
    return true;
}

void EmbeddedServer::relayToChat(const QString &text)
{
    fanOut(Route::Chat, text, SendKind::Chat);
}

void EmbeddedServer::sendText(Client &client, const QString &text, SendKind kind)
{
    if (tooSlow(client))
        return;
    client.socket->sendTextMessage(text);
    accountSent(client, Message::fromText(text), kind);
}

void EmbeddedServer::sendBinary(Client &client, const QByteArray &data, SendKind kind)
{
    if (tooSlow(client))
        return;
    client.socket->sendBinaryMessage(data);
    accountSent(client, Message::fromBinary(data), kind);
}

bool EmbeddedServer::tooSlow(Client &client)
{
    // A chat member gets every member's messages: its budget is smaller.
    const qint64 budget = client.info.route == Route::Chat
        ? qMin(m_config.limits.maxSendBuffer, m_config.limits.maxChatSendBuffer)
        : m_config.limits.maxSendBuffer;
    // What the client has not taken of earlier messages: one that does not read would make the
    // server buffer without end. (Measured before sending, so that one message larger than the
    // limit does not condemn a client that reads.)
    // (The TCP socket's count is the WebSocket's, one indirection closer.)
    const qint64 queued = client.tcp ? client.tcp->bytesToWrite() : client.socket->bytesToWrite();
    if (queued <= budget)
        return false;
    closeClient(client, QWebSocketProtocol::CloseCodePolicyViolated,
                tr("too slow: over %1 bytes waiting to be sent").arg(budget));
    return true;
}

void EmbeddedServer::accountSent(Client &client, const Message &message, SendKind kind)
{
    ++client.info.messagesOut;
    ++client.info.sentByKind[size_t(kind)];
    ++m_messageCount;
    if (!client.muted)
        Q_EMIT messageSent(client.info.id, message, kind);
}

void EmbeddedServer::closeClient(Client &client, quint16 code, const QString &reason)
{
    if (client.closing())
        return;
    client.serverInitiated = true;
    client.closeCodeSent = code;
    client.closeReasonSent = truncatedReason(reason);
    // From the event loop: a caller may be inside Qt's handshake (a slot on opened()) or
    // inside one of this socket's own signals.
    QMetaObject::invokeMethod(
        client.socket,
        [socket = client.socket, code, reason = client.closeReasonSent] {
            socket->close(QWebSocketProtocol::CloseCode(code), reason);
        },
        Qt::QueuedConnection);
    // A peer that does not read (the too-slow client) never takes the Close frame, and a
    // hostile one never answers it: after a deadline the connection is dropped. The timer dies
    // with the socket when the close completes in time.
    QTimer::singleShot(m_config.limits.closeTimeout, client.socket,
                       [this, id = client.info.id, socket = client.socket] {
                           if (socket->state() == QAbstractSocket::UnconnectedState)
                               return; // it did complete, just now
                           if (const auto it = m_clients.find(id); it != m_clients.end())
                               it->second->dropped = true;
                           socket->abort();
                       });
}

} // namespace wslab
