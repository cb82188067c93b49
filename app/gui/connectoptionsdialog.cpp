#include "connectoptionsdialog.h"

#include "clientargs.h"
#include "problemline.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace wslab {

namespace {
enum Auth { None, Bearer, Basic };

QTableWidget *pairTable(const char *name, QWidget *parent)
{
    auto *table = new QTableWidget(0, 2, parent);
    table->setObjectName(QLatin1StringView(name));
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->hide();
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setMinimumHeight(90);
    return table;
}

void addRow(QTableWidget *table, const QString &name = {}, const QString &value = {})
{
    const int row = table->rowCount();
    table->insertRow(row);
    table->setItem(row, 0, new QTableWidgetItem(name));
    table->setItem(row, 1, new QTableWidgetItem(value));
}

void removeSelectedRows(QTableWidget *table)
{
    QList<int> rows;
    for (const QModelIndex &index : table->selectionModel()->selectedRows())
        rows.append(index.row());
    if (rows.isEmpty() && table->currentRow() >= 0)
        rows.append(table->currentRow());
    std::sort(rows.rbegin(), rows.rend());
    for (const int row : rows)
        table->removeRow(row);
}

// The rows whose name is not empty, trimmed.
QList<QPair<QString, QString>> pairs(const QTableWidget *table)
{
    QList<QPair<QString, QString>> result;
    for (int row = 0; row < table->rowCount(); ++row) {
        const auto text = [&](int column) {
            const QTableWidgetItem *item = table->item(row, column);
            return item ? item->text().trimmed() : QString();
        };
        if (!text(0).isEmpty() || !text(1).isEmpty())
            result.append({ text(0), text(1) });
    }
    return result;
}

QHBoxLayout *row(std::initializer_list<QWidget *> widgets)
{
    auto *layout = new QHBoxLayout;
    layout->setContentsMargins(0, 0, 0, 0);
    for (QWidget *w : widgets)
        layout->addWidget(w);
    return layout;
}
} // namespace

ConnectOptionsDialog::ConnectOptionsDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("connectOptionsDialog"));
    const auto lineEdit = [this](const char *name) {
        auto *edit = new QLineEdit(this);
        edit->setObjectName(QLatin1StringView(name));
        edit->setClearButtonEnabled(true);
        return edit;
    };
    const auto button = [this](const char *name) {
        auto *b = new QPushButton(this);
        b->setObjectName(QLatin1StringView(name));
        b->setAutoDefault(false);
        return b;
    };
    const auto label = [this](QWidget *buddy) {
        auto *l = new QLabel(this);
        l->setBuddy(buddy);
        return l;
    };

    m_headers = pairTable("headersTable", this);
    m_headersLabel = label(m_headers);
    m_addHeader = button("addHeaderButton");
    m_removeHeader = button("removeHeaderButton");
    m_auth = new QComboBox(this);
    m_auth->setObjectName(QStringLiteral("authCombo"));
    m_auth->addItems({ QString(), QString(), QString() });
    m_authLabel = label(m_auth);
    m_token = lineEdit("bearerTokenField");
    m_user = lineEdit("basicUserField");
    m_password = lineEdit("basicPasswordField");
    m_password->setEchoMode(QLineEdit::Password);
    m_subprotocols = lineEdit("subprotocolsField");
    m_subprotocolsLabel = label(m_subprotocols);
    m_query = pairTable("queryTable", this);
    m_queryLabel = label(m_query);
    m_addQuery = button("addQueryButton");
    m_removeQuery = button("removeQueryButton");
    m_timeout = new QSpinBox(this);
    m_timeout->setObjectName(QStringLiteral("timeoutSpin"));
    m_timeout->setRange(1, 3'600'000);
    m_timeout->setSingleStep(1000);
    m_timeoutLabel = label(m_timeout);
    m_verify = new QCheckBox(this);
    m_verify->setObjectName(QStringLiteral("verifyCheck"));
    m_verifyWarning = new ProblemLine(QStringLiteral("verifyWarning"), this);
    m_verifyWarning->setBuddy(m_verify);
    m_ca = lineEdit("caFileField");
    m_caLabel = label(m_ca);
    m_cert = lineEdit("certFileField");
    m_certLabel = label(m_cert);
    m_key = lineEdit("keyFileField");
    m_keyLabel = label(m_key);
    m_browseCa = button("browseCaButton");
    m_browseCert = button("browseCertButton");
    m_browseKey = button("browseKeyButton");
    m_proxy = lineEdit("proxyField");
    m_proxyLabel = label(m_proxy);
    m_reconnect = new QCheckBox(this);
    m_reconnect->setObjectName(QStringLiteral("reconnectCheck"));
    m_problem = new ProblemLine(QStringLiteral("optionsProblem"), this);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->setObjectName(QStringLiteral("optionsButtons"));

    auto *request = new QFormLayout;
    request->addRow(m_headersLabel, m_headers);
    request->addRow(QString(), row({ m_addHeader, m_removeHeader }));
    request->itemAt(request->rowCount() - 1, QFormLayout::FieldRole)
        ->layout()
        ->addItem(new QSpacerItem(0, 0, QSizePolicy::Expanding));
    request->addRow(m_authLabel, row({ m_auth, m_token, m_user, m_password }));
    request->addRow(m_subprotocolsLabel, m_subprotocols);
    request->addRow(m_queryLabel, m_query);
    request->addRow(QString(), row({ m_addQuery, m_removeQuery }));
    request->itemAt(request->rowCount() - 1, QFormLayout::FieldRole)
        ->layout()
        ->addItem(new QSpacerItem(0, 0, QSizePolicy::Expanding));
    request->addRow(m_timeoutLabel, m_timeout);
    auto *tls = new QFormLayout;
    tls->addRow(m_verify);
    tls->addRow(m_verifyWarning);
    tls->addRow(m_caLabel, row({ m_ca, m_browseCa }));
    tls->addRow(m_certLabel, row({ m_cert, m_browseCert }));
    tls->addRow(m_keyLabel, row({ m_key, m_browseKey }));
    auto *network = new QFormLayout;
    network->addRow(m_proxyLabel, m_proxy);
    network->addRow(m_reconnect);

    m_requestBox = new QGroupBox(this);
    m_requestBox->setLayout(request);
    m_tlsBox = new QGroupBox(this);
    m_tlsBox->setLayout(tls);
    m_networkBox = new QGroupBox(this);
    m_networkBox->setLayout(network);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_requestBox);
    layout->addWidget(m_tlsBox);
    layout->addWidget(m_networkBox);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    connect(m_addHeader, &QPushButton::clicked, this, [this] {
        addRow(m_headers);
        m_headers->setCurrentCell(m_headers->rowCount() - 1, 0);
        m_headers->editItem(m_headers->item(m_headers->rowCount() - 1, 0));
    });
    connect(m_removeHeader, &QPushButton::clicked, this, [this] { removeSelectedRows(m_headers); });
    connect(m_addQuery, &QPushButton::clicked, this, [this] {
        addRow(m_query);
        m_query->setCurrentCell(m_query->rowCount() - 1, 0);
        m_query->editItem(m_query->item(m_query->rowCount() - 1, 0));
    });
    connect(m_removeQuery, &QPushButton::clicked, this, [this] { removeSelectedRows(m_query); });
    connect(m_auth, &QComboBox::currentIndexChanged, this, &ConnectOptionsDialog::updateWidgets);
    connect(m_verify, &QCheckBox::toggled, this, &ConnectOptionsDialog::updateWidgets);
    connect(m_browseCa, &QPushButton::clicked, this,
            [this] { browse(m_ca, tr("CA certificates (PEM)")); });
    connect(m_browseCert, &QPushButton::clicked, this,
            [this] { browse(m_cert, tr("Client certificate (PEM)")); });
    connect(m_browseKey, &QPushButton::clicked, this,
            [this] { browse(m_key, tr("Client private key (PEM)")); });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ConnectOptionsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ConnectOptionsDialog::reject);

    retranslate();
    setOptions({});
}

void ConnectOptionsDialog::setOptions(const ConnectOptions &options)
{
    m_headers->setRowCount(0);
    m_auth->setCurrentIndex(None);
    m_token->clear();
    m_user->clear();
    m_password->clear();
    for (const auto &[name, value] : options.headers) {
        // The Authorization header goes back into the helper that made it.
        if (name.compare("Authorization", Qt::CaseInsensitive) == 0
            && m_auth->currentIndex() == None) {
            if (value.startsWith("Bearer ")) {
                m_auth->setCurrentIndex(Bearer);
                m_token->setText(QString::fromUtf8(value.mid(7)));
                continue;
            }
            const QByteArray decoded = QByteArray::fromBase64(value.mid(6));
            if (value.startsWith("Basic ") && decoded.indexOf(':') > 0
                && decoded.toBase64() == value.mid(6)) {
                m_auth->setCurrentIndex(Basic);
                m_user->setText(QString::fromUtf8(decoded.left(decoded.indexOf(':'))));
                m_password->setText(QString::fromUtf8(decoded.mid(decoded.indexOf(':') + 1)));
                continue;
            }
        }
        addRow(m_headers, QString::fromUtf8(name), QString::fromUtf8(value));
    }
    m_subprotocols->setText(options.subprotocols.join(QStringLiteral(", ")));
    m_query->setRowCount(0);
    for (const auto &[name, value] : options.query)
        addRow(m_query, name, value);
    m_timeout->setValue(int(options.timeout.count()));
    m_verify->setChecked(options.tls.verify);
    m_ca->setText(options.tls.caFile);
    m_cert->setText(options.tls.certificateFile);
    m_key->setText(options.tls.keyFile);
    m_proxy->setText(options.proxy.toString());
    m_reconnect->setChecked(options.reconnect);
    m_problem->showMessage({}, false);
    updateWidgets();
}

std::optional<ConnectOptions> ConnectOptionsDialog::options(QString *error) const
{
    ConnectOptions options;
    for (const auto &[name, value] : pairs(m_headers)) {
        const auto header = parseHeaderArgument(name + u':' + value, error);
        if (!header)
            return std::nullopt;
        options.headers.append(*header);
    }
    if (m_auth->currentIndex() != None) {
        const auto header = m_auth->currentIndex() == Bearer
            ? bearerAuthorization(m_token->text(), error)
            : basicAuthorization(m_user->text() + u':' + m_password->text(), error);
        if (!header)
            return std::nullopt;
        options.headers.append(*header);
    }
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    options.subprotocols = m_subprotocols->text().split(separators, Qt::SkipEmptyParts);
    options.query = pairs(m_query);
    options.timeout = std::chrono::milliseconds(m_timeout->value());
    options.tls.verify = m_verify->isChecked();
    options.tls.caFile = m_ca->text().trimmed();
    options.tls.certificateFile = m_cert->text().trimmed();
    options.tls.keyFile = m_key->text().trimmed();
    if (const QString proxy = m_proxy->text().trimmed(); !proxy.isEmpty())
        options.proxy = QUrl(proxy, QUrl::StrictMode);
    options.reconnect = m_reconnect->isChecked();
    if (!checkConnectOptions(options, error))
        return std::nullopt;
    return options;
}

void ConnectOptionsDialog::accept()
{
    QString error;
    if (!options(&error)) {
        m_problem->showMessage(error, true);
        return;
    }
    m_problem->showMessage({}, false);
    QDialog::accept();
}

void ConnectOptionsDialog::browse(QLineEdit *field, const QString &title)
{
    const QString file = QFileDialog::getOpenFileName(
        this, title, field->text(), tr("PEM files (*.pem *.crt *.cer *.key);;All files (*)"));
    if (!file.isEmpty())
        field->setText(file);
}

void ConnectOptionsDialog::updateWidgets()
{
    m_token->setVisible(m_auth->currentIndex() == Bearer);
    m_user->setVisible(m_auth->currentIndex() == Basic);
    m_password->setVisible(m_auth->currentIndex() == Basic);
    m_verifyWarning->showMessage(
        m_verify->isChecked()
            ? QString()
            : tr("the server's certificate will not be checked: anyone on the way can read and "
                 "change the connection"),
        true);
}

void ConnectOptionsDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void ConnectOptionsDialog::retranslate()
{
    setWindowTitle(tr("Connection options"));
    m_requestBox->setTitle(tr("Handshake"));
    m_tlsBox->setTitle(tr("TLS (wss://)"));
    m_networkBox->setTitle(tr("Network"));
    m_headersLabel->setText(tr("&Headers:"));
    m_headers->setHorizontalHeaderLabels({ tr("Name"), tr("Value") });
    m_headers->setAccessibleName(tr("Extra handshake headers"));
    m_addHeader->setText(tr("Add header"));
    m_removeHeader->setText(tr("Remove header"));
    m_authLabel->setText(tr("&Authorization:"));
    m_auth->setItemText(None, tr("None"));
    m_auth->setItemText(Bearer, tr("Bearer token"));
    m_auth->setItemText(Basic, tr("Basic (user and password)"));
    m_auth->setAccessibleName(tr("Authorization"));
    m_token->setPlaceholderText(tr("token"));
    m_token->setAccessibleName(tr("Bearer token"));
    m_user->setPlaceholderText(tr("user"));
    m_user->setAccessibleName(tr("Basic authorization user"));
    m_password->setPlaceholderText(tr("password"));
    m_password->setAccessibleName(tr("Basic authorization password"));
    m_subprotocolsLabel->setText(tr("&Subprotocols:"));
    m_subprotocols->setPlaceholderText(tr("offered in order, e.g. chat, superchat"));
    m_subprotocols->setAccessibleName(tr("Subprotocols offered"));
    m_queryLabel->setText(tr("&Query parameters:"));
    m_query->setHorizontalHeaderLabels({ tr("Name"), tr("Value") });
    m_query->setAccessibleName(tr("Query parameters"));
    m_addQuery->setText(tr("Add parameter"));
    m_removeQuery->setText(tr("Remove parameter"));
    m_timeoutLabel->setText(tr("&Timeout:"));
    m_timeout->setSuffix(tr(" ms"));
    m_timeout->setToolTip(tr("From connecting to the server's 101: DNS, TCP, TLS and the HTTP "
                             "handshake."));
    m_timeout->setAccessibleName(tr("Connect timeout in milliseconds"));
    m_verify->setText(tr("&Verify the server's certificate"));
    m_verifyWarning->textLabel()->setAccessibleName(tr("Certificate verification warning"));
    m_caLabel->setText(tr("&CA file:"));
    m_ca->setPlaceholderText(tr("PEM certificates trusted besides the system's"));
    m_ca->setAccessibleName(tr("CA file"));
    m_certLabel->setText(tr("Client &certificate:"));
    m_cert->setPlaceholderText(tr("PEM, for mutual TLS"));
    m_cert->setAccessibleName(tr("Client certificate file"));
    m_keyLabel->setText(tr("Client &key:"));
    m_key->setPlaceholderText(tr("PEM private key of the certificate"));
    m_key->setAccessibleName(tr("Client key file"));
    for (QPushButton *b : { m_browseCa, m_browseCert, m_browseKey })
        b->setText(tr("Browse…"));
    m_browseCa->setAccessibleName(tr("Choose the CA file"));
    m_browseCert->setAccessibleName(tr("Choose the client certificate file"));
    m_browseKey->setAccessibleName(tr("Choose the client key file"));
    m_proxyLabel->setText(tr("&Proxy:"));
    m_proxy->setPlaceholderText(tr("http://host:port (CONNECT) or socks5://host:port"));
    m_proxy->setAccessibleName(tr("Proxy URL"));
    m_reconnect->setText(tr("&Reconnect when the server closes or the connection drops (1, 2, "
                            "4 … 30 s)"));
    m_problem->textLabel()->setAccessibleName(tr("Connection options problem"));
    updateWidgets();
}

} // namespace wslab
