#include "framebuilder.h"
#include "frameparser.h"

#include <QTest>

using namespace wslab;
using namespace wslab::test;

namespace {
const QByteArray kKey = QByteArray::fromHex("37fa213d");
const QByteArray kHello = "Hello";

QByteArray everyByte(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char(i * 7 + 3);
    return bytes;
}

struct Expected
{
    bool fin;
    quint8 opcode;
    bool masked;
    quint64 length;
    QByteArray payload;
};
} // namespace

Q_DECLARE_METATYPE(Direction)
Q_DECLARE_METATYPE(QList<Expected>)

class tst_FrameParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decodes_data();
    void decodes();
    void decodesOneByteAtATime_data() { decodes_data(); }
    void decodesOneByteAtATime();
    void lengthEncodings_data();
    void lengthEncodings();
    void fieldOffsets();
    void fragmentationTiesFramesToMessages();
    void closeCodeAndReason();
    void errors_data();
    void errors();
    void errorsOneByteAtATime_data() { errors_data(); }
    void errorsOneByteAtATime();
    void utf8SplitAcrossFragmentsIsValid();
    void neverKeepsWhatAPeerMerelyClaims();
    void stopsAfterAnError();
};

void tst_FrameParser::decodes_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<Direction>("direction");
    QTest::addColumn<QList<Expected>>("frames");

    const auto server = Direction::ServerToClient;
    const auto client = Direction::ClientToServer;
    // RFC 6455 §5.7, byte for byte.
    QTest::newRow("§5.7 unmasked Hello") << QByteArray::fromHex("810548656c6c6f") << server
                                         << QList<Expected> { { true, 0x1, false, 5, kHello } };
    QTest::newRow("§5.7 masked Hello") << QByteArray::fromHex("818537fa213d7f9f4d5158") << client
                                       << QList<Expected> { { true, 0x1, true, 5, kHello } };
    QTest::newRow("§5.7 fragmented Hel+lo")
        << QByteArray::fromHex("010348656c80026c6f") << server
        << QList<Expected> { { false, 0x1, false, 3, "Hel" }, { true, 0x0, false, 2, "lo" } };
    QTest::newRow("§5.7 unmasked ping") << QByteArray::fromHex("890548656c6c6f") << server
                                        << QList<Expected> { { true, 0x9, false, 5, kHello } };
    QTest::newRow("§5.7 masked pong") << QByteArray::fromHex("8a8537fa213d7f9f4d5158") << client
                                      << QList<Expected> { { true, 0xA, true, 5, kHello } };
    QTest::newRow("§5.7 256-byte binary")
        << buildFrame(0x2, everyByte(256)) << server
        << QList<Expected> { { true, 0x2, false, 256, everyByte(256) } };
    QTest::newRow("§5.7 64 KiB binary")
        << buildFrame(0x2, everyByte(65536)) << server
        << QList<Expected> { { true, 0x2, false, 65536, everyByte(65536) } };
    QTest::newRow("masked 64 KiB binary")
        << buildFrame(0x2, everyByte(65536), true, 0, kKey) << client
        << QList<Expected> { { true, 0x2, true, 65536, everyByte(65536) } };
    QTest::newRow("empty text") << buildFrame(0x1, {}) << server
                                << QList<Expected> { { true, 0x1, false, 0, {} } };
    QTest::newRow("empty close") << buildFrame(0x8, {}) << server
                                 << QList<Expected> { { true, 0x8, false, 0, {} } };
    QTest::newRow("Chinese text")
        << buildFrame(0x1, QStringLiteral("成绩出来了吗?").toUtf8(), true, 0, kKey) << client
        << QList<Expected> { { true, 0x1, true, 19, QStringLiteral("成绩出来了吗?").toUtf8() } };
    QTest::newRow("three frames in one chunk")
        << QByteArray(buildFrame(0x1, "a") + buildFrame(0x2, "bc") + buildFrame(0x9, {})) << server
        << QList<Expected> { { true, 0x1, false, 1, "a" },
                             { true, 0x2, false, 2, "bc" },
                             { true, 0x9, false, 0, {} } };
}

void tst_FrameParser::decodes()
{
    QFETCH(QByteArray, bytes);
    QFETCH(Direction, direction);
    QFETCH(QList<Expected>, frames);
    FrameParser parser(direction);
    const QList<Frame> decoded = parser.feed(bytes);
    QVERIFY2(!parser.error(), qPrintable(parser.error() ? parser.error()->reason : QString()));
    QCOMPARE(decoded.size(), frames.size());
    for (qsizetype i = 0; i < frames.size(); ++i) {
        QCOMPARE(decoded[i].fin, frames[i].fin);
        QCOMPARE(decoded[i].opcode, frames[i].opcode);
        QCOMPARE(decoded[i].masked, frames[i].masked);
        QCOMPARE(decoded[i].payloadLength, frames[i].length);
        QCOMPARE(decoded[i].payload, frames[i].payload);
        QCOMPARE(decoded[i].rsv, quint8(0));
    }
    QCOMPARE(parser.bytesConsumed(), bytes.size());
    QVERIFY(!parser.inFrame());
}

void tst_FrameParser::decodesOneByteAtATime()
{
    QFETCH(QByteArray, bytes);
    QFETCH(Direction, direction);
    QFETCH(QList<Expected>, frames);
    FrameParser parser(direction);
    QList<Frame> decoded;
    for (const char byte : std::as_const(bytes))
        decoded += parser.feed(QByteArrayView(&byte, 1));
    QVERIFY(!parser.error());
    QCOMPARE(decoded.size(), frames.size());
    for (qsizetype i = 0; i < frames.size(); ++i) {
        QCOMPARE(decoded[i].opcode, frames[i].opcode);
        QCOMPARE(decoded[i].payload, frames[i].payload);
    }
}

void tst_FrameParser::lengthEncodings_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("lengthBits");
    QTest::addColumn<int>("headerSize");
    for (const auto &[length, bits, header] : { std::tuple { 0, 7, 2 },
                                                { 125, 7, 2 },
                                                { 126, 23, 4 },
                                                { 127, 23, 4 },
                                                { 65535, 23, 4 },
                                                { 65536, 71, 10 },
                                                { 70000, 71, 10 } })
        QTest::addRow("%d bytes", length) << length << bits << header;
}

void tst_FrameParser::lengthEncodings()
{
    QFETCH(int, length);
    QFETCH(int, lengthBits);
    QFETCH(int, headerSize);
    for (const bool masked : { false, true }) {
        const QByteArray bytes
            = buildFrame(0x2, everyByte(length), true, 0, masked ? kKey : QByteArray());
        QCOMPARE(bytes.size(), headerSize + (masked ? 4 : 0) + length);
        FrameParser parser(masked ? Direction::ClientToServer : Direction::ServerToClient);
        const QList<Frame> frames = parser.feed(bytes);
        QCOMPARE(frames.size(), 1);
        QCOMPARE(frames[0].payloadLength, quint64(length));
        QCOMPARE(frames[0].lengthBits, lengthBits);
        QCOMPARE(frames[0].payload.size(), qMin<qsizetype>(length, FrameParser::maxKeptPayload));
        QCOMPARE(frames[0].payload, everyByte(length).left(FrameParser::maxKeptPayload));
        QCOMPARE(frames[0].payloadTruncated, length > FrameParser::maxKeptPayload);
        QCOMPARE(frames[0].size(), bytes.size());
    }
}

void tst_FrameParser::fieldOffsets()
{
    // The frame starts at byte 129 of the stream, after a 129-byte handshake.
    FrameParser parser(Direction::ClientToServer, 129);
    const QList<Frame> frames
        = parser.feed(QByteArray(QByteArray::fromHex("818537fa213d7f9f4d5158")
                                 + buildFrame(0x2, everyByte(300), true, 0, kKey)));
    QCOMPARE(frames.size(), 2);
    const Frame &hello = frames[0];
    QCOMPARE(hello.header.offset, 129);
    QCOMPARE(hello.header.length, 2);
    QCOMPARE(hello.extendedLength.length, 0);
    QCOMPARE(hello.maskingKeySpan.offset, 131);
    QCOMPARE(hello.maskingKeySpan.length, 4);
    QCOMPARE(hello.maskingKey, kKey);
    QCOMPARE(hello.payloadSpan.offset, 135);
    QCOMPARE(hello.payloadSpan.length, 5);
    const Frame &big = frames[1];
    QCOMPARE(big.header.offset, 140);
    QCOMPARE(big.extendedLength.offset, 142);
    QCOMPARE(big.extendedLength.length, 2);
    QCOMPARE(big.maskingKeySpan.offset, 144);
    QCOMPARE(big.payloadSpan.offset, 148);
    QCOMPARE(big.payloadSpan.length, 300);
}

void tst_FrameParser::fragmentationTiesFramesToMessages()
{
    FrameParser parser(Direction::ServerToClient);
    // A ping may come between the fragments of a message (RFC 6455 §5.4).
    const QList<Frame> frames = parser.feed(QByteArray(
        buildFrame(0x1, "Hel", false) + buildFrame(0x9, "p") + buildFrame(0x0, "l", false)
        + buildFrame(0x0, "o", true) + buildFrame(0x2, "next")));
    QVERIFY(!parser.error());
    QCOMPARE(frames.size(), 5);
    QCOMPARE(frames[0].messageIndex, 1u);
    QCOMPARE(frames[0].fragmentIndex, 0);
    QCOMPARE(frames[1].opcode, quint8(Frame::Ping));
    QCOMPARE(frames[1].messageIndex, 0u); // control frames belong to no message
    QCOMPARE(frames[2].messageIndex, 1u);
    QCOMPARE(frames[2].messageOpcode, quint8(Frame::Text));
    QCOMPARE(frames[2].fragmentIndex, 1);
    QCOMPARE(frames[3].messageIndex, 1u);
    QCOMPARE(frames[3].fragmentIndex, 2);
    QVERIFY(frames[3].fin);
    QCOMPARE(frames[4].messageIndex, 2u);
    QCOMPARE(frames[4].messageOpcode, quint8(Frame::Binary));
}

void tst_FrameParser::closeCodeAndReason()
{
    FrameParser parser(Direction::ServerToClient);
    const QList<Frame> frames
        = parser.feed(buildFrame(0x8, closePayload(4000, QStringLiteral("下课了").toUtf8())));
    QCOMPARE(frames.size(), 1);
    QCOMPARE(frames[0].closeCode, std::optional<quint16>(4000));
    QCOMPARE(frames[0].closeReason, QStringLiteral("下课了"));
    QVERIFY(!parser.error());
}

void tst_FrameParser::errors_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<Direction>("direction");
    QTest::addColumn<int>("framesBefore");
    QTest::addColumn<int>("closeCode");
    QTest::addColumn<QString>("mentions");
    const auto server = Direction::ServerToClient;
    const auto client = Direction::ClientToServer;

    for (const quint8 opcode : { 0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF })
        QTest::addRow("reserved opcode 0x%x", opcode)
            << buildFrame(opcode, "x") << server << 0 << 1002 << QStringLiteral("reserved opcode");
    for (const quint8 rsv : { 1, 2, 4, 7 })
        QTest::addRow("RSV bits %d", rsv)
            << buildFrame(0x1, "x", true, rsv) << server << 0 << 1002 << QStringLiteral("RSV");
    QTest::newRow("ping of 126 bytes") << buildFrame(0x9, QByteArray(126, 'p')) << server << 0
                                       << 1002 << QStringLiteral("at most 125");
    QTest::newRow("close of 126 bytes") << buildFrame(0x8, closePayload(1000, QByteArray(124, 'r')))
                                        << server << 0 << 1002 << QStringLiteral("at most 125");
    QTest::newRow("fragmented ping") << buildFrame(0x9, "p", false) << server << 0 << 1002
                                     << QStringLiteral("cannot be fragmented");
    QTest::newRow("unmasked client frame")
        << buildFrame(0x1, "x") << client << 0 << 1002 << QStringLiteral("must be masked");
    QTest::newRow("masked server frame") << buildFrame(0x1, "x", true, 0, kKey) << server << 0
                                         << 1002 << QStringLiteral("must not be masked");
    QTest::newRow("continuation first")
        << buildFrame(0x0, "x") << server << 0 << 1002 << QStringLiteral("without a message");
    QTest::newRow("text inside a fragmented message")
        << QByteArray(buildFrame(0x1, "a", false) + buildFrame(0x1, "b")) << server << 1 << 1002
        << QStringLiteral("before the fragmented one ended");
    QTest::newRow("125 in 16 bits") << buildFrame(0x2, QByteArray(125, 'x'), true, 0, {}, 16)
                                    << server << 0 << 1002 << QStringLiteral("7 bits must be used");
    QTest::newRow("65535 in 64 bits")
        << buildFrame(0x2, QByteArray(65535, 'x'), true, 0, {}, 64) << server << 0 << 1002
        << QStringLiteral("16 bits must be used");
    QTest::newRow("64-bit length with MSB set")
        << buildFrame(0x2, {}, true, 0, {}, 64, quint64(1) << 63) << server << 0 << 1002
        << QStringLiteral("most significant bit");
    QTest::newRow("close with 1-byte payload")
        << buildFrame(0x8, "\x03") << server << 1 << 1002 << QStringLiteral("1 byte");
    for (const quint16 code : { 0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535 })
        QTest::addRow("close code %d", code) << buildFrame(0x8, closePayload(code)) << server << 1
                                             << 1002 << QStringLiteral("may not be sent");
    QTest::newRow("close reason not UTF-8") << buildFrame(0x8, closePayload(1000, "\xff\xfe"))
                                            << server << 1 << 1007 << QStringLiteral("UTF-8");
    QTest::newRow("text not UTF-8")
        << buildFrame(0x1, "ok\xc3\x28") << server << 0 << 1007 << QStringLiteral("UTF-8");
    QTest::newRow("text overlong encoding")
        << buildFrame(0x1, "\xc0\xaf") << server << 0 << 1007 << QStringLiteral("UTF-8");
    QTest::newRow("text surrogate")
        << buildFrame(0x1, "\xed\xa0\x80") << server << 0 << 1007 << QStringLiteral("UTF-8");
    QTest::newRow("text above U+10FFFF")
        << buildFrame(0x1, "\xf4\x90\x80\x80") << server << 0 << 1007 << QStringLiteral("UTF-8");
    QTest::newRow("text ends mid-character") << buildFrame(0x1, "\xe4\xbd") << server << 1 << 1007
                                             << QStringLiteral("middle of a UTF-8");
}

void tst_FrameParser::errors()
{
    QFETCH(QByteArray, bytes);
    QFETCH(Direction, direction);
    QFETCH(int, framesBefore);
    QFETCH(int, closeCode);
    QFETCH(QString, mentions);
    FrameParser parser(direction);
    const QList<Frame> frames = parser.feed(bytes);
    QCOMPARE(frames.size(), framesBefore);
    QVERIFY(parser.error());
    QCOMPARE(parser.error()->closeCode, quint16(closeCode));
    QVERIFY2(parser.error()->reason.contains(mentions), qPrintable(parser.error()->reason));
}

void tst_FrameParser::errorsOneByteAtATime()
{
    QFETCH(QByteArray, bytes);
    QFETCH(Direction, direction);
    QFETCH(int, closeCode);
    FrameParser parser(direction);
    for (const char byte : std::as_const(bytes))
        parser.feed(QByteArrayView(&byte, 1));
    QVERIFY(parser.error());
    QCOMPARE(parser.error()->closeCode, quint16(closeCode));
}

void tst_FrameParser::utf8SplitAcrossFragmentsIsValid()
{
    // "你" is E4 BD A0; RFC 6455 allows a message's fragments to split a character
    // (Qt 6.4's own reader rejects this: a known upstream bug).
    FrameParser parser(Direction::ServerToClient);
    const QList<Frame> frames = parser.feed(
        QByteArray(buildFrame(0x1, "\xe4", false) + buildFrame(0x0, "\xbd\xa0", true)));
    QVERIFY2(!parser.error(), qPrintable(parser.error() ? parser.error()->reason : QString()));
    QCOMPARE(frames.size(), 2);
}

void tst_FrameParser::neverKeepsWhatAPeerMerelyClaims()
{
    // A header announcing 2^62 bytes, followed by 1 MiB: nothing is reserved up front, and
    // no more than maxKeptPayload is kept.
    FrameParser parser(Direction::ServerToClient);
    QVERIFY(parser.feed(buildFrame(0x2, {}, true, 0, {}, 64, quint64(1) << 62)).isEmpty());
    for (int i = 0; i < 16; ++i)
        QVERIFY(parser.feed(QByteArray(64 * 1024, 'z')).isEmpty());
    QVERIFY(parser.inFrame());
    QVERIFY(!parser.error());
    QCOMPARE(parser.bytesConsumed(), 10 + 16 * 64 * 1024);
}

void tst_FrameParser::stopsAfterAnError()
{
    FrameParser parser(Direction::ServerToClient);
    QVERIFY(parser.feed(buildFrame(0x3, "x")).isEmpty());
    QVERIFY(parser.error());
    QVERIFY(parser.feed(buildFrame(0x1, "after")).isEmpty());
    QCOMPARE(parser.error()->reason, QStringLiteral("reserved opcode 0x3"));
}

QTEST_GUILESS_MAIN(tst_FrameParser)
#include "tst_frameparser.moc"
