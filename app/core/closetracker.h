#pragma once

#include "text.h"
#include "vocabulary.h"

#include <QAbstractSocket>
#include <QCoreApplication>
#include <QPointer>

class QUrl;
class QWebSocket;

namespace wslab {

// What Qt 6.4 does not report about a client WebSocket's end: who started the close, and
// whether a Close frame was exchanged at all (Qt leaves closeCode() at 1000 when TCP just
// drops, and emits aboutToClose for a local abort() too). The owner tells it what it did and
// what Qt signalled; info() gives the verdict once the socket is disconnected.
class CloseTracker
{
    Q_DECLARE_TR_FUNCTIONS(wslab::CloseTracker)

public:
    CloseTracker() = default;
    ~CloseTracker() { unwatch(); }
    Q_DISABLE_COPY_MOVE(CloseTracker)

    void reset(); // for the next connection; stops watching
    // Call on a new socket before open(): tells a Close frame from the server apart from a
    // close Qt starts itself because the server broke a rule (1002, 1007) or a limit (1009).
    void watch(QWebSocket &socket);
    void unwatch(); // before letting go of the watched socket
    void closing(quint16 code, const QString &reason); // we are calling close(code, reason)
    void aborting() { m_aborted = true; } // we are calling abort()
    void aboutToClose(); // QWebSocket::aboutToClose
    bool closeStarted() const { return m_closeStarted; }
    // We called close(), or Qt closed on our side because of what the server sent.
    bool weInitiated() const { return m_weInitiated || m_qtClosed; }
    bool aborted() const { return m_aborted; }
    bool qtClosed() const { return m_qtClosed; } // Qt rejected what the server sent
    CloseInfo info(const QWebSocket &socket) const;

private:
    friend class CloseFrameProbe;
    QPointer<QObject> m_probe;
    bool m_closeStarted = false;
    bool m_weInitiated = false;
    bool m_qtClosed = false; // Qt's frame reader rejected what the server sent
    bool m_peerCloseFrame = false; // the server's Close frame arrived
    bool m_aborted = false;
    quint16 m_code = 0;
    QString m_reason;
};

// The short meaning of a close code ("message too big" for 1009); empty for codes that have
// none (4000-4999 belong to the application).
Text closeCodeMeaning(quint16 code);

// One line on how a connection ended: who closed it, code, reason, meaning, and whether a
// Close frame was exchanged.
Text closeSummary(const CloseInfo &info);
// The same in today's language, for a label rebuilt on LanguageChange.
QString describeClose(const CloseInfo &info);

// Qt 6.4 prefixes handshake failures with its private function name
// ("QWebSocketPrivate::processHandshake: Unhandled http status code: 404 (Not Found).").
Text readableWebSocketError(const QString &qtError);

// Why a WebSocket to `url` did not open, in a sentence a student understands: Qt's own texts
// name its internals ("Read handshake request status failed", "Error communicating with HTTP
// proxy") or say only "Host not found".
Text openFailureMessage(QAbstractSocket::SocketError error, const QString &qtError,
                        const QUrl &url);

// The same, from the wire tap's report of a tunnel it could not open ("cannot reach HOST:
// Host not found"): Qt then only says that the proxy failed.
Text tapFailureMessage(const QString &tapText, const QUrl &url);

// What a client accepts in one message or frame before it closes with 1009 (message too big).
// Qt's own default is 2 GiB; this matches the server's limit (ServerLimits).
inline constexpr qint64 defaultClientMaxMessageSize = 16 * 1024 * 1024;

} // namespace wslab
