#pragma once

#include "serverevents.h"

class QWebSocket;

namespace wslab {

// What Qt 6.4 does not report about a client WebSocket's end: who started the close, and
// whether a Close frame was exchanged at all (Qt leaves closeCode() at 1000 when TCP just
// drops, and emits aboutToClose for a local abort() too). The owner tells it what it did and
// what Qt signalled; info() gives the verdict once the socket is disconnected.
class CloseTracker
{
public:
    void reset() { *this = CloseTracker(); }
    void closing(quint16 code, const QString &reason); // we are calling close(code, reason)
    void aborting() { m_aborted = true; } // we are calling abort()
    void aboutToClose(); // QWebSocket::aboutToClose
    bool closeStarted() const { return m_closeStarted; }
    bool weInitiated() const { return m_weInitiated; }
    bool aborted() const { return m_aborted; }
    CloseInfo info(const QWebSocket &socket) const;

private:
    bool m_closeStarted = false;
    bool m_weInitiated = false;
    bool m_aborted = false;
    quint16 m_code = 0;
    QString m_reason;
};

// Qt 6.4 prefixes handshake failures with its private function name
// ("QWebSocketPrivate::processHandshake: Unhandled http status code: 404 (Not Found).").
QString readableWebSocketError(const QString &qtError);

} // namespace wslab
