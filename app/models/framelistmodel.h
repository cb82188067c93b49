#pragma once

#include "wiredecoder.h"

#include <QAbstractTableModel>
#include <QTimer>

#include <deque>

namespace wslab {

// The Frames pane's list: one row per frame the wire tap decoded, both directions.
// Built for floods like EventLog: frames are inserted in one batch per 30 ms, the newest
// maxFrames are kept, and the payload bytes kept for the field view are bounded in all
// (maxKeptPayloadBytes; older frames keep a short head). Every frame has a number, counted
// from the connection's first, that stays its own when older rows are dropped.
class FrameListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Direction, Time, Fin, Opcode, Mask, Length, Preview, ColumnCount };
    static constexpr int maxFrames = 10'000;
    static constexpr qint64 maxKeptPayloadBytes = 32 * 1024 * 1024;
    static constexpr int shortPayloadBytes = 256; // what an old frame keeps once over the budget

    explicit FrameListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const WireEvent &frameEvent(int row) const { return m_frames.at(size_t(row)); }
    // The row of frame `number` (0 = the first frame since clear()), or -1 when it was dropped
    // (or has not arrived). Inserts what is pending first.
    int rowOfFrame(qint64 number);
    qint64 droppedCount() const { return m_firstNumber; }

public Q_SLOTS:
    // Headers and names come from tr(): call after the UI language changed.
    void retranslate();
    // Keeps only frame events; the rest is ignored.
    void addWireEvent(const wslab::WireEvent &event);
    void clear();
    // Inserts what is pending now instead of at the next tick.
    void flush();

private:
    void keepPayloadWithinBudget();

    std::deque<WireEvent> m_frames;
    std::deque<WireEvent> m_pending;
    QTimer m_flushTimer;
    qint64 m_firstNumber = 0; // the number of the frame in row 0 = frames dropped
    qint64 m_keptPayloadBytes = 0;
    size_t m_shortened = 0; // rows [0, m_shortened) keep only a short head of their payload
    qint64 m_firstTimeNs = -1;
};

} // namespace wslab
