#include "presentationmode.h"

#include "palettecolours.h"
#include "theme.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QEvent>
#include <QFocusFrame>
#include <QHeaderView>
#include <QMainWindow>
#include <QPainter>
#include <QTimer>
#include <QtMath>

namespace wslab {

namespace {
// The focused control ringed in the selection colour, outside its own (thin) focus mark: the
// room sees where the teacher is typing. Qt's QFocusFrame follows its widget and masks itself
// to the ring; only its paint is ours, so the style's own drawing is untouched.
class FocusRing : public QFocusFrame
{
public:
    explicit FocusRing(QWidget *parent) : QFocusFrame(parent)
    {
        setObjectName(QStringLiteral("presentationFocusRing"));
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        painter.fillRect(rect(), palette().color(QPalette::Active, QPalette::Highlight));
    }
};

// Each window, then its widgets parents first: a widget takes its font and palette from its
// parent, which has its new one by then.
void sendToEveryWidget(QEvent::Type type)
{
    QEvent event(type);
    for (QWidget *window : QApplication::topLevelWidgets()) {
        QCoreApplication::sendEvent(window, &event);
        for (QWidget *widget : window->findChildren<QWidget *>())
            if (!widget->isWindow())
                QCoreApplication::sendEvent(widget, &event);
    }
}

// A column whose width was given (by the pane or the user), not one the header works out.
bool resizable(const QHeaderView *header, int section)
{
    const auto mode = header->sectionResizeMode(section);
    return (mode == QHeaderView::Interactive || mode == QHeaderView::Fixed)
        && !(section == header->count() - 1 && header->stretchLastSection());
}

QFont scaled(const QFont &font, qreal factor)
{
    QFont larger = font;
    if (font.pointSizeF() > 0)
        larger.setPointSizeF(font.pointSizeF() * factor);
    else if (font.pixelSize() > 0)
        larger.setPixelSize(qRound(font.pixelSize() * factor));
    return larger;
}
} // namespace

PresentationMode::PresentationMode(QMainWindow *window) : QObject(window), m_window(window)
{
    setObjectName(QStringLiteral("presentationMode"));
    m_action = new QAction(this);
    m_action->setObjectName(QStringLiteral("presentationModeAction"));
    m_action->setCheckable(true);
    m_action->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    connect(m_action, &QAction::toggled, this, &PresentationMode::setOn);
    // A QObject gets no LanguageChange of its own: the window's tells it.
    m_window->installEventFilter(this);
    retranslate();
}

PresentationMode::~PresentationMode()
{
    // The window is going: give the application back its font and palette (a test, or the
    // next window, would inherit them), and tell none of its widgets, half destroyed.
    if (m_on) {
        QApplication::setPalette(m_palette);
        QApplication::setFont(m_font);
    }
}

void PresentationMode::setOn(bool on)
{
    if (on == m_on)
        return;
    m_on = on;
    if (on)
        turnOn();
    else
        turnOff();
    m_action->setChecked(on);
    Q_EMIT toggled(on);
}

void PresentationMode::turnOn()
{
    m_resizesLeft = 0;
    // Turned on again before the layout was back: it is still the one to give back.
    if (!m_restorePending) {
        m_state = m_window->saveState();
        m_geometry = m_window->geometry();
        m_savedGeometry = m_window->saveGeometry();
    }
    m_restorePending = false;
    m_font = QApplication::font();
    m_palette = QApplication::palette();

    // The tables' column widths and row heights were set from the font when they were made (and
    // perhaps by the user since): kept, then grown with the font.
    struct Before
    {
        QPointer<QHeaderView> header;
        QFontMetricsF metrics;
    };
    QList<Before> before;
    m_headers.clear();
    for (QHeaderView *header : m_window->findChildren<QHeaderView *>()) {
        auto *view = qobject_cast<QAbstractItemView *>(header->parentWidget());
        if (!view)
            continue;
        Header saved { header, header->defaultSectionSize(), {} };
        if (header->orientation() == Qt::Horizontal)
            for (int i = 0; i < header->count(); ++i)
                saved.sections.append(header->sectionSize(i));
        m_headers.append(saved);
        before.append({ header, QFontMetricsF(view->font()) });
    }

    // Down first, so that the window need not grow for three columns of larger text.
    moveLeftDocksDown();
    setApplicationFont(scaled(m_font, fontFactor));
    setApplicationPalette(highContrastPalette(isDark(m_palette)));

    for (const Before &was : std::as_const(before)) {
        QHeaderView *header = was.header;
        if (!header)
            continue;
        const QFontMetricsF now(header->parentWidget()->font());
        if (header->orientation() == Qt::Vertical) {
            // Rows one new line high, with the padding they had.
            header->setDefaultSectionSize(header->defaultSectionSize()
                                          + qCeil(now.height() - was.metrics.height()));
            continue;
        }
        const qreal wider = now.averageCharWidth() / was.metrics.averageCharWidth();
        for (int i = 0; i < header->count(); ++i)
            if (resizable(header, i))
                header->resizeSection(i, qCeil(header->sectionSize(i) * wider));
    }

    // A dock paints its title in the font it was made with while its font is the application's
    // (Qt 6.4, QDockWidget::paintEvent): one of its own, the same but for a style strategy that
    // changes no glyph, has its title drawn in it.
    for (QDockWidget *dock : m_window->findChildren<QDockWidget *>()) {
        QFont own = dock->font();
        own.setStyleStrategy(QFont::StyleStrategy(own.styleStrategy() | QFont::PreferQuality));
        dock->setFont(own);
    }
    widenRightColumn();

    m_focusFrame = new FocusRing(m_window);
    connect(qApp, &QApplication::focusChanged, m_focusFrame,
            [this](QWidget *, QWidget *now) { followFocus(now); });
    followFocus(QApplication::focusWidget());
}

void PresentationMode::turnOff()
{
    delete m_focusFrame;
    m_focusFrame = nullptr;
    for (QDockWidget *dock : m_window->findChildren<QDockWidget *>())
        dock->setFont(QFont()); // the application's again
    restoreApplication();
    for (const Header &saved : std::as_const(m_headers)) {
        if (!saved.header)
            continue;
        saved.header->setDefaultSectionSize(saved.defaultSize);
        for (int i = 0; i < saved.sections.size() && i < saved.header->count(); ++i)
            if (resizable(saved.header, i))
                saved.header->resizeSection(i, saved.sections.at(i));
    }
    m_headers.clear();
    // The docks as they were: where, which shown, now; their sizes and the window's once the
    // layouts have the smaller font's minimum sizes (they update later by themselves: a
    // minimum still the larger font's would hold the window wider than it was).
    m_window->restoreState(m_state);
    m_restorePending = true;
    QTimer::singleShot(0, this, &PresentationMode::restoreLayout);
}

void PresentationMode::restoreLayout()
{
    if (m_on || !m_restorePending)
        return;
    m_restorePending = false;
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    m_window->restoreState(m_state);
    if (m_window->windowState() & (Qt::WindowMaximized | Qt::WindowFullScreen))
        return;
    // By setGeometry: restoreGeometry() guesses at the frame and may move the window. The
    // window system resizes it when it gets to it, and a resize asked for while on may still
    // be on its way: the size, and the dock sizes for it, again as those arrive (eventFilter),
    // for a moment only, so as never to fight the user's own resizing.
    m_resizesLeft = 3;
    m_window->setGeometry(m_geometry);
    QTimer::singleShot(1000, this, [this] { m_resizesLeft = 0; });
}

void PresentationMode::moveLeftDocksDown()
{
    // Three columns of larger text are wider than a projector's screen: the left column's panes
    // (the server, the lesson, saved messages) join the bottom row's tabs, the one in front there
    // stays in front. restoreState() puts them back.
    QList<QDockWidget *> left, bottom;
    QDockWidget *front = nullptr;
    for (QDockWidget *dock : m_window->findChildren<QDockWidget *>()) {
        if (dock->isFloating())
            continue;
        const Qt::DockWidgetArea area = m_window->dockWidgetArea(dock);
        if (area == Qt::LeftDockWidgetArea)
            left.append(dock);
        else if (area == Qt::BottomDockWidgetArea) {
            bottom.append(dock);
            if (dock->isVisible() && !dock->visibleRegion().isEmpty() && !front)
                front = dock;
        }
    }
    if (left.isEmpty() || bottom.isEmpty())
        return;
    QDockWidget *anchor = front ? front : bottom.constFirst();
    for (QDockWidget *dock : std::as_const(left)) {
        const bool shown = dock->isVisible();
        m_window->tabifyDockWidget(anchor, dock);
        dock->setVisible(shown);
    }
    anchor->raise();
}

void PresentationMode::widenRightColumn()
{
    // The room reads the right column (the sequence, the handshake, the frames) more than the
    // composer: give it two fifths of the width.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    for (QDockWidget *dock : m_window->findChildren<QDockWidget *>())
        if (!dock->isFloating() && dock->isVisible()
            && m_window->dockWidgetArea(dock) == Qt::RightDockWidgetArea) {
            m_window->resizeDocks({ dock }, { m_window->width() * 2 / 5 }, Qt::Horizontal);
            break;
        }
}

void PresentationMode::restoreApplication()
{
    setApplicationPalette(m_palette);
    setApplicationFont(m_font);
}

void PresentationMode::setApplicationFont(const QFont &font)
{
    QApplication::setFont(font);
    // Qt 6.4 posts ApplicationFontChange, to the windows only: sent now, so that the panes have
    // their new font before the tables are measured with it, and to every widget, so that one
    // with a font of its own (the hex view's fixed pitch) can scale it too. The posted ones
    // change nothing more.
    sendToEveryWidget(QEvent::ApplicationFontChange);
}

void PresentationMode::setApplicationPalette(const QPalette &palette)
{
    QApplication::setPalette(palette);
    // As with the font (above): now, and to every widget.
    sendToEveryWidget(QEvent::ApplicationPaletteChange);
}

void PresentationMode::followFocus(QWidget *now)
{
    if (m_focusFrame)
        m_focusFrame->setWidget(now && m_window->isAncestorOf(now) ? now : nullptr);
}

bool PresentationMode::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window && event->type() == QEvent::LanguageChange)
        retranslate();
    if (watched == m_window && event->type() == QEvent::Resize && m_resizesLeft > 0 && !m_on) {
        // Back to its size: the docks' sizes for it. Another (the larger one asked for while on,
        // arriving late): ask again, a few times at most, should the window system insist.
        if (m_window->size() == m_geometry.size()) {
            m_resizesLeft = 0;
            m_window->restoreState(m_state);
        } else if (--m_resizesLeft > 0) {
            m_window->setGeometry(m_geometry);
        }
    }
    return QObject::eventFilter(watched, event);
}

void PresentationMode::retranslate()
{
    m_action->setText(tr("&Presentation mode"));
    m_action->setToolTip(
        tr("Larger text and high contrast, to be read from the back of a classroom (%1)")
            .arg(m_action->shortcut().toString(QKeySequence::NativeText)));
}

} // namespace wslab
