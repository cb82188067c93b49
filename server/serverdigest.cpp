#include "serverdigest.h"

#include "embeddedserver.h"
#include "textpreview.h"

#include <algorithm>
#include <vector>

namespace wslab {

namespace {

QString headerSummary(const HeaderList &headers)
{
    QStringList parts;
    for (const auto &[name, value] : headers) {
        const auto lower = name.toLower();
        if (lower == "sec-websocket-key" || lower == "origin" || lower == "sec-websocket-protocol")
            parts.append(QString::fromLatin1(name) + u": " + QString::fromLatin1(value));
    }
    return parts.join(u", ");
}

// "a, b, c", each part translated when shown.
Text joined(const std::vector<Text> &parts)
{
    Text all = parts.empty() ? Text::verbatim(QString()) : parts.front();
    for (size_t i = 1; i < parts.size(); ++i)
        all = Text::untranslated("%1, %2").arg(all).arg(parts[i]);
    return all;
}

} // namespace

ServerDigest::ServerDigest(EmbeddedServer *server, Detail detail, Budget budget)
    : QObject(server), m_server(server), m_budget(budget)
{
    m_windowTimer.setSingleShot(true);
    m_windowTimer.setInterval(m_budget.window);
    connect(&m_windowTimer, &QTimer::timeout, this, &ServerDigest::closeWindow);

    using K = Kind;
    // Reasons and errors are taken as the server gives them: a Text is translated when shown,
    // a QString (a peer's words, Qt's, or a reason not yet a Text) is shown as it is.
    connect(
        server, &EmbeddedServer::listening, this, [this, server](const QHostAddress &, quint16) {
            emitNote(K::Listening, 0,
                     Text::of<ServerDigest>(
                         QT_TR_NOOP("listening: %1 (HTTP: / and /time; WebSocket: %2 and /chat)"))
                         .arg(server->httpUrl().toString())
                         .arg(server->webSocketUrl().toString()));
            if (!server->config().instance.isEmpty())
                emitNote(K::Cluster, 0,
                         server->config().redis
                             ? Text::of<ServerDigest>(
                                   QT_TR_NOOP("this is instance %1; sharing through %2"))
                                   .arg(server->config().instance)
                                   .arg(server->config().redis->displayUrl())
                             : Text::of<ServerDigest>(QT_TR_NOOP("this is instance %1"))
                                   .arg(server->config().instance));
        });
    connect(server, &EmbeddedServer::clusterChanged, this, [this](bool, const Text &description) {
        emitNote(K::Cluster, 0, Text::of<ServerDigest>(QT_TR_NOOP("cluster: %1")).arg(description));
    });
    connect(server, &EmbeddedServer::tcpAccepted, this,
            [this](quint64 id, const QHostAddress &peer, quint16 port) {
                emitNote(K::TcpAccepted, id,
                         Text::of<ServerDigest>(QT_TR_NOOP("TCP accepted from %1:%2"))
                             .arg(peer.toString())
                             .arg(port),
                         port);
            });
    connect(server, &EmbeddedServer::tcpRefused, this,
            [this](const QHostAddress &peer, quint16 port, const auto &reason) {
                emitNote(K::TcpRefused, 0,
                         Text::of<ServerDigest>(QT_TR_NOOP("TCP refused from %1:%2: %3"))
                             .arg(peer.toString())
                             .arg(port)
                             .arg(reason));
            });
    connect(server, &EmbeddedServer::tcpClosed, this, [this](quint64 id) {
        summarize(id); // what this connection did last comes before its end
        emitNote(K::TcpClosed, id, Text::of<ServerDigest>(QT_TR_NOOP("TCP closed")));
    });
    connect(server, &EmbeddedServer::httpServed, this,
            [this](quint64 id, const QString &method, const QString &path, int status) {
                emitNote(K::HttpServed, id,
                         Text::of<ServerDigest>(QT_TR_NOOP("HTTP %1 %2 → %3"))
                             .arg(method)
                             .arg(path)
                             .arg(status));
            });
    connect(server, &EmbeddedServer::requestRejected, this,
            [this](quint64 id, int status, const auto &reason) {
                emitNote(K::RequestRejected, id,
                         Text::of<ServerDigest>(QT_TR_NOOP("HTTP request rejected with %1: %2"))
                             .arg(status)
                             .arg(reason));
            });
    connect(server, &EmbeddedServer::handshakeReceived, this,
            [this](quint64 id, const QString &path, const HeaderList &headers) {
                emitNote(
                    K::HandshakeReceived, id,
                    Text::of<ServerDigest>(QT_TR_NOOP("handshake: GET %1 Upgrade: websocket (%2)"))
                        .arg(path)
                        .arg(headerSummary(headers)));
            });
    connect(server, &EmbeddedServer::handshakeRejected, this,
            [this](quint64 id, int status, const auto &reason) {
                emitNote(K::HandshakeRejected, id,
                         Text::of<ServerDigest>(QT_TR_NOOP("handshake rejected with %1: %2"))
                             .arg(status)
                             .arg(reason));
            });
    connect(server, &EmbeddedServer::opened, this, [this, server](const ClientInfo &client) {
        Text open = Text::of<ServerDigest>(QT_TR_NOOP("open (101 sent): %1 from %2:%3%4"))
                        .arg(routePath(client.route))
                        .arg(client.peerAddress.toString())
                        .arg(client.peerPort)
                        .arg(client.route == Route::Chat
                                 ? Text::of<ServerDigest>(QT_TR_NOOP(" as %1")).arg(client.name)
                                 : Text());
        if (!client.device.isEmpty()) // "(iPhone · Safari)": names of products, not words
            open = Text::untranslated("%1 (%2)").arg(open).arg(client.device);
        const QString &instance = server->config().instance;
        emitNote(K::Opened, client.id,
                 instance.isEmpty()
                     ? open
                     : Text::untranslated("%1%2").arg(open).arg(
                         Text::of<ServerDigest>(QT_TR_NOOP(" on instance %1")).arg(instance)));
    });
    if (detail == Detail::Everything) {
        connect(server, &EmbeddedServer::messageReceived, this,
                [this](quint64 id, const Message &m) { message(id, m, false, SendKind::Echo); });
        connect(
            server, &EmbeddedServer::messageSent, this,
            [this](quint64 id, const Message &m, SendKind kind) { message(id, m, true, kind); });
    }
    connect(server, &EmbeddedServer::pongReceived, this,
            [this](quint64 id, qint64 rtt, const QByteArray &) {
                emitNote(K::Pong, id,
                         Text::of<ServerDigest>(QT_TR_NOOP("pong: round trip %1 ms")).arg(rtt));
            });
    connect(server, &EmbeddedServer::closed, this, [this](quint64 id, const CloseInfo &info) {
        summarize(id);
        emitNote(K::Closed, id,
                 Text::of<ServerDigest>(QT_TR_NOOP("on_close: code %1%2, initiated by %3, %4"))
                     .arg(info.code)
                     .arg(info.reason.isEmpty() ? QString() : u" \"" + info.reason + u'"')
                     .arg(initiatorName(info.initiator))
                     .arg(info.clean ? Text::of<ServerDigest>(QT_TR_NOOP("clean"))
                                     : Text::of<ServerDigest>(QT_TR_NOOP("no Close frame"))));
    });
    connect(server, &EmbeddedServer::errorOccurred, this, [this](quint64 id, const auto &message) {
        emitNote(K::Error, id, Text::of<ServerDigest>(QT_TR_NOOP("error: %1")).arg(message));
    });
    // The clients' counts go with them: summarize what was not shown before they do.
    connect(server, &EmbeddedServer::stopping, this, &ServerDigest::closeWindow);
    connect(server, &EmbeddedServer::pushIntervalChanged, this, [this](double seconds) {
        emitNote(K::PushInterval, 0,
                 seconds > 0
                     ? Text::of<ServerDigest>(QT_TR_NOOP("push interval: %1 s")).arg(seconds)
                     : Text::of<ServerDigest>(QT_TR_NOOP("push off")));
    });
}

ServerDigest::~ServerDigest()
{
    for (const auto &[id, window] : m_windows) {
        if (window.muted && m_server)
            m_server->setMessageSignalsMuted(id, false);
    }
}

Text ServerDigest::preview(const Message &message, int maxChars)
{
    if (message.binary)
        return Text::of<ServerDigest>(QT_TR_NOOP("binary %1 B: %2"))
            .arg(message.data.size())
            .arg(shortHex(message.data, maxChars / 3));
    // Only the characters shown are converted, however long the message.
    const QByteArray head = QStringView(message.text).left(maxChars + 1).toUtf8();
    return Text::of<ServerDigest>(QT_TR_NOOP("text %1 B: \"%2\""))
        .arg(message.size())
        .arg(escapedText(head, maxChars));
}

void ServerDigest::message(quint64 id, const Message &message, bool outgoing, SendKind kind)
{
    if (!m_windowTimer.isActive()) {
        m_windowTimer.start();
        m_windowClock.start();
    }
    Window &window = m_windows[id];
    if (window.muted)
        return; // the server counts them now; a guard only, it no longer signals them
    if (window.shown < m_budget.perConnection && m_shownInWindow < m_budget.total) {
        ++window.shown;
        ++m_shownInWindow;
        if (outgoing)
            emitNote(Kind::MessageSent, id,
                     Text::of<ServerDigest>(QT_TR_NOOP("write_message (%1) %2"))
                         .arg(sendKindName(kind))
                         .arg(preview(message)));
        else
            emitNote(Kind::MessageReceived, id,
                     Text::of<ServerDigest>(QT_TR_NOOP("on_message %1")).arg(preview(message)));
        return;
    }
    // Over budget: from here to the window's end the server only counts this connection's
    // messages, and this one is the first of them.
    const auto info = m_server->client(id);
    if (!info)
        return;
    window.muted = true;
    window.example = message;
    window.atMute = *info;
    if (outgoing) {
        --window.atMute.messagesOut;
        --window.atMute.sentByKind[size_t(kind)];
    } else {
        --window.atMute.messagesIn;
    }
    m_server->setMessageSignalsMuted(id, true);
}

ServerDigest::Counts &ServerDigest::Counts::operator+=(const Counts &other)
{
    in += other.in;
    out += other.out;
    for (size_t k = 0; k < outByKind.size(); ++k)
        outByKind[k] += other.outByKind[k];
    return *this;
}

ServerDigest::Counts ServerDigest::notShown(quint64 id, const Window &window) const
{
    Counts counts;
    const auto now = m_server->client(id);
    if (!window.muted || !now)
        return counts;
    counts.in = now->messagesIn - window.atMute.messagesIn;
    counts.out = now->messagesOut - window.atMute.messagesOut;
    for (size_t k = 0; k < counts.outByKind.size(); ++k)
        counts.outByKind[k] = now->sentByKind[k] - window.atMute.sentByKind[k];
    return counts;
}

Text ServerDigest::summaryText(const Counts &counts, const Message &example, double seconds) const
{
    std::vector<Text> parts;
    if (counts.in)
        parts.push_back(Text::of<ServerDigest>(QT_TR_NOOP("on_message ×%1")).arg(counts.in));
    if (counts.out) {
        std::vector<Text> kinds;
        for (size_t k = 0; k < counts.outByKind.size(); ++k) {
            if (counts.outByKind[k])
                kinds.push_back(Text::untranslated("%1 %2")
                                    .arg(sendKindName(SendKind(k)))
                                    .arg(counts.outByKind[k]));
        }
        parts.push_back(Text::of<ServerDigest>(QT_TR_NOOP("write_message ×%1 (%2)"))
                            .arg(counts.out)
                            .arg(joined(kinds)));
    }
    return Text::of<ServerDigest>(
               QT_TR_NOOP("%1 in %2 s, too many to show one by one; the first not shown: %3"))
        .arg(joined(parts))
        .arg(seconds, 'f', 1)
        .arg(preview(example, 40));
}

void ServerDigest::summarize(quint64 id)
{
    const auto it = m_windows.find(id);
    if (it == m_windows.end())
        return;
    const Counts counts = notShown(id, it->second);
    if (counts.total() > 0) {
        m_summarized += qint64(counts.total());
        emitNote(Kind::Summary, id,
                 summaryText(counts, it->second.example, m_windowClock.elapsed() / 1000.0));
    }
    if (it->second.muted)
        m_server->setMessageSignalsMuted(id, false);
    m_windows.erase(it);
}

void ServerDigest::closeWindow()
{
    m_windowTimer.stop(); // when the server's stop() closes it early
    const double seconds = m_windowClock.elapsed() / 1000.0;
    struct Busy
    {
        quint64 id;
        Counts counts;
        const Message *example;
    };
    std::vector<Busy> busy;
    for (const auto &[id, window] : m_windows) {
        if (const Counts counts = notShown(id, window); counts.total() > 0)
            busy.push_back({ id, counts, &window.example });
    }
    std::sort(busy.begin(), busy.end(), [](const Busy &a, const Busy &b) {
        return a.counts.total() != b.counts.total() ? a.counts.total() > b.counts.total()
                                                    : a.id < b.id;
    });
    const size_t inDetail = std::min(busy.size(), size_t(qMax(0, m_budget.connectionsInDetail)));
    // The busiest are chosen; they are shown in the order of their ids, like everything else.
    std::sort(busy.begin(), busy.begin() + qsizetype(inDetail),
              [](const Busy &a, const Busy &b) { return a.id < b.id; });
    for (size_t i = 0; i < inDetail; ++i) {
        m_summarized += qint64(busy[i].counts.total());
        emitNote(Kind::Summary, busy[i].id, summaryText(busy[i].counts, *busy[i].example, seconds));
    }
    if (busy.size() > inDetail) {
        Counts rest;
        for (size_t i = inDetail; i < busy.size(); ++i)
            rest += busy[i].counts;
        m_summarized += qint64(rest.total());
        const qsizetype more = qsizetype(busy.size() - inDetail);
        const Text text = summaryText(rest, *busy[inDetail].example, seconds);
        // Spelled out rather than %n: English runs without a translator, which alone makes plurals.
        emitNote(Kind::Summary, 0,
                 more == 1 ? Text::of<ServerDigest>(QT_TR_NOOP("1 more connection: %1")).arg(text)
                           : Text::of<ServerDigest>(QT_TR_NOOP("%1 more connections: %2"))
                                 .arg(more)
                                 .arg(text));
    }
    for (const auto &[id, window] : m_windows) {
        if (window.muted)
            m_server->setMessageSignalsMuted(id, false);
    }
    m_windows.clear();
    m_shownInWindow = 0;
}

void ServerDigest::emitNote(Kind kind, quint64 id, const Text &text, quint16 peerPort)
{
    Q_EMIT note(Note { kind, id, peerPort, text });
}

} // namespace wslab
