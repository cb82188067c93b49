#include "closeattribution.h"

#include <QMetaMethod>
#include <QWebSocket>

namespace wslab {

// Qt 6.4 does not say whether a close came from the peer's Close frame or from Qt itself,
// rejecting what the peer sent (a frame or message over the limit: 1009; a broken rule: 1002,
// 1007): both end in aboutToClose with closeCode() set. The socket's private frame reader, a
// child QObject, does say: it emits closeReceived for a Close frame and errorEncountered for a
// rejection. A client's probe is connected before open() and hears of it before Qt reacts; a
// server's socket comes with Qt's connections made, so its probe hears after Qt started
// closing. Either way a rejection is Qt's own close unless a Close frame came or we closed
// first. Not public API: when the reader cannot be found, the tracker falls back to
// attributing such closes to the peer's Close frame.
class CloseFrameProbe : public QObject
{
    Q_OBJECT

public:
    CloseFrameProbe(CloseTracker *tracker, QObject *parent)
        : QObject(parent), m_tracker(tracker) { }

public Q_SLOTS:
    void closeFrameReceived() { m_tracker->m_peerCloseFrame = true; }
    void frameRejected(QWebSocketProtocol::CloseCode code, const QString &reason)
    {
        if (m_tracker->m_peerCloseFrame || m_tracker->m_weInitiated || m_tracker->m_qtClosed)
            return; // already closing: Qt sends no second Close frame
        m_tracker->m_qtClosed = true;
        m_tracker->m_code = quint16(code);
        m_tracker->m_reason = reason;
    }

private:
    CloseTracker *m_tracker;
};

void CloseTracker::watch(QWebSocket &socket)
{
    unwatch();
    QObject *reader = nullptr;
    for (QObject *child : socket.children())
        if (qstrcmp(child->metaObject()->className(), "QWebSocketDataProcessor") == 0)
            reader = child;
    if (!reader)
        return;
    const QMetaObject *from = reader->metaObject();
    const int closeSignal
        = from->indexOfSignal("closeReceived(QWebSocketProtocol::CloseCode,QString)");
    const int errorSignal
        = from->indexOfSignal("errorEncountered(QWebSocketProtocol::CloseCode,QString)");
    if (closeSignal < 0 || errorSignal < 0)
        return;
    auto *probe = new CloseFrameProbe(this, &socket);
    const QMetaObject *to = probe->metaObject();
    QObject::connect(reader, from->method(closeSignal), probe,
                     to->method(to->indexOfSlot("closeFrameReceived()")));
    QObject::connect(
        reader, from->method(errorSignal), probe,
        to->method(to->indexOfSlot("frameRejected(QWebSocketProtocol::CloseCode,QString)")));
    m_probe = probe;
}

void CloseTracker::unwatch()
{
    delete m_probe.data();
}

void CloseTracker::reset()
{
    unwatch();
    m_closeStarted = m_weInitiated = m_qtClosed = m_peerCloseFrame = m_aborted = m_dropped = false;
    m_code = 0;
    m_reason.clear();
}

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
    if (m_weInitiated && m_dropped)
        return { m_code, m_reason, m_self, false };
    if (m_aborted)
        return { 1006, tr("aborted: TCP dropped without a Close frame"), m_self, false };
    if (m_weInitiated || m_qtClosed)
        return { m_code, m_reason, m_self, true };
    if (m_closeStarted) // Qt answered the peer's Close frame
        return { quint16(socket.closeCode()), socket.closeReason(), peer(), true };
    return { 1006, tr("the TCP connection ended"), Initiator::Nobody, false };
}

} // namespace wslab

#include "closeattribution.moc"
