#include "serverlog.h"

#include "embeddedserver.h"
#include "textpreview.h"

#include <QTextStream>

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

} // namespace

ServerLog::ServerLog(EmbeddedServer *server, QTextStream *out, Detail detail)
    : QObject(server), m_out(out)
{
    m_clock.start();
    connect(server, &EmbeddedServer::listening, this,
            [this, server](const QHostAddress &, quint16) {
                print(0,
                      QStringLiteral("listening: %1 (HTTP: / and /time; WebSocket: %2 and /chat)")
                          .arg(server->httpUrl().toString(), server->webSocketUrl().toString()));
            });
    connect(server, &EmbeddedServer::tcpAccepted, this,
            [this](quint64 id, const QHostAddress &peer, quint16 port) {
                print(id, QStringLiteral("TCP accepted from %1:%2").arg(peer.toString()).arg(port));
            });
    connect(server, &EmbeddedServer::tcpRefused, this,
            [this](const QHostAddress &peer, quint16 port, const QString &reason) {
                print(0,
                      QStringLiteral("TCP refused from %1:%2: %3")
                          .arg(peer.toString())
                          .arg(port)
                          .arg(reason));
            });
    connect(server, &EmbeddedServer::tcpClosed, this,
            [this](quint64 id) { print(id, QStringLiteral("TCP closed")); });
    connect(server, &EmbeddedServer::httpServed, this,
            [this](quint64 id, const QString &method, const QString &path, int status) {
                print(id, QStringLiteral("HTTP %1 %2 -> %3").arg(method, path).arg(status));
            });
    connect(server, &EmbeddedServer::requestRejected, this,
            [this](quint64 id, int status, const QString &reason) {
                print(id,
                      QStringLiteral("HTTP request rejected with %1: %2").arg(status).arg(reason));
            });
    connect(server, &EmbeddedServer::handshakeReceived, this,
            [this](quint64 id, const QString &path, const HeaderList &headers) {
                print(id,
                      QStringLiteral("handshake: GET %1 Upgrade: websocket (%2)")
                          .arg(path, headerSummary(headers)));
            });
    connect(server, &EmbeddedServer::handshakeRejected, this,
            [this](quint64 id, int status, const QString &reason) {
                print(id, QStringLiteral("handshake rejected with %1: %2").arg(status).arg(reason));
            });
    connect(server, &EmbeddedServer::opened, this, [this](const ClientInfo &client) {
        print(client.id,
              QStringLiteral("open: %1 from %2:%3%4")
                  .arg(routePath(client.route), client.peerAddress.toString())
                  .arg(client.peerPort)
                  .arg(client.route == Route::Chat ? u" as " + client.name : QString()));
    });
    if (detail == Detail::Everything) {
        connect(server, &EmbeddedServer::messageReceived, this,
                [this](quint64 id, const QByteArray &payload, bool binary) {
                    print(id, u"on_message " + preview(payload, binary));
                });
        connect(server, &EmbeddedServer::messageSent, this,
                [this](quint64 id, const QByteArray &payload, bool binary, SendKind kind) {
                    print(id,
                          QStringLiteral("write_message (%1) %2")
                              .arg(sendKindName(kind), preview(payload, binary)));
                });
    }
    connect(server, &EmbeddedServer::pongReceived, this,
            [this](quint64 id, qint64 rtt, const QByteArray &) {
                print(id, QStringLiteral("pong after %1 ms").arg(rtt));
            });
    connect(server, &EmbeddedServer::closed, this, [this](quint64 id, const CloseInfo &info) {
        print(id,
              QStringLiteral("on_close: code %1%2, initiated by %3, %4")
                  .arg(info.code)
                  .arg(info.reason.isEmpty() ? QString() : u" \"" + info.reason + u'"')
                  .arg(initiatorName(info.initiator),
                       info.clean ? QStringLiteral("clean") : QStringLiteral("not clean")));
    });
    connect(server, &EmbeddedServer::errorOccurred, this,
            [this](quint64 id, const QString &message) { print(id, u"error: " + message); });
    connect(server, &EmbeddedServer::pushIntervalChanged, this, [this](double seconds) {
        print(0,
              seconds > 0 ? QStringLiteral("push interval: %1 s").arg(seconds)
                          : QStringLiteral("push off"));
    });
}

QString ServerLog::preview(const QByteArray &payload, bool binary, int maxChars)
{
    if (binary)
        return QStringLiteral("binary %1 B: %2")
            .arg(payload.size())
            .arg(shortHex(payload, maxChars / 3));
    return QStringLiteral("text %1 B: \"%2\"")
        .arg(payload.size())
        .arg(escapedText(payload, maxChars));
}

void ServerLog::print(quint64 id, const QString &text)
{
    const QString who = id ? QStringLiteral("#%1 ").arg(id) : QString();
    *m_out << QStringLiteral("[+%1s] ").arg(m_clock.elapsed() / 1000.0, 0, 'f', 3) << who << text
           << Qt::endl;
}

} // namespace wslab
