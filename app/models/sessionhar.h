#pragma once

#include "sessionrecord.h"

namespace wslab {

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) the way Chrome's DevTools saves a
// WebSocket: one entry per connection, its handshake as request and response (status 101),
// `_resourceType: "websocket"`, and the messages in `_webSocketMessages` as
// {type: "send"|"receive", time: epoch seconds, opcode: 1|2, data: text, or base64 for binary}.
// A HAR keeps messages, not frames: masking keys, fragmentation and control frames are lost.
QByteArray sessionToHar(const SessionRecord &record);

// Reads a HAR (Chrome's, or ours) back for review and replay: one wire connection per
// WebSocket entry, its handshake and its messages as frames (unmasked, unfragmented: what the
// HAR kept), and the events and messages that go with them. Entries that are not WebSockets
// are skipped. nullopt with a one-line `error` when it is not a HAR.
std::optional<SessionRecord> sessionFromHar(const QByteArray &har, QString *error);

} // namespace wslab
