#pragma once

#include "serverevents.h"
#include "text.h"

namespace wslab {

// What the server answers to a request for /ws or /chat, decided from the request alone.
struct UpgradeVerdict
{
    int status = 0; // 0: go ahead with the handshake; otherwise the HTTP status to answer
    QString reason; // the response body, in English
    // The same for the user, translated when shown; empty where the server decided without
    // the check (its own refusals give `reason` only, in the language of the moment).
    Text why {};
    bool ok() const { return status == 0; }
    // A refusal: `why` in English as the body, translated for the user.
    static UpgradeVerdict refused(int status, const Text &why)
    {
        return { status, why.english(), why };
    }
};

// RFC 6455 §4.2.1: GET, Upgrade: websocket, Connection: Upgrade, Sec-WebSocket-Version: 13,
// and a Sec-WebSocket-Key that appears exactly once and is base64 of exactly 16 bytes.
// Header names are matched case-insensitively; duplicates count.
UpgradeVerdict checkUpgradeRequest(const QByteArray &method, const HeaderList &headers);

// True when the request asks for a WebSocket at all (Upgrade: websocket).
bool isWebSocketUpgrade(const HeaderList &headers);

} // namespace wslab
