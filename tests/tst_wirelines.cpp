#include "framebuilder.h"
#include "wirelines.h"

#include <QTest>

using namespace wslab;
using namespace wslab::test;

class tst_WireLines : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void frameLines_data();
    void frameLines();
    void handshakeLines();
    void tlsRecordsAreCounted();
    void tlsEstablishedLines();
};

Q_DECLARE_METATYPE(Direction)

void tst_WireLines::frameLines_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<Direction>("direction");
    QTest::addColumn<QString>("line");
    const QByteArray key = QByteArray::fromHex("37fa213d");
    // The two lines the issue fixes, byte for byte.
    QTest::newRow("masked Hello")
        << QByteArray::fromHex("818537fa213d7f9f4d5158") << Direction::ClientToServer
        << QStringLiteral(
               "> frame fin=1 rsv=0 opcode=1 text mask=1 key=37fa213d len=5 payload=\"Hello\"");
    QTest::newRow("close 1000")
        << buildFrame(0x8, closePayload(1000)) << Direction::ServerToClient
        << QStringLiteral("< frame fin=1 rsv=0 opcode=8 close mask=0 len=2 code=1000 reason=\"\"");
    QTest::newRow("close with reason")
        << buildFrame(0x8, closePayload(4000, "class \"over\""), true, 0, key)
        << Direction::ClientToServer
        << QStringLiteral("> frame fin=1 rsv=0 opcode=8 close mask=1 key=37fa213d len=14 code=4000 "
                          "reason=\"class \\\"over\\\"\"");
    QTest::newRow("empty close") << buildFrame(0x8, {}) << Direction::ServerToClient
                                 << QStringLiteral(
                                        "< frame fin=1 rsv=0 opcode=8 close mask=0 len=0");
    QTest::newRow("binary as hex")
        << buildFrame(0x2, QByteArray::fromHex("00ff10")) << Direction::ServerToClient
        << QStringLiteral("< frame fin=1 rsv=0 opcode=2 binary mask=0 len=3 payload=hex:00ff10");
    QTest::newRow("long binary shortened")
        << buildFrame(0x2, QByteArray(100, '\x01')) << Direction::ServerToClient
        << QStringLiteral("< frame fin=1 rsv=0 opcode=2 binary mask=0 len=100 payload=hex:")
            + QString(64, u'0').replace(QStringLiteral("00"), QStringLiteral("01"))
            + QStringLiteral("…");
    QTest::newRow("long text shortened")
        << buildFrame(0x1, QByteArray(100, 'x')) << Direction::ServerToClient
        << QStringLiteral("< frame fin=1 rsv=0 opcode=1 text mask=0 len=100 payload=\"")
            + QString(60, u'x') + QStringLiteral("…\"");
    QTest::newRow("ping with text")
        << buildFrame(0x9, "rtt?") << Direction::ServerToClient
        << QStringLiteral("< frame fin=1 rsv=0 opcode=9 ping mask=0 len=4 payload=\"rtt?\"");
    QTest::newRow("empty pong")
        << buildFrame(0xA, {}, true, 0, key) << Direction::ClientToServer
        << QStringLiteral("> frame fin=1 rsv=0 opcode=10 pong mask=1 key=37fa213d len=0");
    QTest::newRow("first fragment")
        << buildFrame(0x1, "Hel", false) << Direction::ServerToClient
        << QStringLiteral("< frame fin=0 rsv=0 opcode=1 text mask=0 len=3 payload=\"Hel\"");
    QTest::newRow("escaped newline")
        << buildFrame(0x1, "a\nb") << Direction::ServerToClient
        << QStringLiteral("< frame fin=1 rsv=0 opcode=1 text mask=0 len=3 payload=\"a\\nb\"");
    QTest::newRow("Chinese")
        << buildFrame(0x1, QStringLiteral("北京时间").toUtf8()) << Direction::ServerToClient
        << QStringLiteral("< frame fin=1 rsv=0 opcode=1 text mask=0 len=12 payload=\"北京时间\"");
}

void tst_WireLines::frameLines()
{
    QFETCH(QByteArray, bytes);
    QFETCH(Direction, direction);
    QFETCH(QString, line);
    FrameParser parser(direction);
    const QList<Frame> frames = parser.feed(bytes);
    QCOMPARE(frames.size(), 1);
    QCOMPARE(frameLine(frames.first(), direction), line);
}

void tst_WireLines::handshakeLines()
{
    WireDecoder decoder;
    const QByteArray request
        = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:8888\r\nUpgrade: websocket\r\nConnection: "
          "Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    const QByteArray response
        = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
    const auto requestEvents = decoder.feed(1, Direction::ClientToServer, request, 0);
    QCOMPARE(requestEvents.size(), 1);
    QCOMPARE(wireLines(requestEvents.first()),
             (QStringList {
                 QStringLiteral("> GET /ws HTTP/1.1"), QStringLiteral("> Host: 127.0.0.1:8888"),
                 QStringLiteral("> Upgrade: websocket"), QStringLiteral("> Connection: Upgrade"),
                 QStringLiteral("> Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="),
                 QStringLiteral("> Sec-WebSocket-Version: 13") }));
    // The 101 and the first frame in one chunk, as servers often send them.
    const auto responseEvents
        = decoder.feed(1, Direction::ServerToClient,
                       QByteArray(response + QByteArray::fromHex("810548656c6c6f")), 1);
    QCOMPARE(responseEvents.size(), 2);
    const QStringList lines = wireLines(responseEvents.first());
    QCOMPARE(lines.first(), QStringLiteral("< HTTP/1.1 101 Switching Protocols"));
    QCOMPARE(
        lines.last(),
        QStringLiteral("* Sec-WebSocket-Accept ok: base64(SHA-1(key + "
                       "258EAFA5-E914-47DA-95CA-C5AB0DC85B11)) = s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    QCOMPARE(wireLines(responseEvents.last()),
             QStringList { QStringLiteral(
                 "< frame fin=1 rsv=0 opcode=1 text mask=0 len=5 payload=\"Hello\"") });
}

void tst_WireLines::tlsRecordsAreCounted()
{
    WireDecoder decoder;
    // Two records (handshake, 5 bytes; change-cipher-spec, 1 byte), the second split in two.
    const QByteArray records = QByteArray::fromHex("1603010005") + QByteArray(5, 'h')
        + QByteArray::fromHex("140303000101");
    const auto first = decoder.feed(7, Direction::ClientToServer, records.left(12), 0);
    QCOMPARE(first.size(), 1);
    QCOMPARE(first.first().kind, WireEvent::Kind::Tls);
    QCOMPARE(first.first().tlsRecords, 1);
    QCOMPARE(first.first().byteCount, 12);
    const auto second = decoder.feed(7, Direction::ClientToServer, records.mid(12), 1);
    QCOMPARE(second.first().tlsRecords, 1);
    QCOMPARE(wireLines(second.first()),
             QStringList { QStringLiteral("> tls records=1 bytes=4 (TLS: frames not visible)") });
    // The server's side of the same connection is TLS too.
    const auto reply
        = decoder.feed(7, Direction::ServerToClient, QByteArray::fromHex("16030300020000"), 2);
    QCOMPARE(reply.first().kind, WireEvent::Kind::Tls);
    QCOMPARE(reply.first().tlsRecords, 1);
}

void tst_WireLines::tlsEstablishedLines()
{
    WireEvent event;
    event.kind = WireEvent::Kind::TlsEstablished;
    event.tls.protocol = QStringLiteral("TLS 1.3");
    event.tls.cipher = QStringLiteral("TLS_AES_128_GCM_SHA256");
    event.tls.peerName = QStringLiteral("example.org");
    event.tls.verified = true;
    TlsCertificateSummary leaf;
    leaf.subject = QStringLiteral("CN=example.org");
    leaf.issuer = QStringLiteral("CN=Example CA, O=Example");
    leaf.notBefore = QDateTime(QDate(2026, 1, 2), QTime(3, 4), Qt::UTC);
    leaf.notAfter = QDateTime(QDate(2027, 1, 2), QTime(3, 4), Qt::UTC);
    leaf.sha256 = QStringLiteral("AB:CD");
    event.tls.chain = { leaf };
    QCOMPARE(
        wireLines(event),
        QStringList({ QStringLiteral("* TLS to example.org: TLS 1.3 TLS_AES_128_GCM_SHA256, "
                                     "certificate verified"),
                      QStringLiteral("*   certificate 1: CN=example.org, issued by CN=Example "
                                     "CA, O=Example"),
                      QStringLiteral("*     valid 2026-01-02 03:04 UTC to 2027-01-02 03:04 UTC"),
                      QStringLiteral("*     SHA-256 AB:CD") }));
    event.tls.verified = false;
    event.tls.clientCertificate = true;
    const QStringList insecure = wireLines(event);
    QVERIFY(insecure.first().endsWith(QStringLiteral("certificate NOT verified (insecure)")));
    QCOMPARE(insecure.last(), QStringLiteral("*   the tap presented the client certificate"));

    WireEvent warning;
    warning.kind = WireEvent::Kind::Warning;
    warning.text = QStringLiteral("insecure");
    QCOMPARE(wireLines(warning), QStringList { QStringLiteral("* warning: insecure") });
}

QTEST_GUILESS_MAIN(tst_WireLines)
#include "tst_wirelines.moc"
