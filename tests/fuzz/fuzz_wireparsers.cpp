// libFuzzer target for the wire parsers: FrameParser (both directions), HandshakeParser (both
// kinds) and the WireDecoder that chains them; and the front doors that are ours: the server's
// RequestStream and the tap's CONNECT reading. Besides "no crash, no sanitizer report", it
// checks properties that must hold for any input:
//   - feeding the bytes whole or in arbitrary chunks gives the same frames and the same error;
//   - a frame never keeps more than maxKeptPayload bytes, whatever its header claims;
//   - every byte fed is accounted for (consumed, or the parser stopped at an error).
// Built only with -DWSLAB_FUZZ=ON and clang (scripts/test does this when clang++ exists).

#include "connectrequest.h"
#include "frameparser.h"
#include "handshakeparser.h"
#include "wiredecoder.h"
#include "wirelines.h"
#include "requestheadcheck.h"

#include <cstdint>
#include <cstdlib>

using namespace wslab;

namespace {

[[noreturn]] void property(const char *what)
{
    fprintf(stderr, "property violated: %s\n", what);
    abort();
}

bool sameFrames(const QList<Frame> &a, const QList<Frame> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const Frame &x = a[i];
        const Frame &y = b[i];
        if (x.fin != y.fin || x.rsv != y.rsv || x.opcode != y.opcode || x.masked != y.masked
            || x.payloadLength != y.payloadLength || x.payload != y.payload
            || x.maskingKey != y.maskingKey || x.header.offset != y.header.offset
            || x.payloadSpan.offset != y.payloadSpan.offset || x.messageIndex != y.messageIndex
            || x.closeCode != y.closeCode)
            return false;
    }
    return true;
}

// Splits `data` into chunks whose sizes come from `sizes`, so every split point gets tried.
template<typename Feed> void feedChunked(QByteArrayView data, QByteArrayView sizes, Feed feed)
{
    qsizetype pos = 0;
    qsizetype s = 0;
    while (pos < data.size()) {
        const qsizetype want = sizes.isEmpty() ? 1 : 1 + quint8(sizes[s++ % sizes.size()]) % 64;
        const qsizetype take = qMin(want, data.size() - pos);
        feed(data.sliced(pos, take));
        pos += take;
    }
}

void fuzzFrames(Direction direction, QByteArrayView data, QByteArrayView sizes)
{
    FrameParser whole(direction, 17);
    const QList<Frame> frames = whole.feed(data);
    for (const Frame &frame : frames) {
        if (frame.payload.size() > FrameParser::maxKeptPayload)
            property("kept more than maxKeptPayload");
        if (!frame.payloadTruncated && quint64(frame.payload.size()) != frame.payloadLength)
            property("untruncated payload of the wrong size");
        if (frameLine(frame, direction).isEmpty())
            property("empty frame line");
    }
    if (!whole.error() && whole.bytesConsumed() != data.size())
        property("bytes neither consumed nor rejected");

    FrameParser chunked(direction, 17);
    QList<Frame> pieces;
    feedChunked(data, sizes, [&](QByteArrayView chunk) { pieces += chunked.feed(chunk); });
    if (!sameFrames(frames, pieces))
        property("chunked feeding changed the frames");
    if (bool(whole.error()) != bool(chunked.error())
        || (whole.error() && whole.error()->closeCode != chunked.error()->closeCode))
        property("chunked feeding changed the error");
}

void fuzzHandshake(HandshakeParser::Kind kind, QByteArrayView data, QByteArrayView sizes)
{
    HandshakeParser whole(kind);
    const qsizetype consumed = whole.feed(data);
    if (consumed > data.size() || whole.size() > HandshakeParser::maxHeadSize)
        property("handshake parser consumed too much");
    HandshakeParser chunked(kind);
    qsizetype total = 0;
    feedChunked(data, sizes, [&](QByteArrayView chunk) { total += chunked.feed(chunk); });
    if (whole.isComplete() != chunked.isComplete() || whole.hasError() != chunked.hasError())
        property("chunked feeding changed the handshake verdict");
    if (whole.isComplete()
        && (total != consumed || whole.headers().size() != chunked.headers().size()
            || whole.startLine() != chunked.startLine()))
        property("chunked feeding changed the handshake");
    (void)whole.statusCode();
}

void fuzzDecoder(QByteArrayView data, QByteArrayView sizes)
{
    WireDecoder decoder;
    qsizetype s = 0;
    feedChunked(data, sizes, [&](QByteArrayView chunk) {
        const Direction direction
            = (s++ % 3 == 0) ? Direction::ServerToClient : Direction::ClientToServer;
        for (const WireEvent &event : decoder.feed(1, direction, chunk, s))
            (void)wireLines(event);
    });
}

// The server's front door: a connection's bytes whole or in any chunks give the same verdict
// and the same request boundaries, and a request over the limit is never let through.
void fuzzRequestStream(QByteArrayView data, QByteArrayView sizes)
{
    constexpr qint64 limit = 300;
    RequestStream whole(limit);
    const RequestHeadCheck wholeVerdict = whole.feed(data);
    QList<qint64> wholeEnds;
    while (whole.hasCompleteRequest())
        wholeEnds.append(whole.takeCompleteRequest());
    qint64 previous = 0;
    for (const qint64 end : std::as_const(wholeEnds)) {
        if (end - previous > limit || end <= previous || end > data.size())
            property("a request boundary out of place or over the limit");
        previous = end;
    }
    RequestStream chunked(limit);
    RequestHeadCheck chunkedVerdict;
    QList<qint64> chunkedEnds;
    feedChunked(data, sizes, [&](QByteArrayView chunk) {
        chunkedVerdict = chunked.feed(chunk);
        while (chunked.hasCompleteRequest())
            chunkedEnds.append(chunked.takeCompleteRequest());
    });
    if (data.isEmpty())
        chunkedVerdict = chunked.feed({});
    if (wholeVerdict.state != chunkedVerdict.state || wholeVerdict.status != chunkedVerdict.status
        || wholeVerdict.reason.english() != chunkedVerdict.reason.english()
        || wholeEnds != chunkedEnds)
        property("chunked feeding changed the request stream's verdict");
    if (wholeVerdict.state == RequestHeadCheck::State::Invalid && wholeVerdict.reason.isEmpty())
        property("a refusal without a reason");
    // The one-head check agrees with the stream on where the first head ends.
    const RequestHeadCheck head = checkRequestHead(data);
    if (head.state == RequestHeadCheck::State::Complete && (head.size <= 0 || head.size > data.size()))
        property("head size out of range");
}

// The tap's CONNECT reading: a prefix of a request it accepts is never refused.
void fuzzConnect(QByteArrayView data)
{
    constexpr qsizetype limit = 512;
    const ConnectRequest full = parseConnectRequest(data, limit);
    if (full.state == ConnectRequest::State::Complete
        && (full.port == 0 || full.host.isEmpty() || full.headSize > data.size()))
        property("a complete CONNECT without a usable target");
    if (full.state == ConnectRequest::State::Invalid && full.error.isEmpty())
        property("a CONNECT refusal without a reason");
    if (full.state != ConnectRequest::State::Invalid) {
        for (qsizetype n = 0; n < data.size(); n += 1 + n / 8) {
            if (parseConnectRequest(data.first(n), limit).state == ConnectRequest::State::Invalid)
                property("a prefix of an acceptable CONNECT was refused");
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    if (size < 2)
        return 0;
    // Byte 0 picks the parser, byte 1 how many of the following bytes set chunk sizes.
    const QByteArrayView all(reinterpret_cast<const char *>(bytes), qsizetype(size));
    const quint8 mode = quint8(all[0]) % 7;
    const qsizetype sizeBytes = qMin<qsizetype>(quint8(all[1]) % 16, all.size() - 2);
    const QByteArrayView sizes = all.sliced(2, sizeBytes);
    const QByteArrayView data = all.sliced(2 + sizeBytes);
    switch (mode) {
    case 0:
        fuzzFrames(Direction::ClientToServer, data, sizes);
        break;
    case 1:
        fuzzFrames(Direction::ServerToClient, data, sizes);
        break;
    case 2:
        fuzzHandshake(HandshakeParser::Kind::Request, data, sizes);
        break;
    case 3:
        fuzzHandshake(HandshakeParser::Kind::Response, data, sizes);
        break;
    case 5:
        fuzzRequestStream(data, sizes);
        break;
    case 6:
        fuzzConnect(data);
        break;
    default:
        fuzzDecoder(data, sizes);
        break;
    }
    return 0;
}
