#pragma once

#include "closetracker.h"

#include <QObject>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

#include <QCoro/QCoroTask>

#include <chrono>
#include <deque>
#include <optional>

class QNetworkRequest;

namespace wslab {

// QWebSocket in the lesson's coroutine style:
//
//   if (!co_await ws.open(request)) ...             // conn = await websocket_connect(url)
//   while (auto message = co_await ws.readMessage()) // msg = await conn.read_message()
//       ...;                                         // None: the connection is closed
//
// Messages are queued as they arrive, so none is lost between two awaits. It also tracks what
// Qt 6.4 does not report: who started the close, and whether a Close frame came at all.
class CoWebSocket : public QObject
{
    Q_OBJECT

public:
    struct Message
    {
        QByteArray payload; // UTF-8 for text
        bool binary = false;
    };

    explicit CoWebSocket(QObject *parent = nullptr);
    ~CoWebSocket() override;

    QWebSocket *socket() { return &m_socket; }

    // Connects and completes the handshake. False on refusal, handshake failure or timeout;
    // errorString() says which. Once per CoWebSocket.
    QCoro::Task<bool> open(const QNetworkRequest &request,
                           std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // The same, offering the subprotocols in `handshake`.
    QCoro::Task<bool> open(const QNetworkRequest &request, QWebSocketHandshakeOptions handshake,
                           std::chrono::milliseconds timeout);
    // The subprotocol the server chose; empty when none (or not open yet).
    QString subprotocol() const { return m_socket.subprotocol(); }
    // The next message, or nullopt once the connection is closed and the queue is empty.
    QCoro::Task<std::optional<Message>> readMessage();
    // Waits until the TCP connection is gone (after close(), or the server's close).
    QCoro::Task<> waitClosed();

    void sendText(const QString &text) { m_socket.sendTextMessage(text); }
    void sendBinary(const QByteArray &data) { m_socket.sendBinaryMessage(data); }
    // Starts the closing handshake from this side.
    void close(quint16 code = 1000, const QString &reason = {});

    // A message or frame from the server over this is refused: the client closes with 1009.
    // Set before open().
    void setMaxIncomingMessageSize(qint64 bytes);

    bool isClosed() const { return m_closed; }
    QString errorString() const { return m_errorString; }
    // Valid once isClosed().
    CloseInfo closeInfo() const;

Q_SIGNALS:
    // Something a coroutine may be waiting for happened: open, message, error, close.
    // Always emitted from the event loop, never from inside QWebSocket's own signals, so a
    // resumed coroutine may close or even destroy the socket.
    void changed();

private:
    void notify();

    CloseTracker m_close; // before the socket: it watches the socket until the socket goes
    QWebSocket m_socket;
    QTimer m_openTimeout;
    std::deque<Message> m_queue;
    QString m_errorString;
    bool m_notifyPending = false;
    bool m_opened = false;
    bool m_closed = false;
};

} // namespace wslab
