#pragma once

// What the wire tap says about a TLS connection: the certificates, the version and cipher, and
// why verification failed, in words a student can act on.

#include "wiredecoder.h" // TlsSummary

#include <QList>
#include <QSslError>

class QSslSocket;

namespace wslab {

// "TLS 1.3", "TLS 1.2", ...
QString tlsProtocolName(QSsl::SslProtocol protocol);

// "CN=localhost, O=WsLab": the attributes a person recognizes, most specific first.
QString certificateSubject(const QSslCertificate &certificate);
QString certificateIssuer(const QSslCertificate &certificate);

TlsCertificateSummary summarizeCertificate(const QSslCertificate &certificate);

// The encrypted socket's negotiated protocol, cipher and the peer's chain. `verified`: the
// chain was checked (false when the configuration turned verification off).
TlsSummary summarizeTls(const QSslSocket &socket, bool verified);

// One sentence: which certificate and what is wrong with it (self-signed, unknown issuer,
// expired, not yet valid, for another name), for `host`. The first error that is about a
// certificate wins; empty if `errors` is empty.
QString certificateProblem(const QList<QSslError> &errors, const QString &host);

} // namespace wslab
