#include "unixsignals.h"

#include <QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace wslab {

namespace {
int g_writeFd = -1;

void onSignal(int signal)
{
    // Only async-signal-safe calls here: one byte naming the signal.
    const char byte = char(signal);
    [[maybe_unused]] const auto written = ::write(g_writeFd, &byte, 1);
}
} // namespace

UnixSignals::UnixSignals(QObject *parent) : QObject(parent)
{
    if (g_writeFd != -1 || ::socketpair(AF_UNIX, SOCK_STREAM, 0, m_fds) != 0)
        return; // one instance per process
    g_writeFd = m_fds[1];
    auto *notifier = new QSocketNotifier(m_fds[0], QSocketNotifier::Read, this);
    connect(notifier, &QSocketNotifier::activated, this, [this] {
        char byte = 0;
        if (::read(m_fds[0], &byte, 1) == 1)
            Q_EMIT interrupted(int(byte));
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
}

UnixSignals::~UnixSignals()
{
    if (m_fds[0] == -1)
        return;
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    g_writeFd = -1;
    ::close(m_fds[0]);
    ::close(m_fds[1]);
}

} // namespace wslab
