// fanout: N idle connections; the server pushes the same text to all of them each tick. For
// each tick, how long from the first client's copy to the last one's (the spread), and whether
// every client got it.

#include "modes.h"
#include "pool.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace wslab::load {

namespace {

struct Tick
{
    static constexpr std::size_t keySize = 64;
    char key[keySize];
    std::size_t keyLength = 0;
    std::int64_t firstNs = 0;
    std::int64_t lastNs = 0;
    std::int64_t firstKernelNs = 0; // the kernel's arrival times (SO_TIMESTAMPNS), if given
    std::int64_t lastKernelNs = 0;
    std::size_t delivered = 0;
    bool counted = false; // first copy arrived after the measurement began
};

class FanoutLoad final : public Handler
{
public:
    FanoutLoad() { m_ticks.reserve(4096); }

    void onMessage(Pool &pool, Conn &conn, std::uint8_t opcode, const std::uint8_t *payload,
                   std::size_t size) override
    {
        if (opcode != Text) {
            ++ignored;
            return;
        }
        const std::int64_t now = pool.readTimeNs();
        const std::int64_t kernel = pool.kernelTimeNs();
        // Payloads longer than the key are compared on their start; time strings are short.
        const std::size_t length = std::min(size, Tick::keySize);
        // A tick's copies arrive together, so the match is among the newest few ticks.
        std::size_t index = m_ticks.size();
        for (std::size_t back = 0; back < 8 && back < m_ticks.size(); ++back) {
            const Tick &tick = m_ticks[m_ticks.size() - 1 - back];
            if (tick.keyLength == length && std::memcmp(tick.key, payload, length) == 0) {
                index = m_ticks.size() - 1 - back;
                break;
            }
        }
        if (index == m_ticks.size()) {
            if (m_ticks.size() == m_ticks.capacity()) {
                ++ignored; // far more distinct pushes than ticks asked for: not a clock
                return;
            }
            Tick &tick = m_ticks.emplace_back();
            std::memcpy(tick.key, payload, length);
            tick.keyLength = length;
            tick.firstNs = now;
            tick.firstKernelNs = kernel;
            tick.lastKernelNs = kernel;
            tick.counted = now >= measureFromNs;
            if (tick.counted)
                countedTicks.push_back(index);
        }
        Tick &tick = m_ticks[index];
        if (conn.lastTick == index) {
            ++duplicates; // the same text twice in a row on one connection
            return;
        }
        conn.lastTick = std::uint32_t(index);
        tick.lastNs = now;
        if (kernel) {
            // Reads are handled in whatever order epoll lists them, so the kernel's times
            // need not rise with ours.
            tick.firstKernelNs = tick.firstKernelNs ? std::min(tick.firstKernelNs, kernel) : kernel;
            tick.lastKernelNs = std::max(tick.lastKernelNs, kernel);
        }
        ++tick.delivered;
    }

    const Tick &tick(std::size_t index) const { return m_ticks[index]; }

    std::int64_t measureFromNs = LLONG_MAX;
    std::vector<std::size_t> countedTicks;
    std::uint64_t ignored = 0;
    std::uint64_t duplicates = 0;

private:
    std::vector<Tick> m_ticks;
};

} // namespace

int runFanout(const Args &args)
{
    std::string error;
    Endpoint endpoint;
    if (!parseWsUrl(args.text("url", "ws://127.0.0.1:8888/ws"), &endpoint, &error)) {
        std::fprintf(stderr, "wslab-load: %s\n", error.c_str());
        return 2;
    }
    const auto connections = std::size_t(args.integer("connections", 1000, 1, 100000));
    const auto ticks = std::size_t(args.integer("ticks", 5, 1, 1000));
    const double timeout = args.number("timeout-s", 120);
    const double hold = args.number("hold-s", 0);
    const auto parallel = std::size_t(args.integer("parallel", 200, 1, 100000));
    const double connectTimeout = args.number("connect-timeout-s", 20);

    FanoutLoad load;
    Pool pool(endpoint, load, std::uint64_t(getpid()) * 2654435761u + std::uint64_t(nowNs()));
    // The spread as seen by the load includes the time it takes to read N sockets one after
    // the other; the kernel's arrival times show the server's part alone.
    pool.setKernelTimestamps(true);
    const std::int64_t start = nowNs();
    const std::int64_t deadline = start + std::int64_t(timeout * 1e9);
    pool.open(connections, parallel, std::int64_t(connectTimeout * 1e9), deadline, true);
    const std::int64_t allOpen = nowNs();
    const std::size_t open = pool.openCount();
    const PoolStats &stats = pool.stats();
    // bench/run waits for this line to read the server's memory with every client connected.
    std::fprintf(stderr, "open %zu of %zu after %.2f s (%llu failed: %s)\n", open, connections,
                 double(allOpen - start) / 1e9, (unsigned long long)stats.openFailures(),
                 stats.firstError.empty() ? "none" : stats.firstError.c_str());

    // Idle for --hold-s (answering pings, reading pushes), then measure: a tick counts only if
    // its first copy arrives after that, so the tick in progress is skipped.
    const std::int64_t measureFrom = allOpen + std::int64_t(hold * 1e9);
    while (nowNs() < measureFrom && nowNs() < deadline)
        pool.poll(10);
    load.measureFromNs = nowNs();
    std::fprintf(stderr, "measuring %zu ticks\n", ticks);

    std::size_t reported = 0;
    while (nowNs() < deadline && open > 0) {
        pool.poll(10);
        // Done when the first `ticks` counted ticks reached every open client, or when two
        // later ticks have begun (a copy that late is not coming).
        if (load.countedTicks.size() >= ticks) {
            bool allComplete = true;
            for (std::size_t i = 0; i < ticks; ++i)
                allComplete = allComplete && load.tick(load.countedTicks[i]).delivered >= open;
            if (allComplete || load.countedTicks.size() >= ticks + 2)
                break;
        }
        while (reported + 1 < load.countedTicks.size() && reported < ticks) {
            const Tick &tick = load.tick(load.countedTicks[reported++]);
            std::fprintf(stderr, "tick %zu: %zu delivered, spread %.1f ms\n", reported,
                         tick.delivered, double(tick.lastNs - tick.firstNs) / 1e6);
        }
    }

    std::vector<double> spreads;
    std::vector<double> kernelSpreads;
    std::string spreadList;
    std::size_t complete = 0;
    std::size_t delivered = 0;
    for (std::size_t i = 0; i < ticks && i < load.countedTicks.size(); ++i) {
        const Tick &tick = load.tick(load.countedTicks[i]);
        delivered += tick.delivered;
        const double spread = double(tick.lastNs - tick.firstNs) / 1e6;
        if (tick.delivered == connections) {
            ++complete;
            spreads.push_back(spread);
            if (tick.firstKernelNs && tick.lastKernelNs)
                kernelSpreads.push_back(double(tick.lastKernelNs - tick.firstKernelNs) / 1e6);
        }
        char item[32];
        std::snprintf(item, sizeof item, "%s%.3f", spreadList.empty() ? "" : ",", spread);
        spreadList += item;
    }
    std::sort(spreads.begin(), spreads.end());
    std::sort(kernelSpreads.begin(), kernelSpreads.end());
    const bool allDelivered = complete == ticks && stats.openFailures() == 0;
    const std::uint64_t lost = stats.lostAfterOpen;
    const std::uint64_t protocolErrors = stats.protocolErrors;
    const std::string firstError = stats.firstError;
    pool.closeAll();

    char p50[32] = "null";
    char max[32] = "null";
    char kernelP50[32] = "null";
    char kernelMax[32] = "null";
    if (!spreads.empty()) {
        std::snprintf(p50, sizeof p50, "%.3f", median(spreads));
        std::snprintf(max, sizeof max, "%.3f", spreads.back());
    }
    if (!kernelSpreads.empty()) {
        std::snprintf(kernelP50, sizeof kernelP50, "%.3f", median(kernelSpreads));
        std::snprintf(kernelMax, sizeof kernelMax, "%.3f", kernelSpreads.back());
    }
    std::printf("{\"mode\":\"fanout\",\"connections\":%zu,\"open\":%zu,\"failed\":%llu,"
                "\"connect_s\":%.3f,\"ticks\":%zu,\"complete_ticks\":%zu,"
                "\"spread_ms_p50\":%s,\"spread_ms_max\":%s,\"spreads_ms\":[%s],"
                "\"kernel_spread_ms_p50\":%s,\"kernel_spread_ms_max\":%s,"
                "\"delivered\":%zu,\"all_delivered\":%s,\"lost\":%llu,\"duplicates\":%llu,"
                "\"protocol_errors\":%llu,\"first_error\":%s}\n",
                connections, open, (unsigned long long)(connections - open),
                double(allOpen - start) / 1e9, ticks, complete, p50, max, spreadList.c_str(),
                kernelP50, kernelMax,
                delivered, allDelivered ? "true" : "false", (unsigned long long)lost,
                (unsigned long long)load.duplicates, (unsigned long long)protocolErrors,
                jsonString(firstError).c_str());
    return allDelivered ? 0 : 1;
}

} // namespace wslab::load
