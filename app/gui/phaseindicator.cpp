#include "phaseindicator.h"

#include "palettecolours.h"
#include "phasecolour.h"

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
        step->setObjectName(QStringLiteral("phaseStep%1").arg(i));
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
    // Each step's font is its own (bold when lit): made again from the new one (presentation
    // mode's larger font).
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        restyle();
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
    setAccessibleName(tr("Connection phase"));
    setAccessibleDescription(currentText());
}

void PhaseIndicator::restyle()
{
    // The lit step in its phase's colour (as in the event table: TCP blue-grey, HTTP amber,
    // WebSocket green), standing out from the window; the steps passed shaded, those to come dim.
    // Every one readable on its ground, in a light palette and in a dark one.
    const QColor hues[] = { phaseHue(Phase::Tcp), phaseHue(Phase::Http), phaseHue(Phase::WebSocket),
                            QColor(0xb0, 0x8a, 0x3a), QColor(0x8a, 0x8a, 0x8a) };
    const QPalette ground = palette();
    const QColor window = ground.color(QPalette::Window);
    const QColor text = ground.color(QPalette::WindowText);
    const QColor passed = mix(window, text, 0.12);
    int current = -1;
    for (int i = 0; i < 5; ++i)
        if (kSteps[i] == m_state)
            current = i;
    for (int i = 0; i < 5; ++i) {
        const bool on = i == current;
        const bool done = current >= 0 && i < current && m_state != State::Closed;
        QPalette p = ground;
        if (on) {
            const Swatch lit = accentSwatch(ground, hues[i]);
            p.setColor(QPalette::Window, lit.background);
            p.setColor(QPalette::WindowText, lit.text);
        } else if (done) {
            p.setColor(QPalette::Window, passed);
            p.setColor(QPalette::WindowText,
                       withContrast(mix(text, passed, 0.2), { passed }, contrast::text));
        } else {
            p.setColor(QPalette::WindowText,
                       withContrast(mix(text, window, 0.45), { window }, contrast::text));
        }
        m_steps[i]->setPalette(p);
        m_steps[i]->setAutoFillBackground(on || done);
        QFont font = this->font();
        font.setBold(on);
        m_steps[i]->setFont(font);
    }
    setAccessibleDescription(currentText());
}

} // namespace wslab
