#include "panescrollarea.h"

#include <QEvent>
#include <QScrollBar>

namespace wslab {

PaneScrollArea::PaneScrollArea(QWidget *pane, QWidget *parent) : QScrollArea(parent)
{
    setObjectName(pane->objectName() + QStringLiteral("Scroll"));
    setFrameShape(QFrame::NoFrame);
    setWidgetResizable(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setWidget(pane);
    // The pane's minimum width changes with its text (a language, presentation mode's font):
    // the dock follows it.
    pane->installEventFilter(this);
}

int PaneScrollArea::scrollBarWidth() const
{
    return verticalScrollBar()->sizeHint().width();
}

QSize PaneScrollArea::minimumSizeHint() const
{
    // As wide as the pane's minimum (and its scroll bar), as short as a few lines of it.
    const QSize pane = widget() ? widget()->minimumSizeHint() : QSize();
    return { pane.width() + scrollBarWidth() + 2 * frameWidth(),
             qMin(pane.height(), 6 * fontMetrics().height()) };
}

QSize PaneScrollArea::sizeHint() const
{
    const QSize pane = widget() ? widget()->sizeHint() : QSize();
    return { pane.width() + scrollBarWidth() + 2 * frameWidth(), pane.height() };
}

bool PaneScrollArea::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == widget() && event->type() == QEvent::LayoutRequest)
        updateGeometry();
    return QScrollArea::eventFilter(watched, event);
}

} // namespace wslab
