#include "stepbar.h"

#include "keyboard.h"

#include "palettecolours.h"

#include "clientsession.h"
#include "sequencemodel.h"

#include <QCheckBox>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>

namespace wslab {

StepBar::StepBar(ClientSession *session, QWidget *parent) : QWidget(parent), m_session(session)
{
    setObjectName(QStringLiteral("stepBar"));
    m_enable = new QCheckBox(this);
    m_enable->setObjectName(QStringLiteral("stepCheck"));
    m_step = new QPushButton(this);
    m_step->setObjectName(QStringLiteral("stepButton"));
    m_run = new QPushButton(this);
    m_run->setObjectName(QStringLiteral("runButton"));
    m_held = new QLabel(this);
    m_held->setObjectName(QStringLiteral("heldLabel"));
    m_caption = new QLabel(this);
    m_caption->setObjectName(QStringLiteral("stepCaption"));
    m_caption->setWordWrap(true);
    m_caption->setMargin(4);
    m_caption->setAutoFillBackground(true);
    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(6, 0, 6, 2);
    layout->addWidget(m_enable, 0, 0);
    layout->addWidget(m_step, 0, 1);
    layout->addWidget(m_run, 0, 2);
    layout->addWidget(m_held, 0, 3);
    layout->setColumnStretch(3, 1);
    layout->addWidget(m_caption, 1, 0, 1, 4);

    restyle();
    connect(m_enable, &QCheckBox::toggled, this, [this](bool on) {
        m_session->setStepping(on);
        Q_EMIT steppingChanged(on);
        updateWidgets();
    });
    connect(m_step, &QPushButton::clicked, m_session, &ClientSession::step);
    connect(m_run, &QPushButton::clicked, this, [this] { m_enable->setChecked(false); });
    connect(session, &ClientSession::heldChanged, this, &StepBar::updateWidgets);
    connect(session, &ClientSession::wireEvent, this, [this](const WireEvent &event) {
        if (!m_session->isStepping())
            return;
        if (Text caption = stepCaption(event); !caption.isEmpty()) {
            m_captionText = std::move(caption);
            m_caption->setText(m_captionText.toString());
        }
    });
    connect(session, &ClientSession::stateChanged, this, &StepBar::updateWidgets);
    retranslate();
    updateWidgets();
}

QString StepBar::caption() const
{
    return m_caption->text();
}

void StepBar::updateWidgets()
{
    const bool stepping = m_session->isStepping();
    const int held = m_session->heldCount();
    m_step->setEnabled(stepping && held > 0);
    m_run->setEnabled(stepping);
    m_held->setText(stepping ? tr("%n chunk(s) waiting on the wire", nullptr, held) : QString());
    m_caption->setVisible(stepping && !m_caption->text().isEmpty());
    m_enable->setEnabled(!m_session->isActive() || stepping);
}

void StepBar::restyle()
{
    // A note to read, on a light amber wash of the palette's Base: readable light or dark.
    QPalette p = palette();
    p.setColor(QPalette::Window, band(p, markHue()));
    p.setColor(QPalette::WindowText, p.color(QPalette::Text));
    m_caption->setPalette(p);
}

void StepBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    if (event->type() == QEvent::PaletteChange)
        restyle();
    QWidget::changeEvent(event);
}

void StepBar::retranslate()
{
    m_enable->setText(tr("Step through"));
    m_enable->setToolTip(tr("Hold every chunk on the wire until you press Step: watch the "
                            "handshake and each frame cross one at a time."));
    m_step->setText(tr("Step"));
    setShortcutAndTip(m_step, keys::step(), tr("Let the next chunk on the wire cross."));
    m_run->setText(tr("Run"));
    m_caption->setAccessibleName(tr("What just crossed the wire"));
    if (!m_captionText.isEmpty())
        m_caption->setText(m_captionText.toString());
    updateWidgets();
}

} // namespace wslab
