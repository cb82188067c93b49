#pragma once

#include "closeattribution.h"
#include "text.h"
#include "vocabulary.h"

#include <QAbstractSocket>
#include <QCoreApplication>

class QUrl;
class QWebSocket;

namespace wslab {

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
