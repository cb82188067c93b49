#pragma once

#include "eventfilter.h"
#include "framelistmodel.h"

#include <QSortFilterProxyModel>

namespace wslab {

// The Frames pane's filter: by direction, by opcode, and by text or regular expression over
// the payload (a text frame's as text, any other's also as hex "00 ff", a Close frame's code
// and reason).
class FrameFilter : public PatternFilter
{
    Q_OBJECT

public:
    explicit FrameFilter(QObject *parent = nullptr);

    void setDirection(std::optional<Direction> direction);
    void setOpcode(std::optional<quint8> opcode);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    std::optional<Direction> m_direction;
    std::optional<quint8> m_opcode;
};

} // namespace wslab
