// What the wire tap says about a server's certificate: one sentence naming the certificate and
// what is wrong with it.

#include "tlscredentials.h"
#include "tlsdescription.h"

#include <QTest>

using namespace wslab;

class tst_TlsDescription : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void certificateProblem_data();
    void certificateProblem();
    void noErrorsNoProblem();
    void summarizesACertificate();
    void protocolNames();

private:
    QSslCertificate m_certificate; // CN=example.org, self-issued, by makeSelfSignedCredentials
};

Q_DECLARE_METATYPE(QList<QSslError::SslError>)

void tst_TlsDescription::initTestCase()
{
    QString error;
    m_certificate
        = makeSelfSignedCredentials({ QStringLiteral("example.org") }, {}, &error, 1).certificate;
    QVERIFY2(!m_certificate.isNull(), qPrintable(error));
}

void tst_TlsDescription::certificateProblem_data()
{
    QTest::addColumn<QList<QSslError::SslError>>("errors");
    QTest::addColumn<QString>("sentence");
    const QString which
        = QStringLiteral("the certificate \"CN=example.org, O=WsLab\" of 127.0.0.1");
    using E = QSslError;
    QTest::newRow("self-signed") << QList { E::SelfSignedCertificate }
                                 << QStringLiteral("TLS refused: %1 is self-signed and not among "
                                                   "the trusted certificates.")
                                        .arg(which);
    // OpenSSL 3's words for a self-issued certificate that may not sign: still self-signed.
    QTest::newRow("unknown issuer, but itself")
        << QList { E::UnableToGetLocalIssuerCertificate, E::UnableToVerifyFirstCertificate }
        << QStringLiteral("TLS refused: %1 is self-signed and not among the trusted certificates.")
               .arg(which);
    QTest::newRow("wrong name wins over untrusted")
        << QList { E::SelfSignedCertificate, E::HostNameMismatch }
        << QStringLiteral("TLS refused: %1 is for example.org, not for 127.0.0.1.").arg(which);
    QTest::newRow("expired") << QList {
        E::CertificateExpired
    } << QStringLiteral("TLS refused: %1 expired on %2.").arg(which, QStringLiteral("EXPIRY"));
    QTest::newRow("not yet valid") << QList { E::CertificateNotYetValid }
                                   << QStringLiteral("TLS refused: %1 is not valid before %2.")
                                          .arg(which, QStringLiteral("EFFECTIVE"));
    QTest::newRow("revoked") << QList { E::CertificateRevoked }
                             << QStringLiteral("TLS refused: %1 has been revoked.").arg(which);
}

void tst_TlsDescription::certificateProblem()
{
    QFETCH(QList<QSslError::SslError>, errors);
    QFETCH(QString, sentence);
    QList<QSslError> sslErrors;
    for (const QSslError::SslError error : errors)
        sslErrors.append(QSslError(error, m_certificate));
    const QString format = QStringLiteral("yyyy-MM-dd HH:mm 'UTC'");
    sentence.replace(QStringLiteral("EXPIRY"), m_certificate.expiryDate().toUTC().toString(format));
    sentence.replace(QStringLiteral("EFFECTIVE"),
                     m_certificate.effectiveDate().toUTC().toString(format));
    QCOMPARE(wslab::certificateProblem(sslErrors, QStringLiteral("127.0.0.1")), sentence);
}

void tst_TlsDescription::noErrorsNoProblem()
{
    QCOMPARE(wslab::certificateProblem({}, QStringLiteral("127.0.0.1")), QString());
    // No certificate known: the host names it.
    QCOMPARE(wslab::certificateProblem({ QSslError(QSslError::CertificateRevoked) },
                                       QStringLiteral("example.org")),
             QStringLiteral("TLS refused: the certificate of example.org has been revoked."));
}

void tst_TlsDescription::summarizesACertificate()
{
    const TlsCertificateSummary summary = summarizeCertificate(m_certificate);
    QCOMPARE(summary.subject, QStringLiteral("CN=example.org, O=WsLab"));
    QCOMPARE(summary.issuer, summary.subject);
    QCOMPARE(summary.sha256, sha256Fingerprint(m_certificate));
    QCOMPARE(summary.sha256.size(), 32 * 3 - 1);
    QVERIFY(summary.notBefore < summary.notAfter);
    QCOMPARE(summary.notAfter.timeSpec(), Qt::UTC);
}

void tst_TlsDescription::protocolNames()
{
    QCOMPARE(tlsProtocolName(QSsl::TlsV1_3), QStringLiteral("TLS 1.3"));
    QCOMPARE(tlsProtocolName(QSsl::TlsV1_2), QStringLiteral("TLS 1.2"));
}

QTEST_GUILESS_MAIN(tst_TlsDescription)
#include "tst_tlsdescription.moc"
