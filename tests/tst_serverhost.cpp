#include "serverdigest.h"
#include "serverhost.h"
#include "testutil.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <numeric>

using namespace wslab;
using namespace wslab::test;

class tst_ServerHost : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void runsOnItsOwnThread();
    void eventsArriveInBatches();
    void clientListAndCommands();
    void portTaken();
    void stopFreesTheServerThreadsObjects();
    void kickWithUnsendableCodeSaysWhy();
    void classReachesTheWindowInBatches();
    void lanOnAndOffKeepsThePort();
};

void tst_ServerHost::runsOnItsOwnThread()
{
    ServerHost host;
    QVERIFY2(host.start(testConfig()), qPrintable(host.errorString()));
    QVERIFY(host.isListening());
    QCOMPARE(host.address(), QHostAddress(QHostAddress::LocalHost));
    // The server answers while this thread is busy: it does not share our event loop.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, host.port());
    QVERIFY(socket.waitForConnected(5000)); // blocks this thread
    socket.write("GET /time HTTP/1.1\r\nConnection: close\r\n\r\n");
    QVERIFY(socket.waitForReadyRead(5000)); // still blocking: only the server thread can answer
    QVERIFY(socket.readAll().startsWith("HTTP/1.1 200 OK"));
}

void tst_ServerHost::eventsArriveInBatches()
{
    ServerHost host;
    QVERIFY(host.start(testConfig()));
    QSignalSpy batches(&host, &ServerHost::events);
    auto client = connectWebSocket(host.webSocketUrl());
    QVERIFY(client);
    QSignalSpy echoes(client.get(), &QWebSocket::textMessageReceived);
    constexpr int count = 300;
    for (int i = 0; i < count; ++i)
        client->sendTextMessage(QString::number(i));
    QTRY_COMPARE(echoes.count(), count);

    // Every message is accounted for, but only as many are shown one by one as a person can
    // read; the rest arrive as a summary with their count.
    const auto all = [&] {
        QList<Event> events;
        for (const auto &batch : std::as_const(batches))
            events += batch.at(0).value<QList<Event>>();
        return events;
    };
    const QRegularExpression counted(QStringLiteral("(on_message|write_message) ×(\\d+)"));
    qint64 shown = 0, summarized = 0;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            shown = summarized = 0;
            for (const Event &e : all()) {
                if (e.kind == Event::Kind::MessageReceived || e.kind == Event::Kind::MessageSent)
                    ++shown;
                for (auto it = counted.globalMatch(e.summary.toString()); it.hasNext();)
                    summarized += it.next().captured(2).toLongLong();
            }
            return shown + summarized == 2 * count;
        }(),
        5000);
    QVERIFY2(shown <= DigestBudget().perConnection * 3, qPrintable(QString::number(shown)));
    const QList<Event> events = all();
    QVERIFY(std::any_of(events.cbegin(), events.cend(),
                        [](const Event &e) { return e.kind == Event::Kind::Summary; }));
    QVERIFY2(batches.count() < 40, qPrintable(QString::number(batches.count())));
    const QList<Event> first = batches.at(0).at(0).value<QList<Event>>();
    QCOMPARE(first.first().side, Event::Side::Server);
    QCOMPARE(first.first().kind, Event::Kind::TcpAccepted);
}

void tst_ServerHost::clientListAndCommands()
{
    ServerHost host;
    QVERIFY(host.start(testConfig()));
    QSignalSpy opened(&host, &ServerHost::clientOpened);
    QSignalSpy closed(&host, &ServerHost::clientClosed);
    QWebSocket client;
    QSignalSpy messages(&client, &QWebSocket::textMessageReceived);
    QSignalSpy disconnected(&client, &QWebSocket::disconnected);
    QVERIFY(openWebSocket(client, host.webSocketUrl()));
    QTRY_COMPARE(host.clients().size(), 1);
    const quint64 id = host.clients().first().id;
    host.sendTo(id, QStringLiteral("from the server pane"));
    QTRY_COMPARE(messages.count(), 1);
    host.broadcast(QStringLiteral("to everyone"));
    QTRY_COMPARE(messages.count(), 2);
    QSignalSpy interval(&host, &ServerHost::pushIntervalChanged);
    host.setPushInterval(0.05);
    QTRY_COMPARE(interval.count(), 1);
    QTRY_VERIFY(messages.count() >= 4);
    host.kick(id, 4000, QStringLiteral("bye"));
    QTRY_COMPARE(disconnected.count(), 1);
    QCOMPARE(int(client.closeCode()), 4000);
    QTRY_VERIFY(host.clients().isEmpty());
    QCOMPARE(opened.count(), 1);
    QCOMPARE(closed.count(), 1);
    QCOMPARE(closed.at(0).at(0).toULongLong(), id);
}

void tst_ServerHost::portTaken()
{
    ServerHost first;
    QVERIFY(first.start(testConfig()));
    ServerConfig config = testConfig();
    config.port = first.port();
    ServerHost second;
    QVERIFY(!second.start(config));
    QVERIFY(second.errorString().contains(QStringLiteral("already in use")));
    config.useNextFreePort = true;
    QVERIFY(second.start(config));
    QVERIFY(second.port() != first.port());
}

void tst_ServerHost::stopFreesTheServerThreadsObjects()
{
    const int before = ServerHost::liveBridges();
    ServerHost host;
    for (int i = 0; i < 3; ++i) {
        QVERIFY(host.start(testConfig()));
        QCOMPARE(ServerHost::liveBridges(), before + 1);
        host.stop();
        QCOMPARE(ServerHost::liveBridges(), before);
    }
}

void tst_ServerHost::kickWithUnsendableCodeSaysWhy()
{
    ServerHost host;
    QVERIFY(host.start(testConfig()));
    QWebSocket client;
    QVERIFY(openWebSocket(client, host.webSocketUrl()));
    QTRY_COMPARE(host.clients().size(), 1);
    const quint64 id = host.clients().first().id;
    const QString refused = host.kick(id, 1005, QStringLiteral("bye"));
    QVERIFY2(refused.contains(u"1005"), qPrintable(refused));
    QVERIFY(!host.kickPeer(client.localAddress(), client.localPort(), 2000, {}).isEmpty());
    QVERIFY(host.kick(id, 4001, QStringLiteral("bye")).isEmpty());
    QSignalSpy disconnected(&client, &QWebSocket::disconnected);
    QTRY_COMPARE(disconnected.count(), 1);
    QCOMPARE(int(client.closeCode()), 4001);
}

void tst_ServerHost::classReachesTheWindowInBatches()
{
    ServerHost host;
    QVERIFY(host.start(testConfig()));
    QSignalSpy counters(&host, &ServerHost::countersChanged);
    constexpr int students = 8;
    std::vector<std::unique_ptr<QWebSocket>> phones;
    for (int i = 0; i < students; ++i) {
        QUrl url = host.webSocketUrl(Route::Chat);
        url.setQuery(u"name=s%1"_qs.arg(i));
        QNetworkRequest request(url);
        request.setRawHeader("User-Agent",
                             "Mozilla/5.0 (Linux; Android 14; Pixel 8) "
                             "AppleWebKit/537.36 (KHTML, like Gecko) "
                             "Chrome/120.0.0.0 Mobile Safari/537.36");
        phones.push_back(std::make_unique<QWebSocket>());
        phones.back()->open(request);
    }
    QTRY_COMPARE(host.clients().size(), students);
    for (const ClientInfo &client : host.clients())
        QCOMPARE(client.device, u"Android · Chrome"_qs);
    // Each heard the join notices of itself and of those after it: n + ... + 1 in all.
    const auto sentToAll = [&host] {
        const QList<ClientInfo> all = host.clients();
        return std::accumulate(
            all.cbegin(), all.cend(), quint64(0),
            [](quint64 sum, const ClientInfo &c) { return sum + c.messagesOut; });
    };
    QTRY_COMPARE(sentToAll(), quint64(students * (students + 1) / 2));
    counters.clear();
    for (int i = 0; i < students; ++i)
        phones[size_t(i)]->sendTextMessage(u"line %1"_qs.arg(i));
    // Each client's last message, with its counters: a few batches, never one per message.
    QTRY_VERIFY(std::ranges::all_of(host.clients(), [](const ClientInfo &c) {
        return c.messagesIn == 1 && c.lastMessageAt.isValid();
    }));
    for (const ClientInfo &client : host.clients())
        QCOMPARE(client.lastMessage, u"line "_qs + client.name.mid(1));
    // A line goes to every member at once, and the changes go to the window together.
    for (const auto &batch : std::as_const(counters))
        QCOMPARE(batch.at(0).value<QList<ClientCounters>>().size(), students);

    host.pingAll();
    QTRY_VERIFY(std::ranges::all_of(
        host.clients(), [](const ClientInfo &c) { return c.pongs == 1 && c.lastPingMs >= 0; }));

    QVERIFY(!host.kickAll(1005, {}).isEmpty());
    QVERIFY(host.kickAll(4002, u"bye"_qs).isEmpty());
    for (const auto &phone : phones) {
        QTRY_COMPARE(phone->state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(int(phone->closeCode()), 4002);
    }
    QTRY_VERIFY(host.clients().isEmpty());
}

// The LAN switch: 0.0.0.0 on the same port, the window's own URLs still on 127.0.0.1, an
// allowed origin kept; back to 127.0.0.1 off.
void tst_ServerHost::lanOnAndOffKeepsThePort()
{
    ServerHost host;
    QVERIFY(host.start(testConfig()));
    QVERIFY(!host.isOnLan());
    QVERIFY(host.allowOrigin(QStringLiteral("http://192.168.1.20:8000")));
    QTRY_VERIFY(!host.extraOrigins().isEmpty());
    const quint16 port = host.port();
    QSignalSpy moved(&host, &ServerHost::addressChanged);
    QVERIFY(host.setLan(true));
    QCOMPARE(moved.count(), 1);
    QVERIFY(host.isOnLan());
    QCOMPARE(host.address(), QHostAddress(QHostAddress::AnyIPv4));
    QCOMPARE(host.port(), port);
    QCOMPARE(host.httpUrl().host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(host.webSocketUrl().toString(), QStringLiteral("ws://127.0.0.1:%1/ws").arg(port));
    QCOMPARE(host.extraOrigins(), QStringList { QStringLiteral("http://192.168.1.20:8000") });
    QWebSocket client;
    QVERIFY(openWebSocket(client, host.webSocketUrl()));
    QVERIFY(host.setLan(true)); // already on: nothing restarts
    QCOMPARE(moved.count(), 1);
    QCOMPARE(client.state(), QAbstractSocket::ConnectedState);
    QVERIFY(host.setLan(false));
    QCOMPARE(moved.count(), 2);
    QVERIFY(!host.isOnLan());
    QCOMPARE(host.address(), QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(host.port(), port);
}

QTEST_GUILESS_MAIN(tst_ServerHost)
#include "tst_serverhost.moc"
