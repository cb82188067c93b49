#pragma once

// The server's own records and signals' payloads; the words shared with the client side are
// in vocabulary.h.

#include "vocabulary.h"

#include <QByteArray>
#include <QDateTime>
#include <QHostAddress>
#include <QMetaType>
#include <QString>

#include <array>

namespace wslab {

struct ClientInfo
{
    quint64 id = 0;
    QHostAddress peerAddress;
    quint16 peerPort = 0;
    Route route = Route::Echo;
    QString name; // chat name (from ?name=), or "guest-<id>"
    QString userAgent; // as sent with the handshake, at most maxUserAgentLength characters
    QString device; // deviceSummary(userAgent): "iPhone · Safari"; empty when none was sent
    QDateTime since; // UTC
    quint64 messagesIn = 0;
    quint64 messagesOut = 0;
    std::array<quint64, 5> sentByKind {}; // messagesOut by SendKind

    // The last message the client sent: text cut to lastMessagePreviewLength characters
    // (binary: empty), its whole length (characters, or bytes for binary), and when (UTC;
    // invalid before the first).
    static constexpr qsizetype lastMessagePreviewLength = 80;
    QString lastMessage;
    qsizetype lastMessageLength = 0;
    bool lastMessageBinary = false;
    QDateTime lastMessageAt;
    // Pongs received (for any ping: the user's or the idle check's), and the last one's round
    // trip; -1 before the first.
    quint64 pongs = 0;
    qint64 lastPingMs = -1;
};

// Why a message left the server: the lesson's write_message has several callers.
enum class SendKind {
    Echo,
    Push, // the Beijing-time push
    Chat, // relay of a chat message or a join/leave notice
    Direct, // sendTo() from the user
    Broadcast, // broadcast() from the user
};
// A word to put in a sentence ("write_message (%1)"), translated with it.
Text sendKindName(SendKind kind);

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

} // namespace wslab

Q_DECLARE_METATYPE(wslab::ClientInfo)
Q_DECLARE_METATYPE(wslab::Message)
