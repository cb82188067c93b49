#pragma once

#include "closetracker.h"
#include "connectoptions.h"
#include "event.h"
#include "reconnectbackoff.h"
#include "wiresession.h"

#include <QObject>
#include <QSslCertificate>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <chrono>
#include <memory>

namespace wslab {

// The window's client: one QWebSocket, routed through a WireTap by default so the window can
// show the real bytes. It tracks what a student should see — the phase the connection is in,
// who closed it and whether a Close frame came at all — and reports everything as Events.
class ClientSession : public QObject
{
    Q_OBJECT

public:
    enum class State {
        Idle, // never connected
        TcpConnecting, // resolving and opening the TCP connection
        HttpHandshake, // TCP is up; the HTTP upgrade request/response is under way
        Open, // frames over TCP
        Closing, // a Close frame went out
        Closed,
    };
    Q_ENUM(State)

    explicit ClientSession(QObject *parent = nullptr);
    ~ClientSession() override;

    State state() const { return m_state; }
    bool isActive() const { return m_state != State::Idle && m_state != State::Closed; }
    QUrl url() const { return m_url; }
    bool viaTap() const { return m_viaTap; }
    void setViaTap(bool viaTap) { m_viaTap = viaTap; }
    QString errorString() const { return m_errorString; }
    CloseInfo closeInfo() const { return m_closeInfo; } // valid in state Closed
    // Step-through (through the tap only): every chunk waits for step().
    bool isStepping() const { return m_stepping; }
    int heldCount() const;
    // The port the server sees this client on: the tap's end when through the tap, else ours.
    quint16 serverSidePort() const;
    QHostAddress serverSideAddress() const;
    // Certificates trusted for wss:// besides the system's (the window's own server's
    // self-signed one). From the next connection on.
    void setTrustedCertificates(const QList<QSslCertificate> &certificates)
    {
        m_trusted = certificates;
    }

    // Headers, subprotocols, query, timeout, TLS, proxy, reconnect: from the next connectTo().
    // A bad option (an unreadable CA file, a key that is not the certificate's) fails that
    // connectTo() with an Error event.
    const ConnectOptions &connectOptions() const { return m_options; }
    void setConnectOptions(const ConnectOptions &options);
    // The subprotocol the server chose (Sec-WebSocket-Protocol in its 101); empty when it chose
    // none or the connection has not opened.
    QString subprotocol() const { return m_subprotocol; }
    // With ConnectOptions::reconnect: the countdown to the next attempt after the server closed
    // or the connection dropped (never after Disconnect or Abort). Tests shorten its steps.
    ReconnectBackoff *reconnectBackoff() { return &m_reconnect; }
    bool isReconnectPending() const { return m_reconnect.isPending(); }

    // A message or frame from the server over these is refused: the client closes with 1009.
    // They apply from the next connectTo().
    qint64 maxIncomingMessageSize() const { return m_maxMessageSize; }
    void setMaxIncomingMessageSize(qint64 bytes) { m_maxMessageSize = bytes; }
    qint64 maxIncomingFrameSize() const { return m_maxFrameSize; }
    void setMaxIncomingFrameSize(qint64 bytes) { m_maxFrameSize = bytes; }
    // From connectTo() to the 101 (DNS, TCP and the HTTP handshake): past it the attempt is
    // given up with a message. QWebSocket 6.4 has no such deadline and would wait forever for
    // a server that accepts TCP and says nothing. Paused while stepping through the tap.
    static constexpr std::chrono::milliseconds defaultHandshakeTimeout { 10'000 };
    // The same value as connectOptions().timeout.
    std::chrono::milliseconds handshakeTimeout() const { return m_options.timeout; }
    void setHandshakeTimeout(std::chrono::milliseconds timeout);

public Q_SLOTS:
    // False (and an Error event) when the text is not a usable ws:// or wss:// URL.
    bool connectTo(const QString &urlText);
    // Close handshake with `code` (Disconnect).
    void disconnectGracefully(quint16 code = 1000, const QString &reason = {});
    // Drops TCP without a Close frame (Abort): the server sees 1006.
    void abort();
    void sendText(const QString &text);
    void sendBinary(const QByteArray &data);
    void ping(const QByteArray &payload = {});
    void setStepping(bool stepping);
    bool step();
    // Stops a pending reconnect countdown.
    void cancelReconnect();

Q_SIGNALS:
    void stateChanged(wslab::ClientSession::State state);
    void event(const wslab::Event &event);
    void wireEvent(const wslab::WireEvent &event); // decoded bytes, when via the tap
    void messageReceived(const QByteArray &payload, bool binary, qint64 timeNs);
    void messageSent(const QByteArray &payload, bool binary, qint64 timeNs);
    void pongReceived(qint64 roundTripMs);
    void closed(const wslab::CloseInfo &info);
    void heldChanged(int held);
    void connectOptionsChanged();
    // Seconds until the next reconnect attempt, each second; 0 when it starts or is cancelled.
    void reconnectCountdown(int secondsLeft);

private:
    void setState(State state);
    void emitEvent(Event::Kind kind, Phase phase, const Text &summary,
                   const QByteArray &payload = {}, bool binary = false);
    void onWireEvent(const WireEvent &wire);
    void onTcpConnected(const QString &peer);
    void onAboutToClose();
    void onSocketError(QAbstractSocket::SocketError error);
    void onDisconnected();
    void onHandshakeTimeout();
    // The connection did not open (or was aborted before it did): say why, drop it, Closed.
    void fail(const Text &message, Event::Kind kind = Event::Kind::Error);
    void failFromSocket(QAbstractSocket::SocketError error);
    void updateHandshakeTimer();
    void teardown();
    bool startConnection(const QUrl &url);
    void scheduleReconnect();

    State m_state = State::Idle;
    QUrl m_url;
    bool m_viaTap = true;
    bool m_stepping = false;
    quint16 m_serverSidePort = 0;
    QHostAddress m_serverSideAddress;
    QList<QSslCertificate> m_trusted;
    ConnectOptions m_options;
    QString m_errorString;
    QString m_tapError; // the tap could not open the tunnel: why (Qt only says "proxy error")
    qint64 m_maxMessageSize = defaultClientMaxMessageSize;
    qint64 m_maxFrameSize = defaultClientMaxMessageSize;
    QString m_subprotocol;
    bool m_userClosed = false; // Disconnect or Abort: no reconnect
    bool m_everOpened = false; // since the user's connectTo(): a failed attempt is retried
    ReconnectBackoff m_reconnect;
    QTimer m_handshakeTimer;
    std::unique_ptr<QWebSocket> m_socket;
    std::unique_ptr<WireSession> m_wire;
    CloseTracker m_close;
    CloseInfo m_closeInfo;
    quint64 m_connectionCount = 0;
};

} // namespace wslab
