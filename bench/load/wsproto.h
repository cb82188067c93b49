// The client side of RFC 6455 that wslab-load needs, written for speed rather than
// completeness: no extensions, no TLS, no SHA-1 check of Sec-WebSocket-Accept (the status line
// 101 is the proof the benchmarks need; conformance is tested elsewhere).
#pragma once

#include "net.h"

#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace wslab::load {

enum Opcode : std::uint8_t {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

// A byte queue that reuses its storage: after the first few messages a connection's buffers
// stop allocating, which keeps the hot loop free of malloc.
class Buffer
{
public:
    std::size_t size() const { return m_tail - m_head; }
    bool empty() const { return m_tail == m_head; }
    std::uint8_t *data() { return m_bytes.data() + m_head; }
    const std::uint8_t *data() const { return m_bytes.data() + m_head; }

    // Room for n more bytes at the end; write there, then commit().
    std::uint8_t *reserve(std::size_t n)
    {
        if (m_bytes.size() - m_tail < n) {
            if (m_head > 0) {
                std::memmove(m_bytes.data(), m_bytes.data() + m_head, size());
                m_tail -= m_head;
                m_head = 0;
            }
            if (m_bytes.size() - m_tail < n)
                m_bytes.resize(std::max(m_bytes.size() * 2, m_tail + n));
        }
        return m_bytes.data() + m_tail;
    }
    void commit(std::size_t n) { m_tail += n; }
    void append(const void *p, std::size_t n)
    {
        std::memcpy(reserve(n), p, n);
        commit(n);
    }
    void consume(std::size_t n)
    {
        m_head += n;
        if (m_head == m_tail)
            m_head = m_tail = 0;
    }
    void clear() { m_head = m_tail = 0; }

private:
    std::vector<std::uint8_t> m_bytes;
    std::size_t m_head = 0;
    std::size_t m_tail = 0;
};

// xorshift64*: masking keys and handshake nonces need to vary, not to be secret.
struct Rng
{
    std::uint64_t state;
    explicit Rng(std::uint64_t seed) : state(seed ? seed : 0x9e3779b97f4a7c15ULL) { }
    std::uint32_t next()
    {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        return std::uint32_t((state * 0x2545F4914F6CDD1DULL) >> 32);
    }
};

std::string handshakeRequest(const Endpoint &endpoint, Rng &rng);

enum class HeadStatus { Incomplete, Upgraded, Refused };
// Looks for the end of the HTTP response head in [p, p + n); *headLength is its length
// including the blank line, so that frames sent right behind the 101 are not lost.
HeadStatus checkResponseHead(const std::uint8_t *p, std::size_t n, std::size_t *headLength,
                             std::string *statusLine);

// Appends one FIN frame, masked with a fresh key as a client must.
void appendFrame(Buffer &out, std::uint8_t opcode, const std::uint8_t *payload, std::size_t n,
                 std::uint32_t maskKey);

struct FrameHeader
{
    bool fin = false;
    std::uint8_t opcode = 0;
    bool masked = false;
    std::uint8_t mask[4] {};
    std::uint64_t length = 0;
    std::size_t headerLength = 0;
};

enum class FrameStatus { Incomplete, Complete, Invalid };
// Parses the header at p; Complete means the whole frame (header + payload) is in [p, p + n).
FrameStatus parseFrame(const std::uint8_t *p, std::size_t n, FrameHeader *header,
                       std::string *error);

} // namespace wslab::load
