#include "clientargs.h"

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
