#include "framelistmodel.h"

#include "palettecolours.h"
#include "textpreview.h"

#include <QBrush>
#include <QColor>

namespace wslab {

FrameListModel::FrameListModel(QObject *parent) : QAbstractTableModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(30);
    connect(&m_flushTimer, &QTimer::timeout, this, &FrameListModel::flush);
}

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
        return QBrush(band(applicationPalette(), out ? sentHue() : receivedHue()));
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
    m_pending.push_back(event);
    if (m_pending.size() > size_t(maxFrames)) { // never hold more than could be shown
        m_pending.pop_front();
        ++m_firstNumber;
    }
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void FrameListModel::flush()
{
    m_flushTimer.stop();
    if (m_pending.empty())
        return;
    // Drop the oldest rows first, so the view never holds more than maxFrames.
    const size_t total = m_frames.size() + m_pending.size();
    if (total > size_t(maxFrames)) {
        const int excess = int(qMin(total - size_t(maxFrames), m_frames.size()));
        if (excess > 0) {
            beginRemoveRows({}, 0, excess - 1);
            for (int i = 0; i < excess; ++i)
                m_keptPayloadBytes -= m_frames[size_t(i)].frame.payload.size();
            m_frames.erase(m_frames.begin(), m_frames.begin() + excess);
            m_shortened -= qMin(m_shortened, size_t(excess));
            m_firstNumber += excess;
            endRemoveRows();
        }
    }
    const int first = int(m_frames.size());
    beginInsertRows({}, first, first + int(m_pending.size()) - 1);
    for (WireEvent &event : m_pending) {
        m_keptPayloadBytes += event.frame.payload.size();
        m_frames.push_back(std::move(event));
    }
    m_pending.clear();
    endInsertRows();
    keepPayloadWithinBudget();
}

void FrameListModel::keepPayloadWithinBudget()
{
    while (m_keptPayloadBytes > maxKeptPayloadBytes && m_shortened < m_frames.size()) {
        Frame &frame = m_frames[m_shortened++].frame;
        if (frame.payload.size() <= shortPayloadBytes)
            continue;
        m_keptPayloadBytes -= frame.payload.size() - shortPayloadBytes;
        frame.payload.truncate(shortPayloadBytes);
        frame.payload.squeeze();
        frame.payloadTruncated = true;
    }
}

int FrameListModel::rowOfFrame(qint64 number)
{
    flush();
    const qint64 row = number - m_firstNumber;
    return row >= 0 && row < qint64(m_frames.size()) ? int(row) : -1;
}

void FrameListModel::clear()
{
    beginResetModel();
    m_frames.clear();
    m_pending.clear();
    m_flushTimer.stop();
    m_firstNumber = 0;
    m_keptPayloadBytes = 0;
    m_shortened = 0;
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
