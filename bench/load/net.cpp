#include "net.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace wslab::load {

std::int64_t nowNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

bool resolveIpv4(const std::string &host, int port, sockaddr_in *address, std::string *error)
{
    addrinfo hints {};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *found = nullptr;
    const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &found);
    if (rc != 0 || !found) {
        *error = "cannot resolve " + host + ": " + gai_strerror(rc);
        return false;
    }
    std::memcpy(address, found->ai_addr, sizeof(sockaddr_in));
    address->sin_port = htons(std::uint16_t(port));
    freeaddrinfo(found);
    return true;
}

bool parseWsUrl(const std::string &url, Endpoint *endpoint, std::string *error)
{
    const std::string scheme = "ws://";
    if (url.compare(0, scheme.size(), scheme) != 0) {
        *error = "only ws:// URLs are supported: " + url;
        return false;
    }
    const std::string rest = url.substr(scheme.size());
    const std::size_t slash = rest.find('/');
    const std::string authority = rest.substr(0, slash);
    endpoint->path = slash == std::string::npos ? "/" : rest.substr(slash);
    std::string host = authority;
    int port = 80;
    const std::size_t colon = authority.rfind(':');
    if (colon != std::string::npos) {
        host = authority.substr(0, colon);
        char *end = nullptr;
        const long value = std::strtol(authority.c_str() + colon + 1, &end, 10);
        if (*end != '\0' || value < 1 || value > 65535) {
            *error = "bad port in " + url;
            return false;
        }
        port = int(value);
    }
    endpoint->hostHeader = authority;
    return resolveIpv4(host, port, &endpoint->address, error);
}

std::uint64_t raiseFileLimit()
{
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 0;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    return limit.rlim_cur;
}

namespace {

void setNoDelay(int fd)
{
    // Small frames must leave at once: Nagle would measure the client's batching, not the server.
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

} // namespace

int startConnect(const sockaddr_in &address, int *error)
{
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *error = errno;
        return -1;
    }
    setNoDelay(fd);
    if (connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0
        && errno != EINPROGRESS) {
        *error = errno;
        close(fd);
        return -1;
    }
    return fd;
}

int blockingConnect(const sockaddr_in &address, int *error)
{
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *error = errno;
        return -1;
    }
    setNoDelay(fd);
    if (connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0) {
        *error = errno;
        close(fd);
        return -1;
    }
    return fd;
}

bool sendAll(int fd, const void *data, std::size_t size)
{
    const auto *p = static_cast<const char *>(data);
    while (size > 0) {
        const ssize_t n = send(fd, p, size, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += n;
        size -= std::size_t(n);
    }
    return true;
}

} // namespace wslab::load
