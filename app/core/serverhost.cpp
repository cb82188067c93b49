#include "serverhost.h"

#include "textpreview.h"

#include <QTimer>

namespace wslab {

// Lives in the server's thread: turns server signals into Events and hands them over in
// batches, with a snapshot of the client list whenever it changed.
class ServerBridge : public QObject
{
    Q_OBJECT

public:
    explicit ServerBridge(EmbeddedServer *server) : m_server(server)
    {
        m_flush.setInterval(30);
        connect(&m_flush, &QTimer::timeout, this, &ServerBridge::flush);
        m_flush.start();
        m_rateClock.start();
        using K = Event::Kind;
        connect(server, &EmbeddedServer::tcpAccepted, this,
                [this](quint64 id, const QHostAddress &peer, quint16 port) {
                    add(K::TcpAccepted, Phase::Tcp, id,
                        tr("TCP accepted from %1:%2").arg(peer.toString()).arg(port));
                    m_pending.last().peerPort = port;
                });
        connect(
            server, &EmbeddedServer::tcpRefused, this,
            [this](const QHostAddress &peer, quint16 port, const QString &reason) {
                add(K::TcpRefused, Phase::Tcp, 0,
                    tr("TCP refused from %1:%2: %3").arg(peer.toString()).arg(port).arg(reason));
            });
        connect(server, &EmbeddedServer::tcpClosed, this,
                [this](quint64 id) { add(K::TcpClosed, Phase::Tcp, id, tr("TCP closed")); });
        connect(server, &EmbeddedServer::httpServed, this,
                [this](quint64 id, const QString &method, const QString &path, int status) {
                    add(K::HttpRequest, Phase::Http, id,
                        tr("HTTP %1 %2 → %3").arg(method, path).arg(status));
                });
        connect(server, &EmbeddedServer::requestRejected, this,
                [this](quint64 id, int status, const QString &reason) {
                    add(K::Error, Phase::Http, id,
                        tr("HTTP request rejected with %1: %2").arg(status).arg(reason));
                });
        connect(server, &EmbeddedServer::handshakeReceived, this,
                [this](quint64 id, const QString &path, const HeaderList &) {
                    add(K::HandshakeRequest, Phase::Http, id,
                        tr("handshake request: GET %1 with Upgrade: websocket").arg(path));
                });
        connect(server, &EmbeddedServer::handshakeRejected, this,
                [this](quint64 id, int status, const QString &reason) {
                    add(K::HandshakeRejected, Phase::Http, id,
                        tr("handshake rejected with %1: %2").arg(status).arg(reason));
                });
        connect(server, &EmbeddedServer::opened, this, [this](const ClientInfo &client) {
            add(K::Open, Phase::WebSocket, client.id,
                tr("open (101 sent): %1 from %2:%3")
                    .arg(routePath(client.route), client.peerAddress.toString())
                    .arg(client.peerPort));
            m_clientsDirty = true;
        });
        connect(server, &EmbeddedServer::messageReceived, this,
                [this](quint64 id, const QByteArray &payload, bool binary) {
                    add(K::MessageReceived, Phase::WebSocket, id,
                        tr("on_message: %1")
                            .arg(binary ? shortHex(payload, 16)
                                        : u'"' + escapedText(payload, 80) + u'"'));
                    ++m_messages;
                    m_clientsDirty = true;
                });
        connect(server, &EmbeddedServer::messageSent, this,
                [this](quint64 id, const QByteArray &payload, bool binary, SendKind kind) {
                    add(K::MessageSent, Phase::WebSocket, id,
                        tr("write_message (%1): %2")
                            .arg(sendKindName(kind),
                                 binary ? shortHex(payload, 16)
                                        : u'"' + escapedText(payload, 80) + u'"'));
                    ++m_messages;
                    m_clientsDirty = true;
                });
        connect(server, &EmbeddedServer::pongReceived, this,
                [this](quint64 id, qint64 rtt, const QByteArray &) {
                    add(K::Pong, Phase::WebSocket, id, tr("pong: round trip %1 ms").arg(rtt));
                });
        connect(server, &EmbeddedServer::closed, this, [this](quint64 id, const CloseInfo &info) {
            add(K::Closed, Phase::WebSocket, id,
                tr("on_close: code %1%2, initiated by %3, %4")
                    .arg(info.code)
                    .arg(info.reason.isEmpty() ? QString() : u" \"" + info.reason + u'"')
                    .arg(initiatorName(info.initiator),
                         info.clean ? tr("clean") : tr("no Close frame")));
            m_clientsDirty = true;
        });
        connect(
            server, &EmbeddedServer::errorOccurred, this,
            [this](quint64 id, const QString &message) { add(K::Error, Phase::Tcp, id, message); });
    }

Q_SIGNALS:
    void batch(const QList<wslab::Event> &events, const QList<wslab::ClientInfo> &clients,
               bool clientsChanged, double rate);

private:
    void add(Event::Kind kind, Phase phase, quint64 id, const QString &summary)
    {
        m_pending.append(makeEvent(Event::Side::Server, phase, kind, id, summary));
    }

    void flush()
    {
        const bool rateDue = m_rateClock.elapsed() >= 1000;
        if (m_pending.isEmpty() && !m_clientsDirty && !rateDue)
            return;
        double rate = -1;
        if (rateDue) {
            rate = m_messages * 1000.0 / m_rateClock.restart();
            m_messages = 0;
        }
        Q_EMIT batch(std::exchange(m_pending, {}),
                     m_clientsDirty ? m_server->clients() : QList<ClientInfo>(), m_clientsDirty,
                     rate);
        m_clientsDirty = false;
    }

    EmbeddedServer *m_server;
    QTimer m_flush;
    QList<Event> m_pending;
    bool m_clientsDirty = false;
    qint64 m_messages = 0;
    QElapsedTimer m_rateClock;
};

ServerHost::ServerHost(QObject *parent) : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("wslab-server"));
}

ServerHost::~ServerHost()
{
    stop();
}

bool ServerHost::start(const ServerConfig &config)
{
    stop();
    m_thread.start();
    m_server = new EmbeddedServer(config);
    m_server->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_server, &QObject::deleteLater);
    bool ok = false;
    QMetaObject::invokeMethod(
        m_server,
        [this, &ok] {
            ok = m_server->start();
            m_errorString = m_server->errorString();
            m_port = ok ? m_server->port() : 0;
            m_address = m_server->address();
            m_pushInterval = m_server->pushInterval();
            m_bridge = new ServerBridge(m_server);
            connect(m_server, &QObject::destroyed, m_bridge, &QObject::deleteLater);
        },
        Qt::BlockingQueuedConnection);
    connect(m_bridge, &ServerBridge::batch, this,
            [this](const QList<Event> &events, const QList<ClientInfo> &clients,
                   bool clientsChanged, double rate) {
                if (!events.isEmpty())
                    Q_EMIT this->events(events);
                if (clientsChanged) {
                    m_clients = clients;
                    Q_EMIT this->clientsChanged(clients);
                }
                if (rate >= 0)
                    Q_EMIT messagesPerSecond(rate);
            });
    connect(m_server, &EmbeddedServer::httpBytes, this,
            [this](quint64, const QString &path, qint64 in, qint64 out) {
                Q_EMIT httpTraffic(path, in, out);
            });
    connect(m_server, &EmbeddedServer::pushIntervalChanged, this, [this](double seconds) {
        m_pushInterval = seconds;
        Q_EMIT pushIntervalChanged(seconds);
    });
    if (!ok)
        stop();
    return ok;
}

void ServerHost::stop()
{
    if (!m_thread.isRunning())
        return;
    if (m_server)
        QMetaObject::invokeMethod(
            m_server, [server = m_server] { server->stop(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_server = nullptr;
    m_bridge = nullptr;
    m_port = 0;
    m_clients.clear();
}

QUrl ServerHost::webSocketUrl(Route route) const
{
    QUrl url = httpUrl(routePath(route));
    url.setScheme(QStringLiteral("ws"));
    return url;
}

QUrl ServerHost::httpUrl(const QString &path) const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(m_address.toString());
    url.setPort(m_port);
    url.setPath(path);
    return url;
}

void ServerHost::setClock(Clock clock)
{
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

void ServerHost::kick(quint64 id, quint16 code, const QString &reason)
{
    if (m_server)
        QMetaObject::invokeMethod(
            m_server, [server = m_server, id, code, reason] { server->kick(id, code, reason); });
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

void ServerHost::kickPeer(quint16 peerPort, quint16 code, const QString &reason)
{
    if (m_server)
        QMetaObject::invokeMethod(m_server, [server = m_server, peerPort, code, reason] {
            server->kickPeer(peerPort, code, reason);
        });
}

void ServerHost::ping(quint64 id)
{
    if (m_server)
        QMetaObject::invokeMethod(
            m_server, [server = m_server, id] { server->ping(id, QByteArrayLiteral("wslab")); });
}

} // namespace wslab

#include "serverhost.moc"
