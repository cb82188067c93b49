#include "tlsdescription.h"

#include "tlscredentials.h" // sha256Fingerprint

#include <QCoreApplication>
#include <QSslCipher>
#include <QSslSocket>

namespace wslab {

namespace {

QString distinguishedName(const QSslCertificate &certificate, bool issuer)
{
    struct Attribute
    {
        QSslCertificate::SubjectInfo info;
        const char *name;
    };
    static constexpr Attribute attributes[] = {
        { QSslCertificate::CommonName, "CN" },
        { QSslCertificate::OrganizationalUnitName, "OU" },
        { QSslCertificate::Organization, "O" },
        { QSslCertificate::CountryName, "C" },
    };
    QStringList parts;
    for (const Attribute &attribute : attributes) {
        const QStringList values = issuer ? certificate.issuerInfo(attribute.info)
                                          : certificate.subjectInfo(attribute.info);
        for (const QString &value : values)
            parts.append(QString::fromLatin1(attribute.name) + u'=' + value);
    }
    return parts.join(QStringLiteral(", "));
}

QString dateText(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}

// The names a certificate is for: its subjectAltName entries, else its CN.
QString certifiedNames(const QSslCertificate &certificate)
{
    QStringList names;
    const auto alternatives = certificate.subjectAlternativeNames();
    for (auto it = alternatives.cbegin(); it != alternatives.cend(); ++it)
        names.append(it.value());
    if (names.isEmpty())
        names = certificate.subjectInfo(QSslCertificate::CommonName);
    return names.isEmpty() ? QCoreApplication::translate("wslab::TlsDescription", "no name")
                           : names.join(QStringLiteral(", "));
}

} // namespace

QString tlsProtocolName(QSsl::SslProtocol protocol)
{
    switch (protocol) {
    case QSsl::TlsV1_3:
        return QStringLiteral("TLS 1.3");
    case QSsl::TlsV1_2:
        return QStringLiteral("TLS 1.2");
    case QSsl::DtlsV1_2:
        return QStringLiteral("DTLS 1.2");
    default:
        return QCoreApplication::translate("wslab::TlsDescription", "TLS (an old version)");
    }
}

QString certificateSubject(const QSslCertificate &certificate)
{
    return distinguishedName(certificate, false);
}

QString certificateIssuer(const QSslCertificate &certificate)
{
    return distinguishedName(certificate, true);
}

TlsCertificateSummary summarizeCertificate(const QSslCertificate &certificate)
{
    TlsCertificateSummary summary;
    summary.subject = certificateSubject(certificate);
    summary.issuer = certificateIssuer(certificate);
    summary.notBefore = certificate.effectiveDate().toUTC();
    summary.notAfter = certificate.expiryDate().toUTC();
    summary.sha256 = sha256Fingerprint(certificate);
    return summary;
}

TlsSummary summarizeTls(const QSslSocket &socket, bool verified)
{
    TlsSummary summary;
    const QSslCipher cipher = socket.sessionCipher();
    summary.protocol = tlsProtocolName(socket.sessionProtocol());
    summary.cipher = cipher.name();
    summary.peerName
        = socket.peerVerifyName().isEmpty() ? socket.peerName() : socket.peerVerifyName();
    summary.verified = verified;
    summary.clientCertificate = !socket.localCertificate().isNull();
    for (const QSslCertificate &certificate : socket.peerCertificateChain())
        summary.chain.append(summarizeCertificate(certificate));
    if (summary.chain.isEmpty() && !socket.peerCertificate().isNull())
        summary.chain.append(summarizeCertificate(socket.peerCertificate()));
    return summary;
}

QString certificateProblem(const QList<QSslError> &errors, const QString &host)
{
    if (errors.isEmpty())
        return {};
    // The most telling first: a wrong name or date says more than "untrusted".
    static constexpr QSslError::SslError order[] = {
        QSslError::HostNameMismatch,
        QSslError::CertificateExpired,
        QSslError::CertificateNotYetValid,
        QSslError::SelfSignedCertificate,
        QSslError::SelfSignedCertificateInChain,
        QSslError::UnableToGetLocalIssuerCertificate,
        QSslError::UnableToGetIssuerCertificate,
        QSslError::UnableToVerifyFirstCertificate,
        QSslError::CertificateUntrusted,
        QSslError::CertificateRevoked,
    };
    const QSslError *chosen = &errors.first();
    for (const QSslError::SslError kind : order) {
        const auto it = std::find_if(errors.begin(), errors.end(),
                                     [kind](const QSslError &e) { return e.error() == kind; });
        if (it != errors.end()) {
            chosen = &*it;
            break;
        }
    }
    const QSslCertificate &certificate = chosen->certificate();
    const QString which = certificate.isNull()
        ? QCoreApplication::translate("wslab::TlsDescription", "the certificate of %1").arg(host)
        : QCoreApplication::translate("wslab::TlsDescription", "the certificate \"%1\" of %2")
              .arg(certificateSubject(certificate), host);
    switch (chosen->error()) {
    case QSslError::HostNameMismatch:
        return QCoreApplication::translate("wslab::TlsDescription",
                                           "TLS refused: %1 is for %2, not for %3.")
            .arg(which, certifiedNames(certificate), host);
    case QSslError::CertificateExpired:
        return QCoreApplication::translate("wslab::TlsDescription",
                                           "TLS refused: %1 expired on %2.")
            .arg(which, dateText(certificate.expiryDate()));
    case QSslError::CertificateNotYetValid:
        return QCoreApplication::translate("wslab::TlsDescription",
                                           "TLS refused: %1 is not valid before %2.")
            .arg(which, dateText(certificate.effectiveDate()));
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
        return QCoreApplication::translate(
                   "wslab::TlsDescription",
                   "TLS refused: %1 is self-signed and not among the trusted certificates.")
            .arg(which);
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::CertificateUntrusted:
        // OpenSSL 3 calls a self-issued certificate that may not sign certificates (as WsLab
        // makes them) "unable to get local issuer": to a person it is self-signed.
        if (!certificate.isNull()
            && certificate.issuerDisplayName() == certificate.subjectDisplayName()
            && certificateIssuer(certificate) == certificateSubject(certificate))
            return QCoreApplication::translate(
                       "wslab::TlsDescription",
                       "TLS refused: %1 is self-signed and not among the trusted certificates.")
                .arg(which);
        return QCoreApplication::translate(
                   "wslab::TlsDescription",
                   "TLS refused: %1 is issued by \"%2\", an authority that is not trusted.")
            .arg(which, certificateIssuer(certificate));
    case QSslError::CertificateRevoked:
        return QCoreApplication::translate("wslab::TlsDescription",
                                           "TLS refused: %1 has been revoked.")
            .arg(which);
    default:
        return QCoreApplication::translate("wslab::TlsDescription", "TLS refused: %1: %2.")
            .arg(which, chosen->errorString());
    }
}

} // namespace wslab
