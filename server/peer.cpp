#include "peer.h"

#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>

#include <sys/socket.h>

namespace wslab {

namespace {

constexpr qsizetype kMaxCloseReasonBytes = 123; // RFC 6455 §5.5: control payload ≤ 125

qint64 monotonicMs()
{
    return monotonicNowNs() / 1'000'000;
}

QString truncatedReason(const QString &reason)
{
    const QByteArray utf8 = reason.toUtf8();
    if (utf8.size() <= kMaxCloseReasonBytes)
        return reason;
    // Cut at a character boundary.
    qsizetype end = kMaxCloseReasonBytes;
    while (end > 0 && (quint8(utf8.at(end)) & 0xC0) == 0x80)
        --end;
    return QString::fromUtf8(utf8.left(end));
}

} // namespace

Peer::Peer(QWebSocket *socket, QTcpSocket *tcp, const ClientInfo &info, const Limits &limits,
           bool tls, QObject *parent)
    : QObject(parent), m_socket(socket), m_tcp(tcp), m_info(info), m_limits(limits), m_tls(tls),
      m_lastHeardMs(monotonicMs())
{
    socket->setParent(this);
    m_close.watch(*socket);
    socket->setMaxAllowedIncomingMessageSize(quint64(limits.maxMessageSize));
    socket->setMaxAllowedIncomingFrameSize(
        quint64(qMin(limits.maxMessageSize, limits.maxFrameSize)));

    connect(socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { heard(Message::fromText(text)); });
    connect(socket, &QWebSocket::binaryMessageReceived, this,
            [this](const QByteArray &data) { heard(Message::fromBinary(data)); });
    connect(socket, &QWebSocket::aboutToClose, this, [this] { m_close.aboutToClose(); });
    // Queued: close() can emit disconnected at once, and the server may be iterating its peers.
    connect(
        socket, &QWebSocket::disconnected, this,
        [this] {
            // Once: nothing from the socket reaches the server after its end.
            m_socket->disconnect(this);
            Q_EMIT disconnected(this, m_close.info(*m_socket));
        },
        Qt::QueuedConnection);
    connect(socket, &QWebSocket::pong, this, [this](quint64 elapsed, const QByteArray &payload) {
        m_lastHeardMs = monotonicMs();
        m_pingSentMs = 0;
        ++m_info.pongs;
        m_info.lastPingMs = qint64(elapsed);
        Q_EMIT pong(id(), qint64(elapsed), payload);
    });
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError error) {
                if (error != QAbstractSocket::RemoteHostClosedError)
                    Q_EMIT errorOccurred(id(), m_socket->errorString());
            });
}

Peer::~Peer()
{
    m_close.unwatch();
    m_socket->disconnect(this);
}

ClientInfo Peer::snapshot(const QDateTime &now) const
{
    ClientInfo info = m_info;
    // Kept as a monotonic instant, which costs the hot path nothing; dated only when asked.
    if (m_lastMessageMs >= 0)
        info.lastMessageAt = now.addMSecs(m_lastMessageMs - monotonicMs());
    return info;
}

void Peer::heard(const Message &message)
{
    ++m_info.messagesIn;
    m_lastHeardMs = monotonicMs();
    m_lastMessageMs = m_lastHeardMs;
    // A short text is shared, not copied; a long one is cut once, and binary is only counted
    // (a preview must not hold on to megabytes).
    m_info.lastMessageBinary = message.binary;
    m_info.lastMessageLength = message.binary ? message.data.size() : message.text.size();
    if (message.binary)
        m_info.lastMessage.clear();
    else if (message.text.size() <= ClientInfo::lastMessagePreviewLength)
        m_info.lastMessage = message.text;
    else {
        qsizetype keep = ClientInfo::lastMessagePreviewLength;
        if (message.text.at(keep - 1).isHighSurrogate())
            --keep; // an emoji cut in half would be a lone surrogate, not a character
        m_info.lastMessage = message.text.left(keep);
    }
    if (m_onMessage)
        m_onMessage(*this, message);
}

bool Peer::send(const Message &message, SendKind kind)
{
    if (isClosing() || overBudget())
        return false;
    if (message.binary)
        m_socket->sendBinaryMessage(message.data);
    else
        m_socket->sendTextMessage(message.text);
    countSent(kind);
    return true;
}

bool Peer::sendFrame(const QByteArray &frame, SendKind kind)
{
    if (isClosing() || overBudget() || !writeFrame(frame))
        return false;
    countSent(kind);
    return true;
}

bool Peer::ping(const QByteArray &payload)
{
    if (isClosing() || payload.size() > 125)
        return false;
    m_socket->ping(payload);
    return true;
}

void Peer::countSent(SendKind kind)
{
    ++m_info.messagesOut;
    ++m_info.sentByKind[size_t(kind)];
}

bool Peer::overBudget()
{
    // What the client has not taken of earlier messages: one that does not read would make the
    // server buffer without end. (Measured before sending, so that one message larger than the
    // limit does not condemn a client that reads.) The TCP socket's count is the WebSocket's,
    // one indirection closer.
    const qint64 queued = m_tcp ? m_tcp->bytesToWrite() : m_socket->bytesToWrite();
    if (queued <= m_limits.sendBudget)
        return false;
    // Close reasons go to the peer: in English.
    close(QWebSocketProtocol::CloseCodePolicyViolated,
          QStringLiteral("too slow: over %1 bytes waiting to be sent").arg(m_limits.sendBudget));
    return true;
}

bool Peer::writeFrame(const QByteArray &frame)
{
    QTcpSocket *tcp = m_tcp;
    if (!tcp || tcp->state() != QAbstractSocket::ConnectedState)
        return false; // the connection is ending: Qt reports the close
    // Straight to the kernel when Qt holds nothing for this connection: the frame cannot
    // overtake anything, and no write notifier is switched on, polled and off again, which is
    // what otherwise keeps the last client of a big fan-out waiting. What the kernel does not
    // take goes behind, through Qt, in order.
    qint64 sent = 0;
    if (tcp->bytesToWrite() == 0 && !m_tls) { // TLS: Qt must encrypt it
        const ssize_t n = ::send(int(tcp->socketDescriptor()), frame.constData(),
                                 size_t(frame.size()), MSG_DONTWAIT | MSG_NOSIGNAL);
        sent = qMax<ssize_t>(n, 0); // an error shows again on Qt's own write below
    }
    if (sent < frame.size())
        tcp->write(frame.constData() + sent, frame.size() - sent);
    return true;
}

void Peer::close(quint16 code, const QString &reason)
{
    if (isClosing())
        return;
    const QString sent = truncatedReason(reason);
    m_close.closing(code, sent);
    // From the event loop: a caller may be inside Qt's handshake (a slot on the server's
    // opened()) or inside one of this socket's own signals.
    QMetaObject::invokeMethod(
        m_socket,
        [socket = m_socket, code, reason = sent] {
            socket->close(QWebSocketProtocol::CloseCode(code), reason);
        },
        Qt::QueuedConnection);
    // A peer that does not read (the too-slow client) never takes the Close frame, and a
    // hostile one never answers it: after a deadline the connection is dropped. The timer dies
    // with the socket when the close completes in time.
    QTimer::singleShot(m_limits.closeTimeout, m_socket, [this] {
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            return; // it did complete, just now
        m_close.dropping();
        m_socket->abort();
    });
}

void Peer::checkIdle(qint64 nowMs, qint64 limitMs)
{
    if (isClosing())
        return;
    if (m_pingSentMs != 0 && nowMs - m_pingSentMs >= limitMs) {
        close(QWebSocketProtocol::CloseCodeGoingAway,
              QStringLiteral("no answer to a ping for %1 ms").arg(limitMs));
    } else if (m_pingSentMs == 0 && nowMs - m_lastHeardMs >= limitMs) {
        m_pingSentMs = nowMs;
        m_socket->ping(QByteArrayLiteral("idle?"));
    }
}

void Peer::shutDown()
{
    m_socket->disconnect(this);
    if (!m_close.closeStarted())
        m_socket->close(QWebSocketProtocol::CloseCodeGoingAway,
                        QStringLiteral("server shutting down"));
}

} // namespace wslab
