// Decode agreement with Wireshark: the bytes the tap recorded for a real connection are
// written as a capture (text2pcap), decoded by tshark, and every frame's fields compared with
// FrameParser's. tshark is a Debian package scripts/test installs; missing, the test fails.

#include "testutil.h"
#include "wiresession.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

using namespace wslab;
using namespace wslab::test;

namespace {

struct Chunk
{
    Direction direction;
    QByteArray bytes;
};

// One row per WebSocket frame: what both decoders must agree on.
struct Fields
{
    QString direction, fin, rsv, opcode, mask, length, key, closeCode;
    bool operator==(const Fields &) const = default;
    QString toString() const
    {
        return QStringList { direction, fin, rsv, opcode, mask, length, key, closeCode }.join(u' ');
    }
};

// text2pcap's input: each packet preceded by its direction and written as an offset hexdump.
QByteArray hexdump(const QList<Chunk> &chunks)
{
    QByteArray out;
    for (const Chunk &chunk : chunks) {
        for (qsizetype start = 0; start < chunk.bytes.size(); start += 1400) { // IP-sized packets
            const QByteArray packet = chunk.bytes.mid(start, 1400);
            // With -D -T 50000,80, text2pcap sends "I" packets from port 50000 (the client).
            out += chunk.direction == Direction::ClientToServer ? "I\n" : "O\n";
            for (qsizetype i = 0; i < packet.size(); i += 16)
                out += QByteArray::number(i, 16).rightJustified(6, '0') + ' '
                    + packet.mid(i, 16).toHex(' ') + '\n';
        }
    }
    return out;
}

} // namespace

class tst_TsharkAgreement : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyFrameDecodesTheSame();
};

void tst_TsharkAgreement::everyFrameDecodesTheSame()
{
    const QString text2pcap = QStandardPaths::findExecutable(QStringLiteral("text2pcap"));
    const QString tshark = QStandardPaths::findExecutable(QStringLiteral("tshark"));
    QVERIFY2(!text2pcap.isEmpty() && !tshark.isEmpty(),
             "tshark (Debian package) is missing: run scripts/test");

    // A real conversation through the tap: every length encoding, text, binary, ping/pong, close.
    auto server = startServer(testConfig(0.05));
    QVERIFY(server);
    WireSession session;
    QVERIFY(session.start(QStringLiteral("127.0.0.1"), server->port()));
    QList<Chunk> chunks;
    connect(session.tap(), &WireTap::chunk, this,
            [&](quint64, Direction d, const QByteArray &bytes, qint64) {
                chunks.append({ d, bytes });
            });
    QList<Fields> ours;
    connect(&session, &WireSession::event, this, [&](const WireEvent &e) {
        if (e.kind != WireEvent::Kind::Frame)
            return;
        const Frame &f = e.frame;
        ours.append(
            { e.direction == Direction::ClientToServer ? QStringLiteral(">") : QStringLiteral("<"),
              QString::number(f.fin), QString::number(f.rsv), QString::number(f.opcode),
              QString::number(f.masked), QString::number(f.payloadLength),
              QString::fromLatin1(f.maskingKey.toHex()),
              f.closeCode ? QString::number(*f.closeCode) : QString() });
    });

    QWebSocket client;
    client.setProxy(session.tap()->proxy());
    QSignalSpy texts(&client, &QWebSocket::textMessageReceived);
    QSignalSpy binaries(&client, &QWebSocket::binaryMessageReceived);
    QSignalSpy pongs(&client, &QWebSocket::pong);
    QSignalSpy disconnected(&client, &QWebSocket::disconnected);
    QVERIFY(openWebSocket(client, server->webSocketUrl()));
    client.sendTextMessage(QStringLiteral("Hello"));
    client.sendTextMessage(QStringLiteral("你好 🌏"));
    client.sendBinaryMessage(QByteArray(300, '\x7f')); // 16-bit length
    client.sendBinaryMessage(QByteArray(70000, '\x01')); // 64-bit length
    client.ping("rtt");
    QTRY_VERIFY(binaries.count() == 2 && pongs.count() == 1 && texts.count() >= 4);
    client.close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("bye"));
    QTRY_COMPARE(disconnected.count(), 1);
    QTRY_VERIFY(
        std::any_of(ours.begin(), ours.end(), [](const Fields &f) { return f.opcode == u"8"; }));
    QVERIFY(ours.size() >= 10);

    // Write the capture; port 80 lets Wireshark follow the HTTP upgrade to WebSocket itself.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile dump(dir.filePath(QStringLiteral("conversation.txt")));
    QVERIFY(dump.open(QIODevice::WriteOnly));
    dump.write(hexdump(chunks));
    dump.close();
    const QString pcap = dir.filePath(QStringLiteral("conversation.pcap"));
    const auto converted
        = runProcess(text2pcap,
                     { QStringLiteral("-q"), QStringLiteral("-D"), QStringLiteral("-T"),
                       QStringLiteral("50000,80"), dump.fileName(), pcap });
    QVERIFY2(converted.exitCode == 0, converted.err.constData());

    const auto decoded = runProcess(
        tshark, { QStringLiteral("-r"), pcap,
                  QStringLiteral("-Y"), QStringLiteral("websocket"),
                  QStringLiteral("-T"), QStringLiteral("fields"),
                  QStringLiteral("-E"), QStringLiteral("occurrence=a"),
                  QStringLiteral("-E"), QStringLiteral("aggregator=;"),
                  QStringLiteral("-e"), QStringLiteral("tcp.srcport"),
                  QStringLiteral("-e"), QStringLiteral("websocket.fin"),
                  QStringLiteral("-e"), QStringLiteral("websocket.rsv"),
                  QStringLiteral("-e"), QStringLiteral("websocket.opcode"),
                  QStringLiteral("-e"), QStringLiteral("websocket.mask"),
                  QStringLiteral("-e"), QStringLiteral("websocket.payload_length"),
                  QStringLiteral("-e"), QStringLiteral("websocket.payload_length_ext_16"),
                  QStringLiteral("-e"), QStringLiteral("websocket.payload_length_ext_64"),
                  QStringLiteral("-e"), QStringLiteral("websocket.masking_key"),
                  QStringLiteral("-e"), QStringLiteral("websocket.payload.close.status_code") },
        60000);
    QVERIFY2(decoded.exitCode == 0, decoded.err.constData());

    QList<Fields> theirs;
    for (const QString &row : decoded.outLines()) {
        const QStringList cols = row.split(u'\t');
        QCOMPARE(cols.size(), 10);
        const QStringList fin = cols[1].split(u';'), rsv = cols[2].split(u';'),
                          opcode = cols[3].split(u';'), mask = cols[4].split(u';'),
                          len7 = cols[5].split(u';');
        QStringList ext16 = cols[6].split(u';', Qt::SkipEmptyParts),
                    ext64 = cols[7].split(u';', Qt::SkipEmptyParts),
                    keys = cols[8].split(u';', Qt::SkipEmptyParts),
                    codes = cols[9].split(u';', Qt::SkipEmptyParts);
        for (qsizetype i = 0; i < opcode.size(); ++i) {
            Fields f;
            f.direction = cols[0] == u"50000" ? QStringLiteral(">") : QStringLiteral("<");
            f.fin = fin[i] == u"True" || fin[i] == u"1" ? QStringLiteral("1") : QStringLiteral("0");
            f.rsv = QString::number(rsv[i].toUInt(nullptr, 0));
            f.opcode = QString::number(opcode[i].toUInt(nullptr, 0));
            f.mask
                = mask[i] == u"True" || mask[i] == u"1" ? QStringLiteral("1") : QStringLiteral("0");
            const uint length7 = len7[i].toUInt();
            f.length = length7 == 126 ? ext16.takeFirst()
                : length7 == 127      ? ext64.takeFirst()
                                      : QString::number(length7);
            f.key = f.mask == u"1" ? keys.takeFirst().remove(u':') : QString();
            f.closeCode = f.opcode == u"8" && !codes.isEmpty() ? codes.takeFirst() : QString();
            theirs.append(f);
        }
    }

    QStringList oursText, theirsText;
    for (const Fields &f : std::as_const(ours))
        oursText.append(f.toString());
    for (const Fields &f : std::as_const(theirs))
        theirsText.append(f.toString());
    QCOMPARE(theirsText.size(), oursText.size());
    qInfo("%lld frames compared with tshark", qint64(oursText.size()));
    for (qsizetype i = 0; i < oursText.size(); ++i)
        QCOMPARE(theirsText[i], oursText[i]);
}

QTEST_GUILESS_MAIN(tst_TsharkAgreement)
#include "tst_tsharkagreement.moc"
