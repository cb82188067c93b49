#pragma once

#include "wiredecoder.h"

#include <QAbstractTableModel>

#include <deque>

namespace wslab {

// The Frames pane's list: one row per frame the wire tap decoded, both directions.
class FrameListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Direction, Time, Fin, Opcode, Mask, Length, Preview, ColumnCount };
    static constexpr int maxFrames = 10'000;

    explicit FrameListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const WireEvent &frameEvent(int row) const { return m_frames.at(size_t(row)); }

public Q_SLOTS:
    // Headers and names come from tr(): call after the UI language changed.
    void retranslate();
    // Keeps only frame events; the rest is ignored.
    void addWireEvent(const wslab::WireEvent &event);
    void clear();

private:
    std::deque<WireEvent> m_frames;
    qint64 m_firstTimeNs = -1;
};

} // namespace wslab
