#include "clientlistmodel.h"
#include "testutil.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace wslab;
using namespace wslab::test;

class tst_ClientListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rowsFollowClientsAndCountersUpdateInPlace();
    void nameDeviceLastMessageAndPing();
    void clientTextIsNotHtml();
    void oneLine_data();
    void oneLine();
};

void tst_ClientListModel::rowsFollowClientsAndCountersUpdateInPlace()
{
    ServerHost host;
    QVERIFY(host.start(testConfig()));
    ClientListModel model(&host);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    auto first = connectWebSocket(host.webSocketUrl());
    auto second = connectWebSocket(host.webSocketUrl());
    QVERIFY(first && second);
    QTRY_COMPARE(model.rowCount(), 2);
    const quint64 firstId = model.idAt(0);
    QVERIFY(firstId < model.idAt(1)); // oldest first
    QCOMPARE(model.index(0, ClientListModel::Path).data().toString(), QStringLiteral("/ws"));

    QSignalSpy echoes(second.get(), &QWebSocket::textMessageReceived);
    for (int i = 0; i < 50; ++i)
        second->sendTextMessage(QStringLiteral("m%1").arg(i));
    QTRY_COMPARE(echoes.count(), 50);
    // The counters arrive a few times a second, as changes to their own cells.
    QTRY_COMPARE(model.index(1, ClientListModel::In).data().toULongLong(), quint64(50));
    QCOMPARE(model.index(1, ClientListModel::Out).data().toULongLong(), quint64(50));
    QCOMPARE(model.index(0, ClientListModel::In).data().toULongLong(), quint64(0));
    QVERIFY(!changed.isEmpty());
    for (const auto &change : std::as_const(changed)) {
        QCOMPARE(change.at(0).toModelIndex().row(), 1); // only the row that moved
        // From the last message to the counters: the cells an echo changes, side by side.
        QCOMPARE(change.at(0).toModelIndex().column(), int(ClientListModel::LastMessage));
        QCOMPARE(change.at(1).toModelIndex().column(), int(ClientListModel::Out));
    }

    first->close();
    QTRY_COMPARE(model.rowCount(), 1);
    QVERIFY(model.idAt(0) != firstId);
    QCOMPARE(model.rowOf(firstId), -1);
    QCOMPARE(reset.count(), 0); // never rebuilt
}

void tst_ClientListModel::nameDeviceLastMessageAndPing()
{
    ServerHost host;
    QVERIFY(host.start(testConfig()));
    ClientListModel model(&host);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QByteArray android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
                               "(KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";
    // One phone: the page's /ws and /chat under one name; and a program with no User-Agent.
    QWebSocket echo, chat;
    for (auto [socket, route] : { std::pair(&echo, Route::Echo), std::pair(&chat, Route::Chat) }) {
        QUrl url = host.webSocketUrl(route);
        url.setQuery(u"name=小明"_qs);
        QNetworkRequest request(url);
        request.setRawHeader("User-Agent", android);
        QSignalSpy open(socket, &QWebSocket::connected);
        socket->open(request);
        QTRY_COMPARE(open.count(), 1);
    }
    auto program = connectWebSocket(host.webSocketUrl());
    QVERIFY(program);
    QTRY_COMPARE(model.rowCount(), 3);
    QCOMPARE(model.studentCount(), 1); // 小明, once: the names on /chat count
    const auto cell = [&model](int row, int column, int role = Qt::DisplayRole) {
        return model.index(row, column).data(role);
    };
    QCOMPARE(cell(0, ClientListModel::Name).toString(), u"小明"_qs);
    QCOMPARE(cell(1, ClientListModel::Name).toString(), u"小明"_qs);
    QCOMPARE(cell(1, ClientListModel::Path).toString(), u"/chat"_qs);
    QCOMPARE(cell(1, ClientListModel::Device).toString(), u"Android · Chrome"_qs);
    QVERIFY(cell(1, ClientListModel::Device, Qt::ToolTipRole).toString().contains(u"Pixel 8"));
    QCOMPARE(cell(2, ClientListModel::Name).toString(), u"guest-%1"_qs.arg(model.idAt(2)));
    QCOMPARE(cell(2, ClientListModel::Device).toString(), u"—"_qs);
    QVERIFY(cell(2, ClientListModel::Device, Qt::ToolTipRole).toString().contains(u"User-Agent"));
    QVERIFY(cell(1, ClientListModel::LastMessage).isNull());
    QVERIFY(cell(1, ClientListModel::Ping).isNull());

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    chat.sendTextMessage(u"line one\nline two"_qs);
    QTRY_COMPARE(cell(1, ClientListModel::LastMessage).toString(), u"line one line two"_qs);
    const QString when = cell(1, ClientListModel::LastMessage, Qt::ToolTipRole).toString();
    const QDateTime at = host.clients().at(1).lastMessageAt.toLocalTime();
    QVERIFY2(when.contains(at.toString(u"yyyy-MM-dd HH:mm:ss"_qs)), qPrintable(when));
    QVERIFY2(shownAsToolTip(when).endsWith(u"\nline one line two"),
             qPrintable(when)); // whole, if cut off
    program->sendBinaryMessage(QByteArray(20, 'b'));
    QTRY_COMPARE(cell(2, ClientListModel::LastMessage).toString(), u"(binary, 20 bytes)"_qs);
    program->sendTextMessage(QString(500, u'é'));
    QTRY_COMPARE(cell(2, ClientListModel::LastMessage).toString(),
                 QString(ClientInfo::lastMessagePreviewLength, u'é') + u'…');
    QVERIFY(cell(2, ClientListModel::LastMessage, Qt::ToolTipRole).toString().contains(u"500"));

    host.pingAll();
    for (int row = 0; row < 3; ++row)
        QTRY_VERIFY(cell(row, ClientListModel::Ping).toLongLong() >= 0
                    && !cell(row, ClientListModel::Ping).isNull());
    QVERIFY(cell(0, ClientListModel::Ping, Qt::ToolTipRole).toString().contains(u"ms"));
    // Each change is its own row's, and spans only the cells that can have moved.
    for (const auto &change : std::as_const(changed)) {
        const QModelIndex from = change.at(0).toModelIndex(), to = change.at(1).toModelIndex();
        QCOMPARE(from.row(), to.row());
        QVERIFY(from.column() >= ClientListModel::LastMessage);
        QVERIFY(to.column() <= ClientListModel::Out);
    }

    chat.close();
    QTRY_COMPARE(model.rowCount(), 2);
    QCOMPARE(model.studentCount(), 0); // 小明 left the chat (still on /ws)
    echo.close();
    QTRY_COMPARE(model.rowCount(), 1);
    QCOMPARE(model.studentCount(), 0);
}

void tst_ClientListModel::oneLine_data()
{
    QTest::addColumn<QString>("preview");
    QTest::addColumn<int>("length");
    QTest::addColumn<QString>("shown");
    QTest::newRow("plain") << u"hi"_qs << 2 << u"hi"_qs;
    QTest::newRow("quotes stay") << u"say \"hi\""_qs << 8 << u"say \"hi\""_qs;
    QTest::newRow("line breaks") << u"a\r\nb\tc"_qs << 6 << u"a  b c"_qs;
    QTest::newRow("cut") << u"abc"_qs << 300 << u"abc…"_qs;
    QTest::newRow("emoji whole") << u"👍"_qs << 2 << u"👍"_qs;
}

void tst_ClientListModel::oneLine()
{
    QFETCH(QString, preview);
    QFETCH(int, length);
    QFETCH(QString, shown);
    QCOMPARE(ClientListModel::oneLine(preview, length), shown);
}

// Anyone on the LAN writes the User-Agent and the chat line; the tool tips show them as written.
void tst_ClientListModel::clientTextIsNotHtml()
{
    ServerHost host;
    QVERIFY(host.start(testConfig()));
    ClientListModel model(&host);
    const QString agent = u"<h1>big</h1><img src=x>"_qs;
    QWebSocket chat;
    QNetworkRequest request(host.webSocketUrl(Route::Chat));
    request.setRawHeader("User-Agent", agent.toLatin1());
    QSignalSpy open(&chat, &QWebSocket::connected);
    chat.open(request);
    QTRY_COMPARE(open.count(), 1);
    QTRY_COMPARE(model.rowCount(), 1);
    const auto tip = [&model](int column) {
        return model.index(0, column).data(Qt::ToolTipRole).toString();
    };
    const QString device = shownAsToolTip(tip(ClientListModel::Device));
    QCOMPARE(device, u"User-Agent: "_qs + agent);
    chat.sendTextMessage(u"<b>x</b>"_qs);
    QTRY_COMPARE(model.index(0, ClientListModel::LastMessage).data().toString(), u"<b>x</b>"_qs);
    const QString last = shownAsToolTip(tip(ClientListModel::LastMessage));
    QVERIFY2(last.endsWith(u"\n<b>x</b>"), qPrintable(last));
}

QTEST_MAIN(tst_ClientListModel)
#include "tst_clientlistmodel.moc"
