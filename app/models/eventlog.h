#pragma once

#include "event.h"

#include <QAbstractTableModel>
#include <QTimer>

#include <deque>

namespace wslab {

// The hub of DESIGN.md: every event from every source, in arrival order, as a table.
// High-rate friendly: appends are collected and inserted in one beginInsertRows() per 30 ms;
// the log keeps the newest maxEvents() and counts what it dropped. Paused, it keeps collecting
// but stops changing, so the user can read.
class EventLog : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Side, Phase, Kind, Connection, Detail, ColumnCount };
    enum Role {
        SideRole = Qt::UserRole + 1, // int(Event::Side)
        PhaseRole, // int(wslab::Phase)
        KindRole, // int(Event::Kind)
        TimeNsRole,
        EventIndexRole, // the row's index into the log, stable until dropped
    };

    explicit EventLog(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const Event &event(int row) const { return m_events.at(size_t(row)); }
    // The row's summary in the language of now, put in words once per language (filtering
    // 100,000 rows must not translate them all again on every keystroke).
    const QString &detail(int row) const;
    // kindName(), likewise kept per language.
    const QString &kindText(Event::Kind kind) const;
    int maxEvents() const { return m_maxEvents; }
    void setMaxEvents(int maxEvents);
    qint64 droppedCount() const { return m_dropped; }
    bool isPaused() const { return m_paused; }
    int pendingCount() const { return int(m_pending.size()); }

public Q_SLOTS:
    // Headers and names come from tr(): call after the UI language changed.
    void retranslate();
    void append(const wslab::Event &event);
    void appendBatch(const QList<wslab::Event> &events);
    void setPaused(bool paused);
    void clear();
    // Events a source dropped before they reached the log (it was too busy to take them).
    void countDropped(qint64 count);
    // Inserts what is pending now instead of at the next tick (tests, and before export).
    void flush();

Q_SIGNALS:
    void droppedCountChanged(qint64 dropped);

private:
    void scheduleFlush();
    void trim();

    std::deque<Event> m_events;
    std::deque<Event> m_pending;
    mutable std::deque<std::optional<QString>> m_details; // one per row; none: not worded yet
    mutable QList<QString> m_kindTexts;
    mutable QString m_wordedIn; // the language the words above are in
    void forgetWordsIfLanguageChanged() const;
    QTimer m_flushTimer;
    int m_maxEvents = 100'000;
    qint64 m_dropped = 0;
    bool m_paused = false;
};

} // namespace wslab
