#pragma once

#include "embeddedserver.h"
#include "event.h"

#include <QList>
#include <QObject>
#include <QThread>

namespace wslab {

class ServerBridge;

// Runs the EmbeddedServer on its own thread, so a flood of messages cannot freeze the window.
// Events cross to the GUI thread in batches (every 30 ms), not one queued signal per message;
// commands go the other way as queued calls.
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
    QUrl webSocketUrl(Route route = Route::Echo) const;
    QUrl httpUrl(const QString &path = QStringLiteral("/")) const;
    double pushInterval() const { return m_pushInterval; }
    const QList<ClientInfo> &clients() const { return m_clients; }

    // Tests and demos: where the server reads "now".
    void setClock(Clock clock);

public Q_SLOTS:
    void setPushInterval(double seconds);
    void sendTo(quint64 id, const QString &text);
    void broadcast(const QString &text);
    void kick(quint64 id, quint16 code, const QString &reason);
    void kickPeer(quint16 peerPort, quint16 code, const QString &reason);
    void ping(quint64 id);
    void setHandshakeTimeout(std::chrono::milliseconds timeout);
    void publishNews(const QString &text);

Q_SIGNALS:
    void events(const QList<wslab::Event> &batch);
    void clientsChanged(const QList<wslab::ClientInfo> &clients);
    void pushIntervalChanged(double seconds);
    void messagesPerSecond(double rate);
    // One HTTP request served: its path and the bytes each way (few enough not to batch).
    void httpTraffic(const QString &path, qint64 requestBytes, qint64 responseBytes);

private:
    QThread m_thread;
    EmbeddedServer *m_server = nullptr; // lives in m_thread
    ServerBridge *m_bridge = nullptr; // lives in m_thread
    quint16 m_port = 0;
    QHostAddress m_address;
    QString m_errorString;
    double m_pushInterval = 1;
    QList<ClientInfo> m_clients;
};

} // namespace wslab
