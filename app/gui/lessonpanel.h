#pragma once

#include <QWidget>

class QPushButton;

namespace wslab {

// The lesson (chapter 6) as steps, each in English and Chinese, each with a "Do it" button
// that makes the window perform it. The window decides how (MainWindow wires doIt()).
class LessonPanel : public QWidget
{
    Q_OBJECT

public:
    enum class Step { Polling, Handshake, Send, Push, Kick, Abort, Browser, Exercises };
    Q_ENUM(Step)

    explicit LessonPanel(QWidget *parent = nullptr);
    static QString objectNameOf(Step step);
    // The terminal commands of the lesson's two exercises.
    static QString exerciseCommands();

Q_SIGNALS:
    void doIt(wslab::LessonPanel::Step step);

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void retranslate();
    QList<QPair<QPushButton *, const char *>> m_buttons;
    QWidget *m_content = nullptr;
};

} // namespace wslab
