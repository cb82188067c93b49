#include "requestheadcheck.h"

#include <QList>

#include <algorithm>

namespace wslab {

namespace {

bool isTchar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView text)
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), isTchar);
}

bool isFieldValueChar(char c)
{
    const auto u = quint8(c);
    return u == '\t' || (u >= 0x20 && u != 0x7f); // VCHAR, SP, HTAB and obs-text
}

bool isKnownMethod(QByteArrayView method)
{
    static const QList<QByteArrayView> known { "GET",     "HEAD",  "POST",  "PUT",    "DELETE",
                                               "OPTIONS", "PATCH", "TRACE", "CONNECT" };
    return known.contains(method);
}

RequestHeadCheck invalid(int status, const QString &reason)
{
    return { RequestHeadCheck::State::Invalid, status, reason, 0 };
}

QString shown(QByteArrayView bytes)
{
    QString text;
    for (const char c : bytes.first(qMin<qsizetype>(bytes.size(), 60))) {
        const auto u = quint8(c);
        text += (u >= 0x20 && u < 0x7f) ? QString(QChar(char16_t(u)))
                                        : QStringLiteral("\\x%1").arg(u, 2, 16, QChar(u'0'));
    }
    return bytes.size() > 60 ? text + QStringLiteral("…") : text;
}

RequestHeadCheck checkRequestLine(QByteArrayView line)
{
    const QString bad = QStringLiteral("malformed request line \"%1\": expected "
                                       "METHOD /path HTTP/1.1")
                            .arg(shown(line));
    const qsizetype firstSpace = line.indexOf(' ');
    const qsizetype lastSpace = line.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace == firstSpace)
        return invalid(400, bad);
    const QByteArrayView method = line.first(firstSpace);
    const QByteArrayView target = line.sliced(firstSpace + 1, lastSpace - firstSpace - 1);
    const QByteArrayView version = line.sliced(lastSpace + 1);
    if (!isToken(method) || target.isEmpty() || version.size() != 8 || !version.startsWith("HTTP/")
        || !QChar::isDigit(version[5]) || version[6] != '.' || !QChar::isDigit(version[7]))
        return invalid(400, bad);
    for (const char c : target) {
        if (quint8(c) <= 0x20 || quint8(c) >= 0x7f)
            return invalid(400, bad);
    }
    if (version[5] != '1')
        return invalid(
            505,
            QStringLiteral("%1 is not supported; use HTTP/1.1").arg(QString::fromLatin1(version)));
    if (!isKnownMethod(method))
        return invalid(501, QStringLiteral("method %1 is not implemented").arg(shown(method)));
    return {};
}

RequestHeadCheck checkHeaderLine(QByteArrayView line)
{
    if (line.front() == ' ' || line.front() == '\t')
        return invalid(
            400, QStringLiteral("folded header line (obsolete line folding) is not accepted"));
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon)))
        return invalid(
            400,
            QStringLiteral("malformed header line \"%1\": expected Name: value").arg(shown(line)));
    const QByteArrayView value = line.sliced(colon + 1);
    if (!std::all_of(value.begin(), value.end(), isFieldValueChar))
        return invalid(
            400, QStringLiteral("control character in header %1").arg(shown(line.first(colon))));
    if (line.first(colon).compare("content-length", Qt::CaseInsensitive) == 0) {
        const QByteArrayView digits = value.trimmed();
        if (digits.isEmpty() || !std::all_of(digits.begin(), digits.end(), [](char c) {
                return c >= '0' && c <= '9';
            }))
            return invalid(400, QStringLiteral("Content-Length must be a number"));
    }
    return {};
}

} // namespace

RequestHeadCheck checkRequestHead(QByteArrayView head)
{
    qsizetype pos = 0;
    // RFC 9112 §2.2: ignore empty lines before the request line.
    while (pos < head.size() && (head[pos] == '\r' || head[pos] == '\n'))
        ++pos;
    bool requestLine = true;
    while (true) {
        const qsizetype newline = head.indexOf('\n', pos);
        if (newline < 0)
            return {};
        QByteArrayView line = head.sliced(pos, newline - pos);
        if (line.endsWith('\r'))
            line.chop(1);
        pos = newline + 1;
        if (line.contains('\r') || line.contains('\0'))
            return invalid(400, QStringLiteral("stray CR or NUL in \"%1\"").arg(shown(line)));
        if (line.isEmpty())
            return { RequestHeadCheck::State::Complete, 0, {}, pos };
        const RequestHeadCheck verdict
            = requestLine ? checkRequestLine(line) : checkHeaderLine(line);
        if (verdict.state == RequestHeadCheck::State::Invalid)
            return verdict;
        requestLine = false;
    }
}

} // namespace wslab
