#include "serverhost.h"

#include "portbinding.h"
#include "serverdigest.h"
#include "serverdispatcher.h"

#include <QTimer>

#include <atomic>
#include <map>
#include <unordered_map>

namespace wslab {

namespace {
std::atomic<int> liveBridgeCount { 0 };
}

ClientCounters ClientCounters::of(const ClientInfo &client)
{
    return { client.id,
             client.messagesIn,
             client.messagesOut,
             client.lastMessage,
             client.lastMessageLength,
             client.lastMessageBinary,
             client.lastMessageAt,
             client.pongs,
             client.lastPingMs };
}

void ClientCounters::applyTo(ClientInfo &client) const
{
    client.messagesIn = messagesIn;
    client.messagesOut = messagesOut;
    client.lastMessage = lastMessage;
    client.lastMessageLength = lastMessageLength;
    client.lastMessageBinary = lastMessageBinary;
    client.lastMessageAt = lastMessageAt;
    client.pongs = pongs;
    client.lastPingMs = lastPingMs;
}

// Lives in the server's thread: turns the server's digest into Events, keeps the client list's
// changes, and hands them over in batches.
class ServerBridge : public QObject
{
    Q_OBJECT

public:
    static constexpr int maxPendingEvents = 10'000;

    explicit ServerBridge(EmbeddedServer *server) : m_server(server)
    {
        ++liveBridgeCount;
        m_flush.setInterval(30);
        connect(&m_flush, &QTimer::timeout, this, &ServerBridge::flush);
        m_flush.start();
        m_rateClock.start();
        m_countersClock.start();
        auto *digest = new ServerDigest(server);
        connect(digest, &ServerDigest::note, this, &ServerBridge::add);
        connect(server, &EmbeddedServer::opened, this,
                [this](const ClientInfo &client) { m_batch.opened.append(client); });
        connect(server, &EmbeddedServer::closed, this, [this](quint64 id, const CloseInfo &) {
            m_batch.closed.append(id);
            m_lastCounters.erase(id);
        });
    }

    ~ServerBridge() override { --liveBridgeCount; }

    // The window took the last batch: the next may go.
    void taken() { m_inFlight.storeRelease(0); }

Q_SIGNALS:
    void batch(const wslab::ServerBatch &batch);

private:
    void add(const ServerDigest::Note &note)
    {
        using K = Event::Kind;
        using N = ServerDigest::Kind;
        static const std::map<N, std::pair<K, Phase>> kinds {
            { N::Listening, { K::Info, Phase::Tcp } },
            { N::TcpAccepted, { K::TcpAccepted, Phase::Tcp } },
            { N::TcpRefused, { K::TcpRefused, Phase::Tcp } },
            { N::TcpClosed, { K::TcpClosed, Phase::Tcp } },
            { N::HttpServed, { K::HttpRequest, Phase::Http } },
            { N::RequestRejected, { K::Error, Phase::Http } },
            { N::HandshakeReceived, { K::HandshakeRequest, Phase::Http } },
            { N::HandshakeRejected, { K::HandshakeRejected, Phase::Http } },
            { N::Opened, { K::Open, Phase::WebSocket } },
            { N::MessageReceived, { K::MessageReceived, Phase::WebSocket } },
            { N::MessageSent, { K::MessageSent, Phase::WebSocket } },
            { N::Summary, { K::Summary, Phase::WebSocket } },
            { N::Pong, { K::Pong, Phase::WebSocket } },
            { N::Closed, { K::Closed, Phase::WebSocket } },
            { N::Error, { K::Error, Phase::Tcp } },
            { N::PushInterval, { K::Info, Phase::WebSocket } },
            { N::Cluster, { K::Info, Phase::Tcp } },
        };
        const auto [kind, phase] = kinds.at(note.kind);
        if (m_batch.events.size() >= maxPendingEvents) {
            m_batch.events.removeFirst();
            ++m_batch.eventsDropped;
        }
        m_batch.events.append(makeEvent(Event::Side::Server, phase, kind, note.id, note.text));
        m_batch.events.last().peerPort = note.peerPort;
    }

    void flush()
    {
        if (m_rateClock.elapsed() >= 1000) {
            const quint64 count = m_server->messageCount();
            m_batch.rate = double(count - m_messagesAtRate) * 1000.0 / m_rateClock.restart();
            m_messagesAtRate = count;
        }
        if (m_countersClock.elapsed() >= 250) { // as often as a person reads a changing number
            m_countersClock.restart();
            collectCounters();
        }
        if (m_batch.events.isEmpty() && m_batch.opened.isEmpty() && m_batch.closed.isEmpty()
            && m_batch.counters.isEmpty() && m_batch.rate < 0)
            return;
        if (!m_inFlight.testAndSetAcquire(0, 1))
            return; // the window is still busy with the last one: keep collecting
        m_countersAt.clear();
        Q_EMIT batch(std::exchange(m_batch, {}));
    }

    void collectCounters()
    {
        // A new message changes messagesIn, a pong `pongs`: the three say whether anything did.
        for (const ClientInfo &client : m_server->clients()) {
            const Seen seen { client.messagesIn, client.messagesOut, client.pongs };
            auto &last = m_lastCounters[client.id];
            if (last == seen)
                continue;
            last = seen;
            // One entry per client while the window has not taken the batch: the newest counters
            // replace the older ones, so a stalled window costs one entry a client, not one a
            // quarter second.
            const auto [at, added] = m_countersAt.try_emplace(client.id, m_batch.counters.size());
            if (added)
                m_batch.counters.append(ClientCounters::of(client));
            else
                m_batch.counters[at->second] = ClientCounters::of(client);
        }
    }

    EmbeddedServer *m_server;
    QTimer m_flush;
    ServerBatch m_batch;
    QAtomicInt m_inFlight;
    quint64 m_messagesAtRate = 0;
    QElapsedTimer m_rateClock;
    QElapsedTimer m_countersClock;
    struct Seen
    {
        quint64 in = 0, out = 0, pongs = 0;
        bool operator==(const Seen &) const = default;
    };
    std::unordered_map<quint64, Seen> m_lastCounters;
    std::unordered_map<quint64, qsizetype> m_countersAt; // id → index in m_batch.counters
};

ServerHost::ServerHost(QObject *parent) : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("wslab-server"));
}

void ServerHost::takeBatch(const ServerBatch &batch)
{
    if (batch.eventsDropped)
        Q_EMIT eventsDropped(batch.eventsDropped);
    if (!batch.events.isEmpty())
        Q_EMIT events(batch.events);
    for (const ClientInfo &client : batch.opened) {
        m_clients[client.id] = client;
        Q_EMIT clientOpened(client);
    }
    for (const quint64 id : batch.closed) {
        if (m_clients.erase(id))
            Q_EMIT clientClosed(id);
    }
    if (!batch.counters.isEmpty()) {
        for (const ClientCounters &c : batch.counters) {
            if (const auto it = m_clients.find(c.id); it != m_clients.end())
                c.applyTo(it->second);
        }
        Q_EMIT countersChanged(batch.counters);
    }
    if (!batch.opened.isEmpty() || !batch.closed.isEmpty())
        Q_EMIT clientCountChanged(clientCount());
    if (batch.rate >= 0)
        Q_EMIT messagesPerSecond(batch.rate);
    // Only now may the next batch leave: a window that falls behind gets fewer, fuller batches.
    if (m_bridge)
        m_bridge->taken();
}

QList<ClientInfo> ServerHost::clients() const
{
    QList<ClientInfo> list;
    list.reserve(qsizetype(m_clients.size()));
    for (const auto &[id, client] : m_clients)
        list.append(client);
    return list;
}

ServerHost::~ServerHost()
{
    stop();
}

bool ServerHost::start(const ServerConfig &config)
{
    stop();
    m_config = config;
    if (!m_thread.eventDispatcher()) // a finished thread deleted the one it had
        m_thread.setEventDispatcher(createServerEventDispatcher());
    m_thread.start();
    m_server = new EmbeddedServer(config);
    if (m_clock)
        m_server->setClock(m_clock);
    if (m_restarting)
        m_server->restoreNews(m_lastNews); // GET /news still answers the last headline
    m_server->moveToThread(&m_thread);
    bool ok = false;
    QMetaObject::invokeMethod(
        m_server,
        [this, &ok] {
            ok = m_server->start();
            m_errorString = m_server->errorString();
            m_port = ok ? m_server->port() : 0;
            if (ok)
                m_boundPort = m_port;
            m_address = m_server->address();
            m_pushInterval = m_server->pushInterval();
            // Connected here, on the server's thread, before its first event can be emitted:
            // a first batch sent to nobody would never be taken, and hold every later one.
            connect(m_server, &EmbeddedServer::httpBytes, this,
                    [this](quint64, const QString &path, qint64 in, qint64 out) {
                        Q_EMIT httpTraffic(path, in, out);
                    }, Qt::QueuedConnection);
            connect(m_server, &EmbeddedServer::pushIntervalChanged, this,
                    [this](double seconds) {
                        m_pushInterval = seconds;
                        Q_EMIT pushIntervalChanged(seconds);
                    }, Qt::QueuedConnection);
            m_bridge = new ServerBridge(m_server);
            connect(m_bridge, &ServerBridge::batch, this, &ServerHost::takeBatch,
                    Qt::QueuedConnection);
            connect(m_server, &EmbeddedServer::originsChanged, this,
                    [this](const QStringList &own, const QStringList &extra) {
                        m_ownOrigins = own;
                        m_extraOrigins = extra;
                        Q_EMIT originsChanged();
                    }, Qt::QueuedConnection);
            m_ownOrigins = m_server->ownOrigins();
            m_extraOrigins = m_server->extraOrigins();
        },
        Qt::BlockingQueuedConnection);
    if (!ok)
        stop();
    return ok;
}

void ServerHost::stop()
{
    if (!m_thread.isRunning())
        return;
    // Deleted in their thread before it ends: a deleteLater posted while a thread finishes is
    // never run by Qt 6.4, and the server and its bridge (with its timer) would leak.
    if (m_server)
        QMetaObject::invokeMethod(
            m_server,
            [this, server = m_server, bridge = m_bridge] {
                // What it ran with (the push interval, origins allowed since): a later restart
                // starts from there.
                m_config = configOf(*server);
                m_lastNews = server->latestNews();
                server->stop();
                delete bridge;
                delete server;
            },
            Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_server = nullptr;
    m_bridge = nullptr;
    m_port = 0;
    // Batches still queued from the stopped server are dropped with it (their sender is gone).
    for (const auto &[id, client] : std::exchange(m_clients, {}))
        Q_EMIT clientClosed(id);
    Q_EMIT clientCountChanged(0);
}

ServerConfig ServerHost::configOf(const EmbeddedServer &server)
{
    ServerConfig config = server.config(); // with the push interval and timeout set since
    config.allowedOrigins = server.extraOrigins(); // the ones allowed since too
    return config;
}

ServerConfig ServerHost::liveConfig() const
{
    if (!m_server)
        return m_config; // as the last server stopped
    // Read in the server's thread, after the commands already queued to it (a push interval or
    // an origin set just before): m_config is only what it started with.
    ServerConfig config;
    QMetaObject::invokeMethod(
        m_server, [&config, server = m_server] { config = configOf(*server); },
        Qt::BlockingQueuedConnection);
    return config;
}

void ServerHost::pinPort(ServerConfig &config) const
{
    // The port it had, so that the URL students have stays right: never silently the next free
    // one (taken, the restart fails and says so).
    if (m_boundPort != 0)
        config.port = m_boundPort;
    config.useNextFreePort = false;
}

bool ServerHost::restart(ServerConfig config, std::optional<ServerConfig> fallBack)
{
    pinPort(config);
    m_restarting = true;
    bool ok = start(config);
    if (!ok && fallBack) {
        const QString error = m_errorString;
        pinPort(*fallBack);
        start(*fallBack);
        m_errorString = error;
    }
    m_restarting = false;
    if (isListening()) {
        // The window shows what the new server runs with (the pane's interval, the origins).
        Q_EMIT pushIntervalChanged(m_pushInterval);
        Q_EMIT originsChanged();
    }
    return ok;
}

bool ServerHost::setTls(const std::optional<TlsCredentials> &tls)
{
    const ServerConfig previous = liveConfig();
    ServerConfig config = previous;
    config.tls = tls;
    if (!restart(config, previous))
        return false;
    Q_EMIT tlsChanged();
    return true;
}

bool ServerHost::setLan(bool on)
{
    if (on == isOnLan() && isListening())
        return true;
    const ServerConfig previous = liveConfig();
    ServerConfig config = previous;
    config.host = QHostAddress(on ? QHostAddress::AnyIPv4 : QHostAddress::LocalHost);
    if (on) {
        if (!restart(config, previous))
            return false;
        Q_EMIT addressChanged();
        return true;
    }
    // Off: the teacher asked to close the door. Failing that, the server stops rather than
    // going back to every address.
    const bool ok = restart(config, std::nullopt);
    if (!ok)
        m_errorString = tr("The server could not go back to this machine only, so it has been "
                           "stopped: it is no longer reachable from the LAN. %1")
                            .arg(m_errorString);
    Q_EMIT addressChanged();
    return ok;
}

QUrl ServerHost::webSocketUrl(Route route) const
{
    QUrl url = httpUrl(routePath(route));
    url.setScheme(m_config.tls ? QStringLiteral("wss") : QStringLiteral("ws"));
    return url;
}

QUrl ServerHost::httpUrl(const QString &path) const
{
    QUrl url;
    url.setScheme(m_config.tls ? QStringLiteral("https") : QStringLiteral("http"));
    // Listening on every address (the LAN), this machine still reaches it on the loopback one.
    url.setHost(isAnyAddress(m_address) ? QStringLiteral("127.0.0.1") : m_address.toString());
    url.setPort(m_port);
    url.setPath(path);
    return url;
}

void ServerHost::setClock(Clock clock)
{
    m_clock = clock; // kept for the servers a restart starts
    if (m_server)
        QMetaObject::invokeMethod(
            m_server, [server = m_server, clock] { server->setClock(clock); },
            Qt::BlockingQueuedConnection);
}

void ServerHost::setPushInterval(double seconds)
{
    if (m_server)
        QMetaObject::invokeMethod(
            m_server, [server = m_server, seconds] { server->setPushInterval(seconds); });
}

void ServerHost::sendTo(quint64 id, const QString &text)
{
    if (m_server)
        QMetaObject::invokeMethod(m_server,
                                  [server = m_server, id, text] { server->sendTo(id, text); });
}

void ServerHost::broadcast(const QString &text)
{
    if (m_server)
        QMetaObject::invokeMethod(m_server, [server = m_server, text] { server->broadcast(text); });
}

QString ServerHost::kick(quint64 id, quint16 code, const QString &reason)
{
    if (QString problem = EmbeddedServer::closeCodeProblem(code); !problem.isEmpty())
        return problem;
    if (m_server)
        QMetaObject::invokeMethod(
            m_server, [server = m_server, id, code, reason] { server->kick(id, code, reason); });
    return {};
}

void ServerHost::setHandshakeTimeout(std::chrono::milliseconds timeout)
{
    if (m_server)
        QMetaObject::invokeMethod(
            m_server, [server = m_server, timeout] { server->setHandshakeTimeout(timeout); },
            Qt::BlockingQueuedConnection);
}

void ServerHost::publishNews(const QString &text)
{
    if (m_server)
        QMetaObject::invokeMethod(m_server,
                                  [server = m_server, text] { server->publishNews(text); });
}

QString ServerHost::kickPeer(const QHostAddress &peer, quint16 peerPort, quint16 code,
                            const QString &reason)
{
    if (QString problem = EmbeddedServer::closeCodeProblem(code); !problem.isEmpty())
        return problem;
    if (m_server)
        QMetaObject::invokeMethod(m_server, [server = m_server, peer, peerPort, code, reason] {
            server->kickPeer(peer, peerPort, code, reason);
        });
    return {};
}

bool ServerHost::allowOrigin(const QString &origin, QString *error)
{
    if (!OriginPolicy::normalize(origin, error))
        return false;
    if (m_server)
        QMetaObject::invokeMethod(m_server,
                                  [server = m_server, origin] { server->allowOrigin(origin); });
    return true;
}

int ServerHost::liveBridges()
{
    return liveBridgeCount;
}

void ServerHost::ping(quint64 id)
{
    if (m_server)
        QMetaObject::invokeMethod(
            m_server, [server = m_server, id] { server->ping(id, QByteArrayLiteral("wslab")); });
}

void ServerHost::pingAll()
{
    if (m_server)
        QMetaObject::invokeMethod(
            m_server, [server = m_server] { server->pingAll(QByteArrayLiteral("wslab")); });
}

QString ServerHost::kickAll(quint16 code, const QString &reason)
{
    if (QString problem = EmbeddedServer::closeCodeProblem(code); !problem.isEmpty())
        return problem;
    if (m_server)
        QMetaObject::invokeMethod(
            m_server, [server = m_server, code, reason] { server->kickAll(code, reason); });
    return {};
}

} // namespace wslab

#include "serverhost.moc"
