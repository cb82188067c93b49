#pragma once

#include <QByteArray>
#include <QList>
#include <QNetworkProxy>
#include <QNetworkRequest>
#include <QPair>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QVariantMap>
#include <QWebSocketHandshakeOptions>

#include <chrono>
#include <optional>

namespace wslab {

// Everything about how a client connects, besides the URL: what the Connect options dialog,
// `wslab --header …` and `wslab-client --subprotocol …` set. A value type: a tab duplicates
// its connection by copying it, and the settings keep it.
struct ConnectOptions
{
    // Extra handshake headers, in order, exactly as sent.
    QList<QPair<QByteArray, QByteArray>> headers;
    // Subprotocols offered in Sec-WebSocket-Protocol, in order of preference.
    QStringList subprotocols;
    // Query parameters added to the URL's own.
    QList<QPair<QString, QString>> query;
    // From connect to the 101: DNS, TCP, TLS and the HTTP handshake.
    std::chrono::milliseconds timeout { 10'000 };

    struct Tls
    {
        bool verify = true; // off: any certificate is accepted, with a visible warning
        QString caFile; // PEM certificates trusted besides the system's
        QString certificateFile; // the client's own, for mutual TLS
        QString keyFile;

        friend bool operator==(const Tls &, const Tls &) = default;
    } tls;

    QUrl proxy; // empty: none; http://[user:pass@]host:port (CONNECT) or socks5://…
    bool reconnect = false; // after the server closes or the connection drops, with backoff

    friend bool operator==(const ConnectOptions &, const ConnectOptions &) = default;
};

// Pure functions over ConnectOptions. Each failure is one line naming the field (the same
// words as the dialog and the command-line flags) and what is wrong.

// `url` with `query` appended to its own query, in order (percent-encoded as needed).
QUrl urlWithQuery(const QUrl &url, const QList<QPair<QString, QString>> &query);

// "Authorization: Bearer TOKEN". The token must be non-empty and without spaces or line breaks.
std::optional<QPair<QByteArray, QByteArray>> bearerAuthorization(const QString &token,
                                                                 QString *error);
// "Authorization: Basic base64(user:password)" from "user:password" (RFC 7617).
std::optional<QPair<QByteArray, QByteArray>> basicAuthorization(const QString &userColonPassword,
                                                                QString *error);

// What QWebSocket::open() takes: the request (URL with the query, the extra headers) and the
// subprotocols offered. Checks header names and values and subprotocol names (HTTP tokens).
struct Handshake
{
    QNetworkRequest request;
    QWebSocketHandshakeOptions options;
};
std::optional<Handshake> makeHandshake(const QUrl &url, const ConnectOptions &options,
                                       QString *error);

// How to verify the server and what to show it: the system's CAs, `extraTrusted` and the PEM
// certificates in tls.caFile; verification off (VerifyNone) when !tls.verify; the client's
// certificate and key for mutual TLS (both or neither; the key must belong to the certificate).
std::optional<QSslConfiguration> makeTlsConfiguration(const ConnectOptions::Tls &tls,
                                                      const QList<QSslCertificate> &extraTrusted,
                                                      QString *error);

// http://[user:password@]host[:port] (CONNECT; port 8080 by default) or
// socks5://[user:password@]host[:port] (port 1080). An empty URL: no proxy.
std::optional<QNetworkProxy> makeProxy(const QUrl &url, QString *error);

// Everything above, so that a bad option fails before any connection is attempted.
bool checkConnectOptions(const ConnectOptions &options, QString *error);

// "name=value" as given to --query; the name may not be empty.
std::optional<QPair<QString, QString>> parseQueryArgument(const QString &text, QString *error);

// For the settings ("connect/options", a tab's saved state): every field as plain strings, so
// the settings file reads and edits by hand (a header as its line on the wire, "Name: value").
// Missing or mistyped entries keep `base`'s value: a state saved by an older WsLab restores.
QVariantMap toVariantMap(const ConnectOptions &options);
ConnectOptions connectOptionsFromVariantMap(const QVariantMap &map,
                                            const ConnectOptions &base = {});

// A short description of what differs from the defaults ("2 headers, subprotocol chat"); empty
// when nothing does.
QString connectOptionsSummary(const ConnectOptions &options);

} // namespace wslab
