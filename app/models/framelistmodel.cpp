#include "framelistmodel.h"

#include "textpreview.h"

#include <QBrush>
#include <QColor>

namespace wslab {

FrameListModel::FrameListModel(QObject *parent) : QAbstractTableModel(parent) { }

int FrameListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_frames.size());
}

int FrameListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FrameListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const WireEvent &e = m_frames.at(size_t(index.row()));
    const Frame &f = e.frame;
    const bool out = e.direction == wslab::Direction::ClientToServer;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Direction:
            return out ? tr("→ to server") : tr("← to client");
        case Time:
            return QString::number((e.timeNs - m_firstTimeNs) / 1e9, 'f', 3);
        case Fin:
            return f.fin ? 1 : 0;
        case Opcode:
            return QStringLiteral("%1 %2").arg(f.opcode).arg(opcodeName(f.opcode));
        case Mask:
            return f.masked ? 1 : 0;
        case Length:
            return QVariant::fromValue(f.payloadLength);
        case Preview:
            if (f.opcode == Frame::Close)
                return f.closeCode
                    ? QStringLiteral("%1 \"%2\"").arg(*f.closeCode).arg(f.closeReason)
                    : QString();
            return f.messageOpcode == Frame::Text && !f.isControl() ? escapedText(f.payload, 60)
                                                                    : shortHex(f.payload, 20);
        }
    } else if (role == Qt::BackgroundRole) {
        return QBrush(out ? QColor(0xe8, 0xf3, 0xff) : QColor(0xf3, 0xf8, 0xea));
    } else if (role == Qt::TextAlignmentRole
               && (index.column() == Fin || index.column() == Mask || index.column() == Length)) {
        return int(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant FrameListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Direction:
        return tr("Direction");
    case Time:
        return tr("Time (s)");
    case Fin:
        return tr("FIN");
    case Opcode:
        return tr("Opcode");
    case Mask:
        return tr("Mask");
    case Length:
        return tr("Length");
    case Preview:
        return tr("Payload");
    }
    return {};
}

void FrameListModel::addWireEvent(const WireEvent &event)
{
    if (event.kind != WireEvent::Kind::Frame)
        return;
    if (m_firstTimeNs < 0)
        m_firstTimeNs = event.timeNs;
    if (int(m_frames.size()) >= maxFrames) {
        beginRemoveRows({}, 0, 0);
        m_frames.pop_front();
        endRemoveRows();
    }
    const int row = int(m_frames.size());
    beginInsertRows({}, row, row);
    m_frames.push_back(event);
    endInsertRows();
}

void FrameListModel::clear()
{
    beginResetModel();
    m_frames.clear();
    m_firstTimeNs = -1;
    endResetModel();
}

void FrameListModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1),
                           { Qt::DisplayRole });
}

} // namespace wslab
