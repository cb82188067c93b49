#pragma once

#include "vocabulary.h"

#include <QCoreApplication>
#include <QPointer>

class QWebSocket;

namespace wslab {

// What Qt 6.4 does not report about a WebSocket's end, on either side: who started the close,
// and whether a Close frame was exchanged at all (Qt leaves closeCode() at 1000 when TCP just
// drops, and emits aboutToClose for a local abort() too). The owner tells it what it did and
// what Qt signalled; info() gives the verdict once the socket is disconnected. `self` is the
// side the owner is: the client session says Client, the server's Peer says Server.
class CloseTracker
{
    Q_DECLARE_TR_FUNCTIONS(wslab::CloseTracker)

public:
    explicit CloseTracker(Initiator self = Initiator::Client) : m_self(self) { }
    ~CloseTracker() { unwatch(); }
    Q_DISABLE_COPY_MOVE(CloseTracker)

    void reset(); // for the next connection; stops watching
    // Call on a new socket (before open() for a client): tells a Close frame from the peer
    // apart from a close Qt starts itself because the peer broke a rule (1002, 1007) or a
    // limit (1009).
    void watch(QWebSocket &socket);
    void unwatch(); // before letting go of the watched socket
    void closing(quint16 code, const QString &reason); // we are calling close(code, reason)
    void aborting() { m_aborted = true; } // we are calling abort()
    // We closed, the peer did not finish the closing handshake in time, and we drop TCP: the
    // close stays ours, with our code, but not clean.
    void dropping() { m_dropped = true; }
    void aboutToClose(); // QWebSocket::aboutToClose
    bool closeStarted() const { return m_closeStarted; }
    // We called close(), or Qt closed on our side because of what the peer sent.
    bool weInitiated() const { return m_weInitiated || m_qtClosed; }
    bool aborted() const { return m_aborted; }
    bool qtClosed() const { return m_qtClosed; } // Qt rejected what the peer sent
    CloseInfo info(const QWebSocket &socket) const;

private:
    friend class CloseFrameProbe;
    Initiator peer() const
    {
        return m_self == Initiator::Client ? Initiator::Server : Initiator::Client;
    }

    Initiator m_self;
    QPointer<QObject> m_probe;
    bool m_closeStarted = false;
    bool m_weInitiated = false;
    bool m_qtClosed = false; // Qt's frame reader rejected what the peer sent
    bool m_peerCloseFrame = false; // the peer's Close frame arrived
    bool m_aborted = false;
    bool m_dropped = false;
    quint16 m_code = 0;
    QString m_reason;
};

} // namespace wslab
