#pragma once

#include <QObject>
#include <QTimer>

#include <chrono>

namespace wslab {

// When to try again after a connection was lost: 1 s, 2 s, 4 s … capped at 30 s, back to 1 s
// once a connection opened. It counts down in steps (a second, unless a test makes them
// shorter) so the window can say "Reconnecting in 3 s".
class ReconnectBackoff : public QObject
{
    Q_OBJECT

public:
    explicit ReconnectBackoff(QObject *parent = nullptr);

    // One step of the countdown (1 s); the delays are whole steps: 1, 2, 4 … `maxSteps`.
    void setStep(std::chrono::milliseconds step) { m_step = step; }
    std::chrono::milliseconds step() const { return m_step; }
    void setMaxSteps(int steps) { m_maxSteps = steps; }
    int maxSteps() const { return m_maxSteps; }

    bool isPending() const { return m_left > 0; }
    int stepsLeft() const { return m_left; }
    // The delay the next schedule() waits, in steps.
    int nextDelay() const { return m_nextDelay; }
    // The attempts scheduled since the last reset().
    int attempt() const { return m_attempt; }

public Q_SLOTS:
    // Starts the countdown with the next delay, then doubles it (up to the cap).
    void schedule();
    // Stops a pending countdown (countdown(0) is emitted); the next delay is kept.
    void cancel();
    // A connection opened: the next delay is the first one again.
    void reset();

Q_SIGNALS:
    // Steps left, on schedule() and after each step; 0 when cancelled or due.
    void countdown(int stepsLeft);
    // Time to try again.
    void due();

private:
    void tick();

    std::chrono::milliseconds m_step { 1000 };
    int m_maxSteps = 30;
    int m_nextDelay = 1;
    int m_left = 0;
    int m_attempt = 0;
    QTimer m_timer;
};

} // namespace wslab
