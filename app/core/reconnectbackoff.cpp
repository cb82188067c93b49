#include "reconnectbackoff.h"

#include <algorithm>

namespace wslab {

ReconnectBackoff::ReconnectBackoff(QObject *parent) : QObject(parent)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &ReconnectBackoff::tick);
}

void ReconnectBackoff::schedule()
{
    m_left = m_nextDelay;
    m_nextDelay = std::min(m_nextDelay * 2, m_maxSteps);
    ++m_attempt;
    m_timer.start(m_step);
    Q_EMIT countdown(m_left);
}

void ReconnectBackoff::cancel()
{
    if (!isPending())
        return;
    m_timer.stop();
    m_left = 0;
    Q_EMIT countdown(0);
}

void ReconnectBackoff::reset()
{
    cancel();
    m_nextDelay = 1;
    m_attempt = 0;
}

void ReconnectBackoff::tick()
{
    --m_left;
    Q_EMIT countdown(m_left);
    if (m_left > 0)
        return;
    m_timer.stop();
    Q_EMIT due();
}

} // namespace wslab
