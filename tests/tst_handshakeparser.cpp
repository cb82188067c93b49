#include "handshakeparser.h"

#include <QTest>

using namespace wslab;

namespace {
const QByteArray kRequest = "GET /chat HTTP/1.1\r\n"
                            "Host: server.example.com\r\n"
                            "Upgrade: websocket\r\n"
                            "Connection: Upgrade\r\n"
                            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            "Origin: http://example.com\r\n"
                            "Sec-WebSocket-Protocol: chat, superchat\r\n"
                            "Sec-WebSocket-Version: 13\r\n"
                            "\r\n";
const QByteArray kResponse = "HTTP/1.1 101 Switching Protocols\r\n"
                             "Upgrade: websocket\r\n"
                             "Connection: Upgrade\r\n"
                             "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                             "Sec-WebSocket-Protocol: chat\r\n"
                             "\r\n";
} // namespace

class tst_HandshakeParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rfcSampleAccept();
    void request();
    void response();
    void byteAtATime();
    void stopsAtTheBlankLine();
    void keepsOrderCaseAndDuplicates();
    void acceptMismatch();
    void refusedHandshake();
    void errors_data();
    void errors();
};

void tst_HandshakeParser::rfcSampleAccept()
{
    QCOMPARE(HandshakeParser::computeAccept("dGhlIHNhbXBsZSBub25jZQ=="),
             QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

void tst_HandshakeParser::request()
{
    HandshakeParser parser(HandshakeParser::Kind::Request);
    QCOMPARE(parser.feed(kRequest), kRequest.size());
    QVERIFY(parser.isComplete());
    QVERIFY(!parser.hasError());
    QCOMPARE(parser.startLine(), QByteArray("GET /chat HTTP/1.1"));
    QCOMPARE(parser.headers().size(), 7);
    QCOMPARE(parser.value("sec-websocket-key"), QByteArray("dGhlIHNhbXBsZSBub25jZQ=="));
    QCOMPARE(parser.size(), kRequest.size());
    QCOMPARE(parser.headers().first().offset, 20); // after "GET /chat HTTP/1.1\r\n"
    QCOMPARE(parser.headers().first().length, 26);
}

void tst_HandshakeParser::response()
{
    HandshakeParser request(HandshakeParser::Kind::Request);
    request.feed(kRequest);
    HandshakeParser response(HandshakeParser::Kind::Response);
    response.feed(kResponse);
    QVERIFY(response.isComplete());
    QCOMPARE(response.statusCode(), 101);
    const AcceptCheck check = checkAccept(request, response);
    QCOMPARE(check.key, QByteArray("dGhlIHNhbXBsZSBub25jZQ=="));
    QCOMPARE(check.expected, QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    QCOMPARE(check.received, QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    QVERIFY(check.ok());
}

void tst_HandshakeParser::byteAtATime()
{
    HandshakeParser parser(HandshakeParser::Kind::Request);
    qsizetype consumed = 0;
    for (const char byte : kRequest) {
        QVERIFY(!parser.isComplete());
        consumed += parser.feed(QByteArrayView(&byte, 1));
    }
    QVERIFY(parser.isComplete());
    QCOMPARE(consumed, kRequest.size());
    QCOMPARE(parser.headers().size(), 7);
    QCOMPARE(parser.headers().last().name, QByteArray("Sec-WebSocket-Version"));
}

void tst_HandshakeParser::stopsAtTheBlankLine()
{
    // The first frame often arrives in the same packet as the 101.
    HandshakeParser parser(HandshakeParser::Kind::Response);
    const QByteArray frame = QByteArray::fromHex("810548656c6c6f");
    QCOMPARE(parser.feed(QByteArray(kResponse + frame)), kResponse.size());
    QVERIFY(parser.isComplete());
    QCOMPARE(parser.feed(frame), 0);
}

void tst_HandshakeParser::keepsOrderCaseAndDuplicates()
{
    HandshakeParser parser(HandshakeParser::Kind::Request);
    parser.feed(
        "GET /ws HTTP/1.1\r\nhost: a\r\nX-Dup: 1\r\nSEC-WEBSOCKET-KEY:   k  \r\nX-Dup: 2\r\n\r\n");
    QVERIFY(parser.isComplete());
    const auto &headers = parser.headers();
    QCOMPARE(headers.size(), 4);
    QCOMPARE(headers[0].name, QByteArray("host"));
    QCOMPARE(headers[2].name, QByteArray("SEC-WEBSOCKET-KEY"));
    QCOMPARE(headers[2].value, QByteArray("k"));
    QCOMPARE(headers[3].value, QByteArray("2"));
    QCOMPARE(parser.count("x-dup"), 2);
    QCOMPARE(parser.value("X-DUP"), QByteArray("1"));
}

void tst_HandshakeParser::acceptMismatch()
{
    HandshakeParser request(HandshakeParser::Kind::Request);
    request.feed(kRequest);
    HandshakeParser response(HandshakeParser::Kind::Response);
    response.feed(QByteArray(kResponse).replace("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
                                                "wrongwrongwrongwrongwrong="));
    const AcceptCheck check = checkAccept(request, response);
    QVERIFY(!check.ok());
    QCOMPARE(check.expected, QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

void tst_HandshakeParser::refusedHandshake()
{
    HandshakeParser response(HandshakeParser::Kind::Response);
    response.feed("HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nno\n");
    QVERIFY(response.isComplete());
    QCOMPARE(response.statusCode(), 404);
}

void tst_HandshakeParser::errors_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("TLS bytes as a request")
        << int(HandshakeParser::Kind::Request) << QByteArray::fromHex("160301020001000001fc0303");
    QTest::newRow("no status line")
        << int(HandshakeParser::Kind::Response) << QByteArray("hello\r\n\r\n");
    QTest::newRow("header without colon")
        << int(HandshakeParser::Kind::Request) << QByteArray("GET / HTTP/1.1\r\nbroken\r\n\r\n");
    QTest::newRow("head over 64 KiB")
        << int(HandshakeParser::Kind::Request)
        << "GET / HTTP/1.1\r\nX: " + QByteArray(70000, 'a') + "\r\n\r\n";
    QTest::newRow("endless line") << int(HandshakeParser::Kind::Request) << QByteArray(70000, 'a');
}

void tst_HandshakeParser::errors()
{
    QFETCH(int, kind);
    QFETCH(QByteArray, bytes);
    HandshakeParser parser { HandshakeParser::Kind(kind) };
    parser.feed(bytes);
    QVERIFY(parser.hasError());
    QVERIFY(!parser.isComplete());
    QVERIFY(!parser.error().isEmpty());
}

QTEST_GUILESS_MAIN(tst_HandshakeParser)
#include "tst_handshakeparser.moc"
