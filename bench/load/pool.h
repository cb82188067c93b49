// Many WebSocket client connections on one epoll loop, one thread: the load generator has to be
// much cheaper per message than any server it measures, so nothing here allocates per message
// or blocks.
#pragma once

#include "net.h"
#include "wsproto.h"

#include <sys/epoll.h>

#include <cstdint>
#include <string>
#include <vector>

namespace wslab::load {

enum class ConnState : std::uint8_t { Unused, Connecting, Handshake, Open, Closed, Failed };

struct Conn
{
    int fd = -1;
    std::uint32_t index = 0;
    ConnState state = ConnState::Unused;
    bool writeArmed = false;
    std::uint8_t fragmentOpcode = 0;
    std::int64_t startedNs = 0;
    std::int64_t openedNs = 0;
    Buffer in;       // a partial frame (or response head) left over from the last read
    Buffer out;      // frames not yet accepted by the kernel
    Buffer fragment; // a fragmented message being reassembled
    // Kept here for the modes, so that they need no per-connection side table.
    std::uint64_t sendSeq = 0;
    std::uint64_t recvSeq = 0;
    std::uint32_t lastTick = UINT32_MAX;
};

class Pool;

class Handler
{
public:
    virtual ~Handler() = default;
    virtual void onOpen(Pool &, Conn &) { }
    // A whole text or binary message (fragments reassembled); payload is only valid during the call.
    virtual void onMessage(Pool &, Conn &, std::uint8_t opcode, const std::uint8_t *payload,
                           std::size_t size) = 0;
    virtual void onLost(Pool &, Conn &) { }
};

struct PoolStats
{
    std::uint64_t connectFailures = 0;  // connect() or the TCP handshake failed
    std::uint64_t handshakeRefused = 0; // an answer other than 101
    std::uint64_t handshakeTimeouts = 0;
    std::uint64_t handshakeLost = 0; // closed before the 101
    std::uint64_t lostAfterOpen = 0; // a Close frame, EOF or error after the 101
    std::uint64_t protocolErrors = 0;
    std::uint64_t pingsAnswered = 0;
    std::string firstError;

    std::uint64_t openFailures() const
    {
        return connectFailures + handshakeRefused + handshakeTimeouts + handshakeLost;
    }
};

class Pool
{
public:
    Pool(const Endpoint &endpoint, Handler &handler, std::uint64_t seed);
    ~Pool();
    Pool(const Pool &) = delete;
    Pool &operator=(const Pool &) = delete;

    // Opens `count` connections, at most `parallel` of them between connect() and the 101 at
    // any time, so that a server's listen backlog and connection limit are respected. Returns
    // how many are open; the others are counted in stats(). Call it once per pool.
    std::size_t open(std::size_t count, std::size_t parallel, std::int64_t perConnectionTimeoutNs,
                     std::int64_t deadlineNs, bool progress);

    // One turn of the event loop: waits up to timeoutMs for events and handles them.
    void poll(int timeoutMs);

    // Queues a text frame; it is written after the event being handled, or by flush().
    void sendText(Conn &conn, const std::uint8_t *payload, std::size_t size)
    {
        appendFrame(conn.out, Text, payload, size, m_rng.next());
    }
    void flush(Conn &conn);

    // Close frame 1000 on every open connection, then close the sockets.
    void closeAll();

    std::vector<Conn> &connections() { return m_conns; }
    std::size_t openCount() const { return m_open; }
    const PoolStats &stats() const { return m_stats; }
    // CLOCK_MONOTONIC of the read being handled: the receive time of its messages.
    std::int64_t readTimeNs() const { return m_readNs; }

    // Also ask the kernel when each read's first packet arrived (SO_TIMESTAMPNS, CLOCK_REALTIME;
    // on loopback that is when the server sent it). Set before open(); costs a recvmsg per read.
    void setKernelTimestamps(bool on) { m_kernelTimestamps = on; }
    // The kernel's arrival time of the read being handled, or 0 if not asked for / not given.
    std::int64_t kernelTimeNs() const { return m_kernelNs; }

private:
    void start(Conn &conn);
    void onEvent(Conn &conn, std::uint32_t events);
    void onWritable(Conn &conn);
    void onReadable(Conn &conn);
    std::size_t process(Conn &conn, std::uint8_t *p, std::size_t n);
    std::size_t processFrames(Conn &conn, std::uint8_t *p, std::size_t n);
    // Drops a connection; one that was not open yet is counted in *openFailureCounter, an open
    // one in lostAfterOpen.
    void lose(Conn &conn, const std::string &why, std::uint64_t *openFailureCounter);
    void setInterest(Conn &conn, bool wantWrite);
    void noteError(const std::string &error);

    Endpoint m_endpoint;
    Handler &m_handler;
    Rng m_rng;
    int m_epoll = -1;
    std::vector<Conn> m_conns;
    std::vector<std::uint8_t> m_scratch;
    std::vector<epoll_event> m_events;
    std::size_t m_open = 0;
    std::size_t m_pending = 0; // between connect() and the 101
    std::int64_t m_readNs = 0;
    std::int64_t m_kernelNs = 0;
    bool m_kernelTimestamps = false;
    PoolStats m_stats;
};

} // namespace wslab::load
