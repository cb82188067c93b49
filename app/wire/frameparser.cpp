#include "frameparser.h"

#include "vocabulary.h"

#include <QStringDecoder>
#include <QtEndian>

namespace wslab {

QString opcodeName(quint8 opcode)
{
    switch (opcode) {
    case Frame::Continuation:
        return QStringLiteral("continuation");
    case Frame::Text:
        return QStringLiteral("text");
    case Frame::Binary:
        return QStringLiteral("binary");
    case Frame::Close:
        return QStringLiteral("close");
    case Frame::Ping:
        return QStringLiteral("ping");
    case Frame::Pong:
        return QStringLiteral("pong");
    default:
        return opcode & 0x8 ? QStringLiteral("reserved-control") : QStringLiteral("reserved-data");
    }
}

FrameParser::FrameParser(Direction direction, qint64 streamOffset)
    : m_direction(direction), m_startOffset(streamOffset), m_offset(streamOffset)
{
}

void FrameParser::fail(quint16 code, const QString &reason)
{
    m_error = ProtocolError { code, reason, m_frame.header.offset };
    m_state = State::Failed;
}

QList<Frame> FrameParser::feed(QByteArrayView bytes)
{
    QList<Frame> frames;
    qsizetype pos = 0;
    while (pos < bytes.size() && m_state != State::Failed) {
        if (m_state != State::Payload) {
            // Header bytes: at most 14, collected one field at a time.
            const qsizetype take = qMin<qsizetype>(m_needed, bytes.size() - pos);
            m_headerBytes.append(bytes.sliced(pos, take));
            pos += take;
            m_offset += take;
            m_needed -= int(take);
            if (m_needed > 0)
                break;
            if (!headerComplete())
                break;
        }
        if (m_state == State::Payload) {
            const quint64 remaining = m_frame.payloadLength - m_payloadReceived;
            const qsizetype take = qsizetype(qMin<quint64>(remaining, quint64(bytes.size() - pos)));
            const QByteArrayView chunk = bytes.sliced(pos, take);
            const qint64 kept = m_frame.payload.size();
            if (kept < maxKeptPayload) {
                const qsizetype keep = qMin<qsizetype>(take, maxKeptPayload - kept);
                QByteArray unmasked = chunk.first(keep).toByteArray();
                if (m_frame.masked) {
                    for (qsizetype i = 0; i < unmasked.size(); ++i)
                        unmasked[i]
                            = char(unmasked[i]
                                   ^ m_frame.maskingKey[int((m_payloadReceived + quint64(i)) % 4)]);
                }
                m_frame.payload.append(unmasked);
            }
            // Text is checked as it streams, so a truncated copy still gets a full check.
            if (m_frame.messageOpcode == Frame::Text && !m_frame.isControl()) {
                QByteArray plain = chunk.toByteArray();
                if (m_frame.masked) {
                    for (qsizetype i = 0; i < plain.size(); ++i)
                        plain[i]
                            = char(plain[i]
                                   ^ m_frame.maskingKey[int((m_payloadReceived + quint64(i)) % 4)]);
                }
                if (!checkUtf8(plain, false)) {
                    fail(1007, QStringLiteral("invalid UTF-8 in a text message"));
                    break;
                }
            }
            m_payloadReceived += quint64(take);
            pos += take;
            m_offset += take;
            if (m_payloadReceived == m_frame.payloadLength) {
                if (auto frame = finishFrame())
                    frames.append(std::move(*frame));
            }
        }
    }
    return frames;
}

bool FrameParser::headerComplete()
{
    switch (m_state) {
    case State::Header: {
        m_frame = Frame();
        m_frame.header = { m_offset - 2, 2 };
        const auto b0 = quint8(m_headerBytes[0]);
        const auto b1 = quint8(m_headerBytes[1]);
        m_frame.fin = b0 & 0x80;
        m_frame.rsv = (b0 >> 4) & 0x7;
        m_frame.opcode = b0 & 0x0F;
        m_frame.masked = b1 & 0x80;
        const quint8 length7 = b1 & 0x7F;
        m_frame.payloadLength = length7;

        if (m_frame.rsv != 0)
            return fail(1002,
                        QStringLiteral("RSV bits %1 set, but no extension was negotiated")
                            .arg(m_frame.rsv, 3, 2, QChar(u'0'))),
                   false;
        if ((m_frame.opcode >= 0x3 && m_frame.opcode <= 0x7) || m_frame.opcode >= 0xB)
            return fail(1002, QStringLiteral("reserved opcode 0x%1").arg(m_frame.opcode, 0, 16)),
                   false;
        if (m_frame.isControl() && !m_frame.fin)
            return fail(1002,
                        QStringLiteral("a %1 frame cannot be fragmented")
                            .arg(opcodeName(m_frame.opcode))),
                   false;
        if (m_frame.isControl() && length7 > 125)
            return fail(1002,
                        QStringLiteral("a %1 frame carries at most 125 bytes")
                            .arg(opcodeName(m_frame.opcode))),
                   false;
        if (m_direction == Direction::ClientToServer && !m_frame.masked)
            return fail(1002, QStringLiteral("a client frame must be masked")), false;
        if (m_direction == Direction::ServerToClient && m_frame.masked)
            return fail(1002, QStringLiteral("a server frame must not be masked")), false;
        if (m_frame.opcode == Frame::Continuation && !m_inMessage)
            return fail(1002, QStringLiteral("continuation frame without a message to continue")),
                   false;
        if ((m_frame.opcode == Frame::Text || m_frame.opcode == Frame::Binary) && m_inMessage)
            return fail(1002,
                        QStringLiteral("new %1 message before the fragmented one ended")
                            .arg(opcodeName(m_frame.opcode))),
                   false;

        if (length7 == 126 || length7 == 127) {
            m_state = State::ExtendedLength;
            m_needed = length7 == 126 ? 2 : 8;
            m_frame.lengthBits = length7 == 126 ? 7 + 16 : 7 + 64;
            m_frame.extendedLength = { m_offset, m_needed };
            return true;
        }
        m_frame.extendedLength = { m_offset, 0 };
        m_state = State::ExtendedLength;
        m_needed = 0;
        return headerComplete();
    }
    case State::ExtendedLength: {
        if (m_frame.lengthBits == 7 + 16) {
            m_frame.payloadLength = qFromBigEndian<quint16>(m_headerBytes.constData() + 2);
            if (m_frame.payloadLength < 126)
                return fail(1002,
                            QStringLiteral("length %1 sent in 16 bits; 7 bits must be used")
                                .arg(m_frame.payloadLength)),
                       false;
        } else if (m_frame.lengthBits == 7 + 64) {
            m_frame.payloadLength = qFromBigEndian<quint64>(m_headerBytes.constData() + 2);
            if (m_frame.payloadLength >> 63)
                return fail(1002,
                            QStringLiteral("64-bit length with the most significant bit set")),
                       false;
            if (m_frame.payloadLength < 65536)
                return fail(1002,
                            QStringLiteral("length %1 sent in 64 bits; 16 bits must be used")
                                .arg(m_frame.payloadLength)),
                       false;
        }
        m_state = State::MaskingKey;
        m_needed = m_frame.masked ? 4 : 0;
        m_frame.maskingKeySpan = { m_offset, m_needed };
        if (m_needed > 0)
            return true;
        return headerComplete();
    }
    case State::MaskingKey: {
        if (m_frame.masked)
            m_frame.maskingKey = m_headerBytes.right(4);
        m_headerBytes.clear();
        m_state = State::Payload;
        m_payloadReceived = 0;
        m_frame.payloadSpan = { m_offset, qint64(m_frame.payloadLength) };

        // Tie the frame to its message.
        if (!m_frame.isControl()) {
            if (m_frame.opcode != Frame::Continuation) {
                ++m_messageCount;
                m_messageOpcode = m_frame.opcode;
                m_fragmentCount = 0;
                m_utf8Remaining = 0;
            }
            m_frame.messageIndex = m_messageCount;
            m_frame.messageOpcode = m_messageOpcode;
            m_frame.fragmentIndex = m_fragmentCount++;
            m_inMessage = !m_frame.fin;
        }
        if (m_frame.payloadLength == 0) {
            // Nothing more to read for this frame; feed() finishes it.
            return true;
        }
        return true;
    }
    case State::Payload:
    case State::Failed:
        break;
    }
    return false;
}

std::optional<Frame> FrameParser::finishFrame()
{
    Frame frame = std::move(m_frame);
    frame.payloadTruncated = quint64(frame.payload.size()) < frame.payloadLength;
    m_frame = Frame();
    m_state = State::Header;
    m_needed = 2;
    m_headerBytes.clear();

    if (frame.opcode == Frame::Close && frame.payloadLength > 0) {
        if (frame.payloadLength == 1) {
            m_frame.header = frame.header;
            fail(1002, QStringLiteral("a close frame payload of 1 byte has no room for a code"));
            return frame;
        }
        frame.closeCode = qFromBigEndian<quint16>(frame.payload.constData());
        const QByteArray reason = frame.payload.mid(2);
        auto decoder = QStringDecoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        frame.closeReason = decoder(reason);
        if (!isValidCloseCode(*frame.closeCode)) {
            m_frame.header = frame.header;
            fail(1002, QStringLiteral("close code %1 may not be sent").arg(*frame.closeCode));
        } else if (decoder.hasError()) {
            m_frame.header = frame.header;
            fail(1007, QStringLiteral("close reason is not valid UTF-8"));
        }
        return frame;
    }
    if (!frame.isControl() && frame.fin && frame.messageOpcode == Frame::Text
        && !checkUtf8({}, true)) {
        m_frame.header = frame.header;
        fail(1007, QStringLiteral("text message ends in the middle of a UTF-8 sequence"));
    }
    return frame;
}

// A streaming UTF-8 validator (RFC 3629): rejects overlong forms, surrogates and code points
// above U+10FFFF, and keeps its state across frames of a fragmented message.
bool FrameParser::checkUtf8(QByteArrayView bytes, bool final)
{
    for (const char ch : bytes) {
        const auto c = quint8(ch);
        if (m_utf8Remaining == 0) {
            if (c < 0x80)
                continue;
            if (c >= 0xC2 && c <= 0xDF) {
                m_utf8Remaining = 1;
                m_utf8CodePoint = c & 0x1F;
            } else if (c >= 0xE0 && c <= 0xEF) {
                m_utf8Remaining = 2;
                m_utf8CodePoint = c & 0x0F;
            } else if (c >= 0xF0 && c <= 0xF4) {
                m_utf8Remaining = 3;
                m_utf8CodePoint = c & 0x07;
            } else {
                return false;
            }
            m_utf8Length = m_utf8Remaining + 1;
            continue;
        }
        if ((c & 0xC0) != 0x80)
            return false;
        m_utf8CodePoint = (m_utf8CodePoint << 6) | (c & 0x3F);
        --m_utf8Remaining;
        // Reject overlong forms and out-of-range values as early as the second byte allows.
        const int seen = m_utf8Length - m_utf8Remaining;
        if (seen == 2) {
            if (m_utf8Length == 3 && m_utf8CodePoint < 0x20) // < U+0800 overlong
                return false;
            if (m_utf8Length == 3 && (m_utf8CodePoint >> 5) == 0x1B) // D800..DFFF
                return false;
            if (m_utf8Length == 4 && (m_utf8CodePoint < 0x10 || m_utf8CodePoint > 0x10F))
                return false;
        }
    }
    return !final || m_utf8Remaining == 0;
}

} // namespace wslab
