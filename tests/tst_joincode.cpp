// The proof of the classroom's join code: the window on the LAN shows a QR code that a reader
// (zbarimg, Debian zbar-tools) decodes, from a grab of the window, to the URL the panel shows;
// that URL's host is one of this machine's own non-loopback addresses, its port the server's,
// and the server answers GET / there. Off again, the server is back on 127.0.0.1 only.

#include "joincodeview.h"
#include "joinlink.h"
#include "language.h"
#include "mainwindow.h"
#include "qrcodewidget.h"
#include "serverhost.h"
#include "testutil.h"

#include <QAction>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QNetworkInterface>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace wslab;
using wslab::test::findNamed;

class tst_JoinCode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void cancellingChangesNothing();
    void lanCodeDecodesToTheLanUrl();
    void joinViewFillsTheScreenAndEscCloses();
    void offGoesBackToLoopback();
    void joinViewOffersTheLan();
    void oneJoinViewFromTheFloatingDock();
    void paneAndStatusBarSayLan();
    void serverOnEveryIpv6AddressJoinsOnAnAddressOfThisMachine();
    void lanOffThatFailsShowsAStoppedServer();
    void noticeIsWholeInTheDockedPane_data();
    void noticeIsWholeInTheDockedPane();

private:
    template<typename T> T *find(const char *name) const
    {
        return findNamed<T>(m_window.get(), name);
    }
    // What zbarimg reads in `image`; empty when it reads nothing.
    QString decode(const QImage &image);
    QMessageBox *confirmation() const;
    void turnLanOn();

    QString m_zbarimg;
    QStringList m_machineAddresses; // this machine's non-loopback IPv4 addresses
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void tst_JoinCode::initTestCase()
{
    m_zbarimg = QStandardPaths::findExecutable(QStringLiteral("zbarimg"));
    QVERIFY2(!m_zbarimg.isEmpty(), "zbarimg is missing: install zbar-tools (scripts/lib/setup.sh)");
    for (const QHostAddress &address : QNetworkInterface::allAddresses())
        if (address.protocol() == QAbstractSocket::IPv4Protocol && !address.isLoopback())
            m_machineAddresses.append(address.toString());
    QVERIFY2(!m_machineAddresses.isEmpty(),
             "this machine has no non-loopback IPv4 address (see `ip -4 addr`): the class could "
             "not join, and this test cannot show that it would");
}

void tst_JoinCode::init()
{
    Language::apply(QStringLiteral("en"));
    WindowOptions options;
    options.server.port = 0;
    options.server.pushInterval = 0;
    options.settingsFile = m_dir.filePath(QStringLiteral("settings.ini"));
    options.messagesFile = m_dir.filePath(QStringLiteral("saved-messages.json"));
    m_window = std::make_unique<MainWindow>(options);
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    auto *dock = find<QDockWidget>("serverDock");
    QVERIFY(dock);
    // Floating, as tall as the offscreen screen allows (800×600): docked beside the others, the
    // pane would be squeezed below what it needs on so small a screen.
    dock->setFloating(true);
    dock->resize(480, 590);
    dock->show();
    dock->raise();
}

void tst_JoinCode::cleanup()
{
    m_window.reset();
}

QString tst_JoinCode::decode(const QImage &image)
{
    const QString png = m_dir.filePath(QStringLiteral("grab.png"));
    if (qEnvironmentVariableIsSet("WSLAB_KEEP_GRAB"))
        image.save(qEnvironmentVariable("WSLAB_KEEP_GRAB"), "PNG");
    if (!image.save(png, "PNG"))
        return QStringLiteral("(could not write %1)").arg(png);
    QProcess zbar;
    zbar.start(m_zbarimg, { QStringLiteral("--raw"), QStringLiteral("-q"), png });
    if (!zbar.waitForFinished(30000))
        return QStringLiteral("(zbarimg did not finish)");
    return QString::fromUtf8(zbar.readAllStandardOutput()).trimmed();
}

QMessageBox *tst_JoinCode::confirmation() const
{
    return m_window->findChild<QMessageBox *>(QStringLiteral("lanConfirmation"));
}

void tst_JoinCode::turnLanOn()
{
    QTest::mouseClick(find<QPushButton>("lanSwitch"), Qt::LeftButton);
    QTRY_VERIFY(confirmation() && confirmation()->isVisible());
    QVERIFY(confirmation()->text().contains(u"Everyone on this network"));
    QVERIFY(confirmation()->informativeText().contains(u"Origin"));
    QSignalSpy moved(m_window->server(), &ServerHost::addressChanged);
    QTest::mouseClick(confirmation()->findChild<QPushButton *>(QStringLiteral("lanConfirmButton")),
                      Qt::LeftButton);
    QTRY_COMPARE(moved.count(), 1);
    QVERIFY(m_window->server()->isOnLan());
}

void tst_JoinCode::cancellingChangesNothing()
{
    ServerHost *server = m_window->server();
    const quint16 port = server->port();
    QSignalSpy moved(server, &ServerHost::addressChanged);
    auto *lanSwitch = find<QPushButton>("lanSwitch");
    QVERIFY(!lanSwitch->isChecked());
    QVERIFY(!find<QLabel>("lanNotice")->isVisible());
    QTest::mouseClick(lanSwitch, Qt::LeftButton);
    QTRY_VERIFY(confirmation() && confirmation()->isVisible());
    QVERIFY(!lanSwitch->isChecked()); // not before the teacher says yes
    QTest::mouseClick(confirmation()->findChild<QPushButton *>(QStringLiteral("lanCancelButton")),
                      Qt::LeftButton);
    QTRY_VERIFY(!confirmation());
    QCOMPARE(moved.count(), 0);
    QVERIFY(!server->isOnLan());
    QCOMPARE(server->address(), QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(server->port(), port);
    QVERIFY(!lanSwitch->isChecked());
    QVERIFY(!find<QLabel>("lanNotice")->isVisible());
    QVERIFY(!find<QWidget>("joinQrCode")->isVisible());
}

void tst_JoinCode::lanCodeDecodesToTheLanUrl()
{
    turnLanOn();
    ServerHost *server = m_window->server();
    // The window's own client still goes to loopback.
    QCOMPARE(server->httpUrl().host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(server->webSocketUrl().host(), QStringLiteral("127.0.0.1"));

    auto *urlField = find<QLineEdit>("joinUrl");
    QTRY_VERIFY(urlField->isVisible());
    const QString shown = urlField->text();
    const QUrl url(shown);
    QVERIFY2(url.isValid() && url.scheme() == u"http" && url.path() == u"/", qPrintable(shown));
    QVERIFY2(m_machineAddresses.contains(url.host()),
             qPrintable(url.host() + u" is not one of " + m_machineAddresses.join(u", ")));
    QCOMPARE(url.port(), int(server->port()));
    auto *notice = find<QLabel>("lanNotice");
    QVERIFY(notice->isVisible());
    QCOMPARE(notice->text(), QStringLiteral("The class can reach this machine at %1").arg(shown));
    QCOMPARE(find<QWidget>("joinQrCode")->accessibleName(), shown);

    // What a phone's camera would read off the panel.
    auto *panel = find<QWidget>("joinPanel");
    auto *qr = find<QrCodeWidget>("joinQrCode");
    // Laid out anew for the code (a posted layout request) before the grab.
    QTRY_VERIFY(qr->isVisible() && panel->rect().contains(qr->geometry()) && qr->moduleSize() >= 3);
    QCOMPARE(decode(panel->grab().toImage()), shown);

    // And the server is there, on that address.
    QNetworkAccessManager manager;
    manager.setProxy(QNetworkProxy::NoProxy);
    std::unique_ptr<QNetworkReply> reply(manager.get(QNetworkRequest(url)));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    QVERIFY(finished.wait(20000));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QVERIFY(reply->readAll().contains("/ws"));
}

void tst_JoinCode::joinViewFillsTheScreenAndEscCloses()
{
    turnLanOn();
    const QString shown = find<QLineEdit>("joinUrl")->text();
    auto *action = find<QAction>("showJoinCodeAction");
    QCOMPARE(action->text(), QStringLiteral("Show &join code"));
    action->trigger();
    auto *view = find<JoinCodeView>("joinCodeView");
    QVERIFY(view);
    QTRY_VERIFY(view->isVisible());
    QVERIFY(view->isFullScreen());
    QVERIFY(QTest::qWaitForWindowExposed(view));
    auto *code = find<QrCodeWidget>("joinViewQrCode");
    QCOMPARE(code->text(), shown);
    QCOMPARE(find<QLabel>("joinViewUrl")->text(), shown);
    QCOMPARE(find<QLabel>("joinViewInstructions")->text(),
             QStringLiteral("Scan with your phone's camera, or type the address"));
    // Big enough to scan from the back of the room: most of the screen's height.
    const int side = code->moduleSize() * code->code().size();
    QVERIFY2(side >= view->height() * 6 / 10,
             qPrintable(QStringLiteral("%1 of %2").arg(side).arg(view->height())));
    QCOMPARE(decode(view->grab().toImage()), shown);
    QTest::keyClick(view, Qt::Key_Escape);
    QTRY_VERIFY(!view->isVisible());
}

void tst_JoinCode::offGoesBackToLoopback()
{
    turnLanOn();
    ServerHost *server = m_window->server();
    const quint16 port = server->port();
    const QUrl lanUrl(find<QLineEdit>("joinUrl")->text());
    QSignalSpy moved(server, &ServerHost::addressChanged);
    auto *lanSwitch = find<QPushButton>("lanSwitch");
    QVERIFY(lanSwitch->isChecked());
    QTest::mouseClick(lanSwitch, Qt::LeftButton); // off: no question asked
    QTRY_COMPARE(moved.count(), 1);
    QTRY_VERIFY(!confirmation()); // the one that turned it on, gone; none asked again
    QVERIFY(!server->isOnLan());
    QCOMPARE(server->address(), QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(server->port(), port);
    QCOMPARE(server->httpUrl().host(), QStringLiteral("127.0.0.1"));
    QVERIFY(!lanSwitch->isChecked());
    QVERIFY(!find<QLabel>("lanNotice")->isVisible());
    QVERIFY(!find<QWidget>("joinQrCode")->isVisible());
    QVERIFY(!find<QLineEdit>("joinUrl")->isVisible());
    // The LAN address no longer answers.
    QTcpSocket socket;
    socket.setProxy(QNetworkProxy::NoProxy);
    QSignalSpy failed(&socket, &QAbstractSocket::errorOccurred);
    socket.connectToHost(QHostAddress(lanUrl.host()), port);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
    QCOMPARE(socket.error(), QAbstractSocket::ConnectionRefusedError);
}

void tst_JoinCode::joinViewOffersTheLan()
{
    QTest::keyClick(m_window.get(), Qt::Key_J, Qt::ControlModifier | Qt::ShiftModifier);
    auto *view = find<JoinCodeView>("joinCodeView");
    QVERIFY(view);
    QTRY_VERIFY(view->isVisible());
    auto *offLan = find<QLabel>("joinViewOffLan");
    QVERIFY(offLan->isVisible());
    QVERIFY(offLan->text().contains(u"this machine only"));
    QVERIFY(!find<QWidget>("joinViewQrCode")->isVisible());
    // Cancelled here too, nothing changes.
    QTest::mouseClick(find<QPushButton>("joinViewLanButton"), Qt::LeftButton);
    QTRY_VERIFY(confirmation() && confirmation()->isVisible());
    QTest::mouseClick(confirmation()->findChild<QPushButton *>(QStringLiteral("lanCancelButton")),
                      Qt::LeftButton);
    QTRY_VERIFY(!confirmation());
    QVERIFY(!m_window->server()->isOnLan());
    // Yes: the code appears in the view, the same as the panel's.
    QTest::mouseClick(find<QPushButton>("joinViewLanButton"), Qt::LeftButton);
    QTRY_VERIFY(confirmation() && confirmation()->isVisible());
    QTest::mouseClick(confirmation()->findChild<QPushButton *>(QStringLiteral("lanConfirmButton")),
                      Qt::LeftButton);
    QTRY_VERIFY(m_window->server()->isOnLan());
    auto *code = find<QrCodeWidget>("joinViewQrCode");
    QTRY_VERIFY(code->isVisible());
    QCOMPARE(code->text(), find<QLineEdit>("joinUrl")->text());
    QCOMPARE(decode(view->grab().toImage()), code->text());
}

// The server dock floats (init): its "Show join code" opens the main window's one view, the
// same the menu opens, not a second one of the dock's.
void tst_JoinCode::oneJoinViewFromTheFloatingDock()
{
    turnLanOn();
    QTest::mouseClick(find<QPushButton>("showJoinCodeButton"), Qt::LeftButton);
    auto *view = find<JoinCodeView>("joinCodeView");
    QVERIFY(view);
    QTRY_VERIFY(view->isVisible());
    QCOMPARE(view->parentWidget(), m_window.get());
    QTest::keyClick(view, Qt::Key_Escape);
    QTRY_VERIFY(!view->isVisible());
    find<QAction>("showJoinCodeAction")->trigger();
    QTRY_VERIFY(view->isVisible());
    QCOMPARE(m_window->findChildren<JoinCodeView *>().size(), 1);
    QTest::keyClick(view, Qt::Key_Escape);
    QTRY_VERIFY(!view->isVisible());
}

// On the LAN, the pane and the status bar say so, not only 127.0.0.1; off, they do not.
void tst_JoinCode::paneAndStatusBarSayLan()
{
    auto *pane = find<QLabel>("serverAddress");
    auto *status = find<QLabel>("statusServer");
    const QString here = m_window->server()->httpUrl().toString();
    QCOMPARE(pane->text(), u"Embedded server listening on %1"_qs.arg(here));
    QCOMPARE(status->text(), u"Server: %1"_qs.arg(here));
    turnLanOn();
    QCOMPARE(pane->text(),
             u"Embedded server listening on all addresses (LAN); this machine: %1"_qs.arg(here));
    QCOMPARE(status->text(), u"Server: LAN, %1 on this machine"_qs.arg(here));
    QSignalSpy moved(m_window->server(), &ServerHost::addressChanged);
    QTest::mouseClick(find<QPushButton>("lanSwitch"), Qt::LeftButton);
    QTRY_COMPARE(moved.count(), 1);
    QCOMPARE(pane->text(), u"Embedded server listening on %1"_qs.arg(here));
    QCOMPARE(status->text(), u"Server: %1"_qs.arg(here));
}

// Listening on :: is every address too: the class joins on one of this machine's, never [::].
void tst_JoinCode::serverOnEveryIpv6AddressJoinsOnAnAddressOfThisMachine()
{
    ServerConfig config = wslab::test::testConfig();
    config.host = QHostAddress(QHostAddress::AnyIPv6);
    ServerHost host;
    if (!host.start(config))
        QSKIP(qPrintable(u"this machine cannot listen on [::]: "_qs + host.errorString()));
    JoinLink *link = JoinLink::of(&host);
    QVERIFY(link->isOnLan());
    const QUrl url = link->url();
    QVERIFY2(m_machineAddresses.contains(url.host()), qPrintable(url.toString()));
    QCOMPARE(url.port(), int(host.port()));
    QCOMPARE(host.httpUrl().host(), u"127.0.0.1"_qs);
}

// Off fails when another program takes 127.0.0.1:port in the moment between the LAN server's
// end and the loopback one's start (see tst_serverhost's lanOffThatCannotBindStopsTheServer):
// the server stops, and no panel shows an address that no longer answers.
void tst_JoinCode::lanOffThatFailsShowsAStoppedServer()
{
    turnLanOn();
    ServerHost *server = m_window->server();
    const quint16 port = server->port();
    QTcpServer other;
    bool taken = false;
    const auto connection = connect(server, &ServerHost::clientCountChanged, this, [&](int count) {
        if (count == 0 && !taken)
            taken = other.listen(QHostAddress::LocalHost, port);
    });
    QSignalSpy moved(server, &ServerHost::addressChanged);
    QTest::mouseClick(find<QPushButton>("lanSwitch"), Qt::LeftButton);
    disconnect(connection);
    QVERIFY(taken);
    QTRY_COMPARE(moved.count(), 1);
    QVERIFY(!server->isListening());
    QVERIFY(!find<QPushButton>("lanSwitch")->isChecked());
    QVERIFY(!find<QLineEdit>("joinUrl")->isVisible());
    QVERIFY(!find<QWidget>("joinQrCode")->isVisible());
    QVERIFY(!find<QLabel>("lanNotice")->isVisible());
    QVERIFY(find<QLabel>("joinProblem")->isVisible());
    QVERIFY(find<QLabel>("joinProblem")->text().contains(u"stopped"));
    QCOMPARE(find<QLabel>("statusServer")->text(), u"Server: not running"_qs);
    QVERIFY(find<QLabel>("serverAddress")->text().startsWith(u"Embedded server not running"));
    QVERIFY(JoinLink::of(server)->url().isEmpty());
}


void tst_JoinCode::noticeIsWholeInTheDockedPane_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("English") << u"en"_qs;
    QTest::newRow("Chinese") << u"zh_CN"_qs;
}

// Docked beside the others in a window shorter than the pane needs, the notice that the class can
// reach this machine is shown whole: the pane scrolls rather than crush it (it once shrank to a
// bare yellow line on a 1000-pixel screen).
void tst_JoinCode::noticeIsWholeInTheDockedPane()
{
    QFETCH(QString, language);
    auto *dock = find<QDockWidget>("serverDock");
    dock->setFloating(false);
    m_window->resize(1400, 600);
    turnLanOn();
    Language::apply(language);
    auto *notice = find<QLabel>("lanNotice");
    QTRY_VERIFY(notice->isVisible());
    QVERIFY(notice->text().contains(QString::number(m_window->server()->port())));
    QTRY_VERIFY2(notice->height() >= notice->heightForWidth(notice->width()),
                 qPrintable(u"%1 px tall, needs %2"_qs.arg(notice->height())
                                .arg(notice->heightForWidth(notice->width()))));
    QVERIFY(notice->height() > notice->fontMetrics().height());
    auto *scroll = find<QScrollArea>("serverPaneScroll");
    QVERIFY(scroll);
    scroll->ensureWidgetVisible(notice);
    QTRY_COMPARE(notice->visibleRegion().boundingRect().height(), notice->height());
}

QTEST_MAIN(tst_JoinCode)
#include "tst_joincode.moc"
