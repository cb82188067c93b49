#include "findbar.h"

#include "problemline.h"

#include <QAction>
#include <QCheckBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QVBoxLayout>

namespace wslab {

FindBar::FindBar(const QString &name, QWidget *pane) : QWidget(pane)
{
    setObjectName(name);
    m_text = new QLineEdit(this);
    m_text->setObjectName(name + u"Text");
    m_text->setClearButtonEnabled(true);
    m_regex = new QCheckBox(this);
    m_regex->setObjectName(name + u"Regex");
    m_problem = new ProblemLine(name + u"ProblemText", this);
    m_problem->setObjectName(name + u"Problem");
    m_problem->setBuddy(m_text);
    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_text, 1);
    row->addWidget(m_regex);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(row);
    layout->addWidget(m_problem);
    // Ctrl+F anywhere in the pane, as in Events and Frames.
    auto *find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    find->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QAction::triggered, m_text,
            [this] { m_text->setFocus(Qt::ShortcutFocusReason); });
    pane->addAction(find);
    connect(m_text, &QLineEdit::textChanged, this, &FindBar::update);
    connect(m_regex, &QCheckBox::toggled, this, &FindBar::update);
    retranslate();
}

void FindBar::setText(const QString &text)
{
    m_text->setText(text);
}

void FindBar::setRegex(bool regex)
{
    m_regex->setChecked(regex);
}

void FindBar::update()
{
    m_matcher.set(m_text->text(), m_regex->isChecked());
    m_problem->showMessage(m_matcher.error(), true);
    Q_EMIT changed();
}

void FindBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void FindBar::retranslate()
{
    m_text->setPlaceholderText(tr("Find (Ctrl+F)"));
    m_text->setAccessibleName(tr("Find"));
    m_regex->setText(tr("Regex"));
    m_regex->setAccessibleName(tr("Find with a regular expression"));
}

} // namespace wslab
