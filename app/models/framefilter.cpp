#include "framefilter.h"

namespace wslab {

FrameFilter::FrameFilter(QObject *parent) : PatternFilter(parent) { }

void FrameFilter::setDirection(std::optional<Direction> direction)
{
    m_direction = direction;
    refilter();
}

void FrameFilter::setOpcode(std::optional<quint8> opcode)
{
    m_opcode = opcode;
    refilter();
}

bool FrameFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const auto *model = qobject_cast<const FrameListModel *>(sourceModel());
    if (!model || sourceParent.isValid())
        return true;
    const WireEvent &e = model->frameEvent(sourceRow);
    const Frame &f = e.frame;
    if (m_direction && e.direction != *m_direction)
        return false;
    if (m_opcode && f.opcode != *m_opcode)
        return false;
    if (matcher().isEmpty())
        return true;
    if (f.opcode == Frame::Close)
        return f.closeCode
            && matcher().matches(QString(QString::number(*f.closeCode) + u' ' + f.closeReason));
    if (matcher().matches(QString::fromUtf8(f.payload)))
        return true;
    return (f.messageOpcode != Frame::Text || f.isControl())
        && matcher().matches(QString::fromLatin1(f.payload.toHex(' ')));
}

} // namespace wslab
