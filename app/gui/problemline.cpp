#include "problemline.h"

#include "theme.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>

namespace wslab {

ProblemLine::ProblemLine(const QString &textName, QWidget *parent) : QWidget(parent)
{
    setObjectName(textName + QStringLiteral("Line"));
    m_icon = new QLabel(this);
    m_icon->setObjectName(textName + QStringLiteral("Icon"));
    m_word = new QLabel(this);
    m_word->setObjectName(textName + QStringLiteral("Word"));
    QFont bold = m_word->font();
    bold.setBold(true);
    m_word->setFont(bold);
    m_text = new QLabel(this);
    m_text->setObjectName(textName);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_word, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    retranslate();
    showMessage({}, false);
}

void ProblemLine::showMessage(const QString &text, bool problem)
{
    m_problem = problem && !text.isEmpty();
    m_text->setText(text);
    m_icon->setVisible(m_problem);
    m_word->setVisible(m_problem);
    m_text->setVisible(!text.isEmpty());
    setVisible(!text.isEmpty());
    restyle();
    const QString description = m_problem ? m_word->text() + u' ' + text : text;
    m_text->setAccessibleDescription(description);
    if (m_buddy)
        m_buddy->setAccessibleDescription(m_problem ? description : QString());
}

QString ProblemLine::text() const
{
    return m_text->text();
}

void ProblemLine::restyle()
{
    const int size = fontMetrics().height();
    m_icon->setPixmap(style()
                          ->standardIcon(QStyle::SP_MessageBoxWarning, nullptr, this)
                          .pixmap(QSize(size, size), devicePixelRatioF()));
    setTone(m_word, m_problem ? Tone::Problem : Tone::Normal);
    setTone(m_text, m_problem ? Tone::Problem : Tone::Normal);
}

void ProblemLine::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        restyle();
    QWidget::changeEvent(event);
}

void ProblemLine::retranslate()
{
    m_word->setText(tr("Problem:"));
    m_icon->setAccessibleName(tr("Problem"));
    if (m_problem)
        showMessage(m_text->text(), true);
}

} // namespace wslab
