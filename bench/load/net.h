// Sockets, clocks and limits for wslab-load: thin wrappers over Linux calls, IPv4 only because
// the benchmarks run over loopback.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <string>

namespace wslab::load {

// CLOCK_MONOTONIC in nanoseconds: immune to wall-clock steps during a run.
std::int64_t nowNs();

struct Endpoint
{
    sockaddr_in address {};
    std::string hostHeader; // "host:port", as sent in the Host header
    std::string path = "/";
};

// ws://host[:port][/path]; host is resolved once here, not per connection.
bool parseWsUrl(const std::string &url, Endpoint *endpoint, std::string *error);
bool resolveIpv4(const std::string &host, int port, sockaddr_in *address, std::string *error);

// Raises the soft RLIMIT_NOFILE to the hard limit (thousands of sockets); returns the new soft.
std::uint64_t raiseFileLimit();

// A non-blocking TCP socket with TCP_NODELAY whose connect() has been started. Returns -1 and
// sets *error (an errno) if it failed at once.
int startConnect(const sockaddr_in &address, int *error);

// The same, blocking, for the single-connection latency modes.
int blockingConnect(const sockaddr_in &address, int *error);

// Sends all of [data, data + size) on a blocking socket; false on error.
bool sendAll(int fd, const void *data, std::size_t size);

} // namespace wslab::load
