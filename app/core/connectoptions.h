#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>

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

} // namespace wslab
