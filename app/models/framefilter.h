#pragma once

#include "eventfilter.h"
#include "framelistmodel.h"

#include <QSortFilterProxyModel>

namespace wslab {

// The Frames pane's filter: by direction, by opcode, and by text or regular expression over
// the payload (a text frame's as text, any other's also as hex "00 ff", a Close frame's code
// and reason).
class FrameFilter : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit FrameFilter(QObject *parent = nullptr);

    void setDirection(std::optional<Direction> direction);
    void setOpcode(std::optional<quint8> opcode);
    void setText(const QString &text);
    void setRegex(bool regex);
    const TextMatcher &matcher() const { return m_matcher; }

Q_SIGNALS:
    void patternErrorChanged(const QString &error);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void updatePattern();
    void refilter();

    std::optional<Direction> m_direction;
    std::optional<quint8> m_opcode;
    QString m_text;
    bool m_regex = false;
    TextMatcher m_matcher;
};

} // namespace wslab
