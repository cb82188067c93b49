#pragma once

#include "eventlog.h"

#include <QSortFilterProxyModel>

namespace wslab {

// The Events pane's filter: by side, by phase, and by text in the detail.
class EventFilter : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit EventFilter(QObject *parent = nullptr);

    void setSide(std::optional<Event::Side> side);
    void setPhase(std::optional<Phase> phase);
    void setText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    std::optional<Event::Side> m_side;
    std::optional<Phase> m_phase;
    QString m_text;
};

} // namespace wslab
