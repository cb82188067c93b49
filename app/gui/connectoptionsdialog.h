#pragma once

#include "connectoptions.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace wslab {

class ProblemLine;

// Everything about how the window's client connects besides the URL (ConnectOptions): headers
// with Bearer / Basic helpers, subprotocols, query parameters, timeout, TLS, proxy, reconnect.
// OK is refused, with the reason under the fields, while an option is wrong.
class ConnectOptionsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ConnectOptionsDialog(QWidget *parent = nullptr);

    void setOptions(const ConnectOptions &options);
    // The fields as options, or nullopt with `*error` naming the field that is wrong.
    std::optional<ConnectOptions> options(QString *error) const;

public Q_SLOTS:
    void accept() override;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void updateWidgets();
    void browse(QLineEdit *field, const QString &title);

    QGroupBox *m_requestBox, *m_tlsBox, *m_networkBox;
    QLabel *m_headersLabel;
    QTableWidget *m_headers;
    QPushButton *m_addHeader, *m_removeHeader;
    QLabel *m_authLabel;
    QComboBox *m_auth;
    QLineEdit *m_token, *m_user, *m_password;
    QLabel *m_subprotocolsLabel;
    QLineEdit *m_subprotocols;
    QLabel *m_queryLabel;
    QTableWidget *m_query;
    QPushButton *m_addQuery, *m_removeQuery;
    QLabel *m_timeoutLabel;
    QSpinBox *m_timeout;
    QCheckBox *m_verify;
    ProblemLine *m_verifyWarning;
    QLabel *m_caLabel, *m_certLabel, *m_keyLabel;
    QLineEdit *m_ca, *m_cert, *m_key;
    QPushButton *m_browseCa, *m_browseCert, *m_browseKey;
    QLabel *m_proxyLabel;
    QLineEdit *m_proxy;
    QCheckBox *m_reconnect;
    ProblemLine *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace wslab
