#pragma once

#include "redisendpoint.h"
#include "tlscredentials.h"

#include <QHostAddress>
#include <QStringList>

#include <chrono>

namespace wslab {

// Every limit is explicit: Qt's own defaults (2 GiB messages, no handshake deadline for
// the HTTP side, unlimited connections) are not safe for a server a student leaves running.
struct ServerLimits
{
    int maxConnections = 1000; // TCP connections, HTTP and WebSocket alike
    int maxPerAddress = 256; // of those, from one peer address; 0: no such limit
    qint64 maxMessageSize = 16 * 1024 * 1024; // over it the client is closed with 1009
    qint64 maxChatMessageSize = 64 * 1024; // a /chat message goes to every member: smaller
    qint64 maxFrameSize = 16 * 1024 * 1024; // likewise, for a single frame
    std::chrono::milliseconds handshakeTimeout { 10'000 }; // accept → complete HTTP request
    std::chrono::milliseconds httpIdleTimeout { 30'000 }; // keep-alive HTTP connection left idle
    qint64 maxHttpRequestSize = 64 * 1024; // request line + headers + body, over it 413
    qint64 maxSendBuffer = 32 * 1024 * 1024; // unsent bytes to one client before it is
                                             // closed with 1008 as too slow
    qint64 maxChatSendBuffer = 1024 * 1024; // the same for a /chat member (all members' talk)
    std::chrono::milliseconds closeTimeout { 5'000 }; // Close sent → TCP dropped if not done
    // An open WebSocket that has been silent this long is pinged, and closed (1001) if the pong
    // does not come within the same time again. 0: never (the default: a lesson may idle).
    std::chrono::milliseconds idleTimeout { 0 };
};

struct ServerConfig
{
    QHostAddress host = QHostAddress(QHostAddress::LocalHost); // the LAN only when asked
    quint16 port = 8888;
    bool useNextFreePort = false; // when `port` is taken, try the following ones
    double pushInterval = 1.0; // seconds between Beijing-time pushes on /ws; 0 = none
    ServerLimits limits;
    // Web pages allowed to open WebSockets besides the server's own (see OriginPolicy);
    // "*" allows any.
    QStringList allowedOrigins;
    // Set: the port speaks TLS only (https:// and wss://); a plain request is refused.
    std::optional<TlsCredentials> tls;
    // Set: this server is one of several behind a proxy (scripts/cluster). Every HTTP response
    // carries X-WsLab-Instance: <instance>, and the log and the chat's notices name it.
    QString instance;
    // Set: /chat, broadcasts and /news are shared with the other instances through this Redis
    // (RedisBus); without it, or while it is unreachable, each instance serves its own clients.
    std::optional<RedisEndpoint> redis;
};

} // namespace wslab
