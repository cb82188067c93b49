#include "framefields.h"

#include "textpreview.h"

#include <QCoreApplication>
#include <QtEndian>

namespace wslab {

namespace {
int extendedSize(const Frame &frame)
{
    return frame.lengthBits == 7 ? 0 : frame.lengthBits == 23 ? 2 : 8;
}
} // namespace

QByteArray frameBytes(const Frame &frame)
{
    QByteArray out;
    out.append(char((frame.fin ? 0x80 : 0) | (frame.rsv << 4) | (frame.opcode & 0x0F)));
    const int ext = extendedSize(frame);
    out.append(char((frame.masked ? 0x80 : 0)
                    | (ext == 0       ? int(frame.payloadLength)
                           : ext == 2 ? 126
                                      : 127)));
    if (ext == 2) {
        char be[2];
        qToBigEndian(quint16(frame.payloadLength), be);
        out.append(be, 2);
    } else if (ext == 8) {
        char be[8];
        qToBigEndian(frame.payloadLength, be);
        out.append(be, 8);
    }
    QByteArray payload = frame.payload;
    if (frame.masked) {
        out.append(frame.maskingKey);
        for (qsizetype i = 0; i < payload.size(); ++i)
            payload[i] = char(payload[i] ^ frame.maskingKey[i % 4]);
    }
    return out + payload;
}

QList<FrameField> frameFields(const Frame &frame)
{
    QList<FrameField> fields;
    const int ext = extendedSize(frame);
    fields.append(
        { QCoreApplication::translate("wslab::FrameFields", "FIN"),
          frame.fin
              ? QCoreApplication::translate("wslab::FrameFields", "1: final frame of the message")
              : QCoreApplication::translate("wslab::FrameFields", "0: more frames follow"),
          0, 1 });
    fields.append({ QCoreApplication::translate("wslab::FrameFields", "RSV1-3"),
                    QString::number(frame.rsv), 0, 1 });
    fields.append({ QCoreApplication::translate("wslab::FrameFields", "Opcode"),
                    QStringLiteral("%1 (%2)").arg(frame.opcode).arg(opcodeName(frame.opcode)), 0,
                    1 });
    fields.append({ QCoreApplication::translate("wslab::FrameFields", "MASK"),
                    frame.masked ? QCoreApplication::translate("wslab::FrameFields",
                                                               "1: masked (client to server)")
                                 : QCoreApplication::translate("wslab::FrameFields",
                                                               "0: not masked (server to client)"),
                    1, 1 });
    fields.append(
        { QCoreApplication::translate("wslab::FrameFields", "Payload length (7 bits)"),
          ext == 0 ? QString::number(frame.payloadLength)
              : ext == 2
              ? QCoreApplication::translate("wslab::FrameFields", "126: the next 2 bytes hold it")
              : QCoreApplication::translate("wslab::FrameFields", "127: the next 8 bytes hold it"),
          1, 1 });
    if (ext)
        fields.append(
            { QCoreApplication::translate("wslab::FrameFields", "Extended payload length"),
              QString::number(frame.payloadLength), 2, ext });
    const int keyAt = 2 + ext;
    if (frame.masked)
        fields.append({ QCoreApplication::translate("wslab::FrameFields", "Masking key"),
                        QString::fromLatin1(frame.maskingKey.toHex()), keyAt, 4 });
    const int payloadAt = keyAt + (frame.masked ? 4 : 0);
    const int kept = int(frame.payload.size());
    QString payloadValue = frame.messageOpcode == Frame::Text && !frame.isControl()
        ? u'"' + escapedText(frame.payload, 120) + u'"'
        : shortHex(frame.payload, 40);
    if (frame.payloadTruncated)
        payloadValue
            += QCoreApplication::translate("wslab::FrameFields", " (first %1 of %2 bytes kept)")
                   .arg(kept)
                   .arg(frame.payloadLength);
    fields.append({ frame.masked
                        ? QCoreApplication::translate("wslab::FrameFields", "Payload (unmasked)")
                        : QCoreApplication::translate("wslab::FrameFields", "Payload"),
                    payloadValue, payloadAt, kept });
    if (frame.opcode == Frame::Close && frame.closeCode) {
        fields.append({ QCoreApplication::translate("wslab::FrameFields", "Close code"),
                        QString::number(*frame.closeCode), payloadAt, 2 });
        if (kept > 2)
            fields.append({ QCoreApplication::translate("wslab::FrameFields", "Close reason"),
                            u'"' + frame.closeReason + u'"', payloadAt + 2, kept - 2 });
    }
    return fields;
}

int fieldAt(const QList<FrameField> &fields, int offset)
{
    int best = -1;
    for (int i = 0; i < fields.size(); ++i) {
        const FrameField &f = fields[i];
        if (offset >= f.offset && offset < f.offset + f.length
            && (best < 0 || f.length <= fields[best].length))
            best = i;
    }
    return best;
}

} // namespace wslab
