#pragma once

// Builds WebSocket frames byte by byte for the parser tests, including ones a correct peer
// would never send (non-minimal lengths, reserved bits), so the parser's errors can be tested.

#include <QByteArray>
#include <QtEndian>

namespace wslab::test {

// A frame with `payload`; the defaults make a correct, final, unmasked frame with the minimal
// length encoding. `lengthBits` (7, 16 or 64) forces an encoding; `claimedLength` lies.
inline QByteArray buildFrame(quint8 opcode, const QByteArray &payload, bool fin = true,
                             quint8 rsv = 0, const QByteArray &maskingKey = {}, int lengthBits = 0,
                             quint64 claimedLength = ~quint64(0))
{
    QByteArray out;
    out.append(char((fin ? 0x80 : 0) | (rsv << 4) | (opcode & 0x0F)));
    const quint64 length = claimedLength != ~quint64(0) ? claimedLength : quint64(payload.size());
    const int bits = lengthBits ? lengthBits : (length < 126 ? 7 : length < 65536 ? 16 : 64);
    const char maskBit = maskingKey.isEmpty() ? 0 : char(0x80);
    if (bits == 7) {
        out.append(char(maskBit | char(length)));
    } else if (bits == 16) {
        out.append(char(maskBit | 126));
        char be[2];
        qToBigEndian(quint16(length), be);
        out.append(be, 2);
    } else {
        out.append(char(maskBit | 127));
        char be[8];
        qToBigEndian(length, be);
        out.append(be, 8);
    }
    QByteArray body = payload;
    if (!maskingKey.isEmpty()) {
        out.append(maskingKey);
        for (qsizetype i = 0; i < body.size(); ++i)
            body[i] = char(body[i] ^ maskingKey[i % 4]);
    }
    out.append(body);
    return out;
}

inline QByteArray closePayload(quint16 code, const QByteArray &reason = {})
{
    char be[2];
    qToBigEndian(code, be);
    return QByteArray(be, 2) + reason;
}

} // namespace wslab::test
