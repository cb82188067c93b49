#include "guardedtcpserver_p.h"

#include "requestheadcheck.h"

#include <QTcpSocket>

namespace wslab {

QByteArray statusPhrase(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 408:
        return "Request Timeout";
    case 413:
        return "Payload Too Large";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Error";
    }
}

void writeHttpErrorAndClose(QTcpSocket *socket, int status, const QByteArray &reasonPhrase,
                            const QByteArray &body)
{
    if (socket->state() != QAbstractSocket::ConnectedState)
        return;
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase
        + "\r\nContent-Type: text/plain; charset=utf-8"
          "\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    socket->write(response);
    socket->disconnectFromHost();
    // A peer that never reads must not keep the socket alive.
    QTimer::singleShot(std::chrono::seconds(2), socket, &QAbstractSocket::abort);
}

ConnectionGuard::ConnectionGuard(quint64 id, QTcpSocket *socket,
                                 std::chrono::milliseconds handshakeTimeout, qint64 maxRequestSize)
    : QObject(socket), m_id(id), m_socket(socket), m_maxRequestSize(maxRequestSize)
{
    setObjectName(QStringLiteral("wslab-connection-guard"));
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &ConnectionGuard::expire);
    m_deadline.start(handshakeTimeout);
    // Connected before QtHttpServer connects its own slot, so the guard sees each chunk first.
    connect(socket, &QIODevice::readyRead, this, &ConnectionGuard::inspectIncoming);
}

ConnectionGuard *ConnectionGuard::of(const QTcpSocket *socket)
{
    return socket ? socket->findChild<ConnectionGuard *>(QStringLiteral("wslab-connection-guard"),
                                                         Qt::FindDirectChildrenOnly)
                  : nullptr;
}

void ConnectionGuard::requestCompleted(std::chrono::milliseconds idleTimeout)
{
    m_requestBytes = 0;
    m_head.clear();
    m_headComplete = false;
    if (!m_upgraded && !m_finished)
        m_deadline.start(idleTimeout);
}

void ConnectionGuard::upgraded()
{
    m_upgraded = true;
    m_deadline.stop();
    disconnect(m_socket, &QIODevice::readyRead, this, &ConnectionGuard::inspectIncoming);
}

void ConnectionGuard::inspectIncoming()
{
    if (m_upgraded || m_finished)
        return;
    // QtHttpServer reads everything on each readyRead, so what is buffered now is new.
    const QByteArray chunk = m_socket->peek(m_socket->bytesAvailable());
    m_requestBytes += chunk.size();
    if (!m_headComplete) {
        m_head += chunk;
        const RequestHeadCheck check = checkRequestHead(m_head);
        if (check.state == RequestHeadCheck::State::Invalid) {
            reject(check.status, statusPhrase(check.status), check.reason);
            return;
        }
        if (check.state == RequestHeadCheck::State::Complete) {
            m_headComplete = true;
            m_head.clear();
        }
    }
    if (m_requestBytes > m_maxRequestSize)
        reject(413, "Payload Too Large",
               tr("request of %1+ bytes is over the %2-byte limit")
                   .arg(m_requestBytes)
                   .arg(m_maxRequestSize));
}

void ConnectionGuard::reject(int status, const QByteArray &phrase, const QString &reason)
{
    m_finished = true;
    m_deadline.stop();
    Q_EMIT rejected(m_id, status, reason);
    // Take the bytes away from QtHttpServer, whose slot runs next: the answer is ours.
    m_socket->readAll();
    writeHttpErrorAndClose(m_socket, status, phrase, reason.toUtf8() + '\n');
}

void ConnectionGuard::expire()
{
    if (m_upgraded || m_finished)
        return;
    m_finished = true;
    Q_EMIT timedOut(m_id);
    if (m_requestBytes > 0)
        writeHttpErrorAndClose(m_socket, 408, statusPhrase(408),
                               "The request did not arrive in time.\n");
    else
        m_socket->abort(); // an idle keep-alive connection, or one that never said anything
}

GuardedTcpServer::GuardedTcpServer(const Settings &settings, QObject *parent)
    : QTcpServer(parent), m_settings(settings)
{
}

void GuardedTcpServer::incomingConnection(qintptr socketDescriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        return;
    }
    if (m_live >= m_settings.maxConnections) {
        Q_EMIT refused(
            socket->peerAddress(), socket->peerPort(),
            QStringLiteral("connection limit (%1) reached").arg(m_settings.maxConnections));
        connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
        writeHttpErrorAndClose(socket, 503, statusPhrase(503),
                               "Too many connections; try again later.\n");
        return;
    }

    ++m_live;
    const quint64 id = m_nextId++;
    auto *guard
        = new ConnectionGuard(id, socket, m_settings.handshakeTimeout, m_settings.maxRequestSize);
    connect(guard, &QObject::destroyed, this, [this, id] {
        --m_live;
        Q_EMIT connectionEnded(id);
    });
    Q_EMIT accepted(guard, socket);
    addPendingConnection(socket);
}

} // namespace wslab
