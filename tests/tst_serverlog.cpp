#include "nonblockingoutput.h"
#include "serverlog.h"
#include "testutil.h"

#include <QRegularExpression>

#include <fcntl.h>
#include <unistd.h>

#include <QSignalSpy>
#include <QTest>
#include <QTextStream>

using namespace wslab;
using namespace wslab::test;

class tst_ServerLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void preview_data();
    void preview();
    void oneLinePerEvent();
    void connectionsOnlyLeavesMessagesOut();
    void floodIsSummarizedAndCountedExactly();
    void manyBusyConnectionsShareOneLine();
    void stoppingSummarizesTheLastWindow();
    void blockedOutputNeverStallsTheServer();
};

namespace {

// Messages a log accounts for: each line shown one by one, plus the counts in summaries.
struct Accounted
{
    int shownIn = 0, shownOut = 0;
    qint64 summarizedIn = 0, summarizedOut = 0;
    int summaries = 0;
};

Accounted account(const QString &log)
{
    static const QRegularExpression in(QStringLiteral("on_message ×(\\d+)"));
    static const QRegularExpression out(QStringLiteral("write_message ×(\\d+)"));
    Accounted a;
    for (const QString &line : log.split(u'\n', Qt::SkipEmptyParts)) {
        if (line.contains(QStringLiteral("too many to show one by one"))) {
            ++a.summaries;
            if (const auto m = in.match(line); m.hasMatch())
                a.summarizedIn += m.captured(1).toLongLong();
            if (const auto m = out.match(line); m.hasMatch())
                a.summarizedOut += m.captured(1).toLongLong();
        } else if (line.contains(QStringLiteral("on_message text"))) {
            ++a.shownIn;
        } else if (line.contains(QStringLiteral("write_message (echo) text"))) {
            ++a.shownOut;
        }
    }
    return a;
}

} // namespace

void tst_ServerLog::preview_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("binary");
    QTest::addColumn<QString>("expected");
    QTest::newRow("text") << QByteArray("Hello") << false << QStringLiteral("text 5 B: \"Hello\"");
    QTest::newRow("Chinese counts bytes")
        << QStringLiteral("你好").toUtf8() << false << QStringLiteral("text 6 B: \"你好\"");
    QTest::newRow("escapes") << QByteArray("a\"b\\c\nd\te\x01") << false
                             << QStringLiteral("text 10 B: \"a\\\"b\\\\c\\nd\\te\\x01\"");
    QTest::newRow("long text shortened")
        << QByteArray(100, 'x') << false
        << QStringLiteral("text 100 B: \"") + QString(80, u'x') + QStringLiteral("…\"");
    QTest::newRow("binary") << QByteArray("\x00\xff\x10", 3) << true
                            << QStringLiteral("binary 3 B: 00 ff 10");
    QTest::newRow("long binary shortened") << QByteArray(1000, '\xab') << true
                                           << QStringLiteral("binary 1000 B: ")
            + QStringList(26, QStringLiteral("ab")).join(u' ') + QStringLiteral(" …");
}

void tst_ServerLog::preview()
{
    QFETCH(QByteArray, payload);
    QFETCH(bool, binary);
    QFETCH(QString, expected);
    const Message message
        = binary ? Message::fromBinary(payload) : Message::fromText(QString::fromUtf8(payload));
    QCOMPARE(message.size(), payload.size());
    QCOMPARE(ServerDigest::preview(message).english(), expected);
}

void tst_ServerLog::oneLinePerEvent()
{
    QString text;
    QTextStream out(&text);
    EmbeddedServer server(testConfig());
    ServerLog log(&server, &out);
    QVERIFY(server.start());
    QVERIFY(text.contains(QStringLiteral("listening: http://127.0.0.1:%1/").arg(server.port())));

    QSignalSpy closed(&server, &EmbeddedServer::closed);
    {
        auto client = connectWebSocket(server.webSocketUrl());
        QVERIFY(client);
        QSignalSpy echoed(client.get(), &QWebSocket::textMessageReceived);
        client->sendTextMessage(QStringLiteral("hello"));
        QTRY_COMPARE(echoed.count(), 1);
        client->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("bye"));
        QTRY_COMPARE(closed.count(), 1);
    }
    QTRY_VERIFY(text.contains(QStringLiteral("TCP closed")));

    const QStringList lines = text.split(u'\n', Qt::SkipEmptyParts);
    const QStringList expectedInOrder {
        QStringLiteral("#1 TCP accepted from 127.0.0.1:"),
        QStringLiteral("#1 handshake: GET /ws Upgrade: websocket (Sec-WebSocket-Key: "),
        QStringLiteral("#1 open (101 sent): /ws from 127.0.0.1:"),
        QStringLiteral("#1 on_message text 5 B: \"hello\""),
        QStringLiteral("#1 write_message (echo) text 5 B: \"hello\""),
        QStringLiteral("#1 on_close: code 1000 \"bye\", initiated by client, clean"),
        QStringLiteral("#1 TCP closed"),
    };
    qsizetype at = 0;
    for (const QString &expected : expectedInOrder) {
        while (at < lines.size() && !lines.at(at).contains(expected))
            ++at;
        QVERIFY2(at < lines.size(),
                 qPrintable(u"missing or out of order: " + expected + u"\n" + text));
    }
    for (const QString &line : lines)
        QVERIFY2(line.startsWith(QStringLiteral("[+")), qPrintable(line)); // every line is timed
}

void tst_ServerLog::connectionsOnlyLeavesMessagesOut()
{
    QString text;
    QTextStream out(&text);
    EmbeddedServer server(testConfig());
    ServerLog log(&server, &out, ServerLog::Detail::Connections);
    QVERIFY(server.start());
    auto client = connectWebSocket(server.webSocketUrl());
    QVERIFY(client);
    QSignalSpy echoed(client.get(), &QWebSocket::textMessageReceived);
    client->sendTextMessage(QStringLiteral("hello"));
    QTRY_COMPARE(echoed.count(), 1);
    QVERIFY(text.contains(QStringLiteral("open (101 sent): /ws")));
    QVERIFY(!text.contains(QStringLiteral("on_message")));
    QVERIFY(!text.contains(QStringLiteral("write_message")));
}

void tst_ServerLog::floodIsSummarizedAndCountedExactly()
{
    QString text;
    QTextStream out(&text);
    EmbeddedServer server(testConfig());
    DigestBudget budget;
    budget.perConnection = 6;
    budget.window = std::chrono::milliseconds(300);
    ServerLog log(&server, &out, ServerLog::Detail::Everything, budget);
    QVERIFY(server.start());
    auto client = connectWebSocket(server.webSocketUrl());
    QVERIFY(client);
    QSignalSpy echoed(client.get(), &QWebSocket::textMessageReceived);
    constexpr int count = 500;
    for (int i = 0; i < count; ++i)
        client->sendTextMessage(QStringLiteral("message %1").arg(i));
    QTRY_COMPARE(echoed.count(), count);
    // Once the window closes, every message is accounted for: shown, or counted in a summary.
    Accounted a;
    QTRY_VERIFY2((a = account(text)).shownIn + a.summarizedIn == count,
                 qPrintable(text.right(2000)));
    QCOMPARE(a.shownOut + a.summarizedOut, qint64(count));
    QVERIFY2(a.shownIn + a.shownOut <= budget.perConnection * 4, qPrintable(text.right(2000)));
    QVERIFY(a.summaries >= 1);
    QCOMPARE(log.digest()->summarizedCount(), qint64(2 * count - a.shownIn - a.shownOut));
    // A summary reads like the lesson's handlers, with bytes and the last message.
    QVERIFY2(text.contains(QRegularExpression(QStringLiteral(
                 "#1 on_message ×\\d+, write_message ×\\d+ \\(echo \\d+\\) in "
                 "[0-9.]+ s, too many to show one by one; the first not shown: text \\d+ B: \"message "))),
             qPrintable(text.right(2000)));
}

void tst_ServerLog::manyBusyConnectionsShareOneLine()
{
    QString text;
    QTextStream out(&text);
    EmbeddedServer server(testConfig());
    DigestBudget budget;
    budget.perConnection = 1;
    budget.connectionsInDetail = 3;
    budget.window = std::chrono::milliseconds(500);
    ServerLog log(&server, &out, ServerLog::Detail::Everything, budget);
    QVERIFY(server.start());
    constexpr int clients = 8, each = 20;
    std::vector<std::unique_ptr<QWebSocket>> sockets;
    std::vector<std::unique_ptr<QSignalSpy>> spies;
    for (int c = 0; c < clients; ++c) {
        sockets.push_back(connectWebSocket(server.webSocketUrl()));
        QVERIFY(sockets.back());
        spies.push_back(
            std::make_unique<QSignalSpy>(sockets.back().get(), &QWebSocket::textMessageReceived));
    }
    for (int i = 0; i < each; ++i) {
        for (auto &socket : sockets)
            socket->sendTextMessage(QStringLiteral("m%1").arg(i));
    }
    for (auto &spy : spies)
        QTRY_COMPARE(spy->count(), each);
    QTRY_VERIFY2(text.contains(QStringLiteral("5 more connections: on_message ×")),
                 qPrintable(text));
    Accounted a;
    QTRY_COMPARE((a = account(text)).shownIn + a.summarizedIn, qint64(clients * each));
    QCOMPARE(a.shownOut + a.summarizedOut, qint64(clients * each));
}

void tst_ServerLog::stoppingSummarizesTheLastWindow()
{
    QString text;
    QTextStream out(&text);
    EmbeddedServer server(testConfig());
    DigestBudget budget;
    budget.window = std::chrono::hours(1); // only stop() can end this window
    ServerLog log(&server, &out, ServerLog::Detail::Everything, budget);
    QVERIFY(server.start());
    auto client = connectWebSocket(server.webSocketUrl());
    QVERIFY(client);
    QSignalSpy echoed(client.get(), &QWebSocket::textMessageReceived);
    constexpr int count = 300;
    for (int i = 0; i < count; ++i)
        client->sendTextMessage(QStringLiteral("m%1").arg(i));
    QTRY_COMPARE(echoed.count(), count);
    server.stop();
    const Accounted a = account(text);
    QCOMPARE(a.shownIn + a.summarizedIn, qint64(count));
    QCOMPARE(a.shownOut + a.summarizedOut, qint64(count));
}

void tst_ServerLog::blockedOutputNeverStallsTheServer()
{
    // stdout as a pipe that nobody reads: the kernel's buffer fills, then the device's.
    int fds[2];
    QCOMPARE(::pipe(fds), 0);
    const auto closeBoth = qScopeGuard([&] {
        ::close(fds[0]);
        ::close(fds[1]);
    });
    NonBlockingOutput device(fds[1], 16 * 1024);
    QTextStream out(&device);
    EmbeddedServer server(testConfig());
    DigestBudget everything;
    everything.perConnection = everything.total = 1'000'000;
    ServerLog log(&server, &out, ServerLog::Detail::Everything, everything);
    QVERIFY(server.start());
    auto client = connectWebSocket(server.webSocketUrl());
    QVERIFY(client);
    QSignalSpy echoed(client.get(), &QWebSocket::textMessageReceived);
    constexpr int count = 5000; // about 500 KB of log lines, far more than pipe + buffer hold
    for (int i = 0; i < count; ++i)
        client->sendTextMessage(QStringLiteral("flood %1").arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(echoed.count(), count, 20000);
    QVERIFY(device.droppedWrites() > 0);

    // The reader comes back: what was kept arrives, then a line saying what was lost.
    ::fcntl(fds[0], F_SETFL, O_NONBLOCK);
    QByteArray read;
    const auto readAvailable = [&] {
        char buffer[65536];
        for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;)
            read.append(buffer, n);
    };
    QTRY_VERIFY((readAvailable(), device.drain(0)));
    client->sendTextMessage(QStringLiteral("after"));
    QTRY_VERIFY((readAvailable(), read.contains("write_message (echo) text 5 B: \"after\"")));
    // Each time lines were lost, one notice says how many; together they count every loss,
    // and the last stands where the output resumed.
    const QString output = QString::fromUtf8(read);
    qint64 reported = 0;
    for (auto it = QRegularExpression(QStringLiteral("\\[log: (\\d+) line\\(s\\) dropped here"))
                       .globalMatch(output);
         it.hasNext();)
        reported += it.next().captured(1).toLongLong();
    QCOMPARE(reported, device.droppedWrites());
    QVERIFY2(output.contains(QRegularExpression(QStringLiteral(
                 "the output was not read fast enough\\]\n[^\n]*on_message text 5 B: \"after\""))),
             qPrintable(output.right(500)));
}

QTEST_GUILESS_MAIN(tst_ServerLog)
#include "tst_serverlog.moc"
