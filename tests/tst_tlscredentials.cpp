// The classroom server's certificates: what a browser or a student's program would check
// (names, validity, key, fingerprint), a real TLS handshake with them, and the errors a teacher
// sees for the files they give. The openssl tool is the independent judge; it is a Debian
// package that scripts/test installs, and a missing one fails the tests that need it.

#include "testutil.h"
#include "tlscredentials.h"

#include <QSignalSpy>
#include <QSslConfiguration>
#include <QSslServer>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace wslab;
using namespace wslab::test;

class tst_TlsCredentials : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void certificateNamesEveryHostAndAddress_data();
    void certificateNamesEveryHostAndAddress();
    void certificateIsForATlsServerAndValidNow();
    void unusableNamesAreRefused_data();
    void unusableNamesAreRefused();
    void fingerprintIsWhatOpensslShows();
    void handshake_data();
    void handshake();
    void saveThenLoadGivesTheSameAndKeyIsOwnerOnly();
    void loadsKeysMadeElsewhere_data();
    void loadsKeysMadeElsewhere();
    void loadSaysWhatIsWrong_data();
    void loadSaysWhatIsWrong();
    void validityWarning_data();
    void validityWarning();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    bool writeFile(const QString &name, const QByteArray &bytes) const;

    QTemporaryDir m_dir;
    TlsCredentials m_credentials; // made once: localhost, 127.0.0.1, teacher-pc.local
};

namespace {

struct OpensslRun
{
    bool ok = false;
    QByteArray out;
    QByteArray problem;
};

// The openssl tool, run to completion.
OpensslRun openssl(const QStringList &arguments)
{
    OpensslRun run;
    const QString program = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (program.isEmpty()) {
        run.problem = "openssl (Debian package openssl) is missing: run scripts/test";
        return run;
    }
    const ProcessResult result = runProcess(program, arguments);
    run.ok = result.finished && result.exitCode == 0;
    run.out = result.out;
    run.problem = "openssl " + arguments.join(u' ').toUtf8() + " failed: " + result.err;
    return run;
}

QList<QHostAddress> sorted(QList<QHostAddress> addresses)
{
    std::sort(addresses.begin(), addresses.end(), [](const QHostAddress &a, const QHostAddress &b) {
        return a.toString() < b.toString();
    });
    return addresses;
}

// What a client reads in the certificate's subjectAltName.
QList<QHostAddress> ipEntries(const QSslCertificate &certificate)
{
    QList<QHostAddress> addresses;
    for (const QString &text : certificate.subjectAlternativeNames().values(QSsl::IpAddressEntry))
        addresses.append(QHostAddress(text));
    return sorted(addresses);
}

QStringList dnsEntries(const QSslCertificate &certificate)
{
    QStringList names = certificate.subjectAlternativeNames().values(QSsl::DnsEntry);
    names.sort();
    return names;
}

QHostAddress address(const char *text)
{
    return QHostAddress(QString::fromLatin1(text));
}

} // namespace

bool tst_TlsCredentials::writeFile(const QString &name, const QByteArray &bytes) const
{
    QFile file(path(name));
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

void tst_TlsCredentials::initTestCase()
{
    QVERIFY2(QSslSocket::supportsSsl(),
             "Qt's OpenSSL TLS backend is not available (Debian package libssl3)");
    QVERIFY(m_dir.isValid());
    QString error;
    m_credentials = makeSelfSignedCredentials(
        { QStringLiteral("localhost"), QStringLiteral("teacher-pc.local") },
        { QHostAddress(QHostAddress::LocalHost) }, &error);
    QVERIFY2(!m_credentials.isNull(), qPrintable(error));

    // Files for loadSaysWhatIsWrong.
    const TlsCredentials other
        = makeSelfSignedCredentials({ QStringLiteral("other.test") }, {}, &error);
    QVERIFY2(!other.isNull(), qPrintable(error));
    QVERIFY(writeFile(QStringLiteral("good.crt"), m_credentials.certificate.toPem()));
    QVERIFY(writeFile(QStringLiteral("good.key"), m_credentials.key.toPem()));
    QVERIFY(writeFile(QStringLiteral("other.key"), other.key.toPem()));
    QVERIFY(writeFile(QStringLiteral("two.crt"),
                      other.certificate.toPem() + other.certificate.toPem()));
    QVERIFY(writeFile(QStringLiteral("garbage"), "This is a shopping list, not a certificate.\n"));
    QVERIFY(writeFile(QStringLiteral("der.crt"), m_credentials.certificate.toDer()));
    QVERIFY(writeFile(QStringLiteral("encrypted.key"),
                      m_credentials.key.toPem(QByteArrayLiteral("secret"))));
    QByteArray damaged = m_credentials.certificate.toPem();
    damaged.replace(100, 40, QByteArray(40, 'A'));
    QVERIFY(writeFile(QStringLiteral("damaged.crt"), damaged));
    QVERIFY(writeFile(QStringLiteral("huge.crt"), QByteArray(2 * 1024 * 1024, '-')));
}

void tst_TlsCredentials::certificateNamesEveryHostAndAddress_data()
{
    QTest::addColumn<QStringList>("hostNames");
    QTest::addColumn<QList<QHostAddress>>("addresses");
    QTest::addColumn<QStringList>("dns");
    QTest::addColumn<QList<QHostAddress>>("ips");
    QTest::addColumn<QString>("commonName");

    const QString classroom = QStringLiteral("WsLab classroom");
    QTest::newRow("localhost and both loopbacks")
        << QStringList { QStringLiteral("localhost") }
        << QList<QHostAddress> { QHostAddress(QHostAddress::LocalHost),
                                 QHostAddress(QHostAddress::LocalHostIPv6) }
        << QStringList { QStringLiteral("localhost") }
        << QList<QHostAddress> { address("127.0.0.1"), address("::1") }
        << QStringLiteral("localhost");
    QTest::newRow("a classroom LAN")
        << QStringList { QStringLiteral("teacher-pc.local"), QStringLiteral("teacher-pc") }
        << QList<QHostAddress> { address("192.168.1.20"), address("10.0.0.7") }
        << QStringList { QStringLiteral("teacher-pc"), QStringLiteral("teacher-pc.local") }
        << QList<QHostAddress> { address("10.0.0.7"), address("192.168.1.20") }
        << QStringLiteral("teacher-pc.local");
    QTest::newRow("addresses only")
        << QStringList {} << QList<QHostAddress> { address("10.1.2.3") } << QStringList {}
        << QList<QHostAddress> { address("10.1.2.3") } << classroom;
    QTest::newRow("an address given as a host name is certified as an address")
        << QStringList { QStringLiteral("192.168.1.20") } << QList<QHostAddress> {}
        << QStringList {} << QList<QHostAddress> { address("192.168.1.20") }
        << QStringLiteral("192.168.1.20");
    QTest::newRow("Chinese host name as punycode")
        << QStringList { QStringLiteral("教室.example") } << QList<QHostAddress> {}
        << QStringList { QStringLiteral("xn--wbtt9t.example") } << QList<QHostAddress> {}
        << QStringLiteral("xn--wbtt9t.example");
    QTest::newRow("wildcard, case and trailing dot; duplicates once")
        << QStringList { QStringLiteral("*.classroom.test"),
                         QStringLiteral("Teacher.Classroom.Test"),
                         QStringLiteral("teacher.classroom.test.") }
        << QList<QHostAddress> { address("10.0.0.1"), address("10.0.0.1") }
        << QStringList { QStringLiteral("*.classroom.test"),
                         QStringLiteral("teacher.classroom.test") }
        << QList<QHostAddress> { address("10.0.0.1") } << QStringLiteral("*.classroom.test");
    QTest::newRow("link-local address without its scope")
        << QStringList {} << QList<QHostAddress> { address("fe80::1%lo") } << QStringList {}
        << QList<QHostAddress> { address("fe80::1") } << classroom;
    QTest::newRow("a name too long for CN is still in the SANs")
        << QStringList { QString(60, u'a') + QStringLiteral(".example") } << QList<QHostAddress> {}
        << QStringList { QString(60, u'a') + QStringLiteral(".example") } << QList<QHostAddress> {}
        << classroom;
}

void tst_TlsCredentials::certificateNamesEveryHostAndAddress()
{
    QFETCH(QStringList, hostNames);
    QFETCH(QList<QHostAddress>, addresses);
    QFETCH(QStringList, dns);
    QFETCH(QList<QHostAddress>, ips);
    QFETCH(QString, commonName);

    QString error;
    const TlsCredentials made = makeSelfSignedCredentials(hostNames, addresses, &error);
    QVERIFY2(!made.isNull(), qPrintable(error));
    QCOMPARE(dnsEntries(made.certificate), dns);
    QCOMPARE(ipEntries(made.certificate), sorted(ips));
    QCOMPARE(made.certificate.subjectInfo(QSslCertificate::CommonName), QStringList { commonName });
    QVERIFY(made.chain.isEmpty());
}

void tst_TlsCredentials::certificateIsForATlsServerAndValidNow()
{
    const QSslCertificate &certificate = m_credentials.certificate;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // Issued by itself. (QSslCertificate::isSelfSigned() says false: with OpenSSL 3 it also
    // asks whether the certificate may sign certificates, which a server certificate may not.)
    QCOMPARE(certificate.issuerInfo(QSslCertificate::CommonName),
             certificate.subjectInfo(QSslCertificate::CommonName));
    QCOMPARE(certificate.issuerInfo(QSslCertificate::Organization),
             QStringList { QStringLiteral("WsLab") });
    QCOMPARE(certificate.version(), QByteArray("3"));
    QVERIFY(certificate.effectiveDate() <= now && now <= certificate.expiryDate());
    // An hour of slack for a student's clock, and no longer than Apple accepts.
    QVERIFY(qAbs(certificate.effectiveDate().secsTo(now) - 3600) < 120);
    QVERIFY(qAbs(now.daysTo(certificate.expiryDate()) - maxSelfSignedDays) <= 1);
    QCOMPARE(m_credentials.key.algorithm(), QSsl::Ec);
    QCOMPARE(m_credentials.key.type(), QSsl::PrivateKey);
    QVERIFY(wslab::validityWarning(certificate).isEmpty());

    // What OpenSSL reads in it: the extensions clients check, and the key that belongs to it.
    QVERIFY(writeFile(QStringLiteral("made.crt"), certificate.toPem()));
    QVERIFY(writeFile(QStringLiteral("made.key"), m_credentials.key.toPem()));
    const OpensslRun text
        = openssl({ QStringLiteral("x509"), QStringLiteral("-noout"), QStringLiteral("-ext"),
                    QStringLiteral("basicConstraints,keyUsage,extendedKeyUsage,"
                                   "subjectAltName"),
                    QStringLiteral("-in"), path(QStringLiteral("made.crt")) });
    QVERIFY2(text.ok, text.problem.constData());
    const QByteArray extensions = text.out.simplified();
    for (const char *expected :
         { "X509v3 Basic Constraints: critical CA:FALSE",
           "X509v3 Key Usage: critical Digital Signature",
           "X509v3 Extended Key Usage: TLS Web Server Authentication",
           "X509v3 Subject Alternative Name: DNS:localhost, DNS:teacher-pc.local, IP "
           "Address:127.0.0.1" }) {
        QVERIFY2(extensions.contains(expected), extensions.constData());
    }
    const OpensslRun certKey
        = openssl({ QStringLiteral("x509"), QStringLiteral("-noout"), QStringLiteral("-pubkey"),
                    QStringLiteral("-in"), path(QStringLiteral("made.crt")) });
    QVERIFY2(certKey.ok, certKey.problem.constData());
    const OpensslRun keyKey = openssl({ QStringLiteral("pkey"), QStringLiteral("-pubout"),
                                        QStringLiteral("-in"), path(QStringLiteral("made.key")) });
    QVERIFY2(keyKey.ok, keyKey.problem.constData());
    QVERIFY(certKey.out.startsWith("-----BEGIN PUBLIC KEY-----"));
    QCOMPARE(keyKey.out, certKey.out);
    const OpensslRun verify
        = openssl({ QStringLiteral("verify"), QStringLiteral("-purpose"),
                    QStringLiteral("sslserver"), QStringLiteral("-CAfile"),
                    path(QStringLiteral("made.crt")), path(QStringLiteral("made.crt")) });
    QVERIFY2(verify.ok, verify.problem.constData());
}

void tst_TlsCredentials::unusableNamesAreRefused_data()
{
    QTest::addColumn<QStringList>("hostNames");
    QTest::addColumn<QList<QHostAddress>>("addresses");
    QTest::addColumn<int>("days");
    QTest::addColumn<QString>("expected");

    QTest::newRow("nothing to certify")
        << QStringList {} << QList<QHostAddress> {} << maxSelfSignedDays
        << QStringLiteral("at least one host name or IP address");
    QTest::newRow("underscore") << QStringList { QStringLiteral("my_pc") } << QList<QHostAddress> {}
                                << maxSelfSignedDays
                                << QStringLiteral("“my_pc” is not a host name");
    QTest::newRow("space") << QStringList { QStringLiteral("my pc") } << QList<QHostAddress> {}
                           << maxSelfSignedDays << QStringLiteral("“my pc” is not a host name");
    QTest::newRow("empty name") << QStringList { QString() } << QList<QHostAddress> {}
                                << maxSelfSignedDays << QStringLiteral("“” is not a host name");
    QTest::newRow("the any address")
        << QStringList {} << QList<QHostAddress> { QHostAddress(QHostAddress::AnyIPv4) }
        << maxSelfSignedDays << QStringLiteral("0.0.0.0 is not an address a client can connect to");
    QTest::newRow("the any address as a name")
        << QStringList { QStringLiteral("::") } << QList<QHostAddress> {} << maxSelfSignedDays
        << QStringLiteral(":: is not an address a client can connect to");
    QTest::newRow("longer than Apple accepts")
        << QStringList { QStringLiteral("localhost") } << QList<QHostAddress> {}
        << maxSelfSignedDays + 1 << QStringLiteral("valid for 1 to 825 days, not 826");
    QTest::newRow("no days") << QStringList { QStringLiteral("localhost") }
                             << QList<QHostAddress> {} << 0
                             << QStringLiteral("valid for 1 to 825 days, not 0");
}

void tst_TlsCredentials::unusableNamesAreRefused()
{
    QFETCH(QStringList, hostNames);
    QFETCH(QList<QHostAddress>, addresses);
    QFETCH(int, days);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(makeSelfSignedCredentials(hostNames, addresses, &error, days).isNull());
    QVERIFY2(error.contains(expected), qPrintable(error));
}

void tst_TlsCredentials::fingerprintIsWhatOpensslShows()
{
    const QString fingerprint = sha256Fingerprint(m_credentials.certificate);
    QCOMPARE(fingerprint.size(), 32 * 3 - 1);
    QVERIFY(writeFile(QStringLiteral("fingerprint.crt"), m_credentials.certificate.toPem()));
    const OpensslRun run
        = openssl({ QStringLiteral("x509"), QStringLiteral("-noout"),
                    QStringLiteral("-fingerprint"), QStringLiteral("-sha256"),
                    QStringLiteral("-in"), path(QStringLiteral("fingerprint.crt")) });
    QVERIFY2(run.ok, run.problem.constData());
    // "sha256 Fingerprint=AB:CD:…" (the label's case differs between OpenSSL versions)
    const QByteArray line = run.out.trimmed();
    QVERIFY2(line.contains('='), line.constData());
    QCOMPARE(fingerprint, QString::fromLatin1(line.mid(line.indexOf('=') + 1)));
    QVERIFY(sha256Fingerprint(QSslCertificate()).isEmpty());
}

void tst_TlsCredentials::handshake_data()
{
    QTest::addColumn<bool>("trusted"); // the client has the certificate as a CA
    QTest::addColumn<QString>("peerName"); // the name the client checks; empty: the address
    QTest::addColumn<QList<int>>("errors"); // QSslError::SslError

    QTest::newRow("trusted, by address") << true << QString() << QList<int> {};
    QTest::newRow("trusted, by host name")
        << true << QStringLiteral("teacher-pc.local") << QList<int> {};
    QTest::newRow("trusted, localhost") << true << QStringLiteral("localhost") << QList<int> {};
    QTest::newRow("a name not in the certificate") << true << QStringLiteral("elsewhere.example")
                                                   << QList<int> { QSslError::HostNameMismatch };
    QTest::newRow("not trusted") << false << QString()
                                 << QList<int> { QSslError::SelfSignedCertificate };
}

void tst_TlsCredentials::handshake()
{
    QFETCH(bool, trusted);
    QFETCH(QString, peerName);
    QFETCH(QList<int>, errors);

    QSslServer server;
    QSslConfiguration serverConfig = QSslConfiguration::defaultConfiguration();
    serverConfig.setLocalCertificate(m_credentials.certificate);
    serverConfig.setPrivateKey(m_credentials.key);
    server.setSslConfiguration(serverConfig);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QSignalSpy accepted(&server, &QSslServer::pendingConnectionAvailable);

    QSslSocket client;
    QSslConfiguration clientConfig = QSslConfiguration::defaultConfiguration();
    if (trusted)
        clientConfig.addCaCertificate(m_credentials.certificate);
    client.setSslConfiguration(clientConfig);
    QList<int> seen;
    connect(&client, &QSslSocket::sslErrors, this, [&](const QList<QSslError> &sslErrors) {
        for (const QSslError &e : sslErrors)
            seen.append(e.error());
    });
    QSignalSpy encrypted(&client, &QSslSocket::encrypted);
    QSignalSpy disconnected(&client, &QSslSocket::disconnected);
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.serverPort(), peerName);

    if (!errors.isEmpty()) {
        QTRY_VERIFY(!seen.isEmpty());
        QCOMPARE(seen, errors);
        QTRY_COMPARE(disconnected.count(), 1);
        QCOMPARE(encrypted.count(), 0);
        return;
    }
    QTRY_COMPARE(encrypted.count(), 1);
    QCOMPARE(seen, QList<int> {});
    QCOMPARE(client.peerCertificate(), m_credentials.certificate);
    QTRY_COMPARE(accepted.count(), 1);
    auto *peer = qobject_cast<QSslSocket *>(server.nextPendingConnection());
    QVERIFY(peer);
    QVERIFY(peer->isEncrypted());

    // A line each way, through the encryption.
    peer->write("hello from the classroom server\n");
    QTRY_VERIFY(client.canReadLine());
    QCOMPARE(client.readLine(), QByteArray("hello from the classroom server\n"));
    client.write("你好 from a student\n");
    QTRY_VERIFY(peer->canReadLine());
    QCOMPARE(QString::fromUtf8(peer->readLine()), QStringLiteral("你好 from a student\n"));
}

void tst_TlsCredentials::saveThenLoadGivesTheSameAndKeyIsOwnerOnly()
{
    QString error;
    // A chain of one: another certificate stands in for an intermediate.
    TlsCredentials saved = m_credentials;
    const TlsCredentials other
        = makeSelfSignedCredentials({ QStringLiteral("intermediate.test") }, {}, &error);
    QVERIFY2(!other.isNull(), qPrintable(error));
    saved.chain = { other.certificate };

    // An existing world-readable key file is replaced by an owner-only one.
    const QString cert = path(QStringLiteral("saved.crt"));
    const QString key = path(QStringLiteral("saved.key"));
    QVERIFY(writeFile(QStringLiteral("saved.key"), "old key\n"));
    QVERIFY(QFile::setPermissions(key,
                                  QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                      | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    QVERIFY2(saveTlsCredentials(saved, cert, key, &error), qPrintable(error));
    struct stat keyStat;
    QCOMPARE(::stat(QFile::encodeName(key).constData(), &keyStat), 0);
    QCOMPARE(keyStat.st_mode & 0777, mode_t(0600));

    QString warning = QStringLiteral("not cleared");
    const auto loaded = loadTlsCredentials(cert, key, &error, &warning);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(loaded->certificate, saved.certificate);
    QCOMPARE(loaded->chain, saved.chain);
    QCOMPARE(loaded->key, saved.key);
    QCOMPARE(warning, QString());

    // A key Qt wrote with a passphrase (OpenSSL's traditional encrypted form) loads with it.
    QVERIFY(writeFile(QStringLiteral("protected.key"),
                      m_credentials.key.toPem(QByteArrayLiteral("open sesame"))));
    const auto unlocked = loadTlsCredentials(cert, path(QStringLiteral("protected.key")), &error,
                                             nullptr, QByteArrayLiteral("open sesame"));
    QVERIFY2(unlocked, qPrintable(error));
    QCOMPARE(unlocked->key, m_credentials.key);

    // One file for both: what some servers take, and still owner-only.
    const QString both = path(QStringLiteral("both.pem"));
    QVERIFY2(saveTlsCredentials(m_credentials, both, both, &error), qPrintable(error));
    QCOMPARE(::stat(QFile::encodeName(both).constData(), &keyStat), 0);
    QCOMPARE(keyStat.st_mode & 0777, mode_t(0600));
    const auto fromOne = loadTlsCredentials(both, both, &error);
    QVERIFY2(fromOne, qPrintable(error));
    QCOMPARE(fromOne->certificate, m_credentials.certificate);
    QCOMPARE(fromOne->key, m_credentials.key);

    // A directory that does not exist: nothing is written, and the error names the file.
    const QString nowhere = path(QStringLiteral("no/such/dir/key.pem"));
    QVERIFY(!saveTlsCredentials(m_credentials, path(QStringLiteral("c.pem")), nowhere, &error));
    QVERIFY2(error.startsWith(QStringLiteral("Cannot write ") + nowhere), qPrintable(error));
    QVERIFY(!QFile::exists(path(QStringLiteral("c.pem"))));
}

void tst_TlsCredentials::loadsKeysMadeElsewhere_data()
{
    QTest::addColumn<QStringList>("genpkey"); // openssl genpkey arguments
    QTest::addColumn<bool>("traditional"); // converted to OpenSSL's older form ("RSA PRIVATE KEY")
    QTest::addColumn<QByteArray>("passphrase");
    QTest::addColumn<QSsl::KeyAlgorithm>("algorithm");

    const QStringList rsa { QStringLiteral("-algorithm"), QStringLiteral("RSA"),
                            QStringLiteral("-pkeyopt"), QStringLiteral("rsa_keygen_bits:2048") };
    const QStringList ec { QStringLiteral("-algorithm"), QStringLiteral("EC"),
                           QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-384") };
    const QStringList encrypted { QStringLiteral("-aes-256-cbc"), QStringLiteral("-pass"),
                                  QStringLiteral("pass:correct horse") };
    QTest::newRow("RSA") << rsa << false << QByteArray() << QSsl::Rsa;
    QTest::newRow("EC P-384") << ec << false << QByteArray() << QSsl::Ec;
    QTest::newRow("RSA, traditional form") << rsa << true << QByteArray() << QSsl::Rsa;
    QTest::newRow("EC, traditional form") << ec << true << QByteArray() << QSsl::Ec;
    QTest::newRow("EC with a passphrase")
        << ec + encrypted << false << QByteArray("correct horse") << QSsl::Ec;
    QTest::newRow("RSA with a passphrase, traditional form")
        << rsa + encrypted << true << QByteArray("correct horse") << QSsl::Rsa;
}

void tst_TlsCredentials::loadsKeysMadeElsewhere()
{
    QFETCH(QStringList, genpkey);
    QFETCH(bool, traditional);
    QFETCH(QByteArray, passphrase);
    QFETCH(QSsl::KeyAlgorithm, algorithm);

    QString key = path(QStringLiteral("elsewhere.key"));
    const QString cert = path(QStringLiteral("elsewhere.crt"));
    const OpensslRun made
        = openssl(QStringList { QStringLiteral("genpkey"), QStringLiteral("-out"), key } + genpkey);
    QVERIFY2(made.ok, made.problem.constData());
    if (traditional) {
        const QString converted = path(QStringLiteral("elsewhere-traditional.key"));
        QStringList pkey { QStringLiteral("pkey"), QStringLiteral("-traditional"),
                           QStringLiteral("-in"),  key,
                           QStringLiteral("-out"), converted };
        if (!passphrase.isEmpty()) {
            const QString pass = QStringLiteral("pass:") + QString::fromLatin1(passphrase);
            pkey << QStringLiteral("-passin") << pass << QStringLiteral("-passout") << pass
                 << QStringLiteral("-aes-128-cbc");
        }
        const OpensslRun run = openssl(pkey);
        QVERIFY2(run.ok, run.problem.constData());
        key = converted;
        QFile file(key);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray pem = file.readAll();
        QVERIFY2(pem.contains(algorithm == QSsl::Rsa ? "-----BEGIN RSA PRIVATE KEY-----"
                                                     : "-----BEGIN EC PRIVATE KEY-----"),
                 pem.constData());
        QCOMPARE(pem.contains("Proc-Type: 4,ENCRYPTED"), !passphrase.isEmpty());
    }
    QStringList req { QStringLiteral("req"),   QStringLiteral("-x509"),
                      QStringLiteral("-key"),  key,
                      QStringLiteral("-subj"), QStringLiteral("/CN=elsewhere.test"),
                      QStringLiteral("-days"), QStringLiteral("2"),
                      QStringLiteral("-out"),  cert };
    if (!passphrase.isEmpty())
        req << QStringLiteral("-passin")
            << QStringLiteral("pass:") + QString::fromLatin1(passphrase);
    const OpensslRun signed_ = openssl(req);
    QVERIFY2(signed_.ok, signed_.problem.constData());

    QString error;
    const auto loaded = loadTlsCredentials(cert, key, &error, nullptr, passphrase);
    QVERIFY2(loaded, qPrintable(error));
    QCOMPARE(loaded->key.algorithm(), algorithm);
    QCOMPARE(loaded->certificate.subjectInfo(QSslCertificate::CommonName),
             QStringList { QStringLiteral("elsewhere.test") });
    QVERIFY(loaded->chain.isEmpty());

    // The chain written before the leaf: the key says which one is the leaf.
    QFile certFile(cert);
    QVERIFY(certFile.open(QIODevice::ReadOnly));
    QVERIFY(writeFile(QStringLiteral("reversed.crt"),
                      m_credentials.certificate.toPem() + certFile.readAll()));
    const auto reversed = loadTlsCredentials(path(QStringLiteral("reversed.crt")), key, &error,
                                             nullptr, passphrase);
    QVERIFY2(reversed, qPrintable(error));
    QCOMPARE(reversed->certificate, loaded->certificate);
    QCOMPARE(reversed->chain, QList<QSslCertificate> { m_credentials.certificate });
}

void tst_TlsCredentials::loadSaysWhatIsWrong_data()
{
    QTest::addColumn<QString>("certFile");
    QTest::addColumn<QString>("keyFile");
    QTest::addColumn<QByteArray>("passphrase");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QByteArray>("prerequisite"); // why a file the row needs is missing

    // Keys only the openssl tool makes, each with its own certificate. A row that needs them
    // fails with the reason they could not be made (failing here would stop every row).
    QByteArray opensslProblem;
    const auto make = [&](const QString &key, const QStringList &genpkey) {
        const OpensslRun keyRun = openssl(
            QStringList { QStringLiteral("genpkey"), QStringLiteral("-out"), path(key) } + genpkey);
        const OpensslRun certRun
            = openssl({ QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-key"),
                        path(key), QStringLiteral("-subj"), QStringLiteral("/CN=elsewhere"),
                        QStringLiteral("-out"), path(key + QStringLiteral(".crt")) });
        for (const OpensslRun *run : { &keyRun, &certRun }) {
            if (!run->ok && opensslProblem.isEmpty())
                opensslProblem = run->problem;
        }
    };
    make(QStringLiteral("ed25519.key"),
         { QStringLiteral("-algorithm"), QStringLiteral("ed25519") });
    make(QStringLiteral("rsa1024.key"),
         { QStringLiteral("-algorithm"), QStringLiteral("RSA"), QStringLiteral("-pkeyopt"),
           QStringLiteral("rsa_keygen_bits:1024") });

    const auto row = [this](const char *name, const char *cert, const char *key,
                            const QString &expected, const QByteArray &passphrase = {},
                            const QByteArray &prerequisite = {}) {
        QTest::newRow(name) << path(QString::fromLatin1(cert)) << path(QString::fromLatin1(key))
                            << passphrase << expected << prerequisite;
    };
    const QString good = path(QStringLiteral("good.crt"));
    const QString goodKey = path(QStringLiteral("good.key"));
    row("certificate file missing", "missing.crt", "good.key",
        QStringLiteral("The certificate file %1 does not exist.")
            .arg(path(QStringLiteral("missing.crt"))));
    row("key file missing", "good.crt", "missing.key",
        QStringLiteral("The key file %1 does not exist.").arg(path(QStringLiteral("missing.key"))));
    row("certificate file is a directory", ".", "good.key",
        QStringLiteral("Cannot read the certificate file %1: ").arg(path(QStringLiteral("."))));
    row("certificate file is garbage", "garbage", "good.key",
        QStringLiteral("The certificate file %1 holds no PEM certificate")
            .arg(path(QStringLiteral("garbage"))));
    row("key file is garbage", "good.crt", "garbage",
        QStringLiteral("The key file %1 holds no PEM private key")
            .arg(path(QStringLiteral("garbage"))));
    row("certificate in DER", "der.crt", "good.key",
        QStringLiteral("is DER, not PEM. Convert it with: openssl x509 -inform der -in %1")
            .arg(path(QStringLiteral("der.crt"))));
    row("damaged certificate", "damaged.crt", "good.key",
        QStringLiteral("The certificate file %1 holds a damaged certificate.")
            .arg(path(QStringLiteral("damaged.crt"))));
    row("huge file", "huge.crt", "good.key",
        QStringLiteral("%1 is larger than 1024 KiB").arg(path(QStringLiteral("huge.crt"))));
    row("files swapped", "good.key", "good.crt", QStringLiteral("are the two files swapped?"));
    row("key of another certificate", "good.crt", "other.key",
        QStringLiteral("The key in %1 does not belong to the certificate in %2")
            .arg(path(QStringLiteral("other.key")), good));
    row("key of none of the certificates", "two.crt", "good.key",
        QStringLiteral("The key in %1 belongs to none of the 2 certificates in %2")
            .arg(goodKey, path(QStringLiteral("two.crt"))));
    row("passphrase not given", "good.crt", "encrypted.key",
        QStringLiteral("The key in %1 is protected by a passphrase and none was given.")
            .arg(path(QStringLiteral("encrypted.key"))));
    row("wrong passphrase", "good.crt", "encrypted.key",
        QStringLiteral("The passphrase for the key in %1 is wrong.")
            .arg(path(QStringLiteral("encrypted.key"))),
        "not the secret");
    row("RSA key of 1024 bits", "rsa1024.key.crt", "rsa1024.key",
        QStringLiteral("The RSA key in %1 has 1024 bits; TLS clients refuse fewer than 2048.")
            .arg(path(QStringLiteral("rsa1024.key"))),
        {}, opensslProblem);
    row("Ed25519 key", "ed25519.key.crt", "ed25519.key",
        QStringLiteral("is of type ED25519; WsLab needs an RSA or EC key."), {}, opensslProblem);
}

void tst_TlsCredentials::loadSaysWhatIsWrong()
{
    QFETCH(QString, certFile);
    QFETCH(QString, keyFile);
    QFETCH(QByteArray, passphrase);
    QFETCH(QString, expected);
    QFETCH(QByteArray, prerequisite);
    QVERIFY2(prerequisite.isEmpty(), prerequisite.constData());
    QString error;
    QVERIFY(!loadTlsCredentials(certFile, keyFile, &error, nullptr, passphrase));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY2(!error.contains(u'\n'), qPrintable(error)); // one line, for a status bar or a log
}

void tst_TlsCredentials::validityWarning_data()
{
    QTest::addColumn<qint64>("secondsAfterNow");
    QTest::addColumn<QString>("expected");
    const QSslCertificate &certificate = m_credentials.certificate;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // Shown in UTC, whatever the machine's zone (the test runs in New York time).
    const auto utc = [](const QDateTime &t) {
        return t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
    };
    QTest::newRow("now") << qint64(0) << QString();
    QTest::newRow("a clock two hours behind")
        << qint64(-2 * 3600)
        << QStringLiteral("The certificate is not valid before %1: is this computer's clock right?")
               .arg(utc(certificate.effectiveDate()));
    QTest::newRow("the day before it expires")
        << now.secsTo(certificate.expiryDate()) - 86400 << QString();
    QTest::newRow("a minute after it expired")
        << now.secsTo(certificate.expiryDate()) + 60
        << QStringLiteral("The certificate expired on %1: browsers will refuse it. Make a new one.")
               .arg(utc(certificate.expiryDate()));
}

void tst_TlsCredentials::validityWarning()
{
    QFETCH(qint64, secondsAfterNow);
    QFETCH(QString, expected);
    const QDateTime at = QDateTime::currentDateTimeUtc().addSecs(secondsAfterNow);
    QCOMPARE(wslab::validityWarning(m_credentials.certificate, at), expected);
}

QTEST_GUILESS_MAIN(tst_TlsCredentials)
#include "tst_tlscredentials.moc"
