#pragma once

#include "clientsession.h"

#include <QString>

#include <chrono>

class QSettings;

namespace wslab {

// What the Preferences dialog sets, as kept in the settings (QSettings). Every value has a
// default, so a fresh install and a settings file from an older WsLab both read well.
struct Preferences
{
    QString language; // "en" or "zh_CN"; empty: the system's (main.cpp reads "language" too)
    QString theme = QStringLiteral("system"); // themeFromName(): dark, light or system; at start
    QString defaultUrl; // a new tab's URL; empty: the embedded server's /ws
    bool viaTap = true; // a new tab's "through the wire tap"
    qint64 maxIncomingMessageSize
        = defaultClientMaxMessageSize; // the client refuses more with 1009
    std::chrono::milliseconds handshakeTimeout
        = ClientSession::defaultHandshakeTimeout; // the client's, connect to 101
    bool restoreTabs = false; // reopen the last session's tabs (URLs and options) on start

    static constexpr qint64 minMessageSize = 125; // a control frame's payload always fits
    static constexpr std::chrono::milliseconds minHandshakeTimeout { 100 };

    static Preferences load(const QSettings &settings);
    void save(QSettings &settings) const;

    friend bool operator==(const Preferences &, const Preferences &) = default;
};

} // namespace wslab
