#include "stallwatchdog.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace wslab {

StallWatchdog::StallWatchdog(const QString &file, QObject *parent)
    : QObject(parent), m_file(file)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(periodMs);
    connect(&m_timer, &QTimer::timeout, this, &StallWatchdog::tick);
    m_clock.start();
    m_lastNs = m_clock.nsecsElapsed();
    m_timer.start();
    if (!m_file.isEmpty()) {
        m_writeTimer.setInterval(1000);
        connect(&m_writeTimer, &QTimer::timeout, this, &StallWatchdog::write);
        m_writeTimer.start();
    }
}

StallWatchdog::~StallWatchdog()
{
    if (!m_file.isEmpty())
        write();
}

void StallWatchdog::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    const qint64 lateNs = qMax<qint64>(0, now - m_lastNs - qint64(periodMs) * 1'000'000);
    m_lastNs = now;
    ++m_ticks;
    m_longestNs = qMax(m_longestNs, lateNs);
    if (lateNs > 50'000'000)
        ++m_stalls;
    ++m_lateByMs[size_t(qMin<qint64>(lateNs / 1'000'000, qint64(m_lateByMs.size()) - 1))];
}

StallWatchdog::Figures StallWatchdog::figures() const
{
    Figures f;
    f.ticks = m_ticks;
    f.stallsOver50ms = m_stalls;
    f.longestMs = m_longestNs / 1e6;
    const qint64 wanted = m_ticks - m_ticks / 100; // the 99th percentile's tick
    qint64 seen = 0;
    for (size_t ms = 0; ms < m_lateByMs.size(); ++ms) {
        seen += m_lateByMs[ms];
        if (seen >= wanted && m_ticks > 0) {
            f.p99Ms = double(ms + 1); // bucket ms holds [ms, ms + 1)
            break;
        }
    }
    return f;
}

void StallWatchdog::write() const
{
    const Figures f = figures();
    const QJsonObject json { { QStringLiteral("ticks"), f.ticks },
                             { QStringLiteral("stalls_over_50ms"), f.stallsOver50ms },
                             { QStringLiteral("longest_stall_ms"), f.longestMs },
                             { QStringLiteral("p99_tick_ms"), f.p99Ms } };
    QSaveFile out(m_file);
    if (out.open(QIODevice::WriteOnly)) {
        out.write(QJsonDocument(json).toJson(QJsonDocument::Compact) + '\n');
        out.commit();
    }
}

} // namespace wslab
