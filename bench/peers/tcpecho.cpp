// bench-tcp-echo: a plain TCP echo on epoll, the floor under any WebSocket server's latency
// (no framing, no masking, no event-loop framework). --port 0 prints "listening PORT".

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

struct Pending
{
    std::vector<char> bytes; // what the client has not taken yet (it reads slowly)
};

void closeClient(int epoll, int fd, std::unordered_map<int, Pending> &pending)
{
    epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nullptr);
    close(fd);
    pending.erase(fd);
}

} // namespace

int main(int argc, char **argv)
{
    int port = 0;
    for (int i = 1; i + 1 < argc; i += 2)
        if (std::strcmp(argv[i], "--port") == 0)
            port = std::atoi(argv[i + 1]);
    std::signal(SIGPIPE, SIG_IGN);

    const int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(std::uint16_t(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0
        || listen(listener, 4096) != 0) {
        std::perror("bench-tcp-echo");
        return 1;
    }
    socklen_t length = sizeof address;
    getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length);
    std::printf("listening %d\n", ntohs(address.sin_port));
    std::fflush(stdout);

    const int epoll = epoll_create1(EPOLL_CLOEXEC);
    epoll_event event {};
    event.events = EPOLLIN;
    event.data.fd = listener;
    epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &event);

    std::unordered_map<int, Pending> pending;
    std::vector<char> buffer(256 * 1024);
    std::vector<epoll_event> events(256);
    while (true) {
        const int n = epoll_wait(epoll, events.data(), int(events.size()), -1);
        if (n < 0 && errno != EINTR) {
            std::perror("epoll_wait");
            return 1;
        }
        for (int i = 0; i < n; ++i) {
            const int fd = events[i].data.fd;
            if (fd == listener) {
                int client;
                while ((client = accept4(listener, nullptr, nullptr,
                                         SOCK_NONBLOCK | SOCK_CLOEXEC))
                       >= 0) {
                    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    epoll_event added {};
                    added.events = EPOLLIN;
                    added.data.fd = client;
                    epoll_ctl(epoll, EPOLL_CTL_ADD, client, &added);
                }
                continue;
            }
            auto found = pending.find(fd);
            if ((events[i].events & EPOLLOUT) && found != pending.end()) {
                std::vector<char> &bytes = found->second.bytes;
                const ssize_t sent = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
                if (sent > 0)
                    bytes.erase(bytes.begin(), bytes.begin() + sent);
                if (bytes.empty()) {
                    pending.erase(found);
                    epoll_event readOnly {};
                    readOnly.events = EPOLLIN;
                    readOnly.data.fd = fd;
                    epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &readOnly);
                }
                continue;
            }
            // While a client has bytes waiting, read nothing more from it (back-pressure).
            if (!(events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
                continue;
            const ssize_t got = recv(fd, buffer.data(), buffer.size(), 0);
            if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
                closeClient(epoll, fd, pending);
                continue;
            }
            if (got < 0)
                continue;
            ssize_t sent = send(fd, buffer.data(), std::size_t(got), MSG_NOSIGNAL);
            if (sent < 0 && errno != EAGAIN) {
                closeClient(epoll, fd, pending);
                continue;
            }
            if (sent < 0)
                sent = 0;
            if (sent < got) {
                pending[fd].bytes.assign(buffer.data() + sent, buffer.data() + got);
                epoll_event writeOnly {};
                writeOnly.events = EPOLLOUT;
                writeOnly.data.fd = fd;
                epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &writeOnly);
            }
        }
    }
}
