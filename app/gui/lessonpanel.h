#pragma once

#include "lessoncontroller.h"

#include <QWidget>

class QLabel;
class QPushButton;

namespace wslab {

// The lesson (chapter 6) as steps, each in English and Chinese, each with a "Do it" button
// that asks for it to be performed (MainWindow hands doIt() to a LessonController).
class LessonPanel : public QWidget
{
    Q_OBJECT

public:
    using Step = LessonController::Step;

    explicit LessonPanel(QWidget *parent = nullptr);
    static QString objectNameOf(Step step);

Q_SIGNALS:
    void doIt(wslab::LessonController::Step step);

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void retranslate();
    void updateColours();
    QList<QLabel *> m_secondary; // the lines in the second language
    QList<QPair<QPushButton *, const char *>> m_buttons;
    QWidget *m_content = nullptr;
};

} // namespace wslab
