#pragma once

#include <QByteArray>
#include <QPair>
#include <QString>
#include <QUrl>

#include <optional>

namespace wslab {

// What a user types as a WebSocket address, checked before any connection is attempted so
// that a typo gets a sentence, not a socket error. "host:port/path" without a scheme is taken
// as ws://; http(s):// is refused with the ws(s):// equivalent suggested.
std::optional<QUrl> parseWebSocketUrl(const QString &text, QString *error);

// "Name: value" as given to --header; the name must be an HTTP token.
std::optional<QPair<QByteArray, QByteArray>> parseHeaderArgument(const QString &text,
                                                                 QString *error);

} // namespace wslab
