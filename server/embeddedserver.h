#pragma once

#include "beijingclock.h"
#include "chatroom.h"
#include "httproutes.h"
#include "newsfeed.h"
#include "originpolicy.h"
#include "serverconfig.h"
#include "serverevents.h"

#include <QObject>
#include <QTimer>
#include <QUrl>

#include <map>
#include <memory>
#include <optional>

class QWebSocket;
class QHttpServerRequest;
class QTcpSocket;

namespace wslab {

class HttpFront;
class GuardedTcpServer;
class Peer;
class RedisBus;

// The lesson's Tornado application in one object: one port, `/` and `/time` over HTTP,
// `/ws` (echo + Beijing-time push) and `/chat` over WebSocket.
//
// It wires parts that each do one job: GuardedTcpServer (the front door's limits), HttpFront
// (QtHttpServer), routeRequest() (what each request gets), Peer (one WebSocket: its sends,
// budget and close), ChatRoom and NewsFeed. What is left here is the port, the registry of
// peers, the timers, and what each route does with a message.
//
// It knows nothing of widgets. Its events leave as signals named after the lesson's handlers
// (open, on_message, write_message, on_close); its commands are slots, so it can live in its
// own thread and be driven by queued calls.
class EmbeddedServer : public QObject
{
    Q_OBJECT

public:
    explicit EmbeddedServer(const ServerConfig &config = {}, QObject *parent = nullptr);
    ~EmbeddedServer() override;

    // Starts listening. On failure returns false and errorString() says why in words a
    // user can act on (port taken, address not available, ...).
    bool start();
    // Closes every WebSocket with 1001 Going Away and stops listening.
    void stop();

    bool isListening() const;
    QString errorString() const;
    QHostAddress address() const;
    quint16 port() const;
    QUrl httpUrl(const QString &path = QStringLiteral("/")) const;
    QUrl webSocketUrl(Route route = Route::Echo) const;
    bool isTls() const { return m_config.tls.has_value(); }

    const ServerConfig &config() const { return m_config; }
    double pushInterval() const { return m_config.pushInterval; }
    int connectionCount() const; // TCP connections, any phase
    QList<ClientInfo> clients() const; // open WebSockets, oldest first
    std::optional<ClientInfo> client(quint64 id) const;
    // Messages received and sent, all clients, since the start.
    quint64 messageCount() const { return m_messageCount; }
    // One of several instances (config().instance), sharing through Redis (config().redis):
    // true while Redis is reachable, so that rooms, broadcasts and news are shared.
    bool isShared() const;

    // Stops (or resumes) messageReceived / messageSent for one client; its counters go on.
    // A log that will only count a flooding client's messages stops paying a signal for each
    // (ServerDigest). Meant for the one digest of a server: it affects every receiver.
    void setMessageSignalsMuted(quint64 id, bool muted);

    // The origins whose pages may open WebSockets here: the server's own, then the ones
    // allowed by config or allowOrigin(). Empty before start().
    QStringList ownOrigins() const { return m_origins.ownOrigins(); }
    QStringList extraOrigins() const { return m_origins.extraOrigins(); }

    // Why `code` cannot be sent in a Close frame (RFC 6455 §7.4), or empty when it can.
    static QString closeCodeProblem(quint16 code);

    // Where "now" comes from, for the push and /time. Tests inject a fixed instant.
    void setClock(Clock clock);
    QDateTime now() const { return m_clock(); }

    // The last headline published, and where a server replacing this one goes on from.
    News latestNews() const { return m_news.latest(); }
    void restoreNews(const News &latest) { m_news.restore(latest); }

public Q_SLOTS:
    // Seconds between pushes on /ws; 0 stops the push (pure echo). Negative is ignored.
    void setPushInterval(double seconds);
    // Publishes a headline: pushed at once to every /news WebSocket, and what GET /news answers.
    void publishNews(const QString &text);
    // For connections accepted from now on (step-through mode raises it while the user reads).
    void setHandshakeTimeout(std::chrono::milliseconds timeout);
    bool sendTo(quint64 id, const QString &text);
    void broadcast(const QString &text);
    // Closes one client with `code` and `reason` (a "kick"); the close is recorded as
    // initiated by the server.
    bool kick(quint64 id, quint16 code = 1000, const QString &reason = {});
    // Kicks every open WebSocket ("class is over"); returns how many were closed (0, and
    // errorOccurred, when `code` cannot be sent).
    int kickAll(quint16 code = 1000, const QString &reason = {});
    // Kicks the client connected from `peer`:`peerPort` (a client in this process knows its
    // end of the connection).
    bool kickPeer(const QHostAddress &peer, quint16 peerPort, quint16 code = 1000,
                  const QString &reason = {});
    // Lets pages from `origin` open WebSockets ("*": any page). False (and errorOccurred) when
    // it is not an origin.
    bool allowOrigin(const QString &origin);
    bool ping(quint64 id, const QByteArray &payload = {});
    // Pings every open WebSocket that is not closing; returns how many. Each pong comes back
    // as pongReceived, and in the client's lastPingMs.
    int pingAll(const QByteArray &payload = {});

Q_SIGNALS:
    void listening(const QHostAddress &address, quint16 port);
    // TCP level, before any HTTP: the connection was accepted (id assigned) or refused.
    void tcpAccepted(quint64 id, const QHostAddress &peer, quint16 peerPort);
    void tcpRefused(const QHostAddress &peer, quint16 peerPort, const wslab::Text &reason);
    void tcpClosed(quint64 id);
    // HTTP level: a plain request answered, or an upgrade request received / rejected.
    void httpServed(quint64 id, const QString &method, const QString &path, int status);
    // The bytes of one HTTP request and of its response, as they crossed the socket.
    void httpBytes(quint64 id, const QString &path, qint64 requestBytes, qint64 responseBytes);
    // The request was malformed or too large and was answered with `status` (400, 413, ...).
    // Reasons are Texts: the peer was answered in English, the user reads them translated.
    void requestRejected(quint64 id, int status, const wslab::Text &reason);
    void handshakeReceived(quint64 id, const QString &path, const wslab::HeaderList &headers);
    void handshakeRejected(quint64 id, int status, const wslab::Text &reason);
    // WebSocket level, named after the lesson's handlers.
    void opened(const wslab::ClientInfo &client); // open()
    // One signal per message: receivers format lazily, and only what someone will read.
    void messageReceived(quint64 id, const wslab::Message &message); // on_message()
    void messageSent(quint64 id, const wslab::Message &message,
                     wslab::SendKind kind); // write_message()
    void pongReceived(quint64 id, qint64 roundTripMs, const QByteArray &payload);
    void closed(quint64 id, const wslab::CloseInfo &info); // on_close()
    // Anything that went wrong; id 0 when it concerns the server rather than one client.
    void errorOccurred(quint64 id, const QString &message);
    void pushIntervalChanged(double seconds);
    void originsChanged(const QStringList &own, const QStringList &extra);
    // stop() is about to close every client: the last word for anything they did.
    void stopping();
    // Redis reached, lost or back (config().redis): `description` says what it means for the
    // clients ("Redis at … unreachable; serving this instance's clients only").
    void clusterChanged(bool shared, const wslab::Text &description);

private:
    friend class HttpFront;
    struct PendingUpgrade;

    // Called by HttpFront for each complete HTTP request; true hands the socket to
    // Qt's WebSocket handshake.
    bool handleHttpRequest(const QHttpServerRequest &request, QTcpSocket *socket);
    // For an upgrade handleHttpRequest() declined (or Qt could not complete).
    void rejectRequest(const QHttpServerRequest &request, QTcpSocket *socket);
    RouteDecision route(const QHttpServerRequest &request, const QTcpSocket *socket) const;

    void onNewWebSocketConnection();
    void adoptWebSocket(QWebSocket *socket);
    void onMessage(Peer &peer, const Message &message);
    void onDisconnected(Peer *peer, const CloseInfo &info);
    void pushTime();
    // Sends `text` to every peer on `route` (every peer: nullopt) that is not closing.
    void fanOut(std::optional<Route> route, const QString &text, SendKind kind);
    // A chat line for every member: this instance's, and the other instances' through Redis.
    void chatToAll(const QString &text);
    void deliverFromCluster(int channel, const QString &text);
    // The instance's name on a response (X-WsLab-Instance), when it has one.
    void tag(HttpResponse &response) const;
    void restartPushTimer();
    void checkIdlePeers();

    bool send(Peer &peer, const Message &message, SendKind kind);
    void accountSent(Peer &peer, const Message &message, SendKind kind);
    Peer *peer(quint64 id) const;

    ServerConfig m_config;
    Clock m_clock;
    QString m_errorString;
    HttpFront *m_http = nullptr; // owns the GuardedTcpServer
    GuardedTcpServer *m_tcp = nullptr;
    QTimer m_pushTimer { this }; // a child, so it follows moveToThread()
    QTimer m_idleTimer { this };
    OriginPolicy m_origins;
    ChatRoom m_chat;
    NewsFeed m_news;
    RedisBus *m_bus = nullptr; // set while listening with config().redis
    quint64 m_messageCount = 0;
    std::map<quint64, std::unique_ptr<Peer>> m_peers; // ordered by id = by age
    std::map<quint64, PendingUpgrade> m_pendingUpgrades; // accepted, awaiting QWebSocket
};

} // namespace wslab
