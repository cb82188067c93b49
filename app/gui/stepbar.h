#pragma once

#include "text.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QPushButton;

namespace wslab {

class ClientSession;

// Step-through: the wire tap holds each chunk until Step; a caption says what just crossed
// and what comes next. Run lets everything flow again.
class StepBar : public QWidget
{
    Q_OBJECT

public:
    explicit StepBar(ClientSession *session, QWidget *parent = nullptr);
    QString caption() const;

Q_SIGNALS:
    void steppingChanged(bool stepping);

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateWidgets();
    void retranslate();
    void restyle();

    ClientSession *m_session;
    QCheckBox *m_enable;
    QPushButton *m_step;
    QPushButton *m_run;
    QLabel *m_held;
    QLabel *m_caption;
    Text m_captionText; // what just crossed, put in words again on a language switch
};

} // namespace wslab
