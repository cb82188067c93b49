#pragma once

#include <QByteArrayView>
#include <QString>

namespace wslab {

// UTF-8 bytes as one printable line: quotes, backslashes, line breaks and control characters
// escaped (\" \\ \n \r \t \xNN), invalid sequences replaced, and cut after `maxChars`
// characters with "…". Used wherever a payload is shown in a single line.
QString escapedText(QByteArrayView utf8, int maxChars);

// Bytes as hex ("00 ff 10", or "00ff10" without a separator), cut after `maxBytes` with "…".
QString shortHex(QByteArrayView bytes, int maxBytes, char separator = ' ');

} // namespace wslab
