#pragma once

#include "text.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <utility>

namespace wslab {

// What the user typed in the composer, turned into the bytes of one message: text (UTF-8), JSON
// (validated), binary from hex or base64, or a file read as binary. Bad input is not sent: the
// result says what is wrong and where (line and column, 1-based, in the typed text).
namespace PayloadInput {

enum class Kind { Text, Json, Hex, Base64 };

struct Result
{
    QByteArray bytes;
    bool binary = false; // a binary frame (hex, base64, file) rather than a text one
    Text error; // empty when the input is good
    qsizetype errorOffset = -1; // in the typed text (QChars); -1 when it is about the whole
    int line = 0; // of errorOffset, 1-based; 0 when there is none
    int column = 0;
    bool ok() const { return error.isEmpty(); }
    // The error with its place, for one line under the input: "line 2, column 5: …".
    QString message() const;
};

// Kinds by stable name, for the saved messages' file ("text", "json", "hex", "base64").
QString kindName(Kind kind);
std::optional<Kind> kindFromName(const QString &name);

Result parse(Kind kind, const QString &input);

// Hex bytes; whitespace, ':' and ',' separate, each group may start with 0x. A group of an odd
// number of digits is an error rather than a guess at where the missing digit goes.
Result fromHex(const QString &input);
// Standard ('+', '/') or URL-safe ('-', '_') alphabet, padding optional, whitespace ignored.
Result fromBase64(const QString &input);
// Valid JSON (any value, as RFC 8259 allows), sent as typed; the error says line and column.
Result fromJson(const QString &input);
// UTF-8; always ok.
Result fromText(const QString &input);

// The file's bytes as one binary message; a file over `maxBytes`, missing, unreadable or a
// directory is an error naming the file.
static constexpr qint64 defaultMaxFileBytes = 16 * 1024 * 1024;
Result fromFile(const QString &path, qint64 maxBytes = defaultMaxFileBytes);

// JSON laid out again: `indent` spaces per level (pretty) or none at all (compact, indent < 0).
// Keys stay in their order and numbers as written (QJsonDocument would sort the keys and
// rewrite the numbers). What is not JSON syntax outside strings, such as {{counter}}, is kept
// as it is. Only for input fromJson() accepts (after variables are expanded).
QString reformatJson(const QString &json, int indent = 4);

// Line and column (1-based) of `offset` in `text`.
std::pair<int, int> lineAndColumn(const QString &text, qsizetype offset);

} // namespace PayloadInput

} // namespace wslab
