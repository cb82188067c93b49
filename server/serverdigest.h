#pragma once

#include "serverevents.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <unordered_map>

namespace wslab {

class EmbeddedServer;

// How many message lines a person can read. Above it, ServerDigest summarizes.
struct DigestBudget
{
    int perConnection = 20; // message lines per connection per window
    int total = 100; // message lines for all connections together per window
    std::chrono::milliseconds window { 1000 };
    int connectionsInDetail = 10; // busiest connections summarized one by one; the rest in one
};

// What the server did, as lines a person can read: the one formatter behind the console log
// (ServerLog) and the window's server events (ServerHost).
//
// Connection-level events pass one by one. Messages pass one by one up to a rate a person can
// follow; above it they are only counted (no text is built for them), and once per window each
// busy connection gets one summary line with counts, bytes and its last message. Formatting is
// the expensive part of a log, so a flood costs a counter increment per message.
class ServerDigest : public QObject
{
    Q_OBJECT

public:
    enum class Kind {
        Listening,
        TcpAccepted,
        TcpRefused,
        TcpClosed,
        HttpServed,
        RequestRejected,
        HandshakeReceived,
        HandshakeRejected,
        Opened,
        MessageReceived, // on_message
        MessageSent, // write_message
        Summary, // messages counted rather than shown
        Pong,
        Closed, // on_close
        Error,
        PushInterval,
    };
    struct Note
    {
        Kind kind = Kind::Error;
        quint64 id = 0; // the connection, 0 for the server as a whole
        quint16 peerPort = 0; // TcpAccepted: the client's port
        QString text;
    };
    enum class Detail {
        Everything,
        Connections, // no message lines and no summaries: opens, closes, errors, HTTP
    };
    using Budget = DigestBudget;

    explicit ServerDigest(EmbeddedServer *server, Detail detail = Detail::Everything,
                          Budget budget = {});

    // A bounded, printable preview of a message: text quoted with escapes, binary as hex.
    static QString preview(const Message &message, int maxChars = 80);

    // Messages counted into summaries instead of shown one by one, since the start.
    qint64 summarizedCount() const { return m_summarized; }

Q_SIGNALS:
    void note(const wslab::ServerDigest::Note &note);

private:
    struct Traffic
    {
        qint64 messages = 0;
        qint64 bytes = 0;
    };
    // One connection's messages in the current window.
    struct Window
    {
        int shown = 0;
        Traffic in;
        Traffic out;
        qint64 outByKind[5] = {}; // indexed by SendKind
        Message last;
        bool lastOutgoing = false;
        qint64 suppressed() const { return in.messages + out.messages; }
    };

    void message(quint64 id, const Message &message, bool outgoing, SendKind kind);
    void closeWindow();
    void summarize(quint64 id);
    QString summaryText(const Window &window, double seconds) const;
    void emitNote(Kind kind, quint64 id, const QString &text, quint16 peerPort = 0);

    Budget m_budget;
    std::unordered_map<quint64, Window> m_windows;
    int m_shownInWindow = 0;
    qint64 m_summarized = 0;
    QTimer m_windowTimer { this };
    QElapsedTimer m_windowClock;
};

} // namespace wslab
