#pragma once

// The words both sides use: the server, the client side (session, console client, wire tap) and
// the views. QtCore only, so that nothing on the client side needs the server's libraries.

#include "text.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>

#include <optional>

namespace wslab {

// The WebSocket routes, as in the lesson's router.
enum class Route {
    Echo, // /ws: echo every message, push Beijing time
    Chat, // /chat: relay every text message to every member
    News, // /news: every headline published is pushed at once (the polling-vs-push demo)
};
QString routePath(Route route);

// Who started the closing handshake. Qt does not report it, so both sides track it.
enum class Initiator {
    Client,
    Server,
    Nobody, // the TCP connection ended without any Close frame (reported as 1006)
};
// A word to put in a sentence ("initiated by %1"), translated with it.
Text initiatorName(Initiator initiator);

// HTTP header fields in the order they came, names as sent.
using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// How a WebSocket ended, as either side saw it.
struct CloseInfo
{
    quint16 code = 1006;
    QString reason;
    Initiator initiator = Initiator::Nobody;
    bool clean = false; // a Close frame was exchanged before TCP ended
};

// Whether a Close frame may carry `code`: RFC 6455 §7.4 and IANA's registry of close codes
// (1000–1003, 1007–1014, 3000–4999). 1004–1006 and 1015 are reserved and never sent, and the
// rest of 1000–2999 is unassigned. The one rule: the wire decoder judges received frames by it,
// and the server refuses to send anything else. (Qt 6.4's own check stops at 1011: a Qt client
// treats 1012–1014, registered after RFC 6455, as a protocol error.)
bool isValidCloseCode(quint16 code);

// Nanoseconds on one monotonic clock shared by everything in the process (server, client,
// wire tap), so times from different sources can be compared.
qint64 monotonicNowNs();

// A headline on /news: "<seq> <published-ns> <text>", the time on monotonicNowNs().
struct News
{
    quint64 seq = 0;
    qint64 publishedNs = 0;
    QString text;
    QString encode() const;
    static std::optional<News> decode(const QString &line);
};

} // namespace wslab

Q_DECLARE_METATYPE(wslab::CloseInfo)
