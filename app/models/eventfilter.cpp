#include "eventfilter.h"

namespace wslab {

EventFilter::EventFilter(QObject *parent) : QSortFilterProxyModel(parent) { }

void EventFilter::setSide(std::optional<Event::Side> side)
{
    m_side = side;
    invalidateFilter();
}

void EventFilter::setPhase(std::optional<Phase> phase)
{
    m_phase = phase;
    invalidateFilter();
}

void EventFilter::setText(const QString &text)
{
    m_text = text;
    invalidateFilter();
}

bool EventFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, EventLog::Detail, sourceParent);
    if (m_side && index.data(EventLog::SideRole).toInt() != int(*m_side))
        return false;
    if (m_phase && index.data(EventLog::PhaseRole).toInt() != int(*m_phase))
        return false;
    if (!m_text.isEmpty()) {
        const QString detail = index.data().toString();
        const QString kind
            = sourceModel()->index(sourceRow, EventLog::Kind, sourceParent).data().toString();
        if (!detail.contains(m_text, Qt::CaseInsensitive)
            && !kind.contains(m_text, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

} // namespace wslab
