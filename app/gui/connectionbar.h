#pragma once

#include "clientsession.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;

namespace wslab {

class ProblemLine;

class PhaseIndicator;

// URL (with history), Connect / Disconnect / Abort, through-the-tap switch, and the phase.
class ConnectionBar : public QWidget
{
    Q_OBJECT

public:
    explicit ConnectionBar(ClientSession *session, QWidget *parent = nullptr);

    QString urlText() const;
    void setUrlText(const QString &url);
    QStringList history() const;
    void setHistory(const QStringList &urls);
    // A message under the bar: errors in red, others plain. Empty hides it.
    void showMessage(const QString &text, bool error);

public Q_SLOTS:
    void connectToUrl();

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateWidgets();
    void retranslate();
    void rememberUrl(const QString &url);

    ClientSession *m_session;
    QLabel *m_urlLabel;
    QComboBox *m_url;
    QPushButton *m_connect;
    QPushButton *m_disconnect;
    QPushButton *m_abort;
    QCheckBox *m_viaTap;
    PhaseIndicator *m_phase;
    ProblemLine *m_message; // why it closed or failed: in words, not only in red
};

} // namespace wslab
