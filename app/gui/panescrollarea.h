#pragma once

#include <QScrollArea>

namespace wslab {

// A pane that scrolls down rather than squeeze: a dock shorter than the pane's minimum gets a
// vertical scroll bar, so that no row is crushed below its own height (Qt's layouts, short of
// room, shrink a word-wrapped label to nothing: the server pane's LAN notice vanished on a
// 1000-pixel screen). Across, the dock stays as wide as the pane needs, as before.
class PaneScrollArea : public QScrollArea
{
    Q_OBJECT

public:
    explicit PaneScrollArea(QWidget *pane, QWidget *parent = nullptr);

    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    int scrollBarWidth() const;
};

} // namespace wslab
