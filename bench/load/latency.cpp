// latency and tcp-latency: one connection, one message at a time, blocking calls; the round
// trip is what one client waiting on one answer would see.

#include "modes.h"
#include "net.h"
#include "wsproto.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace wslab::load {

namespace {

struct Rtts
{
    std::vector<double> microseconds;

    void print(const char *mode, std::size_t count, std::size_t size, std::uint64_t errors,
               std::uint64_t ignored, const std::string &firstError)
    {
        std::sort(microseconds.begin(), microseconds.end());
        double sum = 0;
        for (const double us : microseconds)
            sum += us;
        const double n = double(microseconds.size());
        std::printf("{\"mode\":\"%s\",\"count\":%zu,\"measured\":%zu,\"size\":%zu,"
                    "\"rtt_us_p50\":%.2f,\"rtt_us_p99\":%.2f,\"rtt_us_mean\":%.2f,"
                    "\"rtt_us_min\":%.2f,\"rtt_us_max\":%.2f,\"errors\":%llu,\"ignored\":%llu,"
                    "\"first_error\":%s}\n",
                    mode, count, microseconds.size(), size, median(microseconds),
                    percentile(microseconds, 0.99), n > 0 ? sum / n : 0.0,
                    microseconds.empty() ? 0.0 : microseconds.front(),
                    microseconds.empty() ? 0.0 : microseconds.back(),
                    (unsigned long long)errors, (unsigned long long)ignored,
                    jsonString(firstError).c_str());
    }
};

// recv, or with spin a non-blocking recv retried until data comes: the client then never
// sleeps, so its own wake-up (tens of microseconds across CPUs in a VM) leaves the round trip.
ssize_t receive(int fd, void *buffer, std::size_t size, bool spin)
{
    while (true) {
        const ssize_t n = recv(fd, buffer, size, spin ? MSG_DONTWAIT : 0);
        if (n >= 0 || (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK))
            return n;
    }
}

// Reads at least one more chunk into in; false on EOF or error.
bool readMore(int fd, Buffer &in, bool spin, std::string *error)
{
    const ssize_t n = receive(fd, in.reserve(65536), 65536, spin);
    if (n > 0) {
        in.commit(std::size_t(n));
        return true;
    }
    *error = n == 0 ? "closed by the server (EOF)" : std::string("recv: ") + std::strerror(errno);
    return false;
}

} // namespace

int runLatency(const Args &args)
{
    std::string error;
    Endpoint endpoint;
    if (!parseWsUrl(args.text("url", "ws://127.0.0.1:8888/ws"), &endpoint, &error)) {
        std::fprintf(stderr, "wslab-load: %s\n", error.c_str());
        return 2;
    }
    const auto count = std::size_t(args.integer("count", 10000, 1, 100'000'000));
    const auto size = std::size_t(args.integer("size", 32, minimumEchoSize, 16 << 20));
    // The first round trips warm caches and the server's allocator; they are not counted.
    const auto warmup = std::size_t(args.integer("warmup", 500, 0, 100'000'000));
    const bool spin = args.has("spin");

    int connectError = 0;
    const int fd = blockingConnect(endpoint.address, &connectError);
    if (fd < 0) {
        std::fprintf(stderr, "wslab-load: connect: %s\n", std::strerror(connectError));
        return 1;
    }
    Rng rng(std::uint64_t(getpid()) * 2654435761u + std::uint64_t(nowNs()));
    const std::string request = handshakeRequest(endpoint, rng);
    Buffer in;
    Buffer out;
    std::size_t headLength = 0;
    std::string statusLine;
    HeadStatus head = HeadStatus::Incomplete;
    if (!sendAll(fd, request.data(), request.size()))
        error = "send: handshake";
    while (error.empty()
           && (head = checkResponseHead(in.data(), in.size(), &headLength, &statusLine))
               == HeadStatus::Incomplete)
        readMore(fd, in, spin, &error);
    if (error.empty() && head != HeadStatus::Upgraded)
        error = "handshake refused: " + statusLine;
    if (!error.empty()) {
        std::fprintf(stderr, "wslab-load: %s\n", error.c_str());
        close(fd);
        return 1;
    }
    in.consume(headLength);

    std::vector<std::uint8_t> payload;
    makeEchoPayload(&payload, size);
    Rtts rtts;
    rtts.microseconds.reserve(count);
    std::uint64_t errors = 0;
    std::uint64_t ignored = 0;
    for (std::size_t i = 0; i < warmup + count && error.empty(); ++i) {
        stampEchoPayload(payload.data(), std::uint32_t(i));
        out.clear();
        appendFrame(out, Text, payload.data(), size, rng.next());
        const std::int64_t sent = nowNs();
        if (!sendAll(fd, out.data(), out.size())) {
            error = std::string("send: ") + std::strerror(errno);
            break;
        }
        bool answered = false;
        while (!answered && error.empty()) {
            FrameHeader header;
            std::string frameError;
            const FrameStatus status = parseFrame(in.data(), in.size(), &header, &frameError);
            if (status == FrameStatus::Incomplete) {
                readMore(fd, in, spin, &error);
                continue;
            }
            if (status == FrameStatus::Invalid) {
                error = "invalid frame: " + frameError;
                break;
            }
            const std::int64_t received = nowNs();
            std::uint8_t *body = in.data() + header.headerLength;
            const std::size_t length = std::size_t(header.length);
            if (header.masked)
                for (std::size_t k = 0; k < length; ++k)
                    body[k] ^= header.mask[k & 3];
            std::uint32_t sequence = 0;
            if (header.opcode == Text && header.fin
                && readEchoPayload(body, length, size, &sequence)) {
                if (sequence != std::uint32_t(i))
                    ++errors;
                answered = true;
                if (i >= warmup)
                    rtts.microseconds.push_back(double(received - sent) / 1e3);
            } else if (header.opcode == Ping) {
                Buffer pong;
                appendFrame(pong, Pong, body, length, rng.next());
                sendAll(fd, pong.data(), pong.size());
            } else if (header.opcode == Close) {
                error = "Close frame from the server";
            } else {
                ++ignored; // pushes and anything else that is not our echo
            }
            in.consume(header.headerLength + length);
        }
    }
    if (!error.empty()) {
        ++errors;
        std::fprintf(stderr, "wslab-load: %s\n", error.c_str());
    }
    const std::uint8_t normal[2] = { 0x03, 0xE8 };
    out.clear();
    appendFrame(out, Close, normal, 2, rng.next());
    sendAll(fd, out.data(), out.size());
    close(fd);
    rtts.print("latency", count, size, errors, ignored, error);
    return errors == 0 ? 0 : 1;
}

int runTcpLatency(const Args &args)
{
    std::string error;
    sockaddr_in address {};
    const auto port = int(args.integer("port", 0, 1, 65535));
    if (!resolveIpv4(args.text("host", "127.0.0.1"), port, &address, &error)) {
        std::fprintf(stderr, "wslab-load: %s\n", error.c_str());
        return 2;
    }
    const auto count = std::size_t(args.integer("count", 10000, 1, 100'000'000));
    const auto size = std::size_t(args.integer("size", 32, 1, 16 << 20));
    const auto warmup = std::size_t(args.integer("warmup", 500, 0, 100'000'000));
    const bool spin = args.has("spin");

    int connectError = 0;
    const int fd = blockingConnect(address, &connectError);
    if (fd < 0) {
        std::fprintf(stderr, "wslab-load: connect: %s\n", std::strerror(connectError));
        return 1;
    }
    std::vector<std::uint8_t> payload(size, 'x');
    std::vector<std::uint8_t> echo(size);
    Rtts rtts;
    rtts.microseconds.reserve(count);
    std::uint64_t errors = 0;
    for (std::size_t i = 0; i < warmup + count && error.empty(); ++i) {
        payload[0] = std::uint8_t('a' + i % 26);
        const std::int64_t sent = nowNs();
        if (!sendAll(fd, payload.data(), size)) {
            error = std::string("send: ") + std::strerror(errno);
            break;
        }
        std::size_t got = 0;
        while (got < size) {
            const ssize_t n = receive(fd, echo.data() + got, size - got, spin);
            if (n > 0) {
                got += std::size_t(n);
            } else {
                error = n == 0 ? "closed by the server (EOF)"
                               : std::string("recv: ") + std::strerror(errno);
                break;
            }
        }
        if (!error.empty())
            break;
        const std::int64_t received = nowNs();
        if (echo != payload)
            ++errors;
        if (i >= warmup)
            rtts.microseconds.push_back(double(received - sent) / 1e3);
    }
    if (!error.empty()) {
        ++errors;
        std::fprintf(stderr, "wslab-load: %s\n", error.c_str());
    }
    close(fd);
    rtts.print("tcp-latency", count, size, errors, 0, error);
    return errors == 0 ? 0 : 1;
}

} // namespace wslab::load
