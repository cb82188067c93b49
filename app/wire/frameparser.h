#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace wslab {

// Which way bytes crossed the wire.
enum class Direction {
    ClientToServer, // shown as ">"
    ServerToClient, // shown as "<"
};

// Where a field sits in one direction's byte stream (offsets count from that direction's
// first byte, handshake included), so a hex view can highlight it.
struct FieldSpan
{
    qint64 offset = 0;
    qint64 length = 0;
};

// One RFC 6455 frame as it crossed the wire.
struct Frame
{
    enum Opcode : quint8 {
        Continuation = 0x0,
        Text = 0x1,
        Binary = 0x2,
        Close = 0x8,
        Ping = 0x9,
        Pong = 0xA,
    };

    bool fin = false;
    quint8 rsv = 0; // RSV1..RSV3 as a 3-bit number
    quint8 opcode = 0;
    bool masked = false;
    QByteArray maskingKey; // 4 bytes when masked
    quint64 payloadLength = 0; // as the header says, and as it arrived (frames are complete)
    int lengthBits = 7; // 7, 7+16 or 7+64: which length encoding was used
    QByteArray payload; // unmasked; at most FrameParser::maxKeptPayload bytes
    bool payloadTruncated = false;

    // Fragmentation: every frame of one message has the same messageIndex; the data opcode
    // of the message (Text/Binary) is repeated on its continuation frames.
    quint64 messageIndex = 0;
    quint8 messageOpcode = 0;
    int fragmentIndex = 0; // 0 for the first frame of a message

    std::optional<quint16> closeCode; // Close frames with a payload
    QString closeReason;

    FieldSpan header; // first two bytes: FIN, RSV, opcode, MASK, 7-bit length
    FieldSpan extendedLength; // 0, 2 or 8 bytes
    FieldSpan maskingKeySpan; // 0 or 4 bytes
    FieldSpan payloadSpan;

    bool isControl() const { return opcode & 0x8; }
    qint64 size() const { return payloadSpan.offset + payloadSpan.length - header.offset; }
};

QString opcodeName(quint8 opcode);

// What went wrong, named the way the receiving endpoint would close the connection.
struct ProtocolError
{
    quint16 closeCode = 1002; // 1002 protocol error, 1007 invalid data
    QString reason;
    qint64 offset = 0; // where in the stream it was detected
};

// An incremental decoder of one direction of a WebSocket connection, after the handshake.
// Bytes can arrive in any split (one at a time included). It never trusts a length field:
// it keeps at most maxKeptPayload bytes of any payload, however much a header announces,
// and it stops at the first protocol error.
class FrameParser
{
public:
    static constexpr qint64 maxKeptPayload = 64 * 1024;

    // `direction` decides the masking rule: client frames must be masked, server frames must
    // not. `streamOffset` is the offset of the first byte fed (the handshake's size).
    explicit FrameParser(Direction direction, qint64 streamOffset = 0);

    // Returns the frames completed by these bytes, in order.
    QList<Frame> feed(QByteArrayView bytes);

    const std::optional<ProtocolError> &error() const { return m_error; }
    qint64 bytesConsumed() const { return m_offset - m_startOffset; }
    // True while a frame is partly received.
    bool inFrame() const { return m_state != State::Header; }

private:
    enum class State { Header, ExtendedLength, MaskingKey, Payload, Failed };

    bool headerComplete();
    void fail(quint16 code, const QString &reason);
    std::optional<Frame> finishFrame();
    bool checkUtf8(QByteArrayView bytes, bool final);

    Direction m_direction;
    qint64 m_startOffset;
    qint64 m_offset; // absolute offset of the next byte
    State m_state = State::Header;
    QByteArray m_headerBytes; // header bytes of the current frame so far
    int m_needed = 2;
    Frame m_frame;
    quint64 m_payloadReceived = 0;
    std::optional<ProtocolError> m_error;

    // Fragmentation state.
    bool m_inMessage = false;
    quint8 m_messageOpcode = 0;
    quint64 m_messageCount = 0;
    int m_fragmentCount = 0;

    // Streaming UTF-8 check of the current text message.
    int m_utf8Remaining = 0;
    quint32 m_utf8CodePoint = 0;
    int m_utf8Length = 0;
};

} // namespace wslab
