#pragma once

#include <QIODevice>

#include <memory>

namespace wslab {

// A write-only device in front of a file descriptor (stdout) that never makes its writer wait:
// writes go into a bounded buffer that a thread of its own drains with blocking write(2).
// When the reader of the descriptor falls behind (a terminal scrolled back, a pipe nobody
// reads), what does not fit is dropped and counted, and a line saying how much was lost takes
// its place once there is room again. A server's log must never stall the server.
class NonBlockingOutput : public QIODevice
{
    Q_OBJECT

public:
    explicit NonBlockingOutput(int fd, qint64 capacity = 1024 * 1024, QObject *parent = nullptr);
    // Writes what is buffered, waiting at most drainTimeoutMs for the descriptor.
    ~NonBlockingOutput() override;

    bool isSequential() const override { return true; }
    // Writes (lines, from a QTextStream that ends each with Qt::endl) dropped since the start.
    qint64 droppedWrites() const;
    // Waits until everything buffered was written, up to `timeoutMs`; false when it was not.
    bool drain(int timeoutMs);

    static constexpr int drainTimeoutMs = 2000;

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *data, qint64 size) override;

private:
    struct State; // shared with the writer thread, which may outlive this object (see ~)
    std::shared_ptr<State> m_state;
};

} // namespace wslab
