#include "requestheadcheck.h"

#include <QTest>

using namespace wslab;
using State = RequestHeadCheck::State;

class tst_RequestHeadCheck : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void verdict_data();
    void verdict();
    void byteAtATimeGivesTheSameVerdict_data() { verdict_data(); }
    void byteAtATimeGivesTheSameVerdict();
    void sizeCoversTheBlankLine();
};

void tst_RequestHeadCheck::verdict_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<int>("state");
    QTest::addColumn<int>("status");

    const auto complete = int(State::Complete);
    const auto incomplete = int(State::Incomplete);
    const auto invalid = int(State::Invalid);

    QTest::newRow("GET /time") << QByteArray("GET /time HTTP/1.1\r\nHost: x\r\n\r\n") << complete
                               << 0;
    QTest::newRow("upgrade request")
        << QByteArray("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
        << complete << 0;
    QTest::newRow("bare LF line ends")
        << QByteArray("GET / HTTP/1.1\nHost: x\n\n") << complete << 0;
    QTest::newRow("leading blank line")
        << QByteArray("\r\nGET / HTTP/1.0\r\n\r\n") << complete << 0;
    QTest::newRow("empty header value")
        << QByteArray("GET / HTTP/1.1\r\nX-Empty:\r\n\r\n") << complete << 0;
    QTest::newRow("UTF-8 in header value")
        << QByteArray("GET / HTTP/1.1\r\nX-Name: 张三\r\n\r\n") << complete << 0;
    QTest::newRow("head not finished")
        << QByteArray("GET /time HTTP/1.1\r\nHost: x\r\n") << incomplete << 0;
    QTest::newRow("first line not finished") << QByteArray("GET /ti") << incomplete << 0;
    QTest::newRow("nothing yet") << QByteArray() << incomplete << 0;

    QTest::newRow("garbage") << QByteArray("GARBAGE\r\n\r\n") << invalid << 400;
    QTest::newRow("binary junk") << QByteArray("\x01\x02\x03\x04\r\n", 6) << invalid << 400;
    QTest::newRow("HTTP/0.9 style") << QByteArray("GET /time\r\n\r\n") << invalid << 400;
    QTest::newRow("space in target") << QByteArray("GET /ti me HTTP/1.1\r\n\r\n") << invalid << 400;
    QTest::newRow("two spaces") << QByteArray("GET  /time HTTP/1.1\r\n\r\n") << invalid << 400;
    QTest::newRow("bad version") << QByteArray("GET / HTTP/x.y\r\n\r\n") << invalid << 400;
    QTest::newRow("header without colon")
        << QByteArray("GET / HTTP/1.1\r\nBad Header Line\r\n\r\n") << invalid << 400;
    QTest::newRow("header name with space")
        << QByteArray("GET / HTTP/1.1\r\nHo st: x\r\n\r\n") << invalid << 400;
    QTest::newRow("empty header name")
        << QByteArray("GET / HTTP/1.1\r\n: x\r\n\r\n") << invalid << 400;
    QTest::newRow("obs-fold") << QByteArray("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n") << invalid
                              << 400;
    QTest::newRow("NUL in header")
        << QByteArray("GET / HTTP/1.1\r\nX: a\0b\r\n\r\n", 27) << invalid << 400;
    QTest::newRow("control char in value")
        << QByteArray("GET / HTTP/1.1\r\nX: a\x07z\r\n\r\n") << invalid << 400;
    QTest::newRow("stray CR") << QByteArray("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n") << invalid << 400;
    QTest::newRow("Content-Length not a number")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n") << invalid << 400;
    QTest::newRow("invalid before the end is enough")
        << QByteArray("GARBAGE\r\nmore is coming") << invalid << 400;
    QTest::newRow("unknown method") << QByteArray("BREW /pot HTTP/1.1\r\n\r\n") << invalid << 501;
    QTest::newRow("methods are case-sensitive")
        << QByteArray("get / HTTP/1.1\r\n\r\n") << invalid << 501;
    QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\n\r\n") << invalid << 505;
}

void tst_RequestHeadCheck::verdict()
{
    QFETCH(QByteArray, head);
    QFETCH(int, state);
    QFETCH(int, status);
    const RequestHeadCheck check = checkRequestHead(head);
    QCOMPARE(int(check.state), state);
    QCOMPARE(check.status, status);
    if (check.state == State::Invalid)
        QVERIFY2(!check.reason.isEmpty(), "an invalid request needs a reason for the user");
}

void tst_RequestHeadCheck::byteAtATimeGivesTheSameVerdict()
{
    QFETCH(QByteArray, head);
    QFETCH(int, state);
    QFETCH(int, status);
    // The guard re-checks what has arrived so far after each chunk; a verdict must never be
    // Invalid early for a head that is valid in full.
    RequestHeadCheck check;
    for (qsizetype n = 0; n <= head.size(); ++n) {
        check = checkRequestHead(QByteArrayView(head).first(n));
        if (check.state != State::Incomplete)
            break;
    }
    QCOMPARE(int(check.state), state);
    QCOMPARE(check.status, status);
}

void tst_RequestHeadCheck::sizeCoversTheBlankLine()
{
    const QByteArray head = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    const RequestHeadCheck check = checkRequestHead(QByteArray(head + "body bytes"));
    QCOMPARE(check.state, State::Complete);
    QCOMPARE(check.size, head.size());
}

QTEST_GUILESS_MAIN(tst_RequestHeadCheck)
#include "tst_requestheadcheck.moc"
