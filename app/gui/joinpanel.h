#pragma once

#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QMessageBox;
class QPushButton;

namespace wslab {

class JoinLink;
class ProblemLine;
class QrCodeWidget;
class ServerHost;

// The server pane's classroom part: the LAN switch and, while the server is on the LAN, a notice
// that says so, the join URL (to copy), the choice of address when the machine has several, and
// the QR code students scan.
class JoinPanel : public QWidget
{
    Q_OBJECT

public:
    explicit JoinPanel(ServerHost *host, QWidget *parent = nullptr);

    // Asks (window-modal, returns at once) whether to open the server to the LAN, warning what
    // that means; on yes, does it and calls `done` with the problem, empty when it worked.
    // Cancelled, nothing changes and `done` is not called.
    static QMessageBox *askToOpenLan(ServerHost *host, QWidget *parent,
                                     std::function<void(const QString &problem)> done);

    // The wrapped notice would make the pane lay the panel out by height-for-width, which Qt 6.4
    // gets wrong for a row holding a fixed-size item (the QR code came out clipped): the
    // panel's minimum size is enough.
    bool hasHeightForWidth() const override { return false; }

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void updateWidgets();
    void retranslate();
    void switchToggled(bool on);

    ServerHost *m_host;
    JoinLink *m_link;
    QPushButton *m_switch;
    QLabel *m_notice;
    QLabel *m_choiceLabel;
    QComboBox *m_choice;
    QLineEdit *m_url;
    QPushButton *m_copy;
    QPushButton *m_showCode;
    QrCodeWidget *m_code;
    ProblemLine *m_problem;
};

} // namespace wslab
