#pragma once

#include "frameparser.h" // Direction
#include "wiredecoder.h" // TlsSummary

#include <QElapsedTimer>
#include <QNetworkProxy>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTcpServer>

#include <deque>
#include <map>
#include <memory>

class QTcpSocket;

namespace wslab {

// The tap's listening socket: for wss:// it accepts each client as a QSslSocket, which speaks
// plain HTTP for the CONNECT and TLS after it.
class WireTapServer : public QTcpServer
{
public:
    bool acceptsTls = false;

protected:
    void incomingConnection(qintptr descriptor) override;
};

// A local HTTP CONNECT relay between the client and its server, recording every byte.
//
// The client is pointed at it with QWebSocket::setProxy(tap.proxy()), so the URL and the Host
// header stay as the user typed them. It listens on 127.0.0.1 only and tunnels only to the
// one target its owner set: it is never an open proxy.
//
// For wss:// (setTls()) it ends the client's TLS after the CONNECT with a certificate only that
// client trusts, and opens its own TLS to the target, verified as the configuration says; what
// it records and relays between the two is the plaintext. The tunnel opens (200) only once the
// server's TLS is verified: a certificate the configuration does not accept ends it with 502
// and the reason in errorOccurred().
class WireTap : public QObject
{
    Q_OBJECT

public:
    explicit WireTap(QObject *parent = nullptr);
    ~WireTap() override;

    // The only host:port a CONNECT may ask for (host compared case-insensitively).
    void setTarget(const QString &host, quint16 port);
    // wss://: the certificate and key the tap shows the client, and the TLS it opens to the
    // target (CAs, verification, client certificate). Before listen().
    void setTls(const QSslCertificate &certificate, const QSslKey &key,
                const QSslConfiguration &upstream);
    bool tls() const { return m_server.acceptsTls; }
    // How the tap reaches the target (default: directly).
    void setUpstreamProxy(const QNetworkProxy &proxy) { m_upstreamProxy = proxy; }
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
    // wss://: the tap's TLS with the server is up (verified, or verification turned off).
    void tlsEstablished(quint64 connection, const wslab::TlsSummary &tls, qint64 timeNs);
    // Every chunk relayed (the plaintext, for wss://), exactly as it crossed, in order per
    // direction.
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
    void openTunnel(Tunnel &tunnel, const QByteArray &early);
    void watchTls(Tunnel &tunnel);
    bool holds(quint64 tunnel) const;

    struct Held
    {
        quint64 tunnel = 0;
        Direction direction = Direction::ClientToServer;
        QByteArray bytes;
    };
    void endTunnel(quint64 id, Direction from, const QString &how);

    WireTapServer m_server;
    QSslConfiguration m_toClient; // wss://: the tap as the client's server
    QSslConfiguration m_toServer; // wss://: the tap as the server's client
    QNetworkProxy m_upstreamProxy = QNetworkProxy(QNetworkProxy::NoProxy);
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
