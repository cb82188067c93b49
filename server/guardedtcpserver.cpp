#include "guardedtcpserver_p.h"

#include "requestheadcheck.h"

#include <QSocketNotifier>
#include <QSslSocket>
#include <QTcpSocket>

#include <cerrno>

#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

namespace wslab {

namespace {

// A socket that adds header lines to the one 101 Switching Protocols response written on it.
// Qt writes that response in one write() (a flushed QTextStream), status line first; nothing
// else written by a server starts with "HTTP/1.1 101 ". After it, writes pass untouched.
template<typename Socket> class UpgradeHeaderSocket : public Socket
{
public:
    UpgradeHeaderSocket(const QByteArray &headers, QObject *parent)
        : Socket(parent), m_headers(headers)
    {
    }

protected:
    qint64 writeData(const char *data, qint64 length) override
    {
        static constexpr QByteArrayView status("HTTP/1.1 101 ");
        if (m_headers.isEmpty() || !QByteArrayView(data, length).startsWith(status))
            return Socket::writeData(data, length);
        const QByteArrayView response(data, length);
        const qsizetype lineEnd = response.indexOf(QByteArrayView("\r\n"));
        if (lineEnd < 0)
            return Socket::writeData(data, length);
        const QByteArray tagged = response.first(lineEnd + 2).toByteArray() + m_headers
            + response.sliced(lineEnd + 2).toByteArray();
        m_headers.clear();
        const qint64 written = Socket::writeData(tagged.constData(), tagged.size());
        return written < 0 ? written : length; // the caller's bytes, all taken
    }

private:
    QByteArray m_headers; // cleared once used
};

template<typename Socket> Socket *newSocket(const QByteArray &upgradeHeaders, QObject *parent)
{
    if (upgradeHeaders.isEmpty())
        return new Socket(parent);
    return new UpgradeHeaderSocket<Socket>(upgradeHeaders, parent);
}

} // namespace

QByteArray statusPhrase(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 408:
        return "Request Timeout";
    case 403:
        return "Forbidden";
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
    : QObject(socket), m_id(id), m_socket(socket), m_stream(maxRequestSize)
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
    if (m_stream.hasCompleteRequest()) {
        const qint64 end = m_stream.takeCompleteRequest();
        m_handledBytes = end - m_handled;
        m_handled = end;
    }
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
    if (m_stream.failed()) {
        rejectWhenAnswered();
        return;
    }
    // Only what is new since the last look is fed to the check. Qt 6.4's HTTP reader reads all
    // it has inside a transaction until a request is complete, so during one, what it has not
    // read yet is new. Once it has handled a request it keeps the bytes that follow (the start
    // of a pipelined request) and signals readyRead again: those begin where that request
    // ended, and the check has seen them up to bytesFed().
    const qint64 available = m_socket->bytesAvailable();
    const qint64 fresh = m_socket->isTransactionStarted()
        ? available
        : qBound<qint64>(0, m_handled + available - m_stream.bytesFed(), available);
    if (fresh == 0)
        return;
    const QByteArray buffered = m_socket->peek(available);
    const RequestHeadCheck check = m_stream.feed(QByteArrayView(buffered).last(fresh));
    if (check.state == RequestHeadCheck::State::Invalid)
        rejectWhenAnswered();
}

void ConnectionGuard::rejectWhenAnswered()
{
    // Requests that came complete before the bad one are answered first, in order: QtHttpServer
    // handles one per readyRead and signals again for the rest.
    if (m_stream.hasCompleteRequest())
        return;
    const RequestHeadCheck &check = m_stream.failure();
    reject(check.status, statusPhrase(check.status), check.reason);
}

void ConnectionGuard::reject(int status, const QByteArray &phrase, const Text &reason)
{
    m_finished = true;
    m_deadline.stop();
    // The user reads the reason translated, the peer is answered in English.
    Q_EMIT rejected(m_id, status, reason);
    // Take the bytes away from QtHttpServer, whose slot runs next: the answer is ours.
    m_socket->readAll();
    writeHttpErrorAndClose(m_socket, status, phrase, reason.english().toUtf8() + '\n');
}

void ConnectionGuard::expire()
{
    if (m_upgraded || m_finished)
        return;
    m_finished = true;
    Q_EMIT timedOut(m_id);
    if (m_stream.currentRequestBytes() > 0)
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
    if (m_settings.tls) {
        sniff(socketDescriptor);
        return;
    }
    auto *socket = newSocket<QTcpSocket>(m_settings.upgradeHeaders, this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        ::close(int(socketDescriptor));
        return;
    }
    admit(socket);
}

void GuardedTcpServer::sniff(qintptr socketDescriptor)
{
    const int fd = int(socketDescriptor);
    if (m_live + m_sniffing >= m_settings.maxConnections) {
        sockaddr_storage peer {};
        socklen_t length = sizeof(peer);
        QHostAddress address;
        quint16 port = 0;
        if (::getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &length) == 0) {
            address.setAddress(reinterpret_cast<const sockaddr *>(&peer));
            port = ntohs(peer.ss_family == AF_INET6
                             ? reinterpret_cast<const sockaddr_in6 *>(&peer)->sin6_port
                             : reinterpret_cast<const sockaddr_in *>(&peer)->sin_port);
        }
        ::close(fd);
        Q_EMIT refused(address, port,
                       Text::of<GuardedTcpServer>(QT_TR_NOOP("connection limit (%1) reached"))
                           .arg(m_settings.maxConnections));
        return;
    }
    // A TLS ClientHello starts with 0x16 (a handshake record); a plain request with a letter.
    // The first byte is peeked in the kernel, so that TLS gets every byte it sent.
    ++m_sniffing;
    auto *notifier = new QSocketNotifier(socketDescriptor, QSocketNotifier::Read, this);
    auto *deadline = new QTimer(notifier);
    deadline->setSingleShot(true);
    const auto finish = [this, notifier] {
        --m_sniffing;
        notifier->setEnabled(false);
        notifier->deleteLater();
    };
    connect(deadline, &QTimer::timeout, notifier, [finish, fd] {
        finish();
        ::close(fd); // said nothing in time
    });
    connect(notifier, &QSocketNotifier::activated, notifier, [this, finish, fd] {
        char first = 0;
        const ssize_t n = ::recv(fd, &first, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        finish();
        if (n <= 0) {
            ::close(fd);
            return;
        }
        if (first == 0x16) {
            auto *socket = newSocket<QSslSocket>(m_settings.upgradeHeaders, this);
            if (!socket->setSocketDescriptor(fd)) {
                delete socket;
                ::close(fd);
                return;
            }
            socket->setSslConfiguration(*m_settings.tls);
            if (admit(socket))
                socket->startServerEncryption();
            return;
        }
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(fd)) {
            delete socket;
            ::close(fd);
            return;
        }
        Q_EMIT refused(socket->peerAddress(), socket->peerPort(),
                       Text::of<GuardedTcpServer>(
                           QT_TR_NOOP("plain HTTP on a TLS port: the client must use https:// "
                                      "or wss://")));
        connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
        writeHttpErrorAndClose(socket, 400, statusPhrase(400),
                               "This port speaks TLS only: use https:// or wss://.\n");
    });
    deadline->start(m_settings.handshakeTimeout);
}

bool GuardedTcpServer::admit(QTcpSocket *socket)
{
    // 127.0.0.1 and ::ffff:127.0.0.1 are one peer.
    const Q_IPV6ADDR raw = socket->peerAddress().toIPv6Address();
    const QByteArray address(reinterpret_cast<const char *>(raw.c), sizeof(raw.c));
    // Refusals are signalled as Texts: the user reads them translated, the peer gets English.
    Text refusal;
    if (m_live >= m_settings.maxConnections)
        refusal = Text::of<GuardedTcpServer>(QT_TR_NOOP("connection limit (%1) reached"))
                      .arg(m_settings.maxConnections);
    else if (m_settings.maxPerAddress > 0
             && m_perAddress.value(address) >= m_settings.maxPerAddress)
        refusal = Text::of<GuardedTcpServer>(
                      QT_TR_NOOP("%1 already has %2 connections, the most one address may have"))
                      .arg(socket->peerAddress().toString())
                      .arg(m_settings.maxPerAddress);
    if (!refusal.isEmpty()) {
        Q_EMIT refused(socket->peerAddress(), socket->peerPort(), refusal);
        connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
        if (m_settings.tls) // no TLS yet, and a plain answer means nothing to a TLS client
            socket->abort();
        else
            writeHttpErrorAndClose(socket, 503, statusPhrase(503),
                                   "Too many connections; try again later.\n");
        return false;
    }

    ++m_live;
    ++m_perAddress[address];
    const quint64 id = m_nextId++;
    auto *guard
        = new ConnectionGuard(id, socket, m_settings.handshakeTimeout, m_settings.maxRequestSize);
    connect(guard, &QObject::destroyed, this, [this, id, address] {
        --m_live;
        if (--m_perAddress[address] <= 0)
            m_perAddress.remove(address);
        Q_EMIT connectionEnded(id);
    });
    Q_EMIT accepted(guard, socket);
    addPendingConnection(socket);
    return true;
}

} // namespace wslab
