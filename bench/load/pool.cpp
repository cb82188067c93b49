#include "pool.h"

#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <ctime>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace wslab::load {

namespace {

constexpr std::size_t maxResponseHead = 16 * 1024;

} // namespace

Pool::Pool(const Endpoint &endpoint, Handler &handler, std::uint64_t seed)
    : m_endpoint(endpoint),
      m_handler(handler),
      m_rng(seed),
      m_epoll(epoll_create1(EPOLL_CLOEXEC)),
      // One read drains what a server sends a connection per turn; 256 KB is shared by all.
      m_scratch(256 * 1024),
      m_events(1024)
{
    if (m_epoll < 0) {
        std::perror("epoll_create1");
        std::exit(1);
    }
}

Pool::~Pool()
{
    for (Conn &conn : m_conns)
        if (conn.fd >= 0)
            close(conn.fd);
    close(m_epoll);
}

void Pool::noteError(const std::string &error)
{
    if (m_stats.firstError.empty())
        m_stats.firstError = error;
}

std::size_t Pool::open(std::size_t count, std::size_t parallel,
                       std::int64_t perConnectionTimeoutNs, std::int64_t deadlineNs,
                       bool progress)
{
    // Sized once, here: epoll events and handlers refer to connections by index and reference,
    // so the vector must never grow afterwards (hence open() is called once per pool).
    const std::size_t first = m_conns.size();
    m_conns.resize(first + count);
    for (std::size_t i = first; i < m_conns.size(); ++i)
        m_conns[i].index = std::uint32_t(i);

    std::size_t next = first;
    std::size_t oldestPending = first;
    std::int64_t lastScan = nowNs();
    std::int64_t lastReport = lastScan;
    while (true) {
        while (m_pending < parallel && next < m_conns.size())
            start(m_conns[next++]);
        if (next == m_conns.size() && m_pending == 0)
            break;
        poll(10);
        const std::int64_t now = nowNs();
        const bool pastDeadline = now > deadlineNs;
        if (now - lastScan > 100'000'000 || pastDeadline) {
            lastScan = now;
            while (oldestPending < next
                   && m_conns[oldestPending].state != ConnState::Connecting
                   && m_conns[oldestPending].state != ConnState::Handshake)
                ++oldestPending;
            for (std::size_t i = oldestPending; i < next; ++i) {
                Conn &conn = m_conns[i];
                if ((conn.state == ConnState::Connecting || conn.state == ConnState::Handshake)
                    && (pastDeadline || now - conn.startedNs > perConnectionTimeoutNs)) {
                    lose(conn, "no 101 in time", &m_stats.handshakeTimeouts);
                }
            }
            if (pastDeadline) {
                // The rest are never started; count them as failed too.
                m_stats.handshakeTimeouts += m_conns.size() - next;
                for (; next < m_conns.size(); ++next)
                    m_conns[next].state = ConnState::Failed;
                break;
            }
        }
        if (progress && now - lastReport > 1'000'000'000) {
            lastReport = now;
            std::fprintf(stderr, "connecting: %zu open, %zu pending, %llu failed\n", m_open,
                         m_pending, (unsigned long long)m_stats.openFailures());
        }
    }
    return m_open;
}

void Pool::start(Conn &conn)
{
    conn.startedNs = nowNs();
    int error = 0;
    conn.fd = startConnect(m_endpoint.address, &error);
    if (conn.fd < 0) {
        conn.state = ConnState::Failed;
        ++m_stats.connectFailures;
        noteError(std::string("connect: ") + std::strerror(error));
        return;
    }
    if (m_kernelTimestamps) {
        const int one = 1;
        setsockopt(conn.fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
    }
    conn.state = ConnState::Connecting;
    ++m_pending;
    epoll_event event {};
    // Writable means the TCP connect finished (or failed: SO_ERROR tells).
    event.events = EPOLLOUT;
    event.data.u32 = conn.index;
    conn.writeArmed = true;
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, conn.fd, &event);
}

void Pool::setInterest(Conn &conn, bool wantWrite)
{
    if (conn.writeArmed == wantWrite)
        return;
    epoll_event event {};
    event.events = EPOLLIN | (wantWrite ? EPOLLOUT : 0u);
    event.data.u32 = conn.index;
    epoll_ctl(m_epoll, EPOLL_CTL_MOD, conn.fd, &event);
    conn.writeArmed = wantWrite;
}

void Pool::poll(int timeoutMs)
{
    const int n = epoll_wait(m_epoll, m_events.data(), int(m_events.size()), timeoutMs);
    for (int i = 0; i < n; ++i) {
        Conn &conn = m_conns[m_events[i].data.u32];
        if (conn.fd >= 0)
            onEvent(conn, m_events[i].events);
    }
}

void Pool::onEvent(Conn &conn, std::uint32_t events)
{
    if (conn.state == ConnState::Connecting) {
        if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
            onWritable(conn);
        return;
    }
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
        onReadable(conn);
    if (conn.fd >= 0 && (events & EPOLLOUT))
        onWritable(conn);
}

void Pool::onWritable(Conn &conn)
{
    if (conn.state == ConnState::Connecting) {
        int error = 0;
        socklen_t length = sizeof error;
        getsockopt(conn.fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0) {
            lose(conn, std::string("connect: ") + std::strerror(error), &m_stats.connectFailures);
            return;
        }
        conn.state = ConnState::Handshake;
        const std::string request = handshakeRequest(m_endpoint, m_rng);
        conn.out.append(request.data(), request.size());
        // From now on readable matters too; flush() drops EPOLLOUT once the request is out.
        epoll_event event {};
        event.events = EPOLLIN | EPOLLOUT;
        event.data.u32 = conn.index;
        epoll_ctl(m_epoll, EPOLL_CTL_MOD, conn.fd, &event);
        conn.writeArmed = true;
    }
    flush(conn);
}

void Pool::flush(Conn &conn)
{
    while (!conn.out.empty()) {
        const ssize_t n = send(conn.fd, conn.out.data(), conn.out.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            lose(conn, std::string("send: ") + std::strerror(errno), &m_stats.handshakeLost);
            return;
        }
        conn.out.consume(std::size_t(n));
    }
    setInterest(conn, !conn.out.empty());
}

void Pool::onReadable(Conn &conn)
{
    ssize_t n;
    if (m_kernelTimestamps) {
        iovec vector { m_scratch.data(), m_scratch.size() };
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
        msghdr message {};
        message.msg_iov = &vector;
        message.msg_iovlen = 1;
        message.msg_control = control;
        message.msg_controllen = sizeof control;
        n = recvmsg(conn.fd, &message, 0);
        m_kernelNs = 0;
        for (cmsghdr *c = CMSG_FIRSTHDR(&message); n > 0 && c; c = CMSG_NXTHDR(&message, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
                timespec ts;
                std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
                m_kernelNs = std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
            }
        }
    } else {
        n = recv(conn.fd, m_scratch.data(), m_scratch.size(), 0);
    }
    if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            lose(conn, std::string("recv: ") + std::strerror(errno), &m_stats.handshakeLost);
        return;
    }
    if (n == 0) {
        lose(conn, "closed by the server (EOF)", &m_stats.handshakeLost);
        return;
    }
    m_readNs = nowNs();
    if (conn.in.empty()) {
        // The common case: whole frames, parsed straight from the shared buffer, no copy.
        const std::size_t used = process(conn, m_scratch.data(), std::size_t(n));
        if (conn.fd >= 0 && used < std::size_t(n))
            conn.in.append(m_scratch.data() + used, std::size_t(n) - used);
    } else {
        conn.in.append(m_scratch.data(), std::size_t(n));
        const std::size_t used = process(conn, conn.in.data(), conn.in.size());
        if (conn.fd >= 0)
            conn.in.consume(used);
    }
    if (conn.fd >= 0)
        flush(conn);
}

std::size_t Pool::process(Conn &conn, std::uint8_t *p, std::size_t n)
{
    std::size_t used = 0;
    if (conn.state == ConnState::Handshake) {
        std::size_t headLength = 0;
        std::string statusLine;
        switch (checkResponseHead(p, n, &headLength, &statusLine)) {
        case HeadStatus::Incomplete:
            if (n > maxResponseHead) {
                lose(conn, "response head too long", &m_stats.handshakeRefused);
            }
            return 0;
        case HeadStatus::Refused:
            lose(conn, "handshake refused: " + statusLine, &m_stats.handshakeRefused);
            return n;
        case HeadStatus::Upgraded:
            break;
        }
        conn.state = ConnState::Open;
        conn.openedNs = nowNs();
        --m_pending;
        ++m_open;
        m_handler.onOpen(*this, conn);
        used = headLength;
    }
    if (conn.state != ConnState::Open)
        return n;
    return used + processFrames(conn, p + used, n - used);
}

std::size_t Pool::processFrames(Conn &conn, std::uint8_t *p, std::size_t n)
{
    std::size_t at = 0;
    std::string error;
    while (conn.fd >= 0) {
        FrameHeader header;
        const FrameStatus status = parseFrame(p + at, n - at, &header, &error);
        if (status == FrameStatus::Incomplete)
            break;
        if (status == FrameStatus::Invalid) {
            ++m_stats.protocolErrors;
            lose(conn, "invalid frame: " + error, &m_stats.handshakeLost);
            return n;
        }
        std::uint8_t *payload = p + at + header.headerLength;
        const std::size_t size = std::size_t(header.length);
        at += header.headerLength + size;
        if (header.masked) {
            // A server must not mask (RFC 6455 5.1); count it, but read the message anyway.
            ++m_stats.protocolErrors;
            for (std::size_t i = 0; i < size; ++i)
                payload[i] ^= header.mask[i & 3];
        }
        switch (header.opcode) {
        case Text:
        case Binary:
            if (conn.fragmentOpcode != 0) {
                ++m_stats.protocolErrors;
                noteError("a new message inside a fragmented one");
            }
            if (header.fin) {
                m_handler.onMessage(*this, conn, header.opcode, payload, size);
            } else {
                conn.fragmentOpcode = header.opcode;
                conn.fragment.clear();
                conn.fragment.append(payload, size);
            }
            break;
        case Continuation:
            if (conn.fragmentOpcode == 0) {
                ++m_stats.protocolErrors;
                noteError("a continuation frame outside a message");
                break;
            }
            conn.fragment.append(payload, size);
            if (header.fin) {
                const std::uint8_t opcode = conn.fragmentOpcode;
                conn.fragmentOpcode = 0;
                m_handler.onMessage(*this, conn, opcode, conn.fragment.data(),
                                    conn.fragment.size());
                conn.fragment.clear();
            }
            break;
        case Ping:
            ++m_stats.pingsAnswered;
            appendFrame(conn.out, Pong, payload, size, m_rng.next());
            break;
        case Pong:
            break;
        case Close: {
            // Echo the status code as the closing handshake asks, then drop the connection.
            appendFrame(conn.out, Close, payload, size >= 2 ? 2 : 0, m_rng.next());
            send(conn.fd, conn.out.data(), conn.out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
            conn.out.clear();
            const int code = size >= 2 ? (payload[0] << 8) | payload[1] : 1005;
            lose(conn, "Close frame " + std::to_string(code) + " from the server",
                 &m_stats.handshakeLost);
            return n;
        }
        }
    }
    return at;
}

void Pool::lose(Conn &conn, const std::string &why, std::uint64_t *openFailureCounter)
{
    noteError(why);
    const ConnState was = conn.state;
    if (was == ConnState::Connecting || was == ConnState::Handshake) {
        --m_pending;
        ++*openFailureCounter;
        conn.state = ConnState::Failed;
    } else if (was == ConnState::Open) {
        --m_open;
        ++m_stats.lostAfterOpen;
        conn.state = ConnState::Closed;
    }
    if (conn.fd >= 0) {
        close(conn.fd); // also leaves the epoll set
        conn.fd = -1;
    }
    if (was == ConnState::Open)
        m_handler.onLost(*this, conn);
}

void Pool::closeAll()
{
    const std::uint8_t normal[2] = { 0x03, 0xE8 }; // 1000
    for (Conn &conn : m_conns) {
        if (conn.fd < 0)
            continue;
        if (conn.state == ConnState::Open) {
            conn.out.clear();
            appendFrame(conn.out, Close, normal, 2, m_rng.next());
            send(conn.fd, conn.out.data(), conn.out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
            --m_open;
        } else if (conn.state == ConnState::Connecting || conn.state == ConnState::Handshake) {
            --m_pending;
        }
        conn.state = ConnState::Closed;
        close(conn.fd);
        conn.fd = -1;
    }
}

} // namespace wslab::load
