#pragma once

#include "clientsession.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;

namespace wslab {

class ConnectOptionsDialog;
class ProblemLine;

class PhaseIndicator;

// URL (with history), Connect / Disconnect / Abort, through-the-tap switch, the connection
// options (a dialog, and a summary of what is set), the reconnect countdown, and the phase.
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
    ConnectOptionsDialog *optionsDialog() const { return m_optionsDialog; }

public Q_SLOTS:
    // Opens the dialog on the session's options; OK gives them to the session.
    void editOptions();

    void connectToUrl();

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateWidgets();
    void retranslate();
    void rememberUrl(const QString &url);
    void updateOptionsSummary();
    void showCountdown(int secondsLeft);

    ClientSession *m_session;
    QLabel *m_urlLabel;
    QComboBox *m_url;
    QPushButton *m_connect;
    QPushButton *m_disconnect;
    QPushButton *m_abort;
    QCheckBox *m_viaTap;
    PhaseIndicator *m_phase;
    ProblemLine *m_message; // why it closed or failed: in words, not only in red
    QPushButton *m_options;
    QLabel *m_optionsSummary;
    QLabel *m_countdown;
    QPushButton *m_cancelReconnect;
    ConnectOptionsDialog *m_optionsDialog; // kept, so it opens as it was left
    int m_secondsLeft = 0;
};

} // namespace wslab
