#include "serverlog.h"
#include "testutil.h"

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
};

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
    QCOMPARE(ServerLog::preview(payload, binary), expected);
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
        QStringLiteral("#1 open: /ws from 127.0.0.1:"),
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
    QVERIFY(text.contains(QStringLiteral("open: /ws")));
    QVERIFY(!text.contains(QStringLiteral("on_message")));
    QVERIFY(!text.contains(QStringLiteral("write_message")));
}

QTEST_GUILESS_MAIN(tst_ServerLog)
#include "tst_serverlog.moc"
