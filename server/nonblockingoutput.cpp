#include "nonblockingoutput.h"

#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <unistd.h>

namespace wslab {

struct NonBlockingOutput::State
{
    int fd = -1;
    qint64 capacity = 0;
    std::mutex mutex;
    std::condition_variable wake; // the writer: there is something to write, or stop
    std::condition_variable drained; // drain(): everything was written
    QByteArray buffer;
    bool writing = false; // the writer holds bytes taken from `buffer`
    bool stop = false;
    qint64 dropped = 0;
    qint64 droppedUnreported = 0;

    void run()
    {
        for (;;) {
            QByteArray chunk;
            {
                std::unique_lock lock(mutex);
                wake.wait(lock, [this] { return stop || !buffer.isEmpty(); });
                if (buffer.isEmpty())
                    return; // stopped, and all written
                chunk = std::exchange(buffer, {});
                writing = true;
            }
            for (qsizetype done = 0; done < chunk.size();) {
                const ssize_t n
                    = ::write(fd, chunk.constData() + done, size_t(chunk.size() - done));
                if (n < 0 && errno == EINTR)
                    continue;
                if (n <= 0) { // a closed or broken output: what is left cannot be written there
                    const std::lock_guard lock(mutex);
                    ++dropped;
                    break;
                }
                done += n;
            }
            {
                const std::lock_guard lock(mutex);
                writing = false;
            }
            drained.notify_all();
        }
    }
};

NonBlockingOutput::NonBlockingOutput(int fd, qint64 capacity, QObject *parent)
    : QIODevice(parent), m_state(std::make_shared<State>())
{
    m_state->fd = fd;
    m_state->capacity = capacity;
    open(QIODevice::WriteOnly | QIODevice::Unbuffered);
    std::thread([state = m_state] { state->run(); }).detach();
}

NonBlockingOutput::~NonBlockingOutput()
{
    drain(drainTimeoutMs);
    {
        const std::lock_guard lock(m_state->mutex);
        m_state->stop = true;
    }
    // The writer ends once the buffer is written. One blocked for good on a reader that never
    // reads holds only the shared state, so it cannot keep the process from exiting.
    m_state->wake.notify_one();
}

qint64 NonBlockingOutput::droppedWrites() const
{
    const std::lock_guard lock(m_state->mutex);
    return m_state->dropped;
}

bool NonBlockingOutput::drain(int timeoutMs)
{
    std::unique_lock lock(m_state->mutex);
    return m_state->drained.wait_for(lock, std::chrono::milliseconds(timeoutMs), [this] {
        return m_state->buffer.isEmpty() && !m_state->writing;
    });
}

qint64 NonBlockingOutput::writeData(const char *data, qint64 size)
{
    State &s = *m_state;
    {
        const std::lock_guard lock(s.mutex);
        QByteArray notice;
        if (s.droppedUnreported)
            notice = "[log: " + QByteArray::number(s.droppedUnreported)
                + " line(s) dropped here: the output was not read fast enough]\n";
        if (s.buffer.size() + notice.size() + size > s.capacity) {
            ++s.dropped;
            ++s.droppedUnreported;
            return size; // taken, and counted as lost: the caller must not wait or retry
        }
        s.buffer += notice;
        s.buffer.append(data, size);
        s.droppedUnreported = 0;
    }
    s.wake.notify_one();
    return size;
}

} // namespace wslab
