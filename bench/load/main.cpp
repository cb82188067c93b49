// wslab-load: the load generator of WsLab's server benchmarks (see bench/README.md).
// Plain C++ and epoll on one thread, so that it costs far less per message than the servers
// it measures; bench/run pins it to its own CPU.

#include "args.h"
#include "modes.h"
#include "net.h"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>

using namespace wslab::load;

namespace {

const char usage[] = R"(usage: wslab-load MODE [options]; prints one line of JSON on stdout

  echo        --url ws://127.0.0.1:PORT/ws --connections C --inflight K [--size 32]
              [--seconds 5] [--warmup 1] [--parallel 200] [--connect-timeout-s 30]
              [--server-pid PID]
              C connections each keep K text messages in flight; counts echoes of its own
              messages (other pushes are ignored) after the warm-up. Reports the CPU used by
              the load, the server (given its pid) and the whole machine while counting.
  fanout      --url ws://127.0.0.1:PORT/ws --connections N [--ticks 5] [--hold-s 0]
              [--timeout-s 120] [--parallel 200] [--connect-timeout-s 20]
              N idle connections; per pushed message (grouped by payload), the spread between
              the first and the last client's copy. Prints "open N of N ..." on stderr once
              connected, then holds --hold-s seconds before measuring.
  latency     --url ws://127.0.0.1:PORT/ws [--count 10000] [--size 32] [--warmup 500] [--spin]
              One connection, one message in flight: round-trip times in microseconds.
              --spin polls the socket instead of sleeping in recv (the client's wake-up
              then drops out of the figure).
  tcp-latency --port P [--host 127.0.0.1] [--count 10000] [--size 32] [--warmup 500] [--spin]
              The same over a plain TCP echo: the floor under any WebSocket server.
)";

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
        std::fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    // A peer that goes away mid-write must show up as an error count, not kill the run.
    std::signal(SIGPIPE, SIG_IGN);
    const std::uint64_t files = raiseFileLimit();

    const std::string mode = argv[1];
    using Runner = int (*)(const Args &);
    struct Mode
    {
        Runner run;
        std::map<std::string, bool> options; // name -> takes a value
    };
    const std::map<std::string, Mode> modes = {
        { "echo",
          { runEcho,
            { { "url", true }, { "connections", true }, { "inflight", true }, { "size", true },
              { "seconds", true }, { "warmup", true }, { "parallel", true },
              { "connect-timeout-s", true }, { "server-pid", true } } } },
        { "fanout",
          { runFanout,
            { { "url", true }, { "connections", true }, { "ticks", true }, { "hold-s", true },
              { "timeout-s", true }, { "parallel", true }, { "connect-timeout-s", true } } } },
        { "latency",
          { runLatency,
            { { "url", true }, { "count", true }, { "size", true }, { "warmup", true },
              { "spin", false } } } },
        { "tcp-latency",
          { runTcpLatency,
            { { "host", true }, { "port", true }, { "count", true }, { "size", true },
              { "warmup", true }, { "spin", false } } } },
    };
    const auto found = modes.find(mode);
    if (found == modes.end()) {
        std::fprintf(stderr, "wslab-load: unknown mode \"%s\"\n%s", mode.c_str(), usage);
        return 2;
    }
    Args args;
    std::string error;
    if (!args.parse(argc, argv, 2, found->second.options, &error)) {
        std::fprintf(stderr, "wslab-load %s: %s\n", mode.c_str(), error.c_str());
        return 2;
    }
    if (mode == "fanout" || mode == "echo") {
        const long long wanted = args.integer("connections", 1, 1, 100000);
        if (std::uint64_t(wanted) + 16 > files)
            std::fprintf(stderr, "wslab-load: warning: %lld connections but only %llu file "
                                 "descriptors (raise the hard limit: ulimit -Hn)\n",
                         wanted, (unsigned long long)files);
    }
    return found->second.run(args);
}
