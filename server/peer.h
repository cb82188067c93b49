#pragma once

#include "closeattribution.h"
#include "serverevents.h"

#include <QObject>
#include <QPointer>

#include <chrono>
#include <functional>

class QTcpSocket;
class QWebSocket;

namespace wslab {

// One open WebSocket on the server: the socket, what it has sent and received, and how it
// ended. It knows nothing of routes' meanings (the server decides what a message does); it
// enforces the limits of one connection: the send budget of a client that does not read,
// the deadline of a close the peer does not finish, the idle check.
class Peer : public QObject
{
    Q_OBJECT

public:
    struct Limits
    {
        qint64 maxMessageSize = 16 * 1024 * 1024; // incoming, over it Qt closes with 1009
        qint64 maxFrameSize = 16 * 1024 * 1024;
        qint64 sendBudget = 32 * 1024 * 1024; // unsent bytes before it is closed as too slow
        std::chrono::milliseconds closeTimeout { 5'000 }; // Close sent → TCP dropped
    };

    // Takes `socket` (a child from now on). `tcp` is the connection below it, written to
    // directly by sendFrame() (not for TLS, whose bytes Qt must encrypt).
    Peer(QWebSocket *socket, QTcpSocket *tcp, const ClientInfo &info, const Limits &limits,
         bool tls, QObject *parent = nullptr);
    ~Peer() override;

    quint64 id() const { return m_info.id; }
    Route route() const { return m_info.route; }
    const ClientInfo &info() const { return m_info; }
    // info() with lastMessageAt filled in, `now` being the server's clock (UTC).
    ClientInfo snapshot(const QDateTime &now) const;
    QWebSocket *socket() const { return m_socket; }

    // What the owner does with each message received (the server: echo, relay). A plain call,
    // not a signal: it is the echo's hot path (as a signal, bench/run --baseline measured the
    // echo at 0.91-0.93 x the server before the split; as a call, 0.94-1.06 in paired runs).
    using MessageHandler = std::function<void(Peer &peer, const Message &message)>;
    void setMessageHandler(MessageHandler handler) { m_onMessage = std::move(handler); }

    // No per-message signals from the server for this client (ServerDigest); counters go on.
    bool isMuted() const { return m_muted; }
    void setMuted(bool muted) { m_muted = muted; }

    // Nothing more is sent once either side started closing.
    bool isClosing() const { return m_close.closeStarted() || m_close.weInitiated(); }

    // Each returns whether the message went out (and was counted): not when the peer is
    // closing or over its send budget, which closes it with 1008.
    bool send(const Message &message, SendKind kind);
    // A text frame already built (a fan-out builds it once for every peer).
    bool sendFrame(const QByteArray &frame, SendKind kind);
    bool ping(const QByteArray &payload);

    // Closes with `code` and `reason` (cut to what a Close frame holds) from the event loop;
    // drops TCP when the peer does not finish within the close timeout.
    void close(quint16 code, const QString &reason);
    // The idle check: a peer silent for `limit` is pinged, and closed (1001) when the pong does
    // not come within `limit` again.
    void checkIdle(qint64 nowMs, qint64 limitMs);
    // stop(): Close 1001 if none went out yet, and no more signals.
    void shutDown();

Q_SIGNALS:
    void pong(quint64 id, qint64 roundTripMs, const QByteArray &payload);
    void errorOccurred(quint64 id, const QString &message);
    // TCP is gone. Delete the peer later, not from the slot.
    void disconnected(wslab::Peer *peer, const wslab::CloseInfo &info);

private:
    void heard(const Message &message);
    bool overBudget(); // closes when it is
    bool writeFrame(const QByteArray &frame);
    void countSent(SendKind kind);

    QWebSocket *m_socket;
    QPointer<QTcpSocket> m_tcp;
    ClientInfo m_info;
    Limits m_limits;
    bool m_tls = false;
    bool m_muted = false;
    MessageHandler m_onMessage;
    CloseTracker m_close { Initiator::Server }; // watches the socket until it goes
    qint64 m_lastHeardMs = 0; // when a message or pong last came (monotonic)
    qint64 m_lastMessageMs = -1; // when a message last came (monotonic); -1: none yet
    qint64 m_pingSentMs = 0; // an idle check's ping is out since then; 0: none
};

} // namespace wslab
