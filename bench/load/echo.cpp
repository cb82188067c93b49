// echo: C connections, each keeping K messages in flight; throughput counted after a warm-up.

#include "modes.h"
#include "pool.h"

#include <cstdio>
#include <unistd.h>

namespace wslab::load {

namespace {

class EchoLoad final : public Handler
{
public:
    EchoLoad(std::size_t size, std::size_t inflight) : m_size(size), m_inflight(inflight)
    {
        makeEchoPayload(&m_payload, size);
    }

    void start(Pool &pool, Conn &conn)
    {
        for (std::size_t i = 0; i < m_inflight; ++i)
            sendOne(pool, conn);
        pool.flush(conn);
    }

    void onMessage(Pool &pool, Conn &conn, std::uint8_t opcode, const std::uint8_t *payload,
                   std::size_t size) override
    {
        std::uint32_t sequence = 0;
        if (opcode != Text || !readEchoPayload(payload, size, m_size, &sequence)) {
            ++ignored; // a push, or something we did not send: not an echo
            return;
        }
        // An echo server answers in order on each connection; anything else is a bug.
        if (sequence != std::uint32_t(conn.recvSeq))
            ++outOfOrder;
        ++conn.recvSeq;
        ++received;
        sendOne(pool, conn); // flushed by the pool once this read is handled
    }

    std::uint64_t received = 0;
    std::uint64_t ignored = 0;
    std::uint64_t outOfOrder = 0;

private:
    void sendOne(Pool &pool, Conn &conn)
    {
        stampEchoPayload(m_payload.data(), std::uint32_t(conn.sendSeq++));
        pool.sendText(conn, m_payload.data(), m_size);
    }

    std::size_t m_size;
    std::size_t m_inflight;
    std::vector<std::uint8_t> m_payload;
};

} // namespace

int runEcho(const Args &args)
{
    std::string error;
    Endpoint endpoint;
    if (!parseWsUrl(args.text("url", "ws://127.0.0.1:8888/ws"), &endpoint, &error)) {
        std::fprintf(stderr, "wslab-load: %s\n", error.c_str());
        return 2;
    }
    const auto connections = std::size_t(args.integer("connections", 1, 1, 100000));
    const auto inflight = std::size_t(args.integer("inflight", 1, 1, 100000));
    const auto size = std::size_t(args.integer("size", 32, minimumEchoSize, 16 << 20));
    const double seconds = args.number("seconds", 5);
    const double warmup = args.number("warmup", 1);
    const auto parallel = std::size_t(args.integer("parallel", 200, 1, 100000));
    const double timeout = args.number("connect-timeout-s", 30);
    const int serverPid = int(args.integer("server-pid", 0, 0, 1 << 30));

    EchoLoad load(size, inflight);
    Pool pool(endpoint, load, std::uint64_t(getpid()) * 2654435761u + std::uint64_t(nowNs()));
    const std::int64_t connectStart = nowNs();
    pool.open(connections, parallel, std::int64_t(timeout * 1e9),
              connectStart + std::int64_t(timeout * 1e9), true);
    std::fprintf(stderr, "echo: %zu of %zu connections open\n", pool.openCount(), connections);

    for (Conn &conn : pool.connections())
        if (conn.state == ConnState::Open)
            load.start(pool, conn);

    const std::int64_t begin = nowNs();
    const std::int64_t countFrom = begin + std::int64_t(warmup * 1e9);
    const std::int64_t end = countFrom + std::int64_t(seconds * 1e9);
    bool counting = warmup <= 0;
    std::uint64_t base = 0;
    std::int64_t countStart = begin;
    // Who used the CPUs while counting: the server near 100% and the load well below means the
    // server is what was measured.
    CpuSample cpuStart = sampleCpu(serverPid);
    std::int64_t lastReport = begin;
    std::uint64_t lastReceived = 0;
    std::int64_t now = begin;
    while (pool.openCount() > 0) {
        pool.poll(5);
        now = nowNs();
        if (!counting && now >= countFrom) {
            counting = true;
            base = load.received;
            countStart = now;
            cpuStart = sampleCpu(serverPid);
        }
        if (now >= end)
            break;
        if (now - lastReport >= 1'000'000'000) {
            std::fprintf(stderr, "echo: %.0f msg/s%s\n",
                         double(load.received - lastReceived) * 1e9 / double(now - lastReport),
                         counting ? "" : " (warm-up)");
            lastReport = now;
            lastReceived = load.received;
        }
    }
    const CpuUse cpu = cpuUse(cpuStart, sampleCpu(serverPid));
    const double measured = double(now - countStart) / 1e9;
    const std::uint64_t messages = counting ? load.received - base : 0;
    const PoolStats &stats = pool.stats();
    const std::uint64_t errors
        = stats.openFailures() + stats.lostAfterOpen + stats.protocolErrors + load.outOfOrder;
    pool.closeAll();

    std::printf("{\"mode\":\"echo\",\"connections\":%zu,\"open\":%zu,\"inflight\":%zu,"
                "\"size\":%zu,\"seconds\":%.3f,\"messages\":%llu,\"msgs_per_s\":%.1f,"
                "\"errors\":%llu,\"open_failures\":%llu,\"lost\":%llu,\"protocol_errors\":%llu,"
                "\"out_of_order\":%llu,\"ignored\":%llu,\"server_cpu_pct\":%.1f,"
                "\"load_cpu_pct\":%.1f,\"machine_cpu_pct\":%.1f,\"first_error\":%s}\n",
                connections, connections - std::size_t(stats.openFailures()), inflight, size,
                measured, (unsigned long long)messages,
                measured > 0 ? double(messages) / measured : 0.0, (unsigned long long)errors,
                (unsigned long long)stats.openFailures(), (unsigned long long)stats.lostAfterOpen,
                (unsigned long long)stats.protocolErrors, (unsigned long long)load.outOfOrder,
                (unsigned long long)load.ignored, serverPid ? cpu.serverPercent : -1.0,
                cpu.loadPercent, cpu.machinePercent, jsonString(stats.firstError).c_str());
    return errors == 0 ? 0 : 1;
}

} // namespace wslab::load
