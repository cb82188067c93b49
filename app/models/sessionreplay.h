#pragma once

#include "sessionrecord.h"

#include <QObject>
#include <QTimer>

namespace wslab {

class ClientSession;

// Replay: sends a record's client → server messages again over the session's open
// connection, in order, at once or with the spacing they had (each gap capped at maxGapMs, so
// a session left idle for an hour does not hold the replay that long).
class SessionReplay : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 maxGapMs = 10'000;

    explicit SessionReplay(ClientSession *session, QObject *parent = nullptr);

    static QList<RecordedMessage> outgoing(const SessionRecord &record);
    // False, with `error` saying why, when the connection is not open or there is nothing
    // to send.
    bool start(const SessionRecord &record, bool keepSpacing, QString *error = nullptr);
    void stop();
    bool isRunning() const { return m_timer.isActive() || m_next < m_messages.size(); }
    int sentCount() const { return int(m_next); }
    int total() const { return int(m_messages.size()); }

Q_SIGNALS:
    void progress(int sent, int total);
    // `completed`: every message went; false when stopped or the connection closed first.
    void finished(bool completed);

private:
    void sendNext();
    void finish(bool completed);

    ClientSession *m_session;
    QList<RecordedMessage> m_messages;
    qsizetype m_next = 0;
    bool m_keepSpacing = false;
    QTimer m_timer;
};

} // namespace wslab
