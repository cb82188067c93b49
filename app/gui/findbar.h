#pragma once

#include "eventfilter.h" // TextMatcher

#include <QWidget>

class QCheckBox;
class QLineEdit;

namespace wslab {

class ProblemLine;

// "Find" over a pane that is not a table: a text box (Ctrl+F in the pane goes to it), a Regex
// switch and the pattern's error in words. The pane applies matcher() to what it shows when
// changed() says the pattern moved on; an empty pattern shows everything.
class FindBar : public QWidget
{
    Q_OBJECT

public:
    // `name` prefixes the children's object names ("conversationFind" → …Text, …Regex).
    FindBar(const QString &name, QWidget *pane);

    const TextMatcher &matcher() const { return m_matcher; }
    void setText(const QString &text);
    void setRegex(bool regex);

Q_SIGNALS:
    void changed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void update();
    void retranslate();

    QLineEdit *m_text;
    QCheckBox *m_regex;
    ProblemLine *m_problem;
    TextMatcher m_matcher;
};

} // namespace wslab
