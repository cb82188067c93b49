#include "preferencesdialog.h"

#include "clientargs.h"
#include "language.h"
#include "problemline.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace wslab {

namespace {
const QStringList kLanguages { QStringLiteral("en"), QStringLiteral("zh_CN") };
const QStringList kThemes { QStringLiteral("system"), QStringLiteral("light"),
                            QStringLiteral("dark") };
constexpr int kKiB = 1024;
} // namespace

PreferencesDialog::PreferencesDialog(const Preferences &preferences, const QString &embeddedUrl,
                                     QWidget *parent)
    : QDialog(parent), m_embeddedUrl(embeddedUrl)
{
    setObjectName(QStringLiteral("preferencesDialog"));
    const auto label = [this](QWidget *buddy) {
        auto *l = new QLabel(this);
        l->setBuddy(buddy);
        return l;
    };
    m_language = new QComboBox(this);
    m_language->setObjectName(QStringLiteral("preferencesLanguage"));
    // Each language in its own words, as in the Language menu.
    m_language->addItems({ QStringLiteral("English"), QStringLiteral("简体中文") });
    m_languageLabel = label(m_language);
    m_theme = new QComboBox(this);
    m_theme->setObjectName(QStringLiteral("preferencesTheme"));
    m_theme->addItems({ QString(), QString(), QString() });
    m_themeLabel = label(m_theme);
    m_themeNote = new QLabel(this);
    m_themeNote->setObjectName(QStringLiteral("preferencesThemeNote"));
    m_themeNote->setWordWrap(true);
    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("preferencesDefaultUrl"));
    m_url->setClearButtonEnabled(true);
    m_url->setMinimumWidth(
        fontMetrics().horizontalAdvance(QStringLiteral("wss://127.0.0.1:8888/chat")) * 3 / 2);
    m_urlLabel = label(m_url);
    m_viaTap = new QCheckBox(this);
    m_viaTap->setObjectName(QStringLiteral("preferencesViaTap"));
    m_maxSize = new QSpinBox(this);
    m_maxSize->setObjectName(QStringLiteral("preferencesMaxMessageSize"));
    m_maxSize->setRange(1, 1024 * 1024); // 1 KiB to 1 GiB
    m_maxSize->setSingleStep(1024);
    m_sizeLabel = label(m_maxSize);
    m_timeout = new QDoubleSpinBox(this);
    m_timeout->setObjectName(QStringLiteral("preferencesHandshakeTimeout"));
    m_timeout->setDecimals(1);
    m_timeout->setRange(double(Preferences::minHandshakeTimeout.count()) / 1000, 3600);
    m_timeout->setSingleStep(1);
    m_timeoutLabel = label(m_timeout);
    m_restoreTabs = new QCheckBox(this);
    m_restoreTabs->setObjectName(QStringLiteral("preferencesRestoreTabs"));
    m_problem = new ProblemLine(QStringLiteral("preferencesProblem"), this);
    m_problem->setBuddy(m_url);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);

    auto *form = new QFormLayout;
    form->addRow(m_languageLabel, m_language);
    form->addRow(m_themeLabel, m_theme);
    form->addRow(QString(), m_themeNote);
    form->addRow(m_urlLabel, m_url);
    form->addRow(QString(), m_problem);
    form->addRow(QString(), m_viaTap);
    form->addRow(m_sizeLabel, m_maxSize);
    form->addRow(m_timeoutLabel, m_timeout);
    form->addRow(QString(), m_restoreTabs);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addStretch();
    layout->addWidget(m_buttons);

    connect(m_url, &QLineEdit::textChanged, this, &PreferencesDialog::check);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setPreferences(preferences);
    retranslate();
}

void PreferencesDialog::setPreferences(const Preferences &p)
{
    m_savedLanguage = p.language.isEmpty() ? Language::current() : p.language;
    m_language->setCurrentIndex(qMax(0, kLanguages.indexOf(m_savedLanguage)));
    m_theme->setCurrentIndex(qMax(0, kThemes.indexOf(p.theme)));
    m_url->setText(p.defaultUrl);
    m_viaTap->setChecked(p.viaTap);
    m_maxSize->setValue(
        int(std::clamp<qint64>(p.maxIncomingMessageSize / kKiB, 1, m_maxSize->maximum())));
    m_timeout->setValue(double(p.handshakeTimeout.count()) / 1000);
    m_restoreTabs->setChecked(p.restoreTabs);
    check();
}

Preferences PreferencesDialog::preferences() const
{
    Preferences p;
    p.language = kLanguages.value(m_language->currentIndex(), m_savedLanguage);
    p.theme = kThemes.value(m_theme->currentIndex());
    p.defaultUrl = m_url->text().trimmed();
    p.viaTap = m_viaTap->isChecked();
    p.maxIncomingMessageSize = qint64(m_maxSize->value()) * kKiB;
    p.handshakeTimeout = std::chrono::milliseconds(qRound64(m_timeout->value() * 1000));
    p.restoreTabs = m_restoreTabs->isChecked();
    return p;
}

QString PreferencesDialog::problem() const
{
    const QString url = m_url->text().trimmed();
    if (url.isEmpty())
        return {};
    QString error;
    if (!parseWebSocketUrl(url, &error))
        return tr("Default URL: %1").arg(error);
    return {};
}

void PreferencesDialog::check()
{
    const QString why = problem();
    m_problem->showMessage(why, true);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
}

void PreferencesDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void PreferencesDialog::retranslate()
{
    setWindowTitle(tr("Preferences"));
    m_languageLabel->setText(tr("&Language:"));
    m_themeLabel->setText(tr("&Theme:"));
    m_theme->setItemText(0, tr("The desktop's own"));
    m_theme->setItemText(1, tr("Light"));
    m_theme->setItemText(2, tr("Dark"));
    m_themeNote->setText(tr("The theme changes the next time WsLab starts; --theme overrides it."));
    m_urlLabel->setText(tr("New tab's &URL:"));
    m_url->setPlaceholderText(m_embeddedUrl);
    m_url->setToolTip(tr("Empty: the embedded server's %1").arg(m_embeddedUrl));
    m_viaTap->setText(tr("New tabs connect through the wire &tap"));
    m_sizeLabel->setText(tr("Largest incoming &message:"));
    m_maxSize->setSuffix(tr(" KiB"));
    m_maxSize->setToolTip(
        tr("A message or frame from the server over this size closes the connection with 1009."));
    m_timeoutLabel->setText(tr("&Handshake timeout:"));
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setToolTip(tr("From Connect to the server's 101: DNS, TCP and the HTTP handshake."));
    m_restoreTabs->setText(tr("&Reopen the last session's tabs on start"));
    check();
}

} // namespace wslab
