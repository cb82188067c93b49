// The server pane, offscreen: its security controls (TLS with the classroom certificate, the
// list of origins allowed to connect, a kick the server cannot send) and the class list
// (students by name and device, the context menu, Ping all, Kick all).

#include "classroomcertificate.h"
#include "clientlistmodel.h"
#include "serverhost.h"
#include "serverpane.h"
#include "testutil.h"

#include <QAction>
#include <QApplication>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QWebSocket>

using namespace wslab;
using namespace wslab::test;

class tst_ServerPane : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void classroomTls();
    void allowOrigin();
    void kickWithUnsendableCode();
    void theClassList();
    void kickAllAsksFirst();
};

namespace {
// A phone's page: /ws and /chat?name=…, with a phone's User-Agent.
std::unique_ptr<QWebSocket> phone(ServerHost &host, Route route, const QString &name,
                                  const QByteArray &userAgent)
{
    QUrl url = host.webSocketUrl(route);
    url.setQuery(u"name="_qs + name);
    QNetworkRequest request(url);
    request.setRawHeader("User-Agent", userAgent);
    auto socket = std::make_unique<QWebSocket>();
    QSignalSpy open(socket.get(), &QWebSocket::connected);
    socket->open(request);
    if (!QTest::qWaitFor([&] { return open.count() == 1; }, 5000))
        return nullptr;
    return socket;
}

const QByteArray iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) "
                          "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 "
                          "Safari/604.1";
const QByteArray android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, "
                           "like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";
} // namespace

void tst_ServerPane::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // the classroom certificate goes to ~/.qttest
    QFile::remove(classroomCertificateFile());
    QFile::remove(classroomKeyFile());
}

void tst_ServerPane::classroomTls()
{
    ServerHost host;
    QVERIFY(host.start(testConfig()));
    const quint16 port = host.port();
    ServerPane pane(&host);
    auto *status = pane.findChild<QLabel *>(QStringLiteral("tlsStatus"));
    QVERIFY(status);
    QVERIFY(status->text().contains(u"ws://"));
    QCOMPARE(host.webSocketUrl().scheme(), QStringLiteral("ws"));

    pane.findChild<QAction *>(QStringLiteral("tlsClassroomAction"))->trigger();
    QVERIFY2(host.tls().has_value(), qPrintable(host.errorString()));
    QCOMPARE(host.port(), port); // the address students have stays right
    QCOMPARE(host.webSocketUrl().scheme(), QStringLiteral("wss"));
    const QString fingerprint = sha256Fingerprint(host.tls()->certificate);
    QVERIFY2(status->text().contains(fingerprint), qPrintable(status->text()));
    QCOMPARE(QFile(classroomKeyFile()).permissions() & (QFile::ReadGroup | QFile::ReadOther),
             QFile::Permissions());

    // A student who trusts that certificate connects over wss:// by the loopback address.
    QWebSocket student;
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.addCaCertificate(host.tls()->certificate);
    student.setSslConfiguration(tls);
    QSignalSpy connected(&student, &QWebSocket::connected);
    QSignalSpy echoed(&student, &QWebSocket::textMessageReceived);
    student.open(host.webSocketUrl());
    QTRY_COMPARE(connected.count(), 1);
    student.sendTextMessage(QStringLiteral("over TLS"));
    QTRY_VERIFY(std::any_of(echoed.cbegin(), echoed.cend(), [](const QList<QVariant> &args) {
        return args.at(0).toString() == u"over TLS";
    }));

    // Next lesson: the same certificate, so the fingerprint students checked still holds.
    pane.findChild<QAction *>(QStringLiteral("tlsOffAction"))->trigger();
    QVERIFY(!host.tls());
    QCOMPARE(host.webSocketUrl().scheme(), QStringLiteral("ws"));
    QVERIFY(status->text().contains(u"ws://"));
    pane.findChild<QAction *>(QStringLiteral("tlsClassroomAction"))->trigger();
    QVERIFY(host.tls());
    QCOMPARE(sha256Fingerprint(host.tls()->certificate), fingerprint);
}

void tst_ServerPane::allowOrigin()
{
    ServerHost host;
    QVERIFY(host.start(testConfig()));
    ServerPane pane(&host);
    auto *origins = pane.findChild<QLabel *>(QStringLiteral("allowedOrigins"));
    auto *edit = pane.findChild<QLineEdit *>(QStringLiteral("newOrigin"));
    auto *button = pane.findChild<QPushButton *>(QStringLiteral("allowOriginButton"));
    auto *notice = pane.findChild<QLabel *>(QStringLiteral("serverNotice"));
    QVERIFY(origins && edit && button && notice);
    QVERIFY2(origins->text().contains(QStringLiteral("http://127.0.0.1:%1").arg(host.port())),
             qPrintable(origins->text()));

    edit->setText(QStringLiteral("not an origin/"));
    button->click();
    QVERIFY(!notice->text().isEmpty());
    QCOMPARE(edit->text(), QStringLiteral("not an origin/")); // kept, to be corrected

    edit->setText(QStringLiteral("http://192.168.1.20:8000"));
    button->click();
    QTRY_VERIFY2(origins->text().contains(u"http://192.168.1.20:8000"),
                 qPrintable(origins->text()));
    QVERIFY(edit->text().isEmpty());
    QVERIFY(notice->isHidden());
}

void tst_ServerPane::kickWithUnsendableCode()
{
    ServerHost host;
    QVERIFY(host.start(testConfig()));
    ServerPane pane(&host);
    QWebSocket client;
    QVERIFY(openWebSocket(client, host.webSocketUrl()));
    auto *table = pane.findChild<QTableView *>(QStringLiteral("clientsTable"));
    QTRY_COMPARE(table->model()->rowCount(), 1);
    table->selectRow(0);
    pane.findChild<QSpinBox *>(QStringLiteral("kickCode"))->setValue(1005);
    pane.findChild<QPushButton *>(QStringLiteral("kickButton"))->click();
    auto *notice = pane.findChild<QLabel *>(QStringLiteral("serverNotice"));
    QVERIFY2(notice->text().contains(u"1005"), qPrintable(notice->text()));
    // Refused, and said so in words beside the reason, not only by its colour.
    auto *word = pane.findChild<QLabel *>(QStringLiteral("serverNoticeWord"));
    QVERIFY(word && word->isVisibleTo(&pane));
    QCOMPARE(word->text(), QStringLiteral("Problem:"));
    QCOMPARE(client.state(), QAbstractSocket::ConnectedState);
}

void tst_ServerPane::theClassList()
{
    ServerHost host;
    QVERIFY(host.start(testConfig()));
    ServerPane pane(&host);
    pane.show();
    auto *table = findNamed<QTableView>(&pane, "clientsTable");
    auto *count = findNamed<QLabel>(&pane, "studentCount");
    auto *pingAll = findNamed<QPushButton>(&pane, "pingAllButton");
    auto *kickAll = findNamed<QPushButton>(&pane, "kickAllButton");
    QVERIFY(table && count && pingAll && kickAll);
    QCOMPARE(count->text(), u"No students connected yet"_qs);
    QVERIFY(!pingAll->isEnabled() && !kickAll->isEnabled());

    auto annWs = phone(host, Route::Echo, u"ann"_qs, iphone);
    auto annChat = phone(host, Route::Chat, u"ann"_qs, iphone);
    auto lee = phone(host, Route::Chat, u"lee"_qs, android);
    QVERIFY(annWs && annChat && lee);
    QTRY_COMPARE(table->model()->rowCount(), 3);
    QCOMPARE(count->text(), u"2 students in the chat · 3 connections"_qs);
    QVERIFY(pingAll->isEnabled() && kickAll->isEnabled());
    const auto cell = [table](int row, int column) {
        return table->model()->index(row, column).data().toString();
    };
    QCOMPARE(cell(2, ClientListModel::Name), u"lee"_qs);
    QCOMPARE(cell(2, ClientListModel::Device), u"Android · Chrome"_qs);
    QCOMPARE(cell(0, ClientListModel::Device), u"iPhone · Safari"_qs);
    QCOMPARE(table->model()->headerData(ClientListModel::LastMessage, Qt::Horizontal).toString(),
             u"Last message"_qs);
    lee->sendTextMessage(u"hello from the back row"_qs);
    QTRY_COMPARE(cell(2, ClientListModel::LastMessage), u"hello from the back row"_qs);

    // Ping all: a round trip in every row.
    pingAll->click();
    for (int row = 0; row < 3; ++row)
        QTRY_VERIFY(!table->model()->index(row, ClientListModel::Ping).data().isNull());

    // The context menu acts on the row it was opened on.
    auto *menu = findNamed<QMenu>(&pane, "clientMenu");
    QVERIFY(menu);
    const QRect leeRow = table->visualRect(table->model()->index(2, ClientListModel::Name));
    Q_EMIT table->customContextMenuRequested(leeRow.center());
    QTRY_VERIFY(menu->isVisible());
    QCOMPARE(pane.selectedClient(),
             table->model()->index(2, 0).data(ClientListModel::IdRole).toULongLong());
    QStringList entries;
    for (QAction *action : menu->actions())
        entries.append(action->text());
    QCOMPARE(entries, QStringList({ u"Send to…"_qs, u"Ping"_qs, u"Kick"_qs }));
    menu->hide();

    QSignalSpy leeHears(lee.get(), &QWebSocket::textMessageReceived);
    findNamed<QAction>(&pane, "sendToAction")->trigger();
    auto *dialog = findNamed<QInputDialog>(&pane, "sendToDialog");
    QVERIFY(dialog);
    QVERIFY2(dialog->labelText().contains(u"lee"), qPrintable(dialog->labelText()));
    auto *label = dialog->findChild<QLabel *>();
    QVERIFY(label);
    QCOMPARE(label->textFormat(), Qt::PlainText); // the name is the student's: never HTML
    dialog->setTextValue(u"just for you"_qs);
    dialog->accept();
    QTRY_VERIFY(std::any_of(leeHears.cbegin(), leeHears.cend(), [](const QList<QVariant> &args) {
        return args.at(0).toString() == u"just for you";
    }));

    QSignalSpy leeGone(lee.get(), &QWebSocket::disconnected);
    findNamed<QSpinBox>(&pane, "kickCode")->setValue(4003);
    findNamed<QAction>(&pane, "kickAction")->trigger();
    QTRY_COMPARE(leeGone.count(), 1);
    QCOMPARE(int(lee->closeCode()), 4003);
    QTRY_COMPARE(table->model()->rowCount(), 2);
    QCOMPARE(count->text(), u"1 student in the chat · 2 connections"_qs);
    QCOMPARE(annChat->state(), QAbstractSocket::ConnectedState);
}

void tst_ServerPane::kickAllAsksFirst()
{
    ServerHost host;
    QVERIFY(host.start(testConfig()));
    ServerPane pane(&host);
    pane.show();
    std::vector<std::unique_ptr<QWebSocket>> phones;
    for (int i = 0; i < 4; ++i) {
        phones.push_back(phone(host, Route::Chat, u"s%1"_qs.arg(i), android));
        QVERIFY(phones.back());
    }
    auto *table = findNamed<QTableView>(&pane, "clientsTable");
    QTRY_COMPARE(table->model()->rowCount(), 4);
    auto *kickAll = findNamed<QPushButton>(&pane, "kickAllButton");
    findNamed<QSpinBox>(&pane, "kickCode")->setValue(4004);
    findNamed<QLineEdit>(&pane, "kickReason")->setText(u"class is over"_qs);

    // Cancel: nobody is kicked.
    kickAll->click();
    auto *box = findNamed<QMessageBox>(&pane, "kickAllConfirmation");
    QVERIFY(box && box->isVisible());
    QVERIFY2(box->text().contains(u"4004") && box->text().contains(u"all 4 connections"),
             qPrintable(box->text()));
    box->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(!pane.findChild<QMessageBox *>(u"kickAllConfirmation"_qs));
    // A kick would have reached the server before this Ping all, and a closing client is not
    // pinged: a round trip in every row says nobody was kicked.
    findNamed<QPushButton>(&pane, "pingAllButton")->click();
    for (int row = 0; row < 4; ++row)
        QTRY_VERIFY(!table->model()->index(row, ClientListModel::Ping).data().isNull());
    for (const auto &p : phones)
        QCOMPARE(p->state(), QAbstractSocket::ConnectedState);

    // A code no Close frame carries is refused before asking.
    findNamed<QSpinBox>(&pane, "kickCode")->setValue(1005);
    kickAll->click();
    QVERIFY(!pane.findChild<QMessageBox *>(u"kickAllConfirmation"_qs));
    QVERIFY(findNamed<QLabel>(&pane, "serverNotice")->text().contains(u"1005"));

    findNamed<QSpinBox>(&pane, "kickCode")->setValue(4004);
    kickAll->click();
    box = findNamed<QMessageBox>(&pane, "kickAllConfirmation");
    QVERIFY(box);
    findNamed<QPushButton>(box, "kickAllConfirmButton")->click();
    for (const auto &p : phones) {
        QTRY_COMPARE(p->state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(int(p->closeCode()), 4004);
        QCOMPARE(p->closeReason(), u"class is over"_qs);
    }
    QTRY_COMPARE(table->model()->rowCount(), 0);
    QCOMPARE(findNamed<QLabel>(&pane, "studentCount")->text(), u"No students connected yet"_qs);
}

QTEST_MAIN(tst_ServerPane)
#include "tst_serverpane.moc"
