#pragma once

#include <QObject>

namespace wslab {

// Turns SIGINT / SIGTERM (Ctrl+C, kill) into a Qt signal delivered by the event loop, so the
// console programs can close their connections cleanly instead of dying mid-frame.
class UnixSignals : public QObject
{
    Q_OBJECT

public:
    explicit UnixSignals(QObject *parent = nullptr);
    ~UnixSignals() override;

Q_SIGNALS:
    void interrupted(int signal);

private:
    int m_fds[2] = { -1, -1 };
};

} // namespace wslab
