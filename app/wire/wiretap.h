#pragma once

#include "frameparser.h" // Direction

#include <QElapsedTimer>
#include <QNetworkProxy>
#include <QObject>
#include <QPointer>
#include <QTcpServer>

#include <deque>
#include <map>
#include <memory>

class QTcpSocket;

namespace wslab {

// A local HTTP CONNECT relay between the client and its server, recording every byte.
//
// The client is pointed at it with QWebSocket::setProxy(tap.proxy()), so the URL and the Host
// header stay as the user typed them. It listens on 127.0.0.1 only and tunnels only to the
// one target its owner set: it is never an open proxy.
class WireTap : public QObject
{
    Q_OBJECT

public:
    explicit WireTap(QObject *parent = nullptr);
    ~WireTap() override;

    // The only host:port a CONNECT may ask for (host compared case-insensitively).
    void setTarget(const QString &host, quint16 port);
    bool listen(); // on 127.0.0.1, an ephemeral port
    quint16 port() const;
    QHostAddress address() const { return m_server.serverAddress(); }
    QNetworkProxy proxy() const;
    // Nanoseconds on a monotonic clock started with the tap; every event is stamped with it.
    qint64 now() const { return m_clock.nsecsElapsed(); }

    // Unsent bytes per direction before the tap stops reading the sending side.
    static constexpr qint64 maxBuffered = 16 * 1024 * 1024;
    // What Qt may read ahead from each socket while the tap is not reading it. Past it, Qt stops
    // reading and TCP's own flow control holds the sender back (unbounded by default).
    static constexpr qint64 readBufferSize = 1024 * 1024;
    // Held bytes in all, while stepping, before the tap stops reading.
    static constexpr qint64 maxHeld = 16 * 1024 * 1024;

    // Step-through: once TCP is connected, hold every chunk until step() lets exactly one cross.
    // Turning it off releases everything held, in order.
    void setStepping(bool stepping);
    bool isStepping() const { return m_stepping; }
    int heldCount() const { return int(m_held.size()); }
    bool step();

Q_SIGNALS:
    // TCP level.
    void tunnelRequested(quint64 connection, const QString &target, qint64 timeNs);
    void tunnelRefused(quint64 connection, const QString &target, const QString &reason,
                       qint64 timeNs);
    // `local`:`localPort`: the tap's end of the upstream connection, i.e. how the server sees
    // our client.
    void connectedToTarget(quint64 connection, const QString &host, quint16 port,
                           const QHostAddress &local, quint16 localPort, qint64 timeNs);
    // Every chunk relayed, exactly as it crossed, in order per direction.
    void chunk(quint64 connection, wslab::Direction direction, const QByteArray &bytes,
               qint64 timeNs);
    // One side ended the TCP connection: `how` is "EOF" or the socket error ("reset", ...).
    void tcpClosed(quint64 connection, wslab::Direction from, const QString &how, qint64 timeNs);
    void errorOccurred(quint64 connection, const QString &message, qint64 timeNs);
    // Step-through: how many chunks wait for step().
    void heldChanged(int held);

private:
    struct Tunnel;

    void onNewConnection();
    void readConnectRequest(Tunnel &tunnel);
    void relay(Tunnel &tunnel, Direction direction);
    void answerAndClose(Tunnel &tunnel, QByteArrayView status);
    void forward(Tunnel &tunnel, Direction direction, const QByteArray &bytes);
    bool holds(quint64 tunnel) const;

    struct Held
    {
        quint64 tunnel = 0;
        Direction direction = Direction::ClientToServer;
        QByteArray bytes;
    };
    void endTunnel(quint64 id, Direction from, const QString &how);

    QTcpServer m_server;
    QString m_targetHost;
    quint16 m_targetPort = 0;
    QElapsedTimer m_clock;
    quint64 m_nextId = 1;
    std::map<quint64, std::unique_ptr<Tunnel>> m_tunnels;
    bool m_stepping = false;
    std::deque<Held> m_held;
    qint64 m_heldBytes = 0;
};

} // namespace wslab
