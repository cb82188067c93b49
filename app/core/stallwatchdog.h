#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <array>

namespace wslab {

// How long the thread it lives in fails to run its event loop, measured from inside: a timer
// due every 10 ms notes how late each tick comes. A late tick is what a window manager sees
// as "not responding". With a file set, the figures are written to it as one JSON line every
// second (and when the watchdog ends), for a benchmark to read however the program ends.
class StallWatchdog : public QObject
{
    Q_OBJECT

public:
    struct Figures
    {
        qint64 ticks = 0;
        qint64 stallsOver50ms = 0;
        double longestMs = 0; // the longest gap between two ticks, less the 10 ms period
        double p99Ms = 0; // 99 % of the ticks came at most this late
    };

    explicit StallWatchdog(const QString &file = {}, QObject *parent = nullptr);
    ~StallWatchdog() override;

    Figures figures() const;
    static constexpr int periodMs = 10;

private:
    void tick();
    void write() const;

    QString m_file;
    QTimer m_timer;
    QTimer m_writeTimer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    qint64 m_ticks = 0;
    qint64 m_stalls = 0;
    qint64 m_longestNs = 0;
    std::array<qint64, 10'001> m_lateByMs {}; // the last bucket: 10 s or later
};

} // namespace wslab
