#include "cowebsocket.h"

#include <QCoreApplication>
#include <QCoro/QCoroSignal>
#include <QNetworkRequest>

namespace wslab {

CoWebSocket::CoWebSocket(QObject *parent) : QObject(parent)
{
    setMaxIncomingMessageSize(defaultClientMaxMessageSize);
    m_close.watch(m_socket);
    m_openTimeout.setSingleShot(true);
    connect(&m_openTimeout, &QTimer::timeout, this, [this] {
        m_errorString
            = tr("timed out after %1 ms waiting for the handshake").arg(m_openTimeout.interval());
        m_socket.abort();
    });
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        m_opened = true;
        m_openTimeout.stop();
        notify();
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        m_queue.push_back({ text.toUtf8(), false });
        notify();
    });
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &data) {
        m_queue.push_back({ data, true });
        notify();
    });
    connect(&m_socket, &QWebSocket::aboutToClose, this, [this] { m_close.aboutToClose(); });
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError error) {
                if (m_errorString.isEmpty())
                    m_errorString = (m_opened ? readableWebSocketError(m_socket.errorString())
                                              : openFailureMessage(error, m_socket.errorString(),
                                                                   m_socket.requestUrl()))
                                        .toString();
                notify();
            });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        m_closed = true;
        m_openTimeout.stop();
        notify();
    });
}

CoWebSocket::~CoWebSocket()
{
    // ~QWebSocket still emits (stateChanged, disconnected, maybe error) while it disconnects,
    // after the members declared behind it are gone: none of those may reach our slots.
    m_socket.disconnect(this);
}

void CoWebSocket::notify()
{
    if (m_notifyPending)
        return;
    m_notifyPending = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_notifyPending = false;
            Q_EMIT changed();
        },
        Qt::QueuedConnection);
}

QCoro::Task<bool> CoWebSocket::open(const QNetworkRequest &request,
                                    std::chrono::milliseconds timeout)
{
    return open(request, QWebSocketHandshakeOptions(), timeout);
}

QCoro::Task<bool> CoWebSocket::open(const QNetworkRequest &request,
                                    QWebSocketHandshakeOptions handshake,
                                    std::chrono::milliseconds timeout)
{
    m_errorString.clear();
    m_openTimeout.start(timeout);
    m_socket.open(request, handshake);
    while (!m_opened && !m_closed && m_errorString.isEmpty())
        co_await qCoro(this, &CoWebSocket::changed);
    if (!m_opened && m_errorString.isEmpty())
        m_errorString = tr("the connection closed during the handshake");
    if (!m_opened) {
        // Qt 6.4 keeps the TCP connection after a handshake it rejected (a 200, garbage).
        m_openTimeout.stop();
        m_socket.abort();
    }
    co_return m_opened;
}

QCoro::Task<std::optional<CoWebSocket::Message>> CoWebSocket::readMessage()
{
    while (m_queue.empty() && !m_closed)
        co_await qCoro(this, &CoWebSocket::changed);
    if (m_queue.empty())
        co_return std::nullopt;
    Message message = std::move(m_queue.front());
    m_queue.pop_front();
    co_return message;
}

QCoro::Task<> CoWebSocket::waitClosed()
{
    while (!m_closed)
        co_await qCoro(this, &CoWebSocket::changed);
}

void CoWebSocket::setMaxIncomingMessageSize(qint64 bytes)
{
    m_socket.setMaxAllowedIncomingMessageSize(quint64(bytes));
    m_socket.setMaxAllowedIncomingFrameSize(quint64(bytes));
}

void CoWebSocket::close(quint16 code, const QString &reason)
{
    if (m_closed || m_close.closeStarted())
        return;
    m_close.closing(code, reason);
    m_socket.close(QWebSocketProtocol::CloseCode(code), reason);
}

CloseInfo CoWebSocket::closeInfo() const
{
    return m_close.info(m_socket);
}

} // namespace wslab
