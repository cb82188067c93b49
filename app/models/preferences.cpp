#include "preferences.h"

#include <QSettings>

namespace wslab {

namespace {
// The keys, in one place: main.cpp reads "language" and "theme" before the window exists.
const QString kLanguage = QStringLiteral("language");
const QString kTheme = QStringLiteral("theme");
const QString kDefaultUrl = QStringLiteral("connection/defaultUrl");
const QString kViaTap = QStringLiteral("connection/viaTap");
const QString kMaxMessage = QStringLiteral("connection/maxIncomingMessageSize");
const QString kTimeout = QStringLiteral("connection/handshakeTimeoutMs");
const QString kRestoreTabs = QStringLiteral("tabs/restore");
} // namespace

Preferences Preferences::load(const QSettings &settings)
{
    Preferences p;
    p.language = settings.value(kLanguage).toString();
    p.theme = settings.value(kTheme, p.theme).toString();
    p.defaultUrl = settings.value(kDefaultUrl).toString();
    p.viaTap = settings.value(kViaTap, p.viaTap).toBool();
    // A hand-edited file may say anything: out of range is the default, not a broken client.
    if (const qint64 bytes = settings.value(kMaxMessage).toLongLong(); bytes >= minMessageSize)
        p.maxIncomingMessageSize = bytes;
    if (const qint64 ms = settings.value(kTimeout).toLongLong(); ms >= minHandshakeTimeout.count())
        p.handshakeTimeout = std::chrono::milliseconds(ms);
    p.restoreTabs = settings.value(kRestoreTabs, p.restoreTabs).toBool();
    return p;
}

void Preferences::save(QSettings &settings) const
{
    if (!language.isEmpty())
        settings.setValue(kLanguage, language);
    settings.setValue(kTheme, theme);
    settings.setValue(kDefaultUrl, defaultUrl);
    settings.setValue(kViaTap, viaTap);
    settings.setValue(kMaxMessage, maxIncomingMessageSize);
    settings.setValue(kTimeout, qint64(handshakeTimeout.count()));
    settings.setValue(kRestoreTabs, restoreTabs);
}

} // namespace wslab
