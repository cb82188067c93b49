#pragma once

// Internal to EmbeddedServer: the TCP layer under QtHttpServer, where the limits QtHttpServer
// 6.4 does not have are enforced (connection count, handshake deadline, request size).

#include "requestheadcheck.h"
#include "text.h"

#include <QHash>
#include <QSslConfiguration>
#include <QTcpServer>
#include <QTimer>

#include <chrono>
#include <functional>
#include <optional>

class QTcpSocket;

namespace wslab {

// Lives as a child of one accepted QTcpSocket, so it dies with the socket whoever owns it
// (QtHttpServer while HTTP, the QWebSocket after the upgrade). QtHttpServer calls
// socket->disconnect() when it hands the socket over, which is why the guard keeps its own
// timer instead of listening to the socket's signals.
class ConnectionGuard : public QObject
{
    Q_OBJECT

public:
    ConnectionGuard(quint64 id, QTcpSocket *socket, std::chrono::milliseconds handshakeTimeout,
                    qint64 maxRequestSize);

    quint64 id() const { return m_id; }
    static ConnectionGuard *of(const QTcpSocket *socket);

    // A complete HTTP request arrived: from now on the idle deadline applies.
    void requestCompleted(std::chrono::milliseconds idleTimeout);
    qint64 requestBytes() const { return m_handledBytes; } // of the request being handled
    // The socket became a WebSocket: WebSocket limits take over.
    void upgraded();

Q_SIGNALS:
    void timedOut(quint64 id);
    // The guard answered `status` itself and is closing the connection.
    void rejected(quint64 id, int status, const wslab::Text &reason);

private:
    void inspectIncoming();
    void rejectWhenAnswered();
    void reject(int status, const QByteArray &phrase, const Text &reason);
    void expire();

    quint64 m_id;
    QTcpSocket *m_socket;
    RequestStream m_stream; // every byte QtHttpServer will read, checked once
    qint64 m_handled = 0; // where the last request QtHttpServer handled ended, in the stream
    qint64 m_handledBytes = 0; // its size
    bool m_upgraded = false;
    bool m_finished = false;
    QTimer m_deadline;
};

// Creates the sockets itself so that every connection gets an id and a guard before
// QtHttpServer sees it, and so that connections over the limit are refused with a 503
// without disturbing anyone already connected.
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT

public:
    struct Settings
    {
        int maxConnections;
        int maxPerAddress; // 0: no limit
        std::chrono::milliseconds handshakeTimeout;
        qint64 maxRequestSize;
        std::optional<QSslConfiguration> tls; // set: TLS only, on every connection
        // Header lines ("Name: value\r\n") added to the 101 response Qt writes for an upgrade
        // (X-WsLab-Instance): Qt 6.4's QWebSocketServer has no API for extra headers.
        QByteArray upgradeHeaders = {};
    };

    GuardedTcpServer(const Settings &settings, QObject *parent);

    int liveConnections() const { return m_live; }
    void setHandshakeTimeout(std::chrono::milliseconds timeout)
    {
        m_settings.handshakeTimeout = timeout;
    }

Q_SIGNALS:
    void accepted(ConnectionGuard *guard, QTcpSocket *socket);
    void refused(const QHostAddress &peer, quint16 peerPort, const wslab::Text &reason);
    void connectionEnded(quint64 id);

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    // Applies the limits; false when `socket` was refused (and is being closed).
    bool admit(QTcpSocket *socket);
    // TLS port: waits for the first byte, then hands the connection to TLS or refuses it.
    void sniff(qintptr socketDescriptor);

    Settings m_settings;
    int m_live = 0;
    int m_sniffing = 0; // TLS port: connections that have not sent their first byte
    QHash<QByteArray, int> m_perAddress; // live connections by peer address (IPv6 form)
    quint64 m_nextId = 1;
};

QByteArray statusPhrase(int status);

// Writes a complete HTTP/1.1 error response and closes the connection once it is sent.
void writeHttpErrorAndClose(QTcpSocket *socket, int status, const QByteArray &reasonPhrase,
                            const QByteArray &body);

} // namespace wslab
