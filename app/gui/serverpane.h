#pragma once

#include "serverhost.h"

#include <QWidget>

class QAction;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QSpinBox;
class QTableView;

namespace wslab {

class ProblemLine;

class ClientListModel;

// The embedded server, seen and driven from the window: address and routes, the push, the
// connected clients by name and device with what each last sent (Send to, Kick, Ping, from
// the buttons or the list's context menu), Broadcast, Ping all, Kick all, and the page at / in
// a browser.
class ServerPane : public QWidget
{
    Q_OBJECT

public:
    explicit ServerPane(ServerHost *host, QWidget *parent = nullptr);
    quint64 selectedClient() const; // 0 when none

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateWidgets();
    void updateOrigins();
    void updateTls();
    void useClassroomCertificate();
    void loadCertificate();
    void showNotice(const QString &text);
    void retranslate();
    // The class list's own commands: the count, the context menu, Kick all's confirmation.
    void updateStudentCount();
    void showClientMenu(const QPoint &pos);
    void askSendTo();
    void kickSelected();
    void confirmKickAll();

    ServerHost *m_host;
    QLabel *m_address;
    QLabel *m_routes;
    QLabel *m_intervalLabel;
    QDoubleSpinBox *m_interval;
    QPushButton *m_pausePush;
    ClientListModel *m_model;
    QTableView *m_clients;
    QLineEdit *m_message;
    QPushButton *m_sendTo;
    QPushButton *m_broadcast;
    QSpinBox *m_kickCode;
    QLineEdit *m_kickReason;
    QPushButton *m_kick;
    QPushButton *m_ping;
    QPushButton *m_pingAll;
    QPushButton *m_kickAll;
    QLabel *m_studentCount;
    QMenu *m_clientMenu; // the table's context menu: Send to…, Ping, Kick
    QAction *m_menuSendTo;
    QAction *m_menuPing;
    QAction *m_menuKick;
    QPushButton *m_openPage;
    ProblemLine *m_notice; // why the last command was refused, in words
    QLabel *m_origins;
    QLineEdit *m_newOrigin;
    QPushButton *m_allowOrigin;
    QLabel *m_tlsStatus;
    QPushButton *m_tlsButton; // a menu: classroom certificate, load, off
    QAction *m_tlsClassroom;
    QAction *m_tlsLoad;
    QAction *m_tlsOff;
    double m_lastInterval = 1;
};

} // namespace wslab
