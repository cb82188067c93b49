#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHostAddress>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>

#include <array>
#include <optional>

namespace wslab {

// The two WebSocket routes, as in the lesson's router.
enum class Route {
    Echo, // /ws: echo every message, push Beijing time
    Chat, // /chat: relay every text message to every member
    News, // /news: every headline published is pushed at once (the polling-vs-push demo)
};
QString routePath(Route route);

// Who started the closing handshake. Qt does not report it, so the server tracks it.
enum class Initiator {
    Client,
    Server,
    Nobody, // the TCP connection ended without any Close frame (reported as 1006)
};
QString initiatorName(Initiator initiator);

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

struct ClientInfo
{
    quint64 id = 0;
    QHostAddress peerAddress;
    quint16 peerPort = 0;
    Route route = Route::Echo;
    QString name; // chat name (from ?name=), or "guest-<id>"
    QDateTime since; // UTC
    quint64 messagesIn = 0;
    quint64 messagesOut = 0;
    std::array<quint64, 5> sentByKind {}; // messagesOut by SendKind
};

struct CloseInfo
{
    quint16 code = 1006;
    QString reason;
    Initiator initiator = Initiator::Nobody;
    bool clean = false; // a Close frame was exchanged before TCP ended
};

// Why a message left the server: the lesson's write_message has several callers.
enum class SendKind {
    Echo,
    Push, // the Beijing-time push
    Chat, // relay of a chat message or a join/leave notice
    Direct, // sendTo() from the user
    Broadcast, // broadcast() from the user
};
QString sendKindName(SendKind kind);

// One WebSocket message as Qt handed it over: text stays the QString Qt decoded, binary the
// QByteArray. Both are implicitly shared, so passing a Message on costs no copy, and nothing is
// converted unless somebody looks at the bytes.
struct Message
{
    QString text;
    QByteArray data;
    bool binary = false;

    static Message fromText(const QString &text) { return { text, {}, false }; }
    static Message fromBinary(const QByteArray &data) { return { {}, data, true }; }
    // The payload as it crossed the wire (text as UTF-8).
    QByteArray bytes() const { return binary ? data : text.toUtf8(); }
    // Its size in bytes on the wire, without converting.
    qsizetype size() const;
};

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

Q_DECLARE_METATYPE(wslab::ClientInfo)
Q_DECLARE_METATYPE(wslab::CloseInfo)
Q_DECLARE_METATYPE(wslab::Message)
