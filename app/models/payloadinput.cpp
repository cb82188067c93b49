#include "payloadinput.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace wslab::PayloadInput {

namespace {
constexpr char kContext[] = "wslab::PayloadInput";

Result failure(const QString &input, const Text &error, qsizetype offset)
{
    Result result;
    result.error = error;
    result.errorOffset = offset;
    if (offset >= 0)
        std::tie(result.line, result.column) = lineAndColumn(input, offset);
    return result;
}

bool isHexDigit(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'f') || (u >= 'A' && u <= 'F');
}

bool isSeparator(QChar c)
{
    return c.isSpace() || c == u':' || c == u',';
}

QString shown(QChar c)
{
    // A character the user can see in the message, even when it is a control or a space.
    if (c.isPrint() && !c.isSpace())
        return QString(c);
    return QStringLiteral("U+%1").arg(c.unicode(), 4, 16, QLatin1Char('0')).toUpper();
}
} // namespace

QString Result::message() const
{
    if (ok())
        return {};
    if (line <= 0)
        return error.toString();
    return QCoreApplication::translate(kContext, "line %1, column %2: %3")
        .arg(line)
        .arg(column)
        .arg(error.toString());
}

QString kindName(Kind kind)
{
    switch (kind) {
    case Kind::Text:
        return QStringLiteral("text");
    case Kind::Json:
        return QStringLiteral("json");
    case Kind::Hex:
        return QStringLiteral("hex");
    case Kind::Base64:
        return QStringLiteral("base64");
    }
    return {};
}

std::optional<Kind> kindFromName(const QString &name)
{
    for (Kind kind : { Kind::Text, Kind::Json, Kind::Hex, Kind::Base64 })
        if (name == kindName(kind))
            return kind;
    return std::nullopt;
}

std::pair<int, int> lineAndColumn(const QString &text, qsizetype offset)
{
    offset = qBound(qsizetype(0), offset, text.size());
    int line = 1;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < offset; ++i) {
        if (text.at(i) == u'\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    return { line, int(offset - lineStart) + 1 };
}

Result parse(Kind kind, const QString &input)
{
    switch (kind) {
    case Kind::Text:
        break;
    case Kind::Json:
        return fromJson(input);
    case Kind::Hex:
        return fromHex(input);
    case Kind::Base64:
        return fromBase64(input);
    }
    return fromText(input);
}

Result fromText(const QString &input)
{
    Result result;
    result.bytes = input.toUtf8();
    return result;
}

namespace {
Result hexBytes(const QString &input)
{
    Result result;
    result.binary = true;
    QByteArray digits;
    digits.reserve(input.size());
    qsizetype i = 0;
    const qsizetype n = input.size();
    while (i < n) {
        if (isSeparator(input.at(i))) {
            ++i;
            continue;
        }
        // One group: an optional 0x, then digits up to the next separator.
        const qsizetype start = i;
        if (i + 1 < n && input.at(i) == u'0'
            && (input.at(i + 1) == u'x' || input.at(i + 1) == u'X'))
            i += 2;
        const qsizetype digitsStart = i;
        while (i < n && !isSeparator(input.at(i))) {
            const QChar c = input.at(i);
            if (!isHexDigit(c))
                return failure(input,
                               Text(kContext,
                                    QT_TRANSLATE_NOOP("wslab::PayloadInput",
                                                      "'%1' is not a hex digit "
                                                      "(0-9, a-f)"))
                                   .arg(shown(c)),
                               i);
            digits.append(char(c.unicode()));
            ++i;
        }
        const qsizetype count = i - digitsStart;
        if (count == 0)
            return failure(
                input,
                Text(kContext,
                     QT_TRANSLATE_NOOP("wslab::PayloadInput", "0x without hex digits after it")),
                start);
        if (count % 2 != 0)
            return failure(input,
                           Text(kContext,
                                QT_TRANSLATE_NOOP("wslab::PayloadInput",
                                                  "\"%1\" has an odd number of hex digits; a byte "
                                                  "is two, e.g. 0a"))
                               .arg(input.mid(start, i - start)),
                           start);
    }
    result.bytes = QByteArray::fromHex(digits);
    return result;
}

Result base64Bytes(const QString &input)
{
    Result result;
    result.binary = true;
    QByteArray clean;
    clean.reserve(input.size());
    bool standard = false, urlSafe = false;
    qsizetype firstStandard = -1, firstUrlSafe = -1, padding = -1;
    for (qsizetype i = 0; i < input.size(); ++i) {
        const QChar c = input.at(i);
        if (c.isSpace())
            continue;
        const char16_t u = c.unicode();
        const bool alnum
            = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9');
        if (u == '=') {
            if (padding < 0)
                padding = i;
            continue;
        }
        if (!alnum && u != '+' && u != '/' && u != '-' && u != '_')
            return failure(
                input,
                Text(kContext,
                     QT_TRANSLATE_NOOP("wslab::PayloadInput", "'%1' is not a base64 character"))
                    .arg(shown(c)),
                i);
        if (padding >= 0)
            return failure(
                input,
                Text(kContext,
                     QT_TRANSLATE_NOOP("wslab::PayloadInput", "'=' padding only goes at the end")),
                padding);
        if (u == '+' || u == '/') {
            standard = true;
            if (firstStandard < 0)
                firstStandard = i;
        } else if (u == '-' || u == '_') {
            urlSafe = true;
            if (firstUrlSafe < 0)
                firstUrlSafe = i;
        }
        clean.append(char(u));
    }
    if (standard && urlSafe)
        return failure(input,
                       Text(kContext,
                            QT_TRANSLATE_NOOP("wslab::PayloadInput",
                                              "mixes the standard alphabet (+ /) with the "
                                              "URL-safe one (- _)")),
                       qMax(firstStandard, firstUrlSafe));
    if (clean.size() % 4 == 1)
        return failure(input,
                       Text(kContext,
                            QT_TRANSLATE_NOOP("wslab::PayloadInput",
                                              "base64 is cut short: %1 characters "
                                              "cannot end a group of 4"))
                           .arg(clean.size()),
                       -1);
    const auto options = (urlSafe ? QByteArray::Base64UrlEncoding : QByteArray::Base64Encoding)
        | QByteArray::AbortOnBase64DecodingErrors;
    auto decoded = QByteArray::fromBase64Encoding(clean, options);
    if (!decoded)
        return failure(input,
                       Text(kContext, QT_TRANSLATE_NOOP("wslab::PayloadInput", "not valid base64")),
                       -1);
    result.bytes = std::move(decoded.decoded);
    return result;
}

} // namespace

// A binary message, even when it is not sent: the result says what kind it would have been.
Result fromHex(const QString &input)
{
    Result result = hexBytes(input);
    result.binary = true;
    return result;
}

Result fromBase64(const QString &input)
{
    Result result = base64Bytes(input);
    result.binary = true;
    return result;
}

Result fromJson(const QString &input)
{
    Result result;
    result.bytes = input.toUtf8();
    QJsonParseError error;
    QJsonDocument::fromJson(result.bytes, &error);
    if (error.error == QJsonParseError::NoError)
        return result;
    qsizetype byteOffset = error.offset;
    {
        // Qt 6.4 takes only an object or an array; RFC 8259 any value ("42", "\"hi\"").
        // One value alone in brackets is the same check, one byte further on.
        const QByteArray trimmed = result.bytes.trimmed();
        if (!trimmed.isEmpty() && !trimmed.startsWith('{') && !trimmed.startsWith('[')) {
            QJsonParseError wrapped;
            const QJsonDocument array = QJsonDocument::fromJson('[' + result.bytes + ']', &wrapped);
            if (wrapped.error == QJsonParseError::NoError && array.array().size() == 1)
                return result;
            if (wrapped.error != QJsonParseError::NoError) {
                error = wrapped;
                byteOffset = qMax(0, wrapped.offset - 1);
            } else {
                // "1, 2": more than one value.
                error.error = QJsonParseError::NoError;
                byteOffset = result.bytes.indexOf(',');
            }
        }
    }
    // The parser's offset counts UTF-8 bytes; the place is shown in characters.
    const qsizetype offset = QString::fromUtf8(result.bytes.left(qBound(qsizetype(0), byteOffset,
                                                                        result.bytes.size())))
                                 .size();
    const Text why = error.error != QJsonParseError::NoError
        ? Text(kContext, QT_TRANSLATE_NOOP("wslab::PayloadInput", "not valid JSON: %1"))
              .arg(Text::verbatim(error.errorString()))
        : Text(kContext,
               QT_TRANSLATE_NOOP("wslab::PayloadInput", "not valid JSON: more than one value"));
    return failure(input, why, offset);
}

Result fromFile(const QString &path, qint64 maxBytes)
{
    const QFileInfo info(path);
    const auto fail = [&](const Text &why) {
        Result result;
        result.binary = true;
        result.error = why;
        return result;
    };
    if (!info.exists())
        return fail(
            Text(kContext, QT_TRANSLATE_NOOP("wslab::PayloadInput", "%1: no such file")).arg(path));
    if (info.isDir())
        return fail(
            Text(kContext, QT_TRANSLATE_NOOP("wslab::PayloadInput", "%1 is a folder, not a file"))
                .arg(path));
    if (info.size() > maxBytes)
        return fail(Text(kContext,
                         QT_TRANSLATE_NOOP("wslab::PayloadInput",
                                           "%1 is %2 bytes, over the limit of %3 bytes "
                                           "for one message"))
                        .arg(path)
                        .arg(info.size())
                        .arg(maxBytes));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Text(kContext, QT_TRANSLATE_NOOP("wslab::PayloadInput", "%1: cannot read: %2"))
                        .arg(path)
                        .arg(Text::verbatim(file.errorString())));
    // Read at most one byte past the limit: the file may have grown since it was looked at.
    Result result;
    result.binary = true;
    result.bytes = file.read(maxBytes + 1);
    if (result.bytes.size() > maxBytes)
        return fail(Text(kContext,
                         QT_TRANSLATE_NOOP("wslab::PayloadInput",
                                           "%1 is over the limit of %2 bytes for one "
                                           "message"))
                        .arg(path)
                        .arg(maxBytes));
    return result;
}

QString reformatJson(const QString &json, int indent)
{
    QString out;
    out.reserve(json.size() * 2);
    int depth = 0;
    const bool pretty = indent >= 0;
    const auto newline = [&] {
        if (!pretty)
            return;
        out += u'\n';
        out += QString(depth * indent, u' ');
    };
    const qsizetype n = json.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = json.at(i);
        if (c == u'"') {
            // A string as written, escapes and all.
            const qsizetype start = i++;
            while (i < n && json.at(i) != u'"')
                i += json.at(i) == u'\\' ? 2 : 1;
            out += QStringView(json).mid(start, qMin(i, n - 1) - start + 1);
            continue;
        }
        if (c == u'{' && i + 1 < n && json.at(i + 1) == u'{') {
            // A variable in place of a value: never JSON syntax, kept whole.
            const qsizetype end = json.indexOf(QStringLiteral("}}"), i + 2);
            const qsizetype stop = end < 0 ? n : end + 2;
            out += QStringView(json).mid(i, stop - i);
            i = stop - 1;
            continue;
        }
        if (c.isSpace())
            continue;
        if (c == u'{' || c == u'[') {
            // An empty object or array stays on one line.
            qsizetype next = i + 1;
            while (next < n && json.at(next).isSpace())
                ++next;
            if (next < n && (json.at(next) == u'}' || json.at(next) == u']')) {
                out += c;
                out += json.at(next);
                i = next;
                continue;
            }
            out += c;
            ++depth;
            newline();
        } else if (c == u'}' || c == u']') {
            --depth;
            newline();
            out += c;
        } else if (c == u',') {
            out += c;
            newline();
        } else if (c == u':') {
            out += c;
            if (pretty)
                out += u' ';
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace wslab::PayloadInput
