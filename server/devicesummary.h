#pragma once

#include <QString>
#include <QStringView>

namespace wslab {

// The most of a User-Agent header the server keeps (a browser's is 100-300 characters).
inline constexpr qsizetype maxUserAgentLength = 512;

// A User-Agent as a teacher reads it in the class list: "iPhone · Safari", "Android · Chrome",
// "Windows · Edge", "Python websockets", "Tornado", "WsLab". A browser is its system and its
// browser (the in-app browsers students open a QR code with, WeChat among them, by their own
// names); a program is its product; anything else its first product token ("curl"). Empty when
// the header is empty (Qt, node ws and most programs send none). At most 40 characters.
// Names of products, not words: never translated.
QString deviceSummary(QStringView userAgent);

} // namespace wslab
