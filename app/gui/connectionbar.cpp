#include "connectionbar.h"

#include "connectoptionsdialog.h"
#include "keyboard.h"

#include "phaseindicator.h"
#include "problemline.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace wslab {

namespace {
constexpr int kHistorySize = 15;
}

ConnectionBar::ConnectionBar(ClientSession *session, QWidget *parent)
    : QWidget(parent), m_session(session)
{
    setObjectName(QStringLiteral("connectionBar"));
    m_url = new QComboBox(this);
    m_url->setObjectName(QStringLiteral("urlField"));
    m_url->setEditable(true);
    m_url->setInsertPolicy(QComboBox::NoInsert);
    m_url->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_url->setMinimumContentsLength(28);
    m_urlLabel = new QLabel(this);
    m_urlLabel->setObjectName(QStringLiteral("urlLabel"));
    m_urlLabel->setBuddy(m_url); // Alt+U puts the cursor in the address
    m_connect = new QPushButton(this);
    m_connect->setObjectName(QStringLiteral("connectButton"));
    m_connect->setDefault(true);
    m_disconnect = new QPushButton(this);
    m_disconnect->setObjectName(QStringLiteral("disconnectButton"));
    m_abort = new QPushButton(this);
    m_abort->setObjectName(QStringLiteral("abortButton"));
    m_viaTap = new QCheckBox(this);
    m_viaTap->setObjectName(QStringLiteral("viaTapCheck"));
    m_viaTap->setChecked(session->viaTap());
    m_phase = new PhaseIndicator(this);
    m_message = new ProblemLine(QStringLiteral("connectionMessage"), this);
    m_message->setBuddy(m_url);
    m_options = new QPushButton(this);
    m_options->setObjectName(QStringLiteral("optionsButton"));
    m_optionsSummary = new QLabel(this);
    m_optionsSummary->setObjectName(QStringLiteral("optionsSummary"));
    m_optionsSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_countdown = new QLabel(this);
    m_countdown->setObjectName(QStringLiteral("reconnectCountdown"));
    m_cancelReconnect = new QPushButton(this);
    m_cancelReconnect->setObjectName(QStringLiteral("cancelReconnectButton"));
    m_optionsDialog = new ConnectOptionsDialog(this);

    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(6, 6, 6, 2);
    layout->addWidget(m_urlLabel, 0, 0);
    layout->addWidget(m_url, 0, 1);
    layout->addWidget(m_connect, 0, 2);
    layout->addWidget(m_disconnect, 0, 3);
    layout->addWidget(m_abort, 0, 4);
    layout->addWidget(m_viaTap, 0, 5);
    layout->addWidget(m_options, 0, 6);
    auto *status = new QHBoxLayout;
    status->addWidget(m_optionsSummary, 1);
    status->addWidget(m_countdown);
    status->addWidget(m_cancelReconnect);
    layout->addLayout(status, 1, 1, 1, 6);
    layout->addWidget(m_phase, 2, 0, 1, 7);
    layout->addWidget(m_message, 3, 0, 1, 7);

    connect(m_connect, &QPushButton::clicked, this, &ConnectionBar::connectToUrl);
    connect(m_url->lineEdit(), &QLineEdit::returnPressed, this, &ConnectionBar::connectToUrl);
    connect(m_disconnect, &QPushButton::clicked, session,
            [session] { session->disconnectGracefully(1000, QString()); });
    connect(m_abort, &QPushButton::clicked, session, &ClientSession::abort);
    connect(m_viaTap, &QCheckBox::toggled, session, &ClientSession::setViaTap);
    connect(m_options, &QPushButton::clicked, this, &ConnectionBar::editOptions);
    connect(m_optionsDialog, &QDialog::accepted, this, [this] {
        QString error;
        if (const auto options = m_optionsDialog->options(&error))
            m_session->setConnectOptions(*options);
    });
    connect(session, &ClientSession::connectOptionsChanged, this,
            &ConnectionBar::updateOptionsSummary);
    connect(session, &ClientSession::reconnectCountdown, this, &ConnectionBar::showCountdown);
    connect(m_cancelReconnect, &QPushButton::clicked, session, &ClientSession::cancelReconnect);
    connect(session, &ClientSession::stateChanged, this, [this](ClientSession::State state) {
        m_phase->setState(state);
        updateWidgets();
        if (state == ClientSession::State::Open)
            showMessage({}, false);
    });
    connect(session, &ClientSession::closed, this, [this](const CloseInfo &info) {
        if (!m_session->errorString().isEmpty() && info.initiator == Initiator::Nobody)
            return; // it never opened: the error message already says why
        showMessage(describeClose(info), !info.clean);
    });
    connect(session, &ClientSession::event, this, [this](const Event &e) {
        if (e.side == Event::Side::Client && e.kind == Event::Kind::Error)
            showMessage(e.summary.toString(), true);
    });
    retranslate();
    updateWidgets();
}

QString ConnectionBar::urlText() const
{
    return m_url->currentText();
}

void ConnectionBar::setUrlText(const QString &url)
{
    m_url->setEditText(url);
}

QStringList ConnectionBar::history() const
{
    QStringList urls;
    for (int i = 0; i < m_url->count(); ++i)
        urls.append(m_url->itemText(i));
    return urls;
}

void ConnectionBar::setHistory(const QStringList &urls)
{
    const QString current = urlText();
    m_url->clear();
    m_url->addItems(urls.mid(0, kHistorySize));
    m_url->setEditText(current);
}

void ConnectionBar::rememberUrl(const QString &url)
{
    const int existing = m_url->findText(url);
    if (existing >= 0)
        m_url->removeItem(existing);
    m_url->insertItem(0, url);
    while (m_url->count() > kHistorySize)
        m_url->removeItem(m_url->count() - 1);
    m_url->setEditText(url);
}

void ConnectionBar::connectToUrl()
{
    const QString url = urlText().trimmed();
    showMessage({}, false);
    if (m_session->connectTo(url))
        rememberUrl(m_session->url().toString());
}

void ConnectionBar::editOptions()
{
    m_optionsDialog->setOptions(m_session->connectOptions());
    m_optionsDialog->open();
}

void ConnectionBar::updateOptionsSummary()
{
    const QString summary = connectOptionsSummary(m_session->connectOptions());
    m_optionsSummary->setText(summary.isEmpty() ? QString() : tr("Options: %1").arg(summary));
    m_optionsSummary->setVisible(!summary.isEmpty());
}

void ConnectionBar::showCountdown(int secondsLeft)
{
    m_secondsLeft = secondsLeft;
    m_countdown->setText(tr("Reconnecting in %n s", nullptr, secondsLeft));
    m_countdown->setVisible(secondsLeft > 0);
    m_cancelReconnect->setVisible(secondsLeft > 0);
}

void ConnectionBar::showMessage(const QString &text, bool error)
{
    m_message->showMessage(text, error);
}

void ConnectionBar::updateWidgets()
{
    const auto state = m_session->state();
    const bool active = m_session->isActive();
    m_connect->setEnabled(!active);
    m_url->setEnabled(!active);
    m_viaTap->setEnabled(!active);
    m_disconnect->setEnabled(state == ClientSession::State::Open);
    m_abort->setEnabled(active);
}

void ConnectionBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ConnectionBar::retranslate()
{
    m_url->setToolTip(tr("A ws:// or wss:// address. The embedded server's echo and time push is "
                         "at /ws, its chat room at /chat."));
    m_urlLabel->setText(tr("&URL:"));
    m_url->setAccessibleName(tr("WebSocket URL"));
    m_connect->setText(tr("Connect"));
    setShortcutAndTip(m_connect, keys::connect(), {});
    m_disconnect->setText(tr("Disconnect"));
    setShortcutAndTip(
        m_disconnect, keys::disconnect(),
        tr("Close the WebSocket properly: send a Close frame (1000) and wait for the server's."));
    m_abort->setText(tr("Abort"));
    m_abort->setToolTip(tr("Drop the TCP connection without a Close frame: the server sees 1006."));
    m_viaTap->setText(tr("through the wire tap"));
    m_message->textLabel()->setAccessibleName(tr("Connection message"));
    m_viaTap->setToolTip(tr("Route the connection through a local relay that records every byte, "
                            "so the Handshake and Frames panes can show them."));
    m_options->setText(tr("Options…"));
    m_options->setToolTip(tr("Headers, authorization, subprotocols, query, timeout, TLS, proxy "
                             "and reconnect for the next connection."));
    m_cancelReconnect->setText(tr("Cancel"));
    m_cancelReconnect->setAccessibleName(tr("Cancel reconnecting"));
    updateOptionsSummary();
    showCountdown(m_secondsLeft);
}

} // namespace wslab
