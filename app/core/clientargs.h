#pragma once

#include "connectoptions.h"

#include <QByteArray>
#include <QCommandLineOption>
#include <QPair>
#include <QString>
#include <QUrl>

class QCommandLineParser;

#include <optional>

namespace wslab {

// What a user types as a WebSocket address, checked before any connection is attempted so
// that a typo gets a sentence, not a socket error. "host:port/path" without a scheme is taken
// as ws://; http(s):// is refused with the ws(s):// equivalent suggested.
std::optional<QUrl> parseWebSocketUrl(const QString &text, QString *error);

// "Name: value" as given to --header; the name must be an HTTP token.
std::optional<QPair<QByteArray, QByteArray>> parseHeaderArgument(const QString &text,
                                                                 QString *error);

// The connection flags both programs take (wslab and wslab-client), added to their parser and
// read back into ConnectOptions, with one-line errors naming the flag:
//   --header 'Name: value'  --subprotocol P  --query name=value   (each repeatable)
//   --bearer TOKEN  --basic user:password  --timeout MS
//   --ca FILE  --insecure  --cert FILE  --key FILE  --proxy URL  --reconnect
class ConnectionArguments
{
public:
    ConnectionArguments();
    void addTo(QCommandLineParser &parser) const;
    // Call after the parser has parsed; files named by --ca, --cert and --key are read, so a
    // missing one is reported here rather than at connect time.
    std::optional<ConnectOptions> read(const QCommandLineParser &parser, QString *error) const;
    // Whether any of these flags was given (the window then uses them instead of its saved
    // options).
    bool anySet(const QCommandLineParser &parser) const;

private:
    QCommandLineOption m_header, m_subprotocol, m_query, m_bearer, m_basic, m_timeout, m_ca,
        m_insecure, m_cert, m_key, m_proxy, m_reconnect;
};

} // namespace wslab
