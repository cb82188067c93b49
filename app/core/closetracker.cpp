#include "closetracker.h"

#include <QCoreApplication>
#include <QWebSocket>

namespace wslab {

void CloseTracker::closing(quint16 code, const QString &reason)
{
    m_weInitiated = true;
    m_code = code;
    m_reason = reason;
}

void CloseTracker::aboutToClose()
{
    if (!m_aborted) // Qt forwards the TCP socket's aboutToClose on abort() too
        m_closeStarted = true;
}

CloseInfo CloseTracker::info(const QWebSocket &socket) const
{
    if (m_aborted)
        return { 1006,
                 QCoreApplication::translate("wslab::CloseTracker",
                                             "aborted: TCP dropped without a Close frame"),
                 Initiator::Client, false };
    if (m_weInitiated)
        return { m_code, m_reason, Initiator::Client, true };
    if (m_closeStarted) // Qt answered the server's Close frame
        return { quint16(socket.closeCode()), socket.closeReason(), Initiator::Server, true };
    return { 1006,
             QCoreApplication::translate("wslab::CloseTracker",
                                         "no Close frame (1006): the TCP connection just ended"),
             Initiator::Nobody, false };
}

QString readableWebSocketError(const QString &qtError)
{
    static const QString prefix = QStringLiteral("QWebSocketPrivate::");
    if (!qtError.startsWith(prefix))
        return qtError;
    const qsizetype colon = qtError.indexOf(QStringLiteral(": "));
    return QCoreApplication::translate("wslab::CloseTracker", "handshake failed: %1")
        .arg(colon < 0 ? qtError : qtError.mid(colon + 2));
}

} // namespace wslab
