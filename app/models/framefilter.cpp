#include "framefilter.h"

namespace wslab {

FrameFilter::FrameFilter(QObject *parent) : QSortFilterProxyModel(parent) { }

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

void FrameFilter::setText(const QString &text)
{
    m_text = text;
    updatePattern();
}

void FrameFilter::setRegex(bool regex)
{
    m_regex = regex;
    updatePattern();
}

// invalidate(), not invalidateFilter(): on a full log the latter removes the rows that no
// longer match range by range (a second and more for 100,000 rows); the former drops the
// mapping and tests every row once, which is what a new pattern needs anyway.
void FrameFilter::refilter()
{
    invalidate();
}

void FrameFilter::updatePattern()
{
    const QString before = m_matcher.error();
    m_matcher.set(m_text, m_regex);
    if (m_matcher.error() != before)
        Q_EMIT patternErrorChanged(m_matcher.error());
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
    if (m_matcher.isEmpty())
        return true;
    if (f.opcode == Frame::Close)
        return f.closeCode
            && m_matcher.matches(QString(QString::number(*f.closeCode) + u' ' + f.closeReason));
    if (m_matcher.matches(QString::fromUtf8(f.payload)))
        return true;
    return (f.messageOpcode != Frame::Text || f.isControl())
        && m_matcher.matches(QString::fromLatin1(f.payload.toHex(' ')));
}

} // namespace wslab
