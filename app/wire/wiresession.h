#pragma once

#include "wiredecoder.h"
#include "wiretap.h"

#include <QList>
#include <QNetworkProxy>
#include <QObject>
#include <QSslCertificate>
#include <QSslConfiguration>

namespace wslab {

// Where the tap relays to, and how it reaches it.
struct WireTarget
{
    QString host; // as the client asks the tap for it (punycode for an internationalized name)
    quint16 port = 0;
    // wss://: the tap ends the client's TLS with a certificate made for this run, which only
    // this client trusts (WireSession::clientTrust()), and opens its own TLS to the server with
    // `tlsConfiguration` (the verification the user chose), so it sees plain HTTP and frames.
    bool tls = false;
    QSslConfiguration tlsConfiguration = QSslConfiguration::defaultConfiguration();
    // The tap reaches the server through this proxy (HTTP CONNECT or SOCKS5), if any.
    QNetworkProxy proxy = QNetworkProxy(QNetworkProxy::NoProxy);
};

// A WireTap and its decoder: raw chunks in, decoded WireEvents out, in the order they crossed.
class WireSession : public QObject
{
    Q_OBJECT

public:
    explicit WireSession(QObject *parent = nullptr);

    WireTap *tap() { return &m_tap; }
    // Sets the only target the tap relays to and starts listening on 127.0.0.1.
    bool start(const QString &host, quint16 port);
    // The same, through `target.proxy`; for `target.tls`, the tap ends the client's TLS with a
    // certificate made now for target.host (an address as an address) and verifies the server
    // with target.tlsConfiguration, presenting its client certificate if it has one.
    bool start(const WireTarget &target);
    // The certificates the client must trust, and only those, for its TLS to the tap. Empty
    // when the tap relays TLS records without decoding them (the client then verifies the
    // server itself).
    QList<QSslCertificate> clientTrust() const { return m_clientTrust; }
    // Why start() failed when it was not the listening (the tap's certificate could not be
    // made for the target's name); empty otherwise.
    QString errorString() const { return m_error; }

Q_SIGNALS:
    void event(const wslab::WireEvent &event);

private:
    void emitEvent(WireEvent::Kind kind, quint64 connection, Direction direction, Phase phase,
                   const QString &text, qint64 timeNs);

    WireTap m_tap;
    WireDecoder m_decoder;
    QList<QSslCertificate> m_clientTrust;
    QString m_error;
};

} // namespace wslab

Q_DECLARE_METATYPE(wslab::WireEvent)
