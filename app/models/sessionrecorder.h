#pragma once

#include "sessionrecord.h"

#include <QObject>

#include <deque>

namespace wslab {

// Records what File > Export session writes, fed by the same signals as the window's models.
// Bounded, so a flood cannot eat the memory: the newest maxItems events, wire events and
// messages each, and at most maxPayloadBytes of payload in all; what falls out is counted and
// the export says so (SessionRecord::dropped*).
class SessionRecorder : public QObject
{
    Q_OBJECT

public:
    static constexpr int maxItems = 100'000;
    static constexpr qint64 maxPayloadBytes = 64 * 1024 * 1024;

    explicit SessionRecorder(QObject *parent = nullptr);

    // The record so far (a copy: recording goes on).
    SessionRecord record() const;
    qint64 droppedCount() const { return m_dropped.events + m_dropped.wire + m_dropped.messages; }
    qint64 payloadBytes() const { return m_payloadBytes; }

public Q_SLOTS:
    void setUrl(const QString &url);
    void addEvent(const wslab::Event &event);
    void addEvents(const QList<wslab::Event> &events);
    void addWireEvent(const wslab::WireEvent &event);
    void addSent(const QByteArray &payload, bool binary, qint64 timeNs);
    void addReceived(const QByteArray &payload, bool binary, qint64 timeNs);
    void clear();

Q_SIGNALS:
    // The first time something is dropped after a clear(): the limit was reached.
    void limitReached();

private:
    template<typename T> void push(std::deque<T> &items, T item, qint64 &bytes, qint64 &dropped);
    template<typename T> void dropFront(std::deque<T> &items, qint64 &bytes, qint64 &dropped);
    void trim();

    QString m_url;
    QDateTime m_startedUtc;
    qint64 m_startedNs = 0;
    std::deque<Event> m_events;
    std::deque<WireEvent> m_wire;
    std::deque<RecordedMessage> m_messages;
    qint64 m_payloadBytes = 0;
    qint64 m_eventBytes = 0, m_wireBytes = 0, m_messageBytes = 0; // each list's share
    struct
    {
        qint64 events = 0, wire = 0, messages = 0;
    } m_dropped;
};

} // namespace wslab
