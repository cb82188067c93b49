#pragma once

#include <QByteArray>
#include <QString>

namespace wslab {

// Copy a frame's payload as… (pure formatters; the Frames pane's context menu uses them).
enum class PayloadFormat { Hex, Base64, CArray, Text };

// "48 65 6c 6c 6f": lower-case pairs separated by one space.
QString payloadAsHex(QByteArrayView bytes);
QString payloadAsBase64(QByteArrayView bytes);
// A C array with its length, 12 bytes a line:
//   const unsigned char payload[5] = {
//       0x48, 0x65, 0x6c, 0x6c, 0x6f,
//   };
//   const unsigned int payload_len = 5;
QString payloadAsCArray(QByteArrayView bytes, const QString &name = QStringLiteral("payload"));
// UTF-8 decoded; bytes that are not UTF-8 become U+FFFD (the text copied is what is shown).
QString payloadAsText(QByteArrayView bytes);
QString formatPayload(QByteArrayView bytes, PayloadFormat format);

} // namespace wslab
