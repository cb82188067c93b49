#pragma once

#include <QAbstractButton>
#include <QKeySequence>
#include <QString>
#include <QWidget>

namespace wslab {

// The window's keyboard: its keys, in one place (README lists them). F5 and F10 as in a debugger:
// run the connection, step over the next chunk on the wire.
namespace keys {
inline QKeySequence connect()
{
    return QKeySequence(Qt::Key_F5);
}
inline QKeySequence disconnect()
{
    return QKeySequence(Qt::SHIFT | Qt::Key_F5);
}
inline QKeySequence send()
{
    return QKeySequence(Qt::CTRL | Qt::Key_Return);
}
inline QKeySequence step()
{
    return QKeySequence(Qt::Key_F10);
}
} // namespace keys

// Gives the button its key and says it in the tooltip: "Close the WebSocket … (Shift+F5)".
inline void setShortcutAndTip(QAbstractButton *button, const QKeySequence &key, const QString &tip)
{
    button->setShortcut(key);
    const QString shown = key.toString(QKeySequence::NativeText);
    button->setToolTip(tip.isEmpty() ? shown : tip + QStringLiteral(" (%1)").arg(shown));
}

// Puts the keyboard focus on the first control in `pane` that takes the Tab key (in the window's
// focus chain), or on the pane itself when it has none: where "go to this pane" should land.
inline void focusFirstControl(QWidget *pane)
{
    QWidget *target = pane;
    for (QWidget *w = pane->nextInFocusChain(); w != pane; w = w->nextInFocusChain()) {
        if (pane->isAncestorOf(w) && w->isVisibleTo(pane) && w->isEnabled()
            && (w->focusPolicy() & Qt::TabFocus)) {
            target = w;
            break;
        }
    }
    target->setFocus(Qt::ShortcutFocusReason);
}

} // namespace wslab
