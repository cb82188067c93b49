#include "serverpane.h"

#include "classroomcertificate.h"
#include "clientlistmodel.h"
#include "joinpanel.h"
#include "problemline.h"

#include <QDesktopServices>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace wslab {

ServerPane::ServerPane(ServerHost *host, QWidget *parent) : QWidget(parent), m_host(host)
{
    setObjectName(QStringLiteral("serverPane"));
    m_address = new QLabel(this);
    m_address->setObjectName(QStringLiteral("serverAddress"));
    m_address->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_routes = new QLabel(this);
    m_routes->setWordWrap(true);
    m_intervalLabel = new QLabel(this);
    m_interval = new QDoubleSpinBox(this);
    m_interval->setObjectName(QStringLiteral("pushInterval"));
    m_interval->setRange(0, 3600);
    m_interval->setDecimals(1);
    m_interval->setSingleStep(0.5);
    m_interval->setValue(host->pushInterval());
    m_lastInterval = host->pushInterval() > 0 ? host->pushInterval() : 1;
    m_intervalLabel->setBuddy(m_interval);
    m_pausePush = new QPushButton(this);
    m_pausePush->setObjectName(QStringLiteral("pausePushButton"));
    m_pausePush->setCheckable(true);
    m_model = new ClientListModel(host, this);
    m_clients = new QTableView(this);
    m_clients->setObjectName(QStringLiteral("clientsTable"));
    m_clients->setModel(m_model);
    m_clients->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_clients->setSelectionMode(QAbstractItemView::SingleSelection);
    m_clients->verticalHeader()->hide();
    // Rows all have one height; with thousands of clients the view must not measure each.
    m_clients->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_clients->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    // Widths from the font, not from the rows: measuring thousands of rows would freeze the pane.
    const auto width = [this](const QString &sample) {
        return fontMetrics().horizontalAdvance(sample) + 16;
    };
    m_clients->setColumnWidth(ClientListModel::Client, width(QStringLiteral("#00000")));
    m_clients->setColumnWidth(ClientListModel::Peer, width(QStringLiteral("127.000.000.1:00000")));
    m_clients->setColumnWidth(ClientListModel::Path, width(QStringLiteral("/news")));
    m_clients->setColumnWidth(ClientListModel::Since, width(QStringLiteral("00:00:00")));
    m_clients->setColumnWidth(ClientListModel::In, width(QStringLiteral("0000000")));
    m_clients->setColumnWidth(ClientListModel::Out, width(QStringLiteral("0000000")));
    m_clients->setColumnWidth(ClientListModel::Name, width(QStringLiteral("student-00000")));
    m_clients->setColumnWidth(ClientListModel::Device, width(QStringLiteral("HarmonyOS · Huawei")));
    m_clients->setColumnWidth(ClientListModel::LastMessage,
                              width(QStringLiteral("hello from the back row, hi!")));
    m_clients->setColumnWidth(ClientListModel::Ping, width(QStringLiteral("Ping (ms)")));
    m_clients->horizontalHeader()->setStretchLastSection(true);
    m_clients->setContextMenuPolicy(Qt::CustomContextMenu);
    m_clientMenu = new QMenu(m_clients);
    m_clientMenu->setObjectName(QStringLiteral("clientMenu"));
    m_menuSendTo = m_clientMenu->addAction(QString(), this, &ServerPane::askSendTo);
    m_menuSendTo->setObjectName(QStringLiteral("sendToAction"));
    m_menuPing = m_clientMenu->addAction(QString(), this, [this] {
        if (const quint64 id = selectedClient())
            m_host->ping(id);
    });
    m_menuPing->setObjectName(QStringLiteral("pingAction"));
    m_menuKick = m_clientMenu->addAction(QString(), this, &ServerPane::kickSelected);
    m_menuKick->setObjectName(QStringLiteral("kickAction"));
    m_studentCount = new QLabel(this);
    m_studentCount->setObjectName(QStringLiteral("studentCount"));
    m_message = new QLineEdit(this);
    m_message->setObjectName(QStringLiteral("serverMessage"));
    m_sendTo = new QPushButton(this);
    m_sendTo->setObjectName(QStringLiteral("sendToButton"));
    m_broadcast = new QPushButton(this);
    m_broadcast->setObjectName(QStringLiteral("broadcastButton"));
    m_kickCode = new QSpinBox(this);
    m_kickCode->setObjectName(QStringLiteral("kickCode"));
    m_kickCode->setRange(1000, 4999);
    m_kickCode->setValue(4000);
    m_kickReason = new QLineEdit(this);
    m_kickReason->setObjectName(QStringLiteral("kickReason"));
    m_kick = new QPushButton(this);
    m_kick->setObjectName(QStringLiteral("kickButton"));
    m_ping = new QPushButton(this);
    m_ping->setObjectName(QStringLiteral("pingButton"));
    m_pingAll = new QPushButton(this);
    m_pingAll->setObjectName(QStringLiteral("pingAllButton"));
    m_kickAll = new QPushButton(this);
    m_kickAll->setObjectName(QStringLiteral("kickAllButton"));
    m_openPage = new QPushButton(this);
    m_openPage->setObjectName(QStringLiteral("openPageButton"));
    m_notice = new ProblemLine(QStringLiteral("serverNotice"), this);
    m_origins = new QLabel(this);
    m_origins->setObjectName(QStringLiteral("allowedOrigins"));
    m_origins->setWordWrap(true);
    m_origins->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_newOrigin = new QLineEdit(this);
    m_newOrigin->setObjectName(QStringLiteral("newOrigin"));
    m_allowOrigin = new QPushButton(this);
    m_allowOrigin->setObjectName(QStringLiteral("allowOriginButton"));
    m_tlsStatus = new QLabel(this);
    m_tlsStatus->setObjectName(QStringLiteral("tlsStatus"));
    m_tlsStatus->setWordWrap(true);
    m_tlsStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tlsButton = new QPushButton(this);
    m_tlsButton->setObjectName(QStringLiteral("tlsButton"));
    auto *tlsMenu = new QMenu(m_tlsButton);
    m_tlsClassroom = tlsMenu->addAction(QString(), this, &ServerPane::useClassroomCertificate);
    m_tlsClassroom->setObjectName(QStringLiteral("tlsClassroomAction"));
    m_tlsLoad = tlsMenu->addAction(QString(), this, &ServerPane::loadCertificate);
    m_tlsLoad->setObjectName(QStringLiteral("tlsLoadAction"));
    m_tlsOff = tlsMenu->addAction(QString(), this, [this] {
        showNotice(m_host->setTls(std::nullopt) ? QString() : m_host->errorString());
    });
    m_tlsOff->setObjectName(QStringLiteral("tlsOffAction"));
    m_tlsButton->setMenu(tlsMenu);

    auto *grid = new QGridLayout;
    grid->addWidget(m_intervalLabel, 0, 0);
    grid->addWidget(m_interval, 0, 1);
    grid->addWidget(m_pausePush, 0, 2);
    grid->addWidget(m_message, 1, 0, 1, 2);
    grid->addWidget(m_sendTo, 1, 2);
    grid->addWidget(m_broadcast, 1, 3);
    grid->addWidget(m_kickCode, 2, 0);
    grid->addWidget(m_kickReason, 2, 1);
    grid->addWidget(m_kick, 2, 2);
    grid->addWidget(m_ping, 2, 3);
    // The class as a whole: how many, and the commands for all of them.
    grid->addWidget(m_studentCount, 3, 0, 1, 2);
    grid->addWidget(m_pingAll, 3, 2);
    grid->addWidget(m_kickAll, 3, 3);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_address);
    layout->addWidget(new JoinPanel(host, this)); // the LAN switch and the join code
    layout->addWidget(m_routes);
    layout->addLayout(grid);
    layout->addWidget(m_notice);
    layout->addWidget(m_clients, 1);
    layout->addWidget(m_origins);
    auto *originRow = new QHBoxLayout;
    originRow->addWidget(m_newOrigin, 1);
    originRow->addWidget(m_allowOrigin);
    layout->addLayout(originRow);
    auto *tlsRow = new QHBoxLayout;
    tlsRow->addWidget(m_tlsStatus, 1);
    tlsRow->addWidget(m_tlsButton);
    layout->addLayout(tlsRow);
    layout->addWidget(m_openPage);

    connect(m_interval, &QDoubleSpinBox::valueChanged, this, [this](double seconds) {
        if (seconds > 0)
            m_lastInterval = seconds;
        m_host->setPushInterval(seconds);
        m_pausePush->setChecked(seconds == 0);
    });
    connect(m_pausePush, &QPushButton::toggled, this, [this](bool paused) {
        m_interval->setValue(
            paused ? 0 : (m_interval->value() > 0 ? m_interval->value() : m_lastInterval));
    });
    connect(host, &ServerHost::pushIntervalChanged, this, [this](double seconds) {
        const QSignalBlocker blocker(m_interval);
        m_interval->setValue(seconds);
    });
    connect(m_clients->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ServerPane::updateWidgets);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ServerPane::updateWidgets);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &ServerPane::updateWidgets);
    connect(m_sendTo, &QPushButton::clicked, this, [this] {
        if (const quint64 id = selectedClient())
            m_host->sendTo(id, m_message->text());
    });
    connect(m_broadcast, &QPushButton::clicked, this,
            [this] { m_host->broadcast(m_message->text()); });
    connect(m_kick, &QPushButton::clicked, this, &ServerPane::kickSelected);
    connect(m_pingAll, &QPushButton::clicked, m_host, &ServerHost::pingAll);
    connect(m_kickAll, &QPushButton::clicked, this, &ServerPane::confirmKickAll);
    connect(m_clients, &QWidget::customContextMenuRequested, this, &ServerPane::showClientMenu);
    const auto allowOrigin = [this] {
        QString error;
        if (m_host->allowOrigin(m_newOrigin->text(), &error))
            m_newOrigin->clear();
        showNotice(error);
    };
    connect(m_allowOrigin, &QPushButton::clicked, this, allowOrigin);
    connect(m_newOrigin, &QLineEdit::returnPressed, this, allowOrigin);
    connect(host, &ServerHost::originsChanged, this, &ServerPane::updateOrigins);
    connect(host, &ServerHost::tlsChanged, this, &ServerPane::retranslate);
    connect(host, &ServerHost::addressChanged, this, &ServerPane::retranslate);
    connect(m_ping, &QPushButton::clicked, this, [this] {
        if (const quint64 id = selectedClient())
            m_host->ping(id);
    });
    connect(m_openPage, &QPushButton::clicked, this,
            [this] { QDesktopServices::openUrl(m_host->httpUrl()); });
    retranslate();
    updateWidgets();
}

quint64 ServerPane::selectedClient() const
{
    const auto rows = m_clients->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : m_model->idAt(rows.first().row());
}

void ServerPane::updateWidgets()
{
    const bool chosen = selectedClient() != 0;
    m_sendTo->setEnabled(chosen);
    m_kick->setEnabled(chosen);
    m_ping->setEnabled(chosen);
    m_broadcast->setEnabled(m_model->rowCount() > 0);
    m_pingAll->setEnabled(m_model->rowCount() > 0);
    m_kickAll->setEnabled(m_model->rowCount() > 0);
    m_menuSendTo->setEnabled(chosen);
    m_menuPing->setEnabled(chosen);
    m_menuKick->setEnabled(chosen);
    updateStudentCount();
}

void ServerPane::updateStudentCount()
{
    const int students = m_model->studentCount();
    const int connections = m_model->rowCount();
    // Spelled out rather than %n: English runs without a translator, which alone makes plurals.
    if (connections == 0) {
        m_studentCount->setText(tr("No students connected yet"));
        return;
    }
    const QString chatting = students == 0 ? tr("nobody in the chat yet")
        : students == 1                    ? tr("1 student in the chat")
                                           : tr("%1 students in the chat").arg(students);
    const QString open
        = connections == 1 ? tr("1 connection") : tr("%1 connections").arg(connections);
    m_studentCount->setText(
        tr("%1 · %2", "students in the chat · connections").arg(chatting, open));
}

void ServerPane::showClientMenu(const QPoint &pos)
{
    const QModelIndex index = m_clients->indexAt(pos);
    if (!index.isValid())
        return;
    m_clients->selectRow(index.row());
    m_clientMenu->popup(m_clients->viewport()->mapToGlobal(pos));
}

void ServerPane::askSendTo()
{
    const quint64 id = selectedClient();
    const ClientInfo *client = m_model->clientAt(m_model->rowOf(id));
    if (!client)
        return;
    // Not modal: the class goes on arriving (and the list updating) while the teacher types.
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("sendToDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Send to %1").arg(client->name));
    dialog->setLabelText(
        tr("Message to %1 (#%2, %3):").arg(client->name).arg(id).arg(routePath(client->route)));
    // The name is the student's to choose: shown as written, never as HTML.
    if (auto *label = dialog->findChild<QLabel *>())
        label->setTextFormat(Qt::PlainText);
    dialog->setTextValue(m_message->text());
    dialog->setOkButtonText(tr("Send"));
    connect(dialog, &QInputDialog::textValueSelected, this,
            [this, id](const QString &text) { m_host->sendTo(id, text); });
    dialog->open();
}

void ServerPane::kickSelected()
{
    if (const quint64 id = selectedClient())
        showNotice(m_host->kick(id, quint16(m_kickCode->value()), m_kickReason->text()));
}

void ServerPane::confirmKickAll()
{
    const quint16 code = quint16(m_kickCode->value());
    if (const QString problem = EmbeddedServer::closeCodeProblem(code); !problem.isEmpty()) {
        showNotice(problem); // said before asking: there is nothing to confirm
        return;
    }
    auto *box = new QMessageBox(
        QMessageBox::Warning, tr("Kick all"),
        m_model->rowCount() == 1 ? tr("Close the one connection with code %1?").arg(code)
                                 : tr("Close all %1 connections with code %2?")
                                       .arg(m_model->rowCount())
                                       .arg(code),
        QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("kickAllConfirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(tr("Each client sees the close code and the reason; the pages on "
                               "the students' phones say the connection was closed."));
    QPushButton *yes = box->addButton(tr("Kick all"), QMessageBox::AcceptRole);
    yes->setObjectName(QStringLiteral("kickAllConfirmButton"));
    box->setDefaultButton(QMessageBox::Cancel);
    const QString reason = m_kickReason->text();
    connect(yes, &QPushButton::clicked, this,
            [this, code, reason] { showNotice(m_host->kickAll(code, reason)); });
    box->open();
}

void ServerPane::showNotice(const QString &text)
{
    m_notice->showMessage(text, true);
}

void ServerPane::updateOrigins()
{
    const QStringList extra = m_host->extraOrigins();
    QString text;
    if (extra.contains(QStringLiteral("*")))
        text = tr("Web pages allowed to connect: any page, from any site (--allow-origin *).");
    else if (extra.isEmpty())
        text = tr("Web pages allowed to connect: this server's own (%1).")
                   .arg(m_host->ownOrigins().join(QStringLiteral(", ")));
    else
        text = tr("Web pages allowed to connect: this server's own (%1), and %2.")
                   .arg(m_host->ownOrigins().join(QStringLiteral(", ")),
                        extra.join(QStringLiteral(", ")));
    m_origins->setText(text + u' ' + tr("Programs (no Origin header) can always connect."));
}

void ServerPane::useClassroomCertificate()
{
    QString error;
    const auto credentials = classroomCredentials(&error);
    if (!credentials)
        showNotice(tr("No classroom certificate: %1").arg(error));
    else
        showNotice(m_host->setTls(credentials) ? QString() : m_host->errorString());
}

void ServerPane::loadCertificate()
{
    const QString cert = QFileDialog::getOpenFileName(
        this, tr("Certificate (PEM)"), {}, tr("PEM files (*.pem *.crt *.cer);;All files (*)"));
    if (cert.isEmpty())
        return;
    const QString key
        = QFileDialog::getOpenFileName(this, tr("Private key (PEM)"), QFileInfo(cert).path(),
                                       tr("PEM files (*.pem *.key);;All files (*)"));
    if (key.isEmpty())
        return;
    QString error, warning;
    const auto credentials = loadTlsCredentials(cert, key, &error, &warning);
    if (!credentials) {
        showNotice(error);
        return;
    }
    showNotice(m_host->setTls(credentials) ? warning : m_host->errorString());
}

void ServerPane::updateTls()
{
    const auto &tls = m_host->tls();
    m_tlsOff->setEnabled(tls.has_value());
    if (!tls) {
        m_tlsStatus->setText(tr("TLS off: ws:// and http://, readable by anyone on the network."));
        return;
    }
    const QString subject = tls->certificate.subjectInfo(QSslCertificate::CommonName).join(u", ");
    m_tlsStatus->setText(
        tr("TLS on: wss:// and https:// only. Certificate \"%1\", SHA-256 fingerprint %2 — "
           "students compare it with what their browser shows before they accept it.")
            .arg(subject, sha256Fingerprint(tls->certificate)));
}

void ServerPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ServerPane::retranslate()
{
    if (!m_host->isListening())
        m_address->setText(tr("Embedded server not running: %1").arg(m_host->errorString()));
    else if (m_host->isOnLan())
        m_address->setText(tr("Embedded server listening on all addresses (LAN); this machine: %1")
                               .arg(m_host->httpUrl().toString()));
    else
        m_address->setText(
            tr("Embedded server listening on %1").arg(m_host->httpUrl().toString()));
    m_routes->setText(tr("One port, like the lesson's Tornado router: / page and /time over HTTP; "
                         "/ws echo + Beijing time push and /chat over WebSocket."));
    m_intervalLabel->setText(tr("Push Beijing time every (s):"));
    m_interval->setSpecialValueText(tr("off"));
    m_pausePush->setText(tr("Pause push"));
    m_model->retranslate();
    m_message->setPlaceholderText(tr("Message from the server"));
    m_sendTo->setText(tr("Send to client"));
    m_broadcast->setText(tr("Broadcast"));
    m_kickCode->setToolTip(
        tr("Close code sent with Kick (1000 normal, 1001 going away, 4000–4999 your own)."));
    m_kickReason->setPlaceholderText(tr("Kick reason"));
    // Placeholders vanish as one types; screen readers need names that stay.
    m_message->setAccessibleName(tr("Message from the server"));
    m_kickCode->setAccessibleName(tr("Kick close code"));
    m_kickReason->setAccessibleName(tr("Kick reason"));
    m_newOrigin->setAccessibleName(tr("Origin to allow"));
    m_clients->setAccessibleName(tr("Connected clients"));
    m_kick->setText(tr("Kick"));
    m_ping->setText(tr("Ping"));
    m_pingAll->setText(tr("Ping all"));
    m_pingAll->setToolTip(tr("Ping every client; the list shows each round trip."));
    m_kickAll->setText(tr("Kick all…"));
    m_kickAll->setToolTip(tr("Close every client with the close code and reason beside Kick."));
    m_menuSendTo->setText(tr("Send to…"));
    m_menuPing->setText(tr("Ping"));
    m_menuKick->setText(tr("Kick"));
    m_studentCount->setToolTip(
        tr("Students are counted by the names they chat under. The page on a phone opens /ws "
           "(the time and the echo) and /chat, so a class has about twice as many connections."));
    updateStudentCount();
    m_openPage->setText(tr("Open the page at / in a browser: the browser is only one client"));
    m_newOrigin->setPlaceholderText(
        tr("Allow another site's pages, e.g. http://192.168.1.20:8000"));
    m_allowOrigin->setText(tr("Allow origin"));
    m_tlsButton->setText(tr("TLS"));
    m_tlsClassroom->setText(
        tr("Use the classroom certificate (self-signed, made on this machine)"));
    m_tlsLoad->setText(tr("Load a certificate and key…"));
    m_tlsOff->setText(tr("Turn TLS off"));
    updateTls();
    m_allowOrigin->setToolTip(
        tr("A browser sends the page's origin with each WebSocket handshake; pages from other "
           "sites are refused with 403 so that they cannot use a student's browser to reach "
           "this server."));
    updateOrigins();
}

} // namespace wslab
