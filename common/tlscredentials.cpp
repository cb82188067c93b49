#include "tlscredentials.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QSslSocket>
#include <QUrl>
#include <QtEndian>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>

namespace wslab {

namespace {

// Certificates and keys are a few KiB; a bigger file is a mistake (a log, a disk image,
// /dev/zero) and is not read whole.
constexpr qint64 maxPemFileSize = 1024 * 1024;

template<auto freeFunction> struct OpenSslFree
{
    template<typename T> void operator()(T *p) const { freeFunction(p); }
};
template<typename T, auto freeFunction>
using OpenSslPtr = std::unique_ptr<T, OpenSslFree<freeFunction>>;

using Bio = OpenSslPtr<BIO, BIO_free_all>;
using Pkey = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using X509Ptr = OpenSslPtr<X509, X509_free>;
using ExtensionPtr = OpenSslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using GeneralNamesPtr = OpenSslPtr<GENERAL_NAMES, GENERAL_NAMES_free>;
using GeneralNamePtr = OpenSslPtr<GENERAL_NAME, GENERAL_NAME_free>;
using Asn1StringPtr = OpenSslPtr<ASN1_STRING, ASN1_STRING_free>;
using BignumPtr = OpenSslPtr<BIGNUM, BN_free>;

// The reason of the last error on OpenSSL's error queue ("key values mismatch"), and an empty
// queue afterwards so that the next call starts clean.
QString takeOpenSslError()
{
    const unsigned long code = ERR_peek_last_error();
    ERR_clear_error();
    if (code == 0)
        return QStringLiteral("unknown error");
    if (const char *reason = ERR_reason_error_string(code))
        return QString::fromLatin1(reason);
    std::array<char, 256> text {};
    ERR_error_string_n(code, text.data(), text.size());
    return QString::fromLatin1(text.data());
}

// Reads from `bytes`, which must outlive the BIO.
Bio readBio(const QByteArray &bytes)
{
    return Bio(BIO_new_mem_buf(bytes.constData(), int(bytes.size())));
}

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return size > 0 ? QByteArray(data, size) : QByteArray();
}

// Never prompt on a terminal (OpenSSL's default without a callback): a server has none.
int passphraseCallback(char *buffer, int size, int, void *userData)
{
    const auto *passphrase = static_cast<const QByteArray *>(userData);
    if (!passphrase || passphrase->isEmpty())
        return -1;
    const int length = std::min(size, int(passphrase->size()));
    std::memcpy(buffer, passphrase->constData(), size_t(length));
    return length;
}

enum class FileRole { Certificate, Key };

std::optional<QByteArray> readPemFile(const QString &path, FileRole role, QString *error)
{
    const bool cert = role == FileRole::Certificate;
    QFile file(path);
    if (!file.exists()) {
        *error = cert ? QCoreApplication::translate("wslab::TlsCredentials",
                                                    "The certificate file %1 does not exist.")
                            .arg(path)
                      : QCoreApplication::translate("wslab::TlsCredentials",
                                                    "The key file %1 does not exist.")
                            .arg(path);
        return std::nullopt;
    }
    QByteArray bytes;
    if (file.open(QIODevice::ReadOnly))
        bytes = file.read(maxPemFileSize + 1);
    if (file.error() != QFileDevice::NoError) {
        *error = cert ? QCoreApplication::translate("wslab::TlsCredentials",
                                                    "Cannot read the certificate file %1: %2")
                            .arg(path, file.errorString())
                      : QCoreApplication::translate("wslab::TlsCredentials",
                                                    "Cannot read the key file %1: %2")
                            .arg(path, file.errorString());
        return std::nullopt;
    }
    if (bytes.size() > maxPemFileSize) {
        *error = QCoreApplication::translate("wslab::TlsCredentials",
                                             "%1 is larger than %2 KiB: not a PEM file.")
                     .arg(path, QString::number(maxPemFileSize / 1024));
        return std::nullopt;
    }
    return bytes;
}

bool isDer(const QByteArray &bytes)
{
    // A DER certificate or key is an ASN.1 SEQUENCE with a long-form length.
    return bytes.size() > 2 && bytes.at(0) == '\x30' && (uchar(bytes.at(1)) & 0x80);
}

std::optional<QList<QSslCertificate>> parseCertificates(const QByteArray &bytes,
                                                        const QString &path, QString *error)
{
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(bytes, QSsl::Pem);
    // Qt drops a block it cannot decode without a word; count the blocks to notice.
    const qsizetype blocks = bytes.count("-----BEGIN CERTIFICATE-----");
    if (!certificates.isEmpty() && certificates.size() == blocks)
        return certificates;
    if (blocks > 0) {
        *error = QCoreApplication::translate("wslab::TlsCredentials",
                                             "The certificate file %1 holds a damaged certificate.")
                     .arg(path);
    } else if (bytes.contains("PRIVATE KEY-----")) {
        *error = QCoreApplication::translate("wslab::TlsCredentials",
                                             "The certificate file %1 holds a private key, not a "
                                             "certificate: are the two files swapped?")
                     .arg(path);
    } else if (isDer(bytes)) {
        *error = QCoreApplication::translate("wslab::TlsCredentials",
                                             "The certificate file %1 is DER, not PEM. Convert it "
                                             "with: openssl x509 -inform der -in %1 -out cert.pem")
                     .arg(path);
    } else {
        *error = QCoreApplication::translate(
                     "wslab::TlsCredentials",
                     "The certificate file %1 holds no PEM certificate (a block starting with "
                     "-----BEGIN CERTIFICATE-----).")
                     .arg(path);
    }
    return std::nullopt;
}

Pkey parsePrivateKey(const QByteArray &bytes, const QString &path, const QByteArray &passphrase,
                     QString *error)
{
    if (!bytes.contains("PRIVATE KEY-----")) {
        if (bytes.contains("-----BEGIN CERTIFICATE-----")) {
            *error = QCoreApplication::translate("wslab::TlsCredentials",
                                                 "The key file %1 holds a certificate, not a "
                                                 "private key: are the two files swapped?")
                         .arg(path);
        } else {
            *error = QCoreApplication::translate(
                         "wslab::TlsCredentials",
                         "The key file %1 holds no PEM private key (a block starting with "
                         "-----BEGIN PRIVATE KEY-----).")
                         .arg(path);
        }
        return {};
    }
    // PKCS#8 ("ENCRYPTED PRIVATE KEY") or the traditional OpenSSL form (a Proc-Type header).
    const bool encrypted = bytes.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
        || bytes.contains("Proc-Type: 4,ENCRYPTED");
    if (encrypted && passphrase.isEmpty()) {
        *error = QCoreApplication::translate(
                     "wslab::TlsCredentials",
                     "The key in %1 is protected by a passphrase and none was given. Remove the "
                     "passphrase with: openssl pkey -in %1 -out key-plain.pem")
                     .arg(path);
        return {};
    }
    ERR_clear_error();
    const Bio bio = readBio(bytes);
    Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, passphraseCallback,
                                     const_cast<QByteArray *>(&passphrase)));
    if (!key) {
        const QString reason = takeOpenSslError();
        *error = encrypted
            ? QCoreApplication::translate("wslab::TlsCredentials",
                                          "The passphrase for the key in %1 is wrong.")
                  .arg(path)
            : QCoreApplication::translate("wslab::TlsCredentials",
                                          "The key file %1 holds a damaged private key (%2).")
                  .arg(path, reason);
        return {};
    }
    return key;
}

// The key types Qt 6.4 loads and browsers accept for a server.
std::optional<QSsl::KeyAlgorithm> qtAlgorithm(EVP_PKEY *key, const QString &path, QString *error)
{
    switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
        // Debian's OpenSSL (security level 2), like browsers, refuses smaller RSA keys in a
        // handshake; better said here than as a handshake failure on every client.
        if (EVP_PKEY_get_bits(key) < 2048) {
            *error
                = QCoreApplication::translate(
                      "wslab::TlsCredentials",
                      "The RSA key in %1 has %2 bits; TLS clients refuse fewer than 2048. Make a "
                      "new key and certificate.")
                      .arg(path, QString::number(EVP_PKEY_get_bits(key)));
            return std::nullopt;
        }
        return QSsl::Rsa;
    case EVP_PKEY_EC:
        return QSsl::Ec;
    default:
        // Ed25519 and RSA-PSS: QSslKey cannot load them; DSA: no browser takes it.
        *error = QCoreApplication::translate(
                     "wslab::TlsCredentials",
                     "The key in %1 is of type %2; WsLab needs an RSA or EC key. Make one with: "
                     "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256")
                     .arg(path, QString::fromLatin1(EVP_PKEY_get0_type_name(key)));
        return std::nullopt;
    }
}

// The key as Qt's OpenSSL backend reads it: unencrypted PEM, of a type Qt must be told.
QSslKey toQSslKey(EVP_PKEY *key, QSsl::KeyAlgorithm algorithm, const QString &path, QString *error)
{
    const Bio out(BIO_new(BIO_s_mem()));
    if (!out || !PEM_write_bio_PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr)) {
        *error = QCoreApplication::translate("wslab::TlsCredentials",
                                             "The key file %1 holds a damaged private key (%2).")
                     .arg(path, takeOpenSslError());
        return {};
    }
    QSslKey qtKey(bioBytes(out.get()), algorithm, QSsl::Pem, QSsl::PrivateKey);
    if (qtKey.isNull()) {
        *error = QCoreApplication::translate("wslab::TlsCredentials",
                                             "The key file %1 holds a damaged private key (%2).")
                     .arg(path, QStringLiteral("Qt cannot load it"));
    }
    return qtKey;
}

X509Ptr toX509(const QSslCertificate &certificate)
{
    const QByteArray der = certificate.toDer();
    const auto *data = reinterpret_cast<const unsigned char *>(der.constData());
    return X509Ptr(d2i_X509(nullptr, &data, long(der.size())));
}

bool keyMatches(const QSslCertificate &certificate, EVP_PKEY *key)
{
    const X509Ptr x509 = toX509(certificate);
    // Compares the certificate's public key with the private key's (parameters included).
    const bool matches = x509 && X509_check_private_key(x509.get(), key) == 1;
    ERR_clear_error(); // a mismatch leaves "key values mismatch" behind
    return matches;
}

QString tlsUnavailable()
{
    return QCoreApplication::translate("wslab::TlsCredentials",
                                       "TLS is not available: Qt found no OpenSSL 3 library "
                                       "(Debian package libssl3).");
}

bool tlsAvailable()
{
    return QSslSocket::supportsSsl() && QSslSocket::activeBackend() == QStringLiteral("openssl");
}

} // namespace

std::optional<TlsCredentials> loadTlsCredentials(const QString &certFile, const QString &keyFile,
                                                 QString *error, QString *warning,
                                                 const QByteArray &passphrase)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (warning)
        warning->clear();
    if (!tlsAvailable()) {
        *error = tlsUnavailable();
        return std::nullopt;
    }
    const auto certBytes = readPemFile(certFile, FileRole::Certificate, error);
    if (!certBytes)
        return std::nullopt;
    const auto keyBytes = readPemFile(keyFile, FileRole::Key, error);
    if (!keyBytes)
        return std::nullopt;
    auto certificates = parseCertificates(*certBytes, certFile, error);
    if (!certificates)
        return std::nullopt;
    const Pkey key = parsePrivateKey(*keyBytes, keyFile, passphrase, error);
    if (!key)
        return std::nullopt;
    const auto algorithm = qtAlgorithm(key.get(), keyFile, error);
    if (!algorithm)
        return std::nullopt;

    // The leaf is the certificate of this key. Files made by hand sometimes list the chain
    // first; TLS wants the leaf first, so take it out and keep the others in their order.
    const auto leaf
        = std::find_if(certificates->cbegin(), certificates->cend(),
                       [&](const QSslCertificate &c) { return keyMatches(c, key.get()); });
    if (leaf == certificates->cend()) {
        *error = certificates->size() == 1
            ? QCoreApplication::translate("wslab::TlsCredentials",
                                          "The key in %1 does not belong to the certificate in "
                                          "%2 (their public keys differ).")
                  .arg(keyFile, certFile)
            : QCoreApplication::translate("wslab::TlsCredentials",
                                          "The key in %1 belongs to none of the %2 certificates "
                                          "in %3 (their public keys differ).")
                  .arg(keyFile, QString::number(certificates->size()), certFile);
        return std::nullopt;
    }

    TlsCredentials credentials;
    credentials.key = toQSslKey(key.get(), *algorithm, keyFile, error);
    if (credentials.key.isNull())
        return std::nullopt;
    credentials.certificate = *leaf;
    certificates->erase(leaf);
    credentials.chain = *certificates;
    if (warning)
        *warning = validityWarning(credentials.certificate);
    return credentials;
}

QString validityWarning(const QSslCertificate &certificate, const QDateTime &now)
{
    const auto utc = [](const QDateTime &t) {
        return t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
    };
    if (now < certificate.effectiveDate()) {
        return QCoreApplication::translate("wslab::TlsCredentials",
                                           "The certificate is not valid before %1: is this "
                                           "computer's clock right?")
            .arg(utc(certificate.effectiveDate()));
    }
    if (now > certificate.expiryDate()) {
        return QCoreApplication::translate("wslab::TlsCredentials",
                                           "The certificate expired on %1: browsers will refuse "
                                           "it. Make a new one.")
            .arg(utc(certificate.expiryDate()));
    }
    return {};
}

namespace {

// The name as a certificate stores it (ASCII, punycode for internationalized names), with an
// optional leading "*." label; empty if it is not a host name. Letters, digits and '-' only:
// clients disagree about anything else (underscores, for one).
QByteArray certificateDnsName(QString name)
{
    QByteArray wildcard;
    if (name.startsWith(u"*.")) {
        wildcard = "*.";
        name.remove(0, 2);
    }
    if (name.endsWith(u'.')) // a fully qualified "host.example." means the same host
        name.chop(1);
    const QByteArray ace = QUrl::toAce(name).toLower();
    if (ace.isEmpty() || ace.size() > 253)
        return {};
    for (const QByteArray &label : ace.split('.')) {
        if (label.isEmpty() || label.size() > 63 || label.startsWith('-') || label.endsWith('-'))
            return {};
        for (const char c : label) {
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                return {};
        }
    }
    return wildcard + ace;
}

bool isUnspecified(const QHostAddress &address)
{
    return address == QHostAddress(QHostAddress::AnyIPv4)
        || address == QHostAddress(QHostAddress::AnyIPv6);
}

QByteArray addressBytes(const QHostAddress &address)
{
    if (address.protocol() == QHostAddress::IPv4Protocol) {
        const quint32 v4 = qToBigEndian(address.toIPv4Address());
        return QByteArray(reinterpret_cast<const char *>(&v4), sizeof v4);
    }
    const Q_IPV6ADDR v6 = address.toIPv6Address();
    return QByteArray(reinterpret_cast<const char *>(v6.c), sizeof v6.c);
}

bool addGeneralName(GENERAL_NAMES *names, int type, const QByteArray &value)
{
    Asn1StringPtr string(type == GEN_DNS ? ASN1_IA5STRING_new() : ASN1_OCTET_STRING_new());
    GeneralNamePtr name(GENERAL_NAME_new());
    if (!string || !name || !ASN1_STRING_set(string.get(), value.constData(), int(value.size())))
        return false;
    GENERAL_NAME_set0_value(name.get(), type, string.release());
    if (!sk_GENERAL_NAME_push(names, name.get()))
        return false;
    name.release(); // owned by `names` now
    return true;
}

bool addExtension(X509 *x509, X509V3_CTX *context, int nid, const char *value)
{
    const ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, context, nid, value));
    return extension && X509_add_ext(x509, extension.get(), -1);
}

} // namespace

TlsCredentials makeSelfSignedCredentials(const QStringList &hostNames,
                                         const QList<QHostAddress> &addresses, QString *error,
                                         int days)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (!tlsAvailable()) {
        *error = tlsUnavailable();
        return TlsCredentials();
    }
    if (days < 1 || days > maxSelfSignedDays) {
        *error = QCoreApplication::translate("wslab::TlsCredentials",
                                             "A certificate made here is valid for 1 to %1 days, "
                                             "not %2.")
                     .arg(maxSelfSignedDays)
                     .arg(days);
        return TlsCredentials();
    }

    QList<QByteArray> dnsNames;
    QList<QHostAddress> ipAddresses;
    QString commonName;
    const auto addAddress = [&](const QHostAddress &address) {
        if (address.protocol() != QHostAddress::IPv4Protocol
            && address.protocol() != QHostAddress::IPv6Protocol) {
            return false;
        }
        QHostAddress plain(address);
        plain.setScopeId({}); // fe80::1%eth0 is certified as fe80::1
        if (!ipAddresses.contains(plain))
            ipAddresses.append(plain);
        return !isUnspecified(plain);
    };
    for (const QString &hostName : hostNames) {
        const QString trimmed = hostName.trimmed();
        if (QHostAddress address(trimmed); !address.isNull()) {
            if (!addAddress(address)) {
                *error = QCoreApplication::translate(
                             "wslab::TlsCredentials",
                             "%1 is not an address a client can connect to: give this "
                             "computer's addresses instead.")
                             .arg(trimmed);
                return TlsCredentials();
            }
            if (commonName.isEmpty())
                commonName = address.toString();
            continue;
        }
        const QByteArray dnsName = certificateDnsName(trimmed);
        if (dnsName.isEmpty()) {
            *error = QCoreApplication::translate("wslab::TlsCredentials",
                                                 "“%1” is not a host name a certificate can "
                                                 "hold (letters, digits, '-' and '.').")
                         .arg(hostName);
            return TlsCredentials();
        }
        if (!dnsNames.contains(dnsName))
            dnsNames.append(dnsName);
        if (commonName.isEmpty())
            commonName = QString::fromLatin1(dnsName);
    }
    for (const QHostAddress &address : addresses) {
        if (!addAddress(address)) {
            *error = QCoreApplication::translate("wslab::TlsCredentials",
                                                 "%1 is not an address a client can connect to: "
                                                 "give this computer's addresses instead.")
                         .arg(address.toString());
            return TlsCredentials();
        }
    }
    if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
        *error = QCoreApplication::translate("wslab::TlsCredentials",
                                             "A certificate needs at least one host name or IP "
                                             "address that clients will connect to.");
        return TlsCredentials();
    }
    // X.520 limits a CN to 64 characters; the SANs carry the long names anyway.
    if (commonName.isEmpty() || commonName.size() > 64)
        commonName = QStringLiteral("WsLab classroom");

    const auto failed = [error](const QString &reason) {
        *error = QCoreApplication::translate("wslab::TlsCredentials",
                                             "Could not make a certificate: %1")
                     .arg(reason);
        return TlsCredentials();
    };
    ERR_clear_error();

    // P-256: every browser, Python and Qt accept it, and it is made in a millisecond.
    const Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    const X509Ptr x509(X509_new());
    if (!key || !x509)
        return failed(takeOpenSslError());

    // A random 127-bit serial number: browsers refuse two certificates with the same issuer
    // and serial, and every certificate made here has the same issuer name.
    std::array<unsigned char, 16> serial {};
    if (RAND_bytes(serial.data(), int(serial.size())) != 1)
        return failed(takeOpenSslError());
    serial[0] = (serial[0] & 0x7f) | 0x40; // positive, and always 16 bytes long
    const BignumPtr serialNumber(BN_bin2bn(serial.data(), int(serial.size()), nullptr));

    X509_NAME *subject = X509_get_subject_name(x509.get()); // owned by x509
    const QByteArray commonNameUtf8 = commonName.toUtf8();
    const auto *cn = reinterpret_cast<const unsigned char *>(commonNameUtf8.constData());
    const auto *organization = reinterpret_cast<const unsigned char *>("WsLab");
    if (!serialNumber || !BN_to_ASN1_INTEGER(serialNumber.get(), X509_get_serialNumber(x509.get()))
        || !X509_set_version(x509.get(), X509_VERSION_3)
        // An hour back: a student's laptop whose clock is a little behind still accepts it.
        || !X509_gmtime_adj(X509_getm_notBefore(x509.get()), -60 * 60)
        || !X509_gmtime_adj(X509_getm_notAfter(x509.get()), long(days) * 24 * 60 * 60)
        || !X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, cn, -1, -1, 0)
        || !X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8, organization, -1, -1, 0)
        || !X509_set_issuer_name(x509.get(), subject) || !X509_set_pubkey(x509.get(), key.get())) {
        return failed(takeOpenSslError());
    }

    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, x509.get(), x509.get(), nullptr, nullptr, 0);
    // A server certificate, not a CA: it can sign TLS handshakes and nothing else.
    if (!addExtension(x509.get(), &context, NID_basic_constraints, "critical,CA:FALSE")
        || !addExtension(x509.get(), &context, NID_key_usage, "critical,digitalSignature")
        || !addExtension(x509.get(), &context, NID_ext_key_usage, "serverAuth")
        || !addExtension(x509.get(), &context, NID_subject_key_identifier, "hash")) {
        return failed(takeOpenSslError());
    }
    // Built name by name rather than from a "DNS:a,IP:b" string, which a name could subvert.
    const GeneralNamesPtr altNames(GENERAL_NAMES_new());
    if (!altNames)
        return failed(takeOpenSslError());
    for (const QByteArray &dnsName : std::as_const(dnsNames)) {
        if (!addGeneralName(altNames.get(), GEN_DNS, dnsName))
            return failed(takeOpenSslError());
    }
    for (const QHostAddress &address : std::as_const(ipAddresses)) {
        if (!addGeneralName(altNames.get(), GEN_IPADD, addressBytes(address)))
            return failed(takeOpenSslError());
    }
    if (!X509_add1_ext_i2d(x509.get(), NID_subject_alt_name, altNames.get(), 0, X509V3_ADD_DEFAULT)
        || !X509_sign(x509.get(), key.get(), EVP_sha256())) {
        return failed(takeOpenSslError());
    }

    const Bio certPem(BIO_new(BIO_s_mem()));
    const Bio keyPem(BIO_new(BIO_s_mem()));
    if (!certPem || !keyPem || !PEM_write_bio_X509(certPem.get(), x509.get())
        || !PEM_write_bio_PrivateKey(keyPem.get(), key.get(), nullptr, nullptr, 0, nullptr,
                                     nullptr)) {
        return failed(takeOpenSslError());
    }
    TlsCredentials credentials;
    credentials.certificate = QSslCertificate(bioBytes(certPem.get()), QSsl::Pem);
    credentials.key = QSslKey(bioBytes(keyPem.get()), QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    if (credentials.isNull())
        return failed(QStringLiteral("Qt cannot load the result"));
    return credentials;
}

QString sha256Fingerprint(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return {};
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

namespace {

// Opens `file` and writes `bytes` into its temporary file; commit() publishes it.
bool prepare(QSaveFile &file, const QByteArray &bytes, bool ownerOnly)
{
    if (!file.open(QIODevice::WriteOnly))
        return false;
    // Before the first byte of the key: on Linux QSaveFile writes into an unnamed O_TMPFILE
    // that nobody else can open, and the mode set here is the one the file is published with
    // (rather than an existing file's mode, which QSaveFile would otherwise keep).
    if (ownerOnly && !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return false;
    return file.write(bytes) == bytes.size();
}

} // namespace

bool saveTlsCredentials(const TlsCredentials &credentials, const QString &certFile,
                        const QString &keyFile, QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (credentials.isNull()) {
        *error = QCoreApplication::translate("wslab::TlsCredentials",
                                             "There is no certificate and key to save.");
        return false;
    }
    QByteArray certPem = credentials.certificate.toPem();
    for (const QSslCertificate &certificate : credentials.chain)
        certPem += certificate.toPem();
    if (QFileInfo(certFile).absoluteFilePath() == QFileInfo(keyFile).absoluteFilePath()) {
        // One file for both (as some servers take it): the certificates, then the key.
        QSaveFile out(certFile);
        if (!prepare(out, certPem + credentials.key.toPem(), true) || !out.commit()) {
            *error = QCoreApplication::translate("wslab::TlsCredentials", "Cannot write %1: %2")
                         .arg(out.fileName(), out.errorString());
            return false;
        }
        return true;
    }
    // Both written before either is published, so that a full disk or a missing directory
    // cannot leave a new key next to the old certificate.
    const auto cannotWrite = [error](const QSaveFile &file) {
        *error = QCoreApplication::translate("wslab::TlsCredentials", "Cannot write %1: %2")
                     .arg(file.fileName(), file.errorString());
        return false;
    };
    QSaveFile keyOut(keyFile);
    QSaveFile certOut(certFile);
    if (!prepare(keyOut, credentials.key.toPem(), true))
        return cannotWrite(keyOut);
    if (!prepare(certOut, certPem, false))
        return cannotWrite(certOut);
    if (!keyOut.commit())
        return cannotWrite(keyOut);
    if (!certOut.commit())
        return cannotWrite(certOut);
    return true;
}

} // namespace wslab
