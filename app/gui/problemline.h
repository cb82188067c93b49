#pragma once

#include <QWidget>

class QLabel;

namespace wslab {

// A message under a control, and when it is about a problem, said so in words and with an icon,
// not by its colour alone: "⚠ Problem: <the message>". The colour (from the palette) only helps.
// `buddy`, when given, carries the problem as its accessible description, for screen readers.
class ProblemLine : public QWidget
{
    Q_OBJECT

public:
    // `textName`: the objectName of the label holding the message itself.
    ProblemLine(const QString &textName, QWidget *parent = nullptr);

    void setBuddy(QWidget *buddy) { m_buddy = buddy; }
    // An empty text hides the line.
    void showMessage(const QString &text, bool problem);
    QString text() const;
    bool isProblem() const { return m_problem; }
    QLabel *textLabel() const { return m_text; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void restyle();

    QLabel *m_icon;
    QLabel *m_word;
    QLabel *m_text;
    QWidget *m_buddy = nullptr;
    bool m_problem = false;
};

} // namespace wslab
