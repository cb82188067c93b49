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
        QCOMPARE(change.at(0).toModelIndex().column(), int(ClientListModel::In));
    }

    first->close();
    QTRY_COMPARE(model.rowCount(), 1);
    QVERIFY(model.idAt(0) != firstId);
    QCOMPARE(model.rowOf(firstId), -1);
    QCOMPARE(reset.count(), 0); // never rebuilt
}

QTEST_GUILESS_MAIN(tst_ClientListModel)
#include "tst_clientlistmodel.moc"
