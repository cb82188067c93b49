#include "connectoptions.h"

#include <QCoreApplication>
#include <QFile>
#include <QSslKey>
#include <QUrlQuery>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <memory>

namespace wslab {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(wslab::ConnectOptions)
};

bool isToken(QByteArrayView name)
{
    const auto isTchar = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
    };
    return !name.isEmpty() && std::all_of(name.begin(), name.end(), isTchar);
}

bool hasLineBreak(QByteArrayView value)
{
    return value.contains('\r') || value.contains('\n') || value.contains('\0');
}

// Headers Qt writes itself from the request and the handshake options: given twice, the
// server would see two values (or Qt's would win).
bool isReservedHeader(const QByteArray &name)
{
    static const QByteArrayList reserved { "host",
                                           "upgrade",
                                           "connection",
                                           "sec-websocket-key",
                                           "sec-websocket-version",
                                           "sec-websocket-protocol",
                                           "sec-websocket-extensions" };
    return reserved.contains(name.toLower());
}

std::optional<QByteArray> readFile(const QString &path, const QString &field, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = Tr::tr("%1: cannot read %2: %3").arg(field, path, file.errorString());
        return std::nullopt;
    }
    return file.readAll();
}

struct BioDeleter
{
    void operator()(BIO *bio) const { BIO_free(bio); }
};
struct X509Deleter
{
    void operator()(X509 *x) const { X509_free(x); }
};
struct KeyDeleter
{
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};

// Whether the private key in `keyPem` belongs to `certificate` (Qt cannot tell: it would
// only fail in the middle of the TLS handshake).
bool keyMatches(const QSslCertificate &certificate, const QByteArray &keyPem)
{
    const QByteArray der = certificate.toDer();
    const auto *data = reinterpret_cast<const unsigned char *>(der.constData());
    const std::unique_ptr<X509, X509Deleter> x509(d2i_X509(nullptr, &data, long(der.size())));
    const std::unique_ptr<BIO, BioDeleter> bio(
        BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())));
    if (!x509 || !bio)
        return false;
    const std::unique_ptr<EVP_PKEY, KeyDeleter> key(
        PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    return key && X509_check_private_key(x509.get(), key.get()) == 1;
}

QSslKey loadKey(const QByteArray &pem)
{
    for (const QSsl::KeyAlgorithm algorithm : { QSsl::Rsa, QSsl::Ec }) {
        const QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return {};
}
} // namespace

QUrl urlWithQuery(const QUrl &url, const QList<QPair<QString, QString>> &query)
{
    if (query.isEmpty())
        return url;
    QUrlQuery merged(url);
    for (const auto &[name, value] : query)
        merged.addQueryItem(QString(name).replace(u'+', QStringLiteral("%2B")),
                            QString(value).replace(u'+', QStringLiteral("%2B")));
    QUrl result = url;
    result.setQuery(merged);
    return result;
}

std::optional<QPair<QByteArray, QByteArray>> bearerAuthorization(const QString &token,
                                                                 QString *error)
{
    const QString trimmed = token.trimmed();
    if (trimmed.isEmpty()) {
        *error = Tr::tr("Bearer token: it is empty");
        return std::nullopt;
    }
    if (std::any_of(trimmed.begin(), trimmed.end(), [](QChar c) { return c.isSpace(); })) {
        *error = Tr::tr("Bearer token: it cannot contain spaces or line breaks");
        return std::nullopt;
    }
    return qMakePair(QByteArray("Authorization"), "Bearer " + trimmed.toUtf8());
}

std::optional<QPair<QByteArray, QByteArray>> basicAuthorization(const QString &userColonPassword,
                                                                QString *error)
{
    const qsizetype colon = userColonPassword.indexOf(u':');
    if (colon <= 0) {
        *error = Tr::tr("Basic authorization: \"%1\" must look like user:password")
                     .arg(userColonPassword);
        return std::nullopt;
    }
    if (hasLineBreak(userColonPassword.toUtf8())) {
        *error = Tr::tr("Basic authorization: it cannot contain a line break");
        return std::nullopt;
    }
    return qMakePair(QByteArray("Authorization"), "Basic " + userColonPassword.toUtf8().toBase64());
}

std::optional<Handshake> makeHandshake(const QUrl &url, const ConnectOptions &options,
                                       QString *error)
{
    Handshake handshake;
    for (const auto &[name, value] : options.headers) {
        if (!isToken(name)) {
            *error = Tr::tr("header \"%1\": the name must be a word of letters, digits and "
                            "!#$%&'*+-.^_`|~ (no spaces)")
                         .arg(QString::fromUtf8(name));
            return std::nullopt;
        }
        if (hasLineBreak(value)) {
            *error = Tr::tr("header \"%1\": the value cannot contain a line break")
                         .arg(QString::fromUtf8(name));
            return std::nullopt;
        }
        if (isReservedHeader(name)) {
            *error = Tr::tr("header \"%1\": the WebSocket handshake sets it itself%2")
                         .arg(QString::fromUtf8(name),
                              name.toLower() == "sec-websocket-protocol"
                                  ? Tr::tr("; offer subprotocols instead")
                                  : QString());
            return std::nullopt;
        }
    }
    for (const QString &protocol : options.subprotocols) {
        if (!isToken(protocol.toLatin1()) || protocol.toLatin1() != protocol.toUtf8()) {
            *error = Tr::tr("subprotocol \"%1\": it must be a word of letters, digits and "
                            "!#$%&'*+-.^_`|~ (no spaces or commas)")
                         .arg(protocol);
            return std::nullopt;
        }
    }
    for (const auto &[name, value] : options.query) {
        if (name.isEmpty()) {
            *error = Tr::tr("query parameter \"=%1\": the name is empty").arg(value);
            return std::nullopt;
        }
    }
    handshake.request = QNetworkRequest(urlWithQuery(url, options.query));
    for (const auto &[name, value] : options.headers)
        handshake.request.setRawHeader(name, value);
    handshake.options.setSubprotocols(options.subprotocols);
    return handshake;
}

std::optional<QSslConfiguration> makeTlsConfiguration(const ConnectOptions::Tls &tls,
                                                      const QList<QSslCertificate> &extraTrusted,
                                                      QString *error)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    QList<QSslCertificate> trusted = extraTrusted;
    if (!tls.caFile.isEmpty()) {
        const auto pem = readFile(tls.caFile, Tr::tr("CA file"), error);
        if (!pem)
            return std::nullopt;
        const QList<QSslCertificate> fromFile = QSslCertificate::fromData(*pem, QSsl::Pem);
        if (fromFile.isEmpty()) {
            *error = Tr::tr("CA file: %1 holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
                         .arg(tls.caFile);
            return std::nullopt;
        }
        trusted += fromFile;
    }
    if (!trusted.isEmpty())
        configuration.addCaCertificates(trusted);
    if (!tls.verify)
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);

    if (tls.certificateFile.isEmpty() != tls.keyFile.isEmpty()) {
        *error = tls.certificateFile.isEmpty()
            ? Tr::tr("client certificate: a key file is given but no certificate file")
            : Tr::tr("client key: a certificate file is given but no key file");
        return std::nullopt;
    }
    if (!tls.certificateFile.isEmpty()) {
        const auto certificatePem
            = readFile(tls.certificateFile, Tr::tr("client certificate"), error);
        if (!certificatePem)
            return std::nullopt;
        const QList<QSslCertificate> chain = QSslCertificate::fromData(*certificatePem, QSsl::Pem);
        if (chain.isEmpty()) {
            *error = Tr::tr("client certificate: %1 holds no PEM certificate "
                            "(-----BEGIN CERTIFICATE-----)")
                         .arg(tls.certificateFile);
            return std::nullopt;
        }
        const auto keyPem = readFile(tls.keyFile, Tr::tr("client key"), error);
        if (!keyPem)
            return std::nullopt;
        const QSslKey key = loadKey(*keyPem);
        if (key.isNull()) {
            *error = Tr::tr("client key: %1 holds no unencrypted PEM RSA or EC private key")
                         .arg(tls.keyFile);
            return std::nullopt;
        }
        if (!keyMatches(chain.constFirst(), *keyPem)) {
            *error = Tr::tr("client key: the key in %1 does not belong to the certificate in %2")
                         .arg(tls.keyFile, tls.certificateFile);
            return std::nullopt;
        }
        configuration.setLocalCertificateChain(chain);
        configuration.setPrivateKey(key);
    }
    return configuration;
}

std::optional<QNetworkProxy> makeProxy(const QUrl &url, QString *error)
{
    if (url.isEmpty())
        return QNetworkProxy(QNetworkProxy::NoProxy);
    const QString shown = url.toDisplayString(QUrl::RemovePassword);
    if (!url.isValid()) {
        *error = Tr::tr("proxy \"%1\" is not a valid URL").arg(shown);
        return std::nullopt;
    }
    const QString scheme = url.scheme().toLower();
    QNetworkProxy proxy;
    if (scheme == u"http") {
        proxy.setType(QNetworkProxy::HttpProxy);
        proxy.setPort(quint16(url.port(8080)));
    } else if (scheme == u"socks5") {
        proxy.setType(QNetworkProxy::Socks5Proxy);
        proxy.setPort(quint16(url.port(1080)));
    } else {
        *error = Tr::tr("proxy \"%1\": use http://host:port (CONNECT) or socks5://host:port")
                     .arg(shown);
        return std::nullopt;
    }
    if (url.host().isEmpty()) {
        *error = Tr::tr("proxy \"%1\" has no host").arg(shown);
        return std::nullopt;
    }
    if (url.port() == 0) {
        *error = Tr::tr("proxy \"%1\": port 0 cannot be connected to").arg(shown);
        return std::nullopt;
    }
    if (!url.path().isEmpty() && url.path() != u"/") {
        *error = Tr::tr("proxy \"%1\": a proxy URL has no path").arg(shown);
        return std::nullopt;
    }
    proxy.setHostName(url.host(QUrl::EncodeUnicode));
    proxy.setUser(url.userName());
    proxy.setPassword(url.password());
    return proxy;
}

bool checkConnectOptions(const ConnectOptions &options, QString *error)
{
    if (options.timeout.count() < 1) {
        *error = Tr::tr("timeout: it must be at least 1 ms");
        return false;
    }
    return makeHandshake(QUrl(QStringLiteral("ws://localhost/")), options, error)
        && makeTlsConfiguration(options.tls, {}, error) && makeProxy(options.proxy, error);
}

std::optional<QPair<QString, QString>> parseQueryArgument(const QString &text, QString *error)
{
    const qsizetype equals = text.indexOf(u'=');
    if (equals <= 0) {
        *error = Tr::tr("query \"%1\" must look like name=value").arg(text);
        return std::nullopt;
    }
    return qMakePair(text.left(equals), text.mid(equals + 1));
}

namespace {

// Plain strings, so that the settings file stays readable and editable by hand: a header as
// the line it is on the wire ("Name: value"), a query parameter percent-encoded ("k=v%20w").
QStringList headerLines(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QStringList lines;
    for (const auto &[name, value] : headers)
        lines.append(QString::fromLatin1(name + ": " + value));
    return lines;
}

QList<QPair<QByteArray, QByteArray>> headersFrom(const QStringList &lines)
{
    QList<QPair<QByteArray, QByteArray>> headers;
    for (const QString &line : lines) {
        const qsizetype colon = line.indexOf(u':');
        if (colon > 0) // a header name is never empty and never holds a colon
            headers.append({ line.left(colon).trimmed().toLatin1(),
                             line.mid(colon + 1).trimmed().toLatin1() });
    }
    return headers;
}

QStringList queryLines(const QList<QPair<QString, QString>> &query)
{
    QStringList lines;
    for (const auto &[key, value] : query)
        lines.append(QString::fromLatin1(QUrl::toPercentEncoding(key) + '='
                                         + QUrl::toPercentEncoding(value)));
    return lines;
}

QList<QPair<QString, QString>> queryFrom(const QStringList &lines)
{
    QList<QPair<QString, QString>> query;
    for (const QString &line : lines) {
        const qsizetype equals = line.indexOf(u'=');
        if (equals > 0)
            query.append({ QUrl::fromPercentEncoding(line.left(equals).toLatin1()),
                           QUrl::fromPercentEncoding(line.mid(equals + 1).toLatin1()) });
    }
    return query;
}

} // namespace

QVariantMap toVariantMap(const ConnectOptions &options)
{
    return {
        { QStringLiteral("headers"), headerLines(options.headers) },
        { QStringLiteral("subprotocols"), options.subprotocols },
        { QStringLiteral("query"), queryLines(options.query) },
        { QStringLiteral("timeoutMs"), qlonglong(options.timeout.count()) },
        { QStringLiteral("tlsVerify"), options.tls.verify },
        { QStringLiteral("caFile"), options.tls.caFile },
        { QStringLiteral("certificateFile"), options.tls.certificateFile },
        { QStringLiteral("keyFile"), options.tls.keyFile },
        { QStringLiteral("proxy"), options.proxy.toString() },
        { QStringLiteral("reconnect"), options.reconnect },
    };
}

ConnectOptions connectOptionsFromVariantMap(const QVariantMap &map, const ConnectOptions &base)
{
    ConnectOptions options = base;
    const auto has = [&map](const char *key) { return map.contains(QLatin1StringView(key)); };
    const auto value = [&map](const char *key) { return map.value(QLatin1StringView(key)); };
    if (has("headers"))
        options.headers = headersFrom(value("headers").toStringList());
    if (has("subprotocols"))
        options.subprotocols = value("subprotocols").toStringList();
    if (has("query"))
        options.query = queryFrom(value("query").toStringList());
    bool ok = false;
    if (const qlonglong timeout = value("timeoutMs").toLongLong(&ok); ok && timeout > 0)
        options.timeout = std::chrono::milliseconds(timeout);
    if (has("tlsVerify"))
        options.tls.verify = value("tlsVerify").toBool();
    if (has("caFile"))
        options.tls.caFile = value("caFile").toString();
    if (has("certificateFile"))
        options.tls.certificateFile = value("certificateFile").toString();
    if (has("keyFile"))
        options.tls.keyFile = value("keyFile").toString();
    if (has("proxy"))
        options.proxy = QUrl(value("proxy").toString());
    if (has("reconnect"))
        options.reconnect = value("reconnect").toBool();
    return options;
}

QString connectOptionsSummary(const ConnectOptions &options)
{
    const ConnectOptions defaults;
    QStringList parts;
    if (!options.headers.isEmpty())
        parts << Tr::tr("%n header(s)", nullptr, int(options.headers.size()));
    if (options.subprotocols.size() == 1)
        parts << Tr::tr("subprotocol %1").arg(options.subprotocols.constFirst());
    else if (!options.subprotocols.isEmpty())
        parts << Tr::tr("subprotocols %1").arg(options.subprotocols.join(QStringLiteral(", ")));
    if (!options.query.isEmpty())
        parts << Tr::tr("%n query parameter(s)", nullptr, int(options.query.size()));
    if (options.timeout != defaults.timeout)
        parts << Tr::tr("timeout %1 s").arg(double(options.timeout.count()) / 1000.0);
    if (!options.tls.verify)
        parts << Tr::tr("certificates NOT verified");
    if (!options.tls.caFile.isEmpty())
        parts << Tr::tr("own CA");
    if (!options.tls.certificateFile.isEmpty())
        parts << Tr::tr("client certificate");
    if (!options.proxy.isEmpty())
        parts << Tr::tr("proxy %1").arg(options.proxy.toDisplayString(QUrl::RemoveUserInfo));
    if (options.reconnect)
        parts << Tr::tr("reconnect");
    return parts.join(QStringLiteral(", "));
}

} // namespace wslab
