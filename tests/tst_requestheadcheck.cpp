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
    void streamChecksEveryPipelinedRequest();
    void streamSkipsBodies();
    void streamIsTheSameHoweverSplit_data();
    void streamIsTheSameHoweverSplit();
    void streamLimitsRequestSize();
    void streamStopsAtAnUpgrade();
    void streamRefusesWhatItCannotFrame();
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
    if (check.state == State::Invalid) {
        QVERIFY2(!check.reason.isEmpty(), "an invalid request needs a reason for the user");
        QVERIFY(!check.reason.english().isEmpty()); // and a body for the peer
    }
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

namespace {

struct StreamResult
{
    RequestHeadCheck verdict;
    QList<qint64> ends; // where each complete request ended
};

StreamResult runStream(const QByteArray &bytes, qsizetype chunk, qint64 max = 1 << 20)
{
    RequestStream stream(max);
    StreamResult result;
    for (qsizetype pos = 0; pos < bytes.size(); pos += chunk) {
        result.verdict = stream.feed(QByteArrayView(bytes).sliced(pos, qMin(chunk, bytes.size() - pos)));
        while (stream.hasCompleteRequest())
            result.ends.append(stream.takeCompleteRequest());
    }
    return result;
}

} // namespace

void tst_RequestHeadCheck::streamChecksEveryPipelinedRequest()
{
    const QByteArray first = "GET /time HTTP/1.1\r\nHost: x\r\n\r\n";
    const QByteArray second = "GET /news HTTP/1.1\r\n\r\n";
    const StreamResult ok = runStream(first + second, 1 << 20);
    QCOMPARE(ok.verdict.state, State::Incomplete);
    QCOMPARE(ok.ends, (QList<qint64> { first.size(), first.size() + second.size() }));
    // The second request is checked like the first: garbage after a good request is refused.
    const StreamResult bad = runStream(first + "\x01garbage\r\n\r\n", 1 << 20);
    QCOMPARE(bad.verdict.state, State::Invalid);
    QCOMPARE(bad.verdict.status, 400);
    QCOMPARE(bad.ends, QList<qint64> { first.size() });
    const StreamResult version = runStream(first + "GARBAGE / HTTP/9.9\r\n\r\n", 1 << 20);
    QCOMPARE(version.verdict.status, 505);
}

void tst_RequestHeadCheck::streamSkipsBodies()
{
    // A body is not a request line, whatever it looks like.
    const QByteArray post = "POST /time HTTP/1.1\r\nContent-Length: 14\r\n\r\nBAD LINE\r\n\r\n\r\n";
    const QByteArray get = "GET / HTTP/1.1\r\n\r\n";
    const StreamResult result = runStream(post + get, 1 << 20);
    QCOMPARE(result.verdict.state, State::Incomplete);
    QCOMPARE(result.ends, (QList<qint64> { post.size(), post.size() + get.size() }));
}

void tst_RequestHeadCheck::streamIsTheSameHoweverSplit_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("three good")
        << QByteArray("GET / HTTP/1.1\r\n\r\nPOST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"
                      "\r\nGET /time HTTP/1.1\r\nHost: y\r\n\r\n");
    QTest::newRow("good then bad header")
        << QByteArray("GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\nHo st: x\r\n\r\n");
    QTest::newRow("good then too large")
        << QByteArray("GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\nX: ") + QByteArray(300, 'a');
    QTest::newRow("upgrade then frames")
        << QByteArray("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: keep-alive, "
                      "Upgrade\r\n\r\n\x81\x85\x00\x00\x00\x00hello\r\n\r\n");
}

void tst_RequestHeadCheck::streamIsTheSameHoweverSplit()
{
    QFETCH(QByteArray, bytes);
    const StreamResult whole = runStream(bytes, bytes.size(), 200);
    for (const qsizetype chunk : { 1, 2, 3, 7, 64 }) {
        const StreamResult split = runStream(bytes, chunk, 200);
        QCOMPARE(split.verdict.state, whole.verdict.state);
        QCOMPARE(split.verdict.status, whole.verdict.status);
        QCOMPARE(split.ends, whole.ends);
    }
}

void tst_RequestHeadCheck::streamLimitsRequestSize()
{
    const QByteArray head = "GET / HTTP/1.1\r\nX: " + QByteArray(100, 'a') + "\r\n\r\n";
    QCOMPARE(runStream(head, 1, head.size()).verdict.state, State::Incomplete);
    const StreamResult over = runStream(head, 1, head.size() - 1);
    QCOMPARE(over.verdict.status, 413);
    QVERIFY(over.ends.isEmpty());
    // Each request has the whole budget: the limit is per request, not per connection.
    QCOMPARE(runStream(head + head + head, 5, head.size()).ends.size(), 3);
    // A body announced over the limit is refused at the end of the head, before it arrives.
    RequestStream stream(1000);
    const RequestHeadCheck body
        = stream.feed("POST / HTTP/1.1\r\nContent-Length: 5000\r\n\r\n");
    QCOMPARE(body.status, 413);
    QVERIFY(body.reason.english().contains(u"1000"));
}

void tst_RequestHeadCheck::streamStopsAtAnUpgrade()
{
    const QByteArray upgrade
        = "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
    RequestStream stream(100);
    QCOMPARE(stream.feed(upgrade).state, State::Incomplete);
    QVERIFY(stream.upgraded());
    // What follows is WebSocket frames: no verdict on them, and no size limit.
    QCOMPARE(stream.feed(QByteArray(1000, '\x81')).state, State::Incomplete);
    // Upgrade without "Connection: upgrade" is not a switch of protocols.
    RequestStream plain;
    plain.feed("GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n");
    QVERIFY(!plain.upgraded());
    QCOMPARE(plain.feed("\x81\x85\r\n").status, 400);
}

void tst_RequestHeadCheck::streamRefusesWhatItCannotFrame()
{
    RequestStream chunked;
    QCOMPARE(chunked.feed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n").status, 501);
    RequestStream lengths;
    QCOMPARE(lengths.feed("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n").status,
             400);
    RequestStream proxy;
    const RequestHeadCheck connect = proxy.feed("CONNECT example.com:443 HTTP/1.1\r\n");
    QCOMPARE(connect.status, 501);
    QVERIFY(connect.reason.english().contains(u"proxy"));
    // After the first problem every further byte gets the same verdict.
    QCOMPARE(proxy.feed("GET / HTTP/1.1\r\n\r\n").status, 501);
}

QTEST_GUILESS_MAIN(tst_RequestHeadCheck)
#include "tst_requestheadcheck.moc"
