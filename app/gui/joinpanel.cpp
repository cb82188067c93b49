#include "joinpanel.h"

#include "joincodeview.h"
#include "joinlink.h"
#include "problemline.h"
#include "qrcodewidget.h"
#include "serverhost.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace wslab {

namespace {

// The view belongs to the main window (one per window, whether the menu or the pane opened
// it). A floating dock is a window of its own, so window() would be the dock.
QWidget *mainWindowOf(QWidget *widget)
{
    for (QWidget *ancestor = widget; ancestor; ancestor = ancestor->parentWidget())
        if (qobject_cast<QMainWindow *>(ancestor))
            return ancestor;
    return widget->window();
}

} // namespace

JoinPanel::JoinPanel(ServerHost *host, QWidget *parent)
    : QWidget(parent), m_host(host), m_link(JoinLink::of(host))
{
    setObjectName(QStringLiteral("joinPanel"));
    m_switch = new QPushButton(this);
    m_switch->setObjectName(QStringLiteral("lanSwitch"));
    m_switch->setCheckable(true);
    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("lanNotice"));
    m_notice->setWordWrap(true);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // The same in every theme, and unlike anything else in the pane: it must not be missed.
    m_notice->setStyleSheet(QStringLiteral(
        "QLabel#lanNotice { background: #fff3c4; color: #000000; border: 2px solid #c98a00;"
        " border-radius: 4px; padding: 6px; font-weight: bold; }"));
    m_choiceLabel = new QLabel(this);
    m_choice = new QComboBox(this);
    m_choice->setObjectName(QStringLiteral("joinAddressChoice"));
    m_choiceLabel->setBuddy(m_choice);
    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("joinUrl"));
    m_url->setReadOnly(true);
    m_copy = new QPushButton(this);
    m_copy->setObjectName(QStringLiteral("copyJoinUrlButton"));
    m_showCode = new QPushButton(this);
    m_showCode->setObjectName(QStringLiteral("showJoinCodeButton"));
    m_code = new QrCodeWidget(this);
    m_code->setObjectName(QStringLiteral("joinQrCode"));
    m_problem = new ProblemLine(QStringLiteral("joinProblem"), this);

    // The code beside the text, not under it: the pane shares its height with the client list.
    auto *switchRow = new QHBoxLayout;
    switchRow->addWidget(m_switch);
    switchRow->addStretch(1);
    auto *choiceRow = new QHBoxLayout;
    choiceRow->addWidget(m_choiceLabel);
    choiceRow->addWidget(m_choice, 1);
    auto *buttonRow = new QHBoxLayout;
    buttonRow->addWidget(m_copy);
    buttonRow->addWidget(m_showCode);
    buttonRow->addStretch(1);
    auto *text = new QVBoxLayout;
    text->addWidget(m_notice);
    text->addLayout(choiceRow);
    text->addWidget(m_url);
    text->addLayout(buttonRow);
    text->addStretch(1);
    auto *lanRow = new QHBoxLayout;
    lanRow->addLayout(text, 1);
    lanRow->addWidget(m_code, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(switchRow);
    layout->addWidget(m_problem);
    layout->addLayout(lanRow);

    connect(m_switch, &QPushButton::clicked, this, &JoinPanel::switchToggled);
    connect(m_link, &JoinLink::changed, this, &JoinPanel::updateWidgets);
    connect(m_choice, &QComboBox::activated, this, [this](int index) {
        if (index >= 0 && index < m_link->addresses().size())
            m_link->choose(m_link->addresses().at(index).address);
    });
    connect(m_copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_url->text()); });
    connect(m_showCode, &QPushButton::clicked, this,
            [this] { JoinCodeView::showFor(m_link, mainWindowOf(this)); });
    retranslate();
}

QMessageBox *JoinPanel::askToOpenLan(ServerHost *host, QWidget *parent,
                                     std::function<void(const QString &)> done)
{
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Open the server to the LAN?"),
                                tr("Everyone on this network — the class, and anyone else on the "
                                   "same Wi-Fi or cable — will be able to reach this machine's "
                                   "server on port %1: open its page, chat, and connect "
                                   "WebSockets.")
                                    .arg(host->port()),
                                QMessageBox::NoButton, parent);
    box->setObjectName(QStringLiteral("lanConfirmation"));
    box->setInformativeText(
        tr("The Origin check and the per-address limits still apply (and TLS, if it is on). "
           "Turn the LAN off again when the lesson is over."));
    QPushButton *yes = box->addButton(tr("Open to the LAN"), QMessageBox::AcceptRole);
    yes->setObjectName(QStringLiteral("lanConfirmButton"));
    QPushButton *no = box->addButton(QMessageBox::Cancel);
    no->setObjectName(QStringLiteral("lanCancelButton"));
    box->setDefaultButton(no); // Enter alone does not open the machine
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    QObject::connect(box, &QMessageBox::buttonClicked, host, [host, yes, done](QAbstractButton *b) {
        if (b != yes)
            return;
        const bool ok = host->setLan(true);
        if (done)
            done(ok ? QString() : host->errorString());
    });
    box->open();
    return box;
}

void JoinPanel::switchToggled(bool on)
{
    // The switch shows the server's state, never the click's, until the server has moved.
    m_switch->setChecked(m_link->isOnLan());
    if (!on) {
        m_problem->showMessage(m_host->setLan(false) ? QString() : m_host->errorString(), true);
        return;
    }
    askToOpenLan(m_host, this,
                 [this](const QString &problem) { m_problem->showMessage(problem, true); });
}

void JoinPanel::showEvent(QShowEvent *event)
{
    m_link->refresh(); // the Wi-Fi may have changed since the pane was last seen
    QWidget::showEvent(event);
}

void JoinPanel::updateWidgets()
{
    const bool lan = m_link->isOnLan();
    const QUrl url = m_link->url();
    m_switch->setChecked(lan);
    m_switch->setEnabled(m_host->isListening());
    m_notice->setVisible(lan);
    if (lan && url.isEmpty())
        m_notice->setText(tr("The server listens on every network of this machine, but none has "
                             "a LAN address now: check the Wi-Fi or the cable."));
    else if (lan)
        m_notice->setText(tr("The class can reach this machine at %1").arg(url.toString()));
    m_notice->setToolTip(tr("Everyone on this network can connect. The Origin check and the "
                            "per-address limits still apply."));

    const QList<JoinAddress> addresses = m_link->addresses();
    {
        const QSignalBlocker blocker(m_choice);
        m_choice->clear();
        for (const JoinAddress &address : addresses)
            m_choice->addItem(address.label());
        m_choice->setCurrentIndex(m_link->currentIndex());
    }
    const bool several = lan && addresses.size() > 1;
    m_choiceLabel->setVisible(several);
    m_choice->setVisible(several);
    const bool shown = lan && !url.isEmpty();
    m_url->setVisible(shown);
    m_copy->setVisible(shown);
    m_showCode->setVisible(shown);
    m_code->setVisible(shown);
    m_url->setText(url.toString());
    m_code->setText(url.toString());
    // 3 pixels a module: a phone held up to the screen reads it, and the code is no taller than
    // the text beside it, so the pane (which shares its height with the client list) need not
    // grow. The full-screen view is the one for the room.
    if (const int modules = m_code->code().size(); modules > 0)
        m_code->setFixedSize(modules * 3, modules * 3);
    updateGeometry();
}

void JoinPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void JoinPanel::retranslate()
{
    m_switch->setText(tr("LAN: let the class join"));
    m_switch->setToolTip(
        tr("On: the server listens on this machine's network addresses, so that students' "
           "phones and laptops can join. Off: this machine only (127.0.0.1)."));
    m_choiceLabel->setText(tr("Join on:"));
    m_choice->setToolTip(tr("This machine has several network addresses: pick the one on the "
                            "students' network."));
    m_url->setAccessibleName(tr("Join address"));
    m_copy->setText(tr("Copy"));
    m_copy->setToolTip(tr("Copy the join address"));
    m_showCode->setText(tr("Show join code"));
    m_showCode->setToolTip(tr("The QR code full screen, for the projector (Ctrl+Shift+J)"));
    updateWidgets();
}

} // namespace wslab
