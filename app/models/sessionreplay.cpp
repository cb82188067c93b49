#include "sessionreplay.h"

#include "clientsession.h"

#include <QCoreApplication>

namespace wslab {

SessionReplay::SessionReplay(ClientSession *session, QObject *parent)
    : QObject(parent), m_session(session)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &SessionReplay::sendNext);
    connect(session, &ClientSession::stateChanged, this, [this](ClientSession::State state) {
        if (state != ClientSession::State::Open && m_next < m_messages.size())
            finish(false);
    });
}

QList<RecordedMessage> SessionReplay::outgoing(const SessionRecord &record)
{
    QList<RecordedMessage> out;
    for (const RecordedMessage &m : record.messages)
        if (m.direction == Direction::ClientToServer)
            out.append(m);
    return out;
}

bool SessionReplay::start(const SessionRecord &record, bool keepSpacing, QString *error)
{
    const auto failed = [error](const char *why) {
        if (error)
            *error = QCoreApplication::translate("wslab::SessionReplay", why);
        return false;
    };
    if (m_session->state() != ClientSession::State::Open)
        return failed(QT_TRANSLATE_NOOP("wslab::SessionReplay",
                                        "Replay needs an open connection: connect first."));
    QList<RecordedMessage> messages = outgoing(record);
    if (messages.isEmpty())
        return failed(QT_TRANSLATE_NOOP("wslab::SessionReplay",
                                        "The record has no client → server message to replay."));
    stop();
    m_messages = std::move(messages);
    m_next = 0;
    m_keepSpacing = keepSpacing;
    m_timer.start(0);
    return true;
}

void SessionReplay::stop()
{
    if (m_next < m_messages.size() || m_timer.isActive())
        finish(false);
}

void SessionReplay::sendNext()
{
    if (m_next >= m_messages.size())
        return;
    const RecordedMessage &m = m_messages.at(m_next);
    if (m.binary)
        m_session->sendBinary(m.payload);
    else
        m_session->sendText(QString::fromUtf8(m.payload));
    ++m_next;
    Q_EMIT progress(int(m_next), int(m_messages.size()));
    if (m_next == m_messages.size()) {
        finish(true);
        return;
    }
    const qint64 gapMs = m_keepSpacing
        ? qBound<qint64>(0, (m_messages.at(m_next).timeNs - m.timeNs) / 1'000'000, maxGapMs)
        : 0;
    m_timer.start(int(gapMs));
}

void SessionReplay::finish(bool completed)
{
    m_timer.stop();
    m_messages.clear();
    m_next = 0;
    Q_EMIT finished(completed);
}

} // namespace wslab
