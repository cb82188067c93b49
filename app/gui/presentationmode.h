#pragma once

#include <QByteArray>
#include <QFont>
#include <QList>
#include <QObject>
#include <QPalette>
#include <QPointer>
#include <QRect>

class QAction;
class QFocusFrame;
class QHeaderView;
class QMainWindow;
class QWidget;

namespace wslab {

// Presentation mode, for a projector in a classroom: every pane's text larger (the application
// font times fontFactor), a high-contrast palette (black on white, or white on black when the
// theme was dark), a thick focus ring. Turning it off gives back exactly what was there: the
// application font and palette of the theme the user had, each table's column widths and row
// heights, and the window's layout (saveState(), geometry: dock positions, sizes, which docks
// were shown). The mode is not saved across runs: a projector is a moment, not a preference.
class PresentationMode : public QObject
{
    Q_OBJECT

public:
    static constexpr qreal fontFactor = 1.6;

    explicit PresentationMode(QMainWindow *window);
    ~PresentationMode() override;

    bool isOn() const { return m_on; }
    // On, or just turned off with the layout not yet given back: the settings should keep
    // savedState() and savedGeometry(), not the window's own.
    bool holdsLayout() const { return m_on || m_restorePending; }
    // View → Presentation mode (Ctrl+Shift+P), checkable; its text follows the language.
    QAction *action() const { return m_action; }
    // The window's saveState() and saveGeometry() from before it was turned on.
    QByteArray savedState() const { return m_state; }
    QByteArray savedGeometry() const { return m_savedGeometry; }

public Q_SLOTS:
    void setOn(bool on);

Q_SIGNALS:
    void toggled(bool on);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void retranslate();
    void turnOn();
    void turnOff();
    void moveLeftDocksDown();
    void widenRightColumn();
    void restoreLayout(); // once off, the layouts updated
    void restoreApplication();
    static void setApplicationFont(const QFont &font);
    static void setApplicationPalette(const QPalette &palette);
    void followFocus(QWidget *now);

    QMainWindow *m_window;
    QAction *m_action;
    bool m_on = false;
    bool m_restorePending = false; // off, restoreLayout() to come
    int m_resizesLeft = 0; // off, and the window not yet back to its size: tries left
    // What turning it off gives back.
    QFont m_font;
    QPalette m_palette;
    QByteArray m_state, m_savedGeometry;
    QRect m_geometry;
    struct Header
    {
        QPointer<QHeaderView> header;
        int defaultSize; // the rows', for a vertical header
        QList<int> sections; // the columns', for a horizontal one
    };
    QList<Header> m_headers;
    QFocusFrame *m_focusFrame = nullptr;
};

} // namespace wslab
