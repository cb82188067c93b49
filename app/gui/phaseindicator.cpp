#include "phaseindicator.h"

#include <QEvent>
#include <QHBoxLayout>

namespace wslab {

namespace {
using State = ClientSession::State;
const State kSteps[]
    = { State::TcpConnecting, State::HttpHandshake, State::Open, State::Closing, State::Closed };
} // namespace

PhaseIndicator::PhaseIndicator(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("phaseIndicator"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    for (int i = 0; i < 5; ++i) {
        auto *step = new QLabel(this);
        step->setAlignment(Qt::AlignCenter);
        step->setMargin(3);
        m_steps.append(step);
        layout->addWidget(step);
    }
    retranslate();
    restyle();
}

void PhaseIndicator::setState(ClientSession::State state)
{
    m_state = state;
    restyle();
}

QString PhaseIndicator::currentText() const
{
    for (int i = 0; i < 5; ++i)
        if (kSteps[i] == m_state)
            return m_steps[i]->text();
    return {};
}

void PhaseIndicator::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void PhaseIndicator::retranslate()
{
    const QStringList texts { tr("TCP connecting"), tr("HTTP handshake"),
                              tr("open: frames over TCP"), tr("closing"), tr("closed") };
    const QStringList tips { tr("The client opens a TCP connection to the server."),
                             tr("Over that connection it sends one HTTP request (GET with Upgrade: "
                                "websocket); the server answers 101 Switching Protocols."),
                             tr("The same TCP connection now carries WebSocket frames, in both "
                                "directions, whenever either side wants."),
                             tr("One side sent a Close frame; the other answers with its own."),
                             tr("The TCP connection is gone.") };
    for (int i = 0; i < 5; ++i) {
        m_steps[i]->setText(texts[i]);
        m_steps[i]->setToolTip(tips[i]);
    }
}

void PhaseIndicator::restyle()
{
    // Colours match the event table: TCP blue-grey, HTTP amber, WebSocket green.
    static const char *lit[] = { "#9fb8dc", "#f5c86a", "#8fd18a", "#d9c48f", "#b9b9b9" };
    int current = -1;
    for (int i = 0; i < 5; ++i)
        if (kSteps[i] == m_state)
            current = i;
    for (int i = 0; i < 5; ++i) {
        const bool on = i == current;
        const bool done = current >= 0 && i < current && m_state != State::Closed;
        m_steps[i]->setStyleSheet(
            on ? QStringLiteral("background:%1; border-radius:4px; font-weight:bold;")
                     .arg(QLatin1StringView(lit[i]))
                : done ? QStringLiteral("color:#555; border-radius:4px; background:#eee;")
                       : QStringLiteral("color:#999; border-radius:4px;"));
    }
}

} // namespace wslab
