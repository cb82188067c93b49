#include "clientargs.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>

namespace wslab {

namespace {
// The port as typed, checked before QUrl, which only says "Invalid port or port number out of
// range; source was ..." for 65536, -1 or "http".
QString checkPort(const QString &withScheme, const QString &text)
{
    QString authority = withScheme.mid(withScheme.indexOf(QStringLiteral("://")) + 3);
    static const QRegularExpression authorityEnd(QStringLiteral("[/?#]"));
    if (const qsizetype end = authority.indexOf(authorityEnd); end >= 0)
        authority.truncate(end);
    authority = authority.mid(authority.lastIndexOf(u'@') + 1);
    QString port;
    if (authority.startsWith(u'[')) {
        const qsizetype close = authority.indexOf(u']');
        if (close > 0 && authority.mid(close + 1).startsWith(u':'))
            port = authority.mid(close + 2);
    } else if (authority.count(u':') > 1) {
        return QCoreApplication::translate("wslab::ClientArgs",
                                           "\"%1\": an IPv6 address goes in brackets, e.g. "
                                           "ws://[::1]:8888/ws")
            .arg(text);
    } else if (const qsizetype colon = authority.indexOf(u':'); colon >= 0) {
        port = authority.mid(colon + 1);
    }
    if (port.isEmpty())
        return {};
    static const QRegularExpression number(QStringLiteral("^-?[0-9]+$"));
    if (!number.match(port).hasMatch())
        return QCoreApplication::translate("wslab::ClientArgs",
                                           "\"%1\": the port \"%2\" is not a number")
            .arg(text, port);
    bool ok = false;
    const qlonglong value = port.toLongLong(&ok);
    if (value == 0 && ok)
        return QCoreApplication::translate("wslab::ClientArgs",
                                           "\"%1\": port 0 cannot be connected to")
            .arg(text);
    if (!ok || value < 1 || value > 65535)
        return QCoreApplication::translate("wslab::ClientArgs",
                                           "\"%1\": port %2 is out of range (1 to 65535)")
            .arg(text, port);
    return {};
}
} // namespace

std::optional<QUrl> parseWebSocketUrl(const QString &input, QString *error)
{
    const QString text = input.trimmed();
    if (text.isEmpty()) {
        *error = QCoreApplication::translate("wslab::ClientArgs",
                                             "the URL is empty; try ws://127.0.0.1:8888/ws");
        return std::nullopt;
    }
    QString withScheme = text;
    if (!text.contains(QStringLiteral("://")))
        withScheme = QStringLiteral("ws://") + text;

    const QUrl url(withScheme, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (scheme == u"http" || scheme == u"https") {
        QUrl suggestion = url;
        suggestion.setScheme(scheme == u"http" ? QStringLiteral("ws") : QStringLiteral("wss"));
        *error = QCoreApplication::translate("wslab::ClientArgs",
                                             "%1 is an HTTP address; a WebSocket URL starts with "
                                             "ws:// or wss://, e.g. %2")
                     .arg(text, suggestion.toString());
        return std::nullopt;
    }
    if (scheme != u"ws" && scheme != u"wss") {
        *error = QCoreApplication::translate("wslab::ClientArgs",
                                             "\"%1\": the scheme must be ws:// or wss://")
                     .arg(text);
        return std::nullopt;
    }
    if (const QString portError = checkPort(withScheme, text); !portError.isEmpty()) {
        *error = portError;
        return std::nullopt;
    }
    if (!url.isValid()) {
        // Qt appends the whole parse state ("; source was ..."): the first clause is the news.
        QString why = url.errorString();
        if (const qsizetype end = why.indexOf(u';'); end >= 0)
            why.truncate(end);
        *error = QCoreApplication::translate("wslab::ClientArgs", "\"%1\" is not a valid URL: %2")
                     .arg(text, why);
        return std::nullopt;
    }
    if (url.host().isEmpty()) {
        *error = QCoreApplication::translate("wslab::ClientArgs",
                                             "\"%1\" has no host; try ws://127.0.0.1:8888/ws")
                     .arg(text);
        return std::nullopt;
    }
    if (!url.fragment().isNull()) {
        *error = QCoreApplication::translate("wslab::ClientArgs",
                                             "\"%1\": a WebSocket URL cannot have a #fragment")
                     .arg(text);
        return std::nullopt;
    }
    // An internationalized host name stays as QUrl keeps it, in punycode (xn--...): what DNS
    // and the Host header need.
    QUrl result = url;
    if (result.path().isEmpty())
        result.setPath(QStringLiteral("/"));
    return result;
}

std::optional<QPair<QByteArray, QByteArray>> parseHeaderArgument(const QString &text,
                                                                 QString *error)
{
    const qsizetype colon = text.indexOf(u':');
    const QByteArray name = text.left(colon).trimmed().toLatin1();
    const auto isTchar = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
    };
    if (colon <= 0 || name.isEmpty() || !std::all_of(name.begin(), name.end(), isTchar)) {
        *error = QCoreApplication::translate("wslab::ClientArgs",
                                             "header \"%1\" must look like 'Name: value'")
                     .arg(text);
        return std::nullopt;
    }
    const QString value = text.mid(colon + 1).trimmed();
    if (std::any_of(value.begin(), value.end(), [](QChar c) { return c == u'\r' || c == u'\n'; })) {
        *error = QCoreApplication::translate("wslab::ClientArgs",
                                             "header \"%1\" cannot contain a line break")
                     .arg(QString::fromLatin1(name));
        return std::nullopt;
    }
    return qMakePair(name, value.toUtf8());
}

} // namespace wslab

namespace wslab {

namespace {
struct ArgsTr
{
    Q_DECLARE_TR_FUNCTIONS(wslab::ClientArgs)
};
} // namespace

ConnectionArguments::ConnectionArguments()
    : m_header(QStringLiteral("header"),
               ArgsTr::tr("Extra handshake header 'Name: value' (repeatable)."),
               QStringLiteral("header")),
      m_subprotocol(
          QStringLiteral("subprotocol"),
          ArgsTr::tr("Subprotocol to offer in Sec-WebSocket-Protocol (repeatable, in order of "
                     "preference)."),
          QStringLiteral("name")),
      m_query(QStringLiteral("query"),
              ArgsTr::tr("Query parameter name=value added to the URL (repeatable)."),
              QStringLiteral("name=value")),
      m_bearer(QStringLiteral("bearer"), ArgsTr::tr("Send 'Authorization: Bearer TOKEN'."),
               QStringLiteral("token")),
      m_basic(QStringLiteral("basic"),
              ArgsTr::tr("Send 'Authorization: Basic …' for user:password."),
              QStringLiteral("user:password")),
      m_timeout(
          QStringLiteral("timeout"),
          ArgsTr::tr("Milliseconds to wait for the connection and handshake (default 10000)."),
          QStringLiteral("ms"), QStringLiteral("10000")),
      m_ca(QStringLiteral("ca"),
           ArgsTr::tr("PEM file of certificates to trust for wss://, besides the system's."),
           QStringLiteral("file")),
      m_insecure(QStringLiteral("insecure"),
                 ArgsTr::tr("Do not verify the server's certificate (a warning says so).")),
      m_cert(QStringLiteral("cert"),
             ArgsTr::tr("PEM client certificate for mutual TLS (with --key)."),
             QStringLiteral("file")),
      m_key(QStringLiteral("key"), ArgsTr::tr("PEM private key of --cert."),
            QStringLiteral("file")),
      m_proxy(QStringLiteral("proxy"),
              ArgsTr::tr("Connect through a proxy: http://[user:password@]host:port (CONNECT) or "
                         "socks5://…"),
              QStringLiteral("url")),
      m_reconnect(
          QStringLiteral("reconnect"),
          ArgsTr::tr("When the server closes or the connection drops, connect again after 1, 2, "
                     "4 … 30 s."))
{
}

void ConnectionArguments::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({ m_header, m_subprotocol, m_query, m_bearer, m_basic, m_timeout, m_ca,
                        m_insecure, m_cert, m_key, m_proxy, m_reconnect });
}

bool ConnectionArguments::anySet(const QCommandLineParser &parser) const
{
    for (const QCommandLineOption *option :
         { &m_header, &m_subprotocol, &m_query, &m_bearer, &m_basic, &m_timeout, &m_ca, &m_insecure,
           &m_cert, &m_key, &m_proxy, &m_reconnect })
        if (parser.isSet(*option))
            return true;
    return false;
}

std::optional<ConnectOptions> ConnectionArguments::read(const QCommandLineParser &parser,
                                                        QString *error) const
{
    ConnectOptions options;
    const auto flagged = [error](const QString &flag) {
        *error = QStringLiteral("--%1: %2").arg(flag, *error);
    };
    for (const QString &text : parser.values(m_header)) {
        const auto parsed = parseHeaderArgument(text, error);
        if (!parsed) {
            flagged(QStringLiteral("header"));
            return std::nullopt;
        }
        options.headers.append(*parsed);
    }
    if (parser.isSet(m_bearer) && parser.isSet(m_basic)) {
        *error = ArgsTr::tr("--bearer and --basic: give one of them, not both");
        return std::nullopt;
    }
    if (parser.isSet(m_bearer)) {
        const auto header = bearerAuthorization(parser.value(m_bearer), error);
        if (!header) {
            flagged(QStringLiteral("bearer"));
            return std::nullopt;
        }
        options.headers.append(*header);
    }
    if (parser.isSet(m_basic)) {
        const auto header = basicAuthorization(parser.value(m_basic), error);
        if (!header) {
            flagged(QStringLiteral("basic"));
            return std::nullopt;
        }
        options.headers.append(*header);
    }
    options.subprotocols = parser.values(m_subprotocol);
    for (const QString &text : parser.values(m_query)) {
        const auto parsed = parseQueryArgument(text, error);
        if (!parsed) {
            flagged(QStringLiteral("query"));
            return std::nullopt;
        }
        options.query.append(*parsed);
    }
    bool ok = false;
    const qlonglong timeout = parser.value(m_timeout).toLongLong(&ok);
    if (!ok || timeout < 1) {
        *error = ArgsTr::tr("--timeout: \"%1\" must be a positive number of milliseconds")
                     .arg(parser.value(m_timeout));
        return std::nullopt;
    }
    options.timeout = std::chrono::milliseconds(timeout);
    options.tls.verify = !parser.isSet(m_insecure);
    options.tls.caFile = parser.value(m_ca);
    options.tls.certificateFile = parser.value(m_cert);
    options.tls.keyFile = parser.value(m_key);
    if (parser.isSet(m_cert) != parser.isSet(m_key)) {
        *error = parser.isSet(m_cert)
            ? ArgsTr::tr("--cert needs --key (the certificate's private key)")
            : ArgsTr::tr("--key needs --cert (the certificate it belongs to)");
        return std::nullopt;
    }
    if (!makeTlsConfiguration({ true, options.tls.caFile, {}, {} }, {}, error)) {
        flagged(QStringLiteral("ca"));
        return std::nullopt;
    }
    if (!makeTlsConfiguration(options.tls, {}, error)) {
        flagged(parser.isSet(m_cert) ? QStringLiteral("cert") : QStringLiteral("key"));
        return std::nullopt;
    }
    if (parser.isSet(m_proxy)) {
        options.proxy = QUrl(parser.value(m_proxy), QUrl::StrictMode);
        if (options.proxy.isEmpty() || !makeProxy(options.proxy, error)) {
            if (options.proxy.isEmpty())
                *error = ArgsTr::tr("the proxy URL is empty");
            flagged(QStringLiteral("proxy"));
            return std::nullopt;
        }
    }
    // Its errors name the header or subprotocol.
    if (!makeHandshake(QUrl(QStringLiteral("ws://localhost/")), options, error))
        return std::nullopt;
    options.reconnect = parser.isSet(m_reconnect);
    return options;
}

} // namespace wslab
