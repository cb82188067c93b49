#pragma once

#include "embeddedserver.h"
#include "event.h"

#include <QList>
#include <QObject>
#include <QThread>

#include <map>

namespace wslab {

class ServerBridge;

// What changes about a client while it is connected (its counters, its last message, its last
// ping's round trip), sent to the window a few times a second while it changes.
struct ClientCounters
{
    quint64 id = 0;
    quint64 messagesIn = 0;
    quint64 messagesOut = 0;
    QString lastMessage; // as in ClientInfo
    qsizetype lastMessageLength = 0;
    bool lastMessageBinary = false;
    QDateTime lastMessageAt;
    quint64 pongs = 0;
    qint64 lastPingMs = -1;

    static ClientCounters of(const ClientInfo &client);
    void applyTo(ClientInfo &client) const;
};

// What crosses from the server's thread to the window's in one go (every 30 ms at most, and
// never while the window has not taken the previous one).
struct ServerBatch
{
    QList<Event> events;
    qint64 eventsDropped = 0; // events the window was too busy to take, counted not queued
    QList<ClientInfo> opened;
    QList<quint64> closed;
    QList<ClientCounters> counters; // only the clients whose counters changed
    double rate = -1; // messages per second over the last second; -1: not measured this time
};

class ServerHost : public QObject
{
    Q_OBJECT

public:
    explicit ServerHost(QObject *parent = nullptr);
    ~ServerHost() override;

    // Starts the server with `config` and waits for the answer. False: errorString() says why.
    bool start(const ServerConfig &config);
    void stop();
    bool isListening() const { return m_port != 0; }
    quint16 port() const { return m_port; }
    QHostAddress address() const { return m_address; }
    QString errorString() const { return m_errorString; }
    // Where this machine's own clients (the window's) reach the server: on the LAN too, the
    // loopback address, never 0.0.0.0. The class's address is JoinLink's.
    QUrl webSocketUrl(Route route = Route::Echo) const;
    QUrl httpUrl(const QString &path = QStringLiteral("/")) const;
    double pushInterval() const { return m_pushInterval; }
    // Open WebSockets, oldest first, as of the last batch.
    QList<ClientInfo> clients() const;
    int clientCount() const { return int(m_clients.size()); }

    // Tests and demos: where the server reads "now".
    void setClock(Clock clock);

    // Pages from these origins may open WebSockets: the server's own, and the ones allowed.
    QStringList ownOrigins() const { return m_ownOrigins; }
    QStringList extraOrigins() const { return m_extraOrigins; }
    // False (and `error`) when `origin` is not an origin; "*" allows every page.
    bool allowOrigin(const QString &origin, QString *error = nullptr);

    // TLS: set, the server speaks https:// and wss:// only. Restarts the server on the same
    // port (its clients are closed with 1001). False: errorString() says why, and the server
    // runs as before.
    bool setTls(const std::optional<TlsCredentials> &tls);
    const std::optional<TlsCredentials> &tls() const { return m_config.tls; }

    // The LAN (the classroom): on, the server listens on every IPv4 address of this machine
    // (0.0.0.0); off, on 127.0.0.1 only. Restarts the server on the same port, as setTls does,
    // with what it ran with (push interval, origins, handshake timeout, clock). False:
    // errorString() says why; turning it on, the server runs as before; turning it off, the
    // server is stopped (never left on the LAN).
    bool setLan(bool on);
    bool isOnLan() const { return !m_config.host.isLoopback(); }

    // Server bridges alive in this process (each started server has one until it stops).
    static int liveBridges();

public Q_SLOTS:
    void setPushInterval(double seconds);
    void sendTo(quint64 id, const QString &text);
    void broadcast(const QString &text);
    // Empty when the kick went out; otherwise why `code` cannot be sent.
    QString kick(quint64 id, quint16 code, const QString &reason);
    QString kickPeer(const QHostAddress &peer, quint16 peerPort, quint16 code,
                     const QString &reason);
    void ping(quint64 id);
    // Every open WebSocket: a ping each (the round trips arrive with the counters), or a kick.
    void pingAll();
    // Empty when the kicks went out; otherwise why `code` cannot be sent.
    QString kickAll(quint16 code, const QString &reason);
    void setHandshakeTimeout(std::chrono::milliseconds timeout);
    void publishNews(const QString &text);

Q_SIGNALS:
    void events(const QList<wslab::Event> &batch);
    // Events the server's thread dropped because the window had not taken the previous batch.
    void eventsDropped(qint64 count);
    void clientOpened(const wslab::ClientInfo &client);
    void clientClosed(quint64 id);
    void countersChanged(const QList<wslab::ClientCounters> &counters);
    // After each batch that opened or closed clients.
    void clientCountChanged(int count);
    void pushIntervalChanged(double seconds);
    void originsChanged();
    void tlsChanged();
    // The server moved to the LAN or back to this machine only (setLan).
    void addressChanged();
    void messagesPerSecond(double rate);
    // One HTTP request served: its path and the bytes each way (few enough not to batch).
    void httpTraffic(const QString &path, qint64 requestBytes, qint64 responseBytes);

private:
    void takeBatch(const wslab::ServerBatch &batch);
    // What the running server runs with now (m_config when stopped).
    ServerConfig liveConfig() const;
    static ServerConfig configOf(const EmbeddedServer &server);
    void pinPort(ServerConfig &config) const;
    // Starts again with `config` on the port it had; on failure, with `fallBack` if given
    // (stopped otherwise). False: errorString() says why.
    bool restart(ServerConfig config, std::optional<ServerConfig> fallBack);

    QThread m_thread;
    EmbeddedServer *m_server = nullptr; // lives in m_thread
    ServerBridge *m_bridge = nullptr; // lives in m_thread
    quint16 m_port = 0;
    QHostAddress m_address;
    QString m_errorString;
    double m_pushInterval = 1;
    ServerConfig m_config; // as last started, or as the last server ran when it stopped
    quint16 m_boundPort = 0; // the port the last server had, kept by restarts
    Clock m_clock; // set by setClock(), for every server started after
    News m_lastNews; // the last server's, carried over by a restart
    bool m_restarting = false;
    QStringList m_ownOrigins;
    QStringList m_extraOrigins;
    std::map<quint64, ClientInfo> m_clients; // by id, which is by age
};

} // namespace wslab

Q_DECLARE_METATYPE(wslab::ClientCounters)
Q_DECLARE_METATYPE(wslab::ServerBatch)
