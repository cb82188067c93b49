#pragma once

#include "clientsession.h"

#include <QIcon>
#include <QWidget>

namespace wslab {

class Connection;
class ConnectionBar;
class ConversationView;
class StepBar;

// One connection's tab: its URL and buttons, its step-through bar and its conversation. The
// docks around show the current tab's events, handshake, frames and sequence.
class ConnectionTab : public QWidget
{
    Q_OBJECT

public:
    ConnectionTab(Connection *connection, const QString &urlText, QWidget *parent = nullptr);

    Connection *connection() const { return m_connection; }
    ConnectionBar *bar() const { return m_bar; }
    StepBar *stepBar() const { return m_stepBar; }
    ConversationView *conversation() const { return m_conversation; }

    // "/chat?name=ann — 127.0.0.1:8888": where the tab connects, what tells tabs apart first.
    QString title() const;
    // The phase as a mark (a ring before and after, half filled while opening or closing,
    // filled while open) in the phase's colour; toolTip() says it in words.
    QIcon phaseIcon() const;
    QString toolTipText() const;

Q_SIGNALS:
    // The title, the mark or the tooltip changed: the tab bar should read them again.
    void labelChanged();

private:
    Connection *m_connection;
    ConnectionBar *m_bar;
    StepBar *m_stepBar;
    ConversationView *m_conversation;
};

} // namespace wslab
