#include "sessionrecorder.h"

#include <QCoreApplication>

#include <limits>

namespace wslab {

namespace {
qint64 payloadOf(const Event &e)
{
    return e.payload.size() + (e.wire ? e.wire->frame.payload.size() : 0);
}
qint64 payloadOf(const WireEvent &w)
{
    return w.frame.payload.size();
}
qint64 payloadOf(const RecordedMessage &m)
{
    return m.payload.size();
}
} // namespace

SessionRecorder::SessionRecorder(QObject *parent) : QObject(parent)
{
    clear();
}

void SessionRecorder::clear()
{
    m_events.clear();
    m_wire.clear();
    m_messages.clear();
    m_payloadBytes = m_eventBytes = m_wireBytes = m_messageBytes = 0;
    m_dropped = {};
    // Both clocks read together: the record's monotonic times map onto the calendar.
    m_startedNs = EventClock::nowNs();
    m_startedUtc = QDateTime::currentDateTimeUtc();
}

void SessionRecorder::setUrl(const QString &url)
{
    m_url = url;
}

template<typename T>
void SessionRecorder::push(std::deque<T> &items, T item, qint64 &bytes, qint64 &dropped)
{
    const bool wasComplete = droppedCount() == 0;
    const qint64 size = payloadOf(item);
    m_payloadBytes += size;
    bytes += size;
    items.push_back(std::move(item));
    if (items.size() > size_t(maxItems))
        dropFront(items, bytes, dropped);
    trim();
    if (wasComplete && droppedCount() > 0)
        Q_EMIT limitReached();
}

template<typename T>
void SessionRecorder::dropFront(std::deque<T> &items, qint64 &bytes, qint64 &dropped)
{
    const qint64 size = payloadOf(items.front());
    m_payloadBytes -= size;
    bytes -= size;
    items.pop_front();
    ++dropped;
}

// Over the byte budget: the oldest items of the lists that hold payload go first (dropping an
// event without payload would free nothing).
void SessionRecorder::trim()
{
    constexpr qint64 never = std::numeric_limits<qint64>::max();
    while (m_payloadBytes > maxPayloadBytes) {
        const qint64 e = m_eventBytes > 0 ? m_events.front().timeNs : never;
        const qint64 w = m_wireBytes > 0 ? m_wire.front().timeNs : never;
        const qint64 m = m_messageBytes > 0 ? m_messages.front().timeNs : never;
        if (e == never && w == never && m == never)
            break;
        if (e <= w && e <= m)
            dropFront(m_events, m_eventBytes, m_dropped.events);
        else if (w <= m)
            dropFront(m_wire, m_wireBytes, m_dropped.wire);
        else
            dropFront(m_messages, m_messageBytes, m_dropped.messages);
    }
}

void SessionRecorder::addEvent(const Event &event)
{
    push(m_events, event, m_eventBytes, m_dropped.events);
}

void SessionRecorder::addEvents(const QList<Event> &events)
{
    for (const Event &event : events)
        addEvent(event);
}

void SessionRecorder::addWireEvent(const WireEvent &event)
{
    push(m_wire, event, m_wireBytes, m_dropped.wire);
}

void SessionRecorder::addSent(const QByteArray &payload, bool binary, qint64 timeNs)
{
    push(m_messages, RecordedMessage { timeNs, Direction::ClientToServer, binary, payload },
         m_messageBytes, m_dropped.messages);
}

void SessionRecorder::addReceived(const QByteArray &payload, bool binary, qint64 timeNs)
{
    push(m_messages, RecordedMessage { timeNs, Direction::ServerToClient, binary, payload },
         m_messageBytes, m_dropped.messages);
}

SessionRecord SessionRecorder::record() const
{
    SessionRecord r;
    r.url = m_url;
    r.startedUtc = m_startedUtc;
    r.startedNs = m_startedNs;
    r.creatorVersion = QCoreApplication::applicationVersion();
    r.events = QList<Event>(m_events.begin(), m_events.end());
    r.wire = QList<WireEvent>(m_wire.begin(), m_wire.end());
    r.messages = QList<RecordedMessage>(m_messages.begin(), m_messages.end());
    r.droppedEvents = m_dropped.events;
    r.droppedWire = m_dropped.wire;
    r.droppedMessages = m_dropped.messages;
    return r;
}

} // namespace wslab
