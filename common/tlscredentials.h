#pragma once

// The certificate and key behind wss:// and https://: loaded from PEM files the teacher has,
// or made on the spot (self-signed) for a classroom without a CA.
//
// Errors are one line of text a person can act on (which file, what is wrong, what to do).
// Qt cannot make certificates, so making them goes through OpenSSL's libcrypto; the results are
// ordinary QSslCertificate/QSslKey values for Qt's OpenSSL TLS backend.

#include <QDateTime>
#include <QHostAddress>
#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QStringList>

#include <optional>

namespace wslab {

struct TlsCredentials
{
    QSslCertificate certificate; // the leaf: the server's own certificate
    QList<QSslCertificate> chain; // intermediates after the leaf, in order; may be empty
    QSslKey key; // the leaf's private key

    bool isNull() const { return certificate.isNull() || key.isNull(); }
};

// Reads `certFile` (the leaf, optionally followed by its chain) and `keyFile` (a PEM private
// key: EC, or RSA of at least 2048 bits; it may be the same file). The leaf is the certificate
// whose public key matches the key, wherever it stands in the file; the others become the
// chain, in their order.
//
// A passphrase-protected key needs `passphrase`; WsLab keeps the key unencrypted in memory.
//
// A certificate outside its validity period is still returned (a teacher may want to show what
// a browser says about it, or the machine's clock is wrong): `*warning` says so, empty
// otherwise. Everything else that is wrong returns nullopt with `*error` set.
std::optional<TlsCredentials> loadTlsCredentials(const QString &certFile, const QString &keyFile,
                                                 QString *error, QString *warning = nullptr,
                                                 const QByteArray &passphrase = {});

// Empty if `certificate` is valid at `now`, otherwise one line saying since or until when
// it is not (in UTC).
QString validityWarning(const QSslCertificate &certificate,
                        const QDateTime &now = QDateTime::currentDateTimeUtc());

// Longest validity of a generated certificate: Apple's limit for TLS server certificates
// (iOS 13 / macOS 10.15 reject longer ones, even when trusted by hand).
inline constexpr int maxSelfSignedDays = 825;

// A fresh EC P-256 key and a self-signed X.509 v3 certificate for it, valid from an hour ago
// (clocks in a classroom differ) for `days` days (at most maxSelfSignedDays).
//
// Every host name and address goes into subjectAltName, which is what browsers and Python
// check; CN is the first host name, or "WsLab classroom". A host name that is an IP address
// ("192.168.1.20") is certified as an address. Host names may be internationalized (stored as
// punycode) and may start with "*." (a wildcard). At least one name or address is needed.
// The certificate is for a TLS server only: CA:FALSE, digitalSignature, serverAuth. (So
// QSslCertificate::isSelfSigned() says false for it: with OpenSSL 3 that also asks whether it
// may sign certificates. Its issuer is its subject; TLS clients call it self-signed.)
//
// On failure returns null credentials and sets `*error`.
TlsCredentials makeSelfSignedCredentials(const QStringList &hostNames,
                                         const QList<QHostAddress> &addresses, QString *error,
                                         int days = maxSelfSignedDays);

// "AB:CD:…" — as browsers and `openssl x509 -noout -fingerprint -sha256` show it, so a
// student can compare the server's certificate with what the browser received.
QString sha256Fingerprint(const QSslCertificate &certificate);

// Writes the leaf and its chain to `certFile`, the unencrypted key to `keyFile` with
// permissions 0600 (owner only). Each file is replaced atomically: a reader sees the old one
// or the new one, never half of either. The same name for both writes one file (certificates,
// then the key) with permissions 0600.
bool saveTlsCredentials(const TlsCredentials &credentials, const QString &certFile,
                        const QString &keyFile, QString *error);

} // namespace wslab
