#include "wsproto.h"

#include <algorithm>
#include <string_view>

namespace wslab::load {

namespace {

std::string base64(const std::uint8_t *p, std::size_t n)
{
    static const char alphabet[]
        = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < n; i += 3) {
        const std::uint32_t a = p[i];
        const std::uint32_t b = i + 1 < n ? p[i + 1] : 0;
        const std::uint32_t c = i + 2 < n ? p[i + 2] : 0;
        const std::uint32_t v = (a << 16) | (b << 8) | c;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += i + 1 < n ? alphabet[(v >> 6) & 63] : '=';
        out += i + 2 < n ? alphabet[v & 63] : '=';
    }
    return out;
}

} // namespace

std::string handshakeRequest(const Endpoint &endpoint, Rng &rng)
{
    std::uint8_t nonce[16];
    for (int i = 0; i < 16; i += 4) {
        const std::uint32_t r = rng.next();
        std::memcpy(nonce + i, &r, 4);
    }
    return "GET " + endpoint.path + " HTTP/1.1\r\nHost: " + endpoint.hostHeader
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
        + base64(nonce, sizeof nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

HeadStatus checkResponseHead(const std::uint8_t *p, std::size_t n, std::size_t *headLength,
                             std::string *statusLine)
{
    const std::string_view text(reinterpret_cast<const char *>(p), n);
    const std::size_t end = text.find("\r\n\r\n");
    if (end == std::string_view::npos)
        return HeadStatus::Incomplete;
    *headLength = end + 4;
    *statusLine = std::string(text.substr(0, text.find("\r\n")));
    // "HTTP/1.1 101" and nothing else: a 200 or 503 from a full server is a failed connection.
    const std::string_view expected = "HTTP/1.1 101";
    if (statusLine->size() >= expected.size()
        && std::string_view(*statusLine).substr(0, expected.size()) == expected
        && (statusLine->size() == expected.size() || (*statusLine)[expected.size()] == ' '))
        return HeadStatus::Upgraded;
    return HeadStatus::Refused;
}

void appendFrame(Buffer &out, std::uint8_t opcode, const std::uint8_t *payload, std::size_t n,
                 std::uint32_t maskKey)
{
    std::uint8_t *p = out.reserve(14 + n);
    std::size_t at = 0;
    p[at++] = std::uint8_t(0x80 | opcode);
    if (n < 126) {
        p[at++] = std::uint8_t(0x80 | n);
    } else if (n <= 0xFFFF) {
        p[at++] = 0x80 | 126;
        p[at++] = std::uint8_t(n >> 8);
        p[at++] = std::uint8_t(n);
    } else {
        p[at++] = 0x80 | 127;
        for (int shift = 56; shift >= 0; shift -= 8)
            p[at++] = std::uint8_t(std::uint64_t(n) >> shift);
    }
    std::uint8_t mask[4];
    std::memcpy(mask, &maskKey, 4);
    std::memcpy(p + at, mask, 4);
    at += 4;
    for (std::size_t i = 0; i < n; ++i)
        p[at + i] = payload[i] ^ mask[i & 3];
    out.commit(at + n);
}

FrameStatus parseFrame(const std::uint8_t *p, std::size_t n, FrameHeader *header,
                       std::string *error)
{
    if (n < 2)
        return FrameStatus::Incomplete;
    header->fin = (p[0] & 0x80) != 0;
    header->opcode = p[0] & 0x0F;
    header->masked = (p[1] & 0x80) != 0;
    if (p[0] & 0x70) {
        *error = "reserved bits set without an extension";
        return FrameStatus::Invalid;
    }
    switch (header->opcode) {
    case Continuation:
    case Text:
    case Binary:
        break;
    case Close:
    case Ping:
    case Pong:
        if (!header->fin || (p[1] & 0x7F) > 125) {
            *error = "fragmented or long control frame";
            return FrameStatus::Invalid;
        }
        break;
    default:
        *error = "unknown opcode " + std::to_string(header->opcode);
        return FrameStatus::Invalid;
    }
    std::size_t at = 2;
    std::uint64_t length = p[1] & 0x7F;
    if (length == 126) {
        if (n < 4)
            return FrameStatus::Incomplete;
        length = (std::uint64_t(p[2]) << 8) | p[3];
        at = 4;
    } else if (length == 127) {
        if (n < 10)
            return FrameStatus::Incomplete;
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = (length << 8) | p[2 + i];
        at = 10;
        if (length >> 63) {
            *error = "64-bit length with the top bit set";
            return FrameStatus::Invalid;
        }
    }
    if (header->masked) {
        if (n < at + 4)
            return FrameStatus::Incomplete;
        std::memcpy(header->mask, p + at, 4);
        at += 4;
    }
    header->length = length;
    header->headerLength = at;
    return n - at >= length ? FrameStatus::Complete : FrameStatus::Incomplete;
}

} // namespace wslab::load
