#pragma once

#include "serverevents.h"
#include "text.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <array>
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
// the expensive part of a log, so a flood costs a few counter increments per message.
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
        Cluster, // Redis reached, lost or back (several instances)
    };
    struct Note
    {
        Kind kind = Kind::Error;
        quint64 id = 0; // the connection, 0 for the server as a whole
        quint16 peerPort = 0; // TcpAccepted: the client's port
        Text text; // translated when shown (the console log too, in the language of LANG)
    };
    enum class Detail {
        Everything,
        Connections, // no message lines and no summaries: opens, closes, errors, HTTP
    };
    using Budget = DigestBudget;

    explicit ServerDigest(EmbeddedServer *server, Detail detail = Detail::Everything,
                          Budget budget = {});
    ~ServerDigest() override; // lets the server signal every message again

    // A bounded, printable preview of a message: text quoted with escapes, binary as hex.
    static Text preview(const Message &message, int maxChars = 80);

    // Messages counted into summaries instead of shown one by one, since the start.
    qint64 summarizedCount() const { return m_summarized; }

Q_SIGNALS:
    void note(const wslab::ServerDigest::Note &note);

private:
    // One connection's messages in the current window. Past its budget the server stops
    // signalling its messages (EmbeddedServer::setMessageSignalsMuted) and only counts them;
    // the window's end reads the counts.
    struct Window
    {
        int shown = 0;
        bool muted = false;
        ClientInfo atMute; // its counters before the first message not shown
        Message example; // the first message not shown
    };
    struct Counts
    {
        quint64 in = 0;
        quint64 out = 0;
        std::array<quint64, 5> outByKind {};
        quint64 total() const { return in + out; }
        Counts &operator+=(const Counts &other);
    };

    void message(quint64 id, const Message &message, bool outgoing, SendKind kind);
    void closeWindow();
    void summarize(quint64 id);
    Counts notShown(quint64 id, const Window &window) const;
    Text summaryText(const Counts &counts, const Message &example, double seconds) const;
    void emitNote(Kind kind, quint64 id, const Text &text, quint16 peerPort = 0);

    QPointer<EmbeddedServer> m_server; // null while the server is being destroyed
    Budget m_budget;
    std::unordered_map<quint64, Window> m_windows;
    int m_shownInWindow = 0;
    qint64 m_summarized = 0;
    QTimer m_windowTimer { this };
    QElapsedTimer m_windowClock;
};

} // namespace wslab
