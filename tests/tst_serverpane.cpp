// The server pane's security controls, offscreen: TLS with the classroom certificate, the
// list of origins allowed to connect, and a kick the server cannot send.

#include "classroomcertificate.h"
#include "serverhost.h"
#include "serverpane.h"
#include "testutil.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
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
};

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

QTEST_MAIN(tst_ServerPane)
#include "tst_serverpane.moc"
