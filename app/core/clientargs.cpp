#include "clientargs.h"

#include <algorithm>

namespace wslab {

std::optional<QUrl> parseWebSocketUrl(const QString &input, QString *error)
{
    const QString text = input.trimmed();
    if (text.isEmpty()) {
        *error = QStringLiteral("the URL is empty; try ws://127.0.0.1:8888/ws");
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
        *error = QStringLiteral("%1 is an HTTP address; a WebSocket URL starts with ws:// or "
                                "wss://, e.g. %2")
                     .arg(text, suggestion.toString());
        return std::nullopt;
    }
    if (scheme != u"ws" && scheme != u"wss") {
        *error = QStringLiteral("\"%1\": the scheme must be ws:// or wss://").arg(text);
        return std::nullopt;
    }
    if (!url.isValid()) {
        *error = QStringLiteral("\"%1\" is not a valid URL: %2").arg(text, url.errorString());
        return std::nullopt;
    }
    if (url.host().isEmpty()) {
        *error = QStringLiteral("\"%1\" has no host; try ws://127.0.0.1:8888/ws").arg(text);
        return std::nullopt;
    }
    if (url.port() == 0) {
        *error = QStringLiteral("\"%1\": port 0 cannot be connected to").arg(text);
        return std::nullopt;
    }
    if (!url.fragment().isNull()) {
        *error = QStringLiteral("\"%1\": a WebSocket URL cannot have a #fragment").arg(text);
        return std::nullopt;
    }
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
        *error = QStringLiteral("header \"%1\" must look like 'Name: value'").arg(text);
        return std::nullopt;
    }
    const QString value = text.mid(colon + 1).trimmed();
    if (std::any_of(value.begin(), value.end(), [](QChar c) { return c == u'\r' || c == u'\n'; })) {
        *error = QStringLiteral("header \"%1\" cannot contain a line break")
                     .arg(QString::fromLatin1(name));
        return std::nullopt;
    }
    return qMakePair(name, value.toUtf8());
}

} // namespace wslab
