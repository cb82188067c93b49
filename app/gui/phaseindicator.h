#pragma once

#include "clientsession.h"

#include <QLabel>
#include <QWidget>

namespace wslab {

// TCP connecting → HTTP handshake → open (frames over TCP) → closing → closed, lit in turn:
// the lesson's "a WebSocket starts as HTTP, then becomes frames over the same TCP connection".
class PhaseIndicator : public QWidget
{
    Q_OBJECT

public:
    explicit PhaseIndicator(QWidget *parent = nullptr);
    void setState(ClientSession::State state);
    ClientSession::State state() const { return m_state; }
    QString currentText() const; // the lit step, for tests and accessibility

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void restyle();

    ClientSession::State m_state = ClientSession::State::Idle;
    QList<QLabel *> m_steps;
};

} // namespace wslab
