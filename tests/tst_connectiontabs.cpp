// Several connections side by side: the window's tabs, each with its own conversation, events,
// frames and handshake; the docks follow the current tab; Duplicate, Close, the Preferences
// dialog and what survives a restart. Offscreen, the window's own embedded server on port 0.

#include "clientsession.h"
#include "connection.h"
#include "connectionbar.h"
#include "connectiontab.h"
#include "conversationview.h"
#include "eventlog.h"
#include "framelistmodel.h"
#include "language.h"
#include "lessonpanel.h"
#include "mainwindow.h"
#include "preferencesdialog.h"
#include "sequencemodel.h"
#include "sequencepane.h"
#include "sequenceview.h"
#include "serverhost.h"

#include <QAbstractProxyModel>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace wslab;
using namespace std::chrono_literals;

class tst_ConnectionTabs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void oneTabLooksAsBefore();
    void threeClientsWatchTheChat();
    void docksFollowTheCurrentTab();
    void duplicateCopiesUrlAndOptions();
    void closingATabClosesItsConnection();
    void lessonDrivesTheCurrentTab();
    void keyboardMakesAndClosesTabs();
    void tabsReorder();
    void preferencesApplyAndPersist();
    void badDefaultUrlIsRefused();
    void tabsComeBackWhenAsked();

private:
    std::unique_ptr<MainWindow> makeWindow();
    QString chatUrl(const QString &name) const;
    bool openInCurrentTab();
    static QStringList detailsOf(EventLog *log, Event::Side side);
    static QStringList textFramesOf(FrameListModel *frames, Direction direction);

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
};

std::unique_ptr<MainWindow> tst_ConnectionTabs::makeWindow()
{
    WindowOptions options;
    options.server.port = 0;
    options.settingsFile = m_dir.filePath(QStringLiteral("settings.ini"));
    auto window = std::make_unique<MainWindow>(options);
    window->show();
    return window;
}

void tst_ConnectionTabs::init()
{
    Language::apply(QStringLiteral("en"));
    QFile::remove(m_dir.filePath(QStringLiteral("settings.ini")));
    m_window = makeWindow();
}

void tst_ConnectionTabs::cleanup()
{
    m_window.reset();
}

QString tst_ConnectionTabs::chatUrl(const QString &name) const
{
    QUrl url = m_window->server()->webSocketUrl();
    url.setPath(QStringLiteral("/chat"));
    url.setQuery(QStringLiteral("name=") + name);
    return url.toString();
}

bool tst_ConnectionTabs::openInCurrentTab()
{
    m_window->connectNow();
    ClientSession *session = m_window->session();
    return QTest::qWaitFor([&] { return session->state() == ClientSession::State::Open; }, 5000);
}

QStringList tst_ConnectionTabs::detailsOf(EventLog *log, Event::Side side)
{
    log->flush();
    QStringList details;
    for (int row = 0; row < log->rowCount(); ++row)
        if (log->event(row).side == side)
            details.append(log->index(row, EventLog::Detail).data().toString());
    return details;
}

QStringList tst_ConnectionTabs::textFramesOf(FrameListModel *frames, Direction direction)
{
    frames->flush();
    QStringList texts;
    for (int row = 0; row < frames->rowCount(); ++row)
        if (frames->frameEvent(row).direction == direction)
            texts.append(QString::fromUtf8(frames->frameEvent(row).frame.payload));
    return texts;
}

void tst_ConnectionTabs::oneTabLooksAsBefore()
{
    auto *tabs = m_window->findChild<QTabWidget *>(QStringLiteral("connectionTabs"));
    QVERIFY(tabs);
    QCOMPARE(m_window->tabCount(), 1);
    QVERIFY(!tabs->tabBar()->isVisible()); // one connection: no tab bar, the window as before
    QVERIFY(!m_window->findChild<QAction *>(QStringLiteral("closeTabAction"))->isEnabled());
    m_window->newConnection();
    QCOMPARE(m_window->tabCount(), 2);
    QTRY_VERIFY(tabs->tabBar()->isVisible());
    QVERIFY(m_window->findChild<QAction *>(QStringLiteral("closeTabAction"))->isEnabled());
    // The tab says where it connects, and its tooltip the phase in words.
    const QString where = QStringLiteral("/ws — 127.0.0.1:%1").arg(m_window->server()->port());
    QCOMPARE(tabs->tabText(1), where);
    QVERIFY(tabs->tabToolTip(1).contains(u"not connected yet"));
    QVERIFY(!tabs->tabIcon(1).isNull());
    QVERIFY(openInCurrentTab());
    QTRY_VERIFY(tabs->tabToolTip(1).contains(u"open"));
    QVERIFY(tabs->tabToolTip(0).contains(u"not connected yet"));
}

void tst_ConnectionTabs::threeClientsWatchTheChat()
{
    const QStringList names { QStringLiteral("ann"), QStringLiteral("bob"), QStringLiteral("cy") };
    m_window->connectionBar()->setUrlText(chatUrl(names[0]));
    QVERIFY(openInCurrentTab());
    for (const QString &name : names.mid(1)) {
        m_window->newConnection(chatUrl(name));
        QVERIFY(openInCurrentTab());
    }
    QCOMPARE(m_window->tabCount(), 3);
    QTRY_COMPARE(m_window->server()->clientCount(), 3);
    auto *tabs = m_window->findChild<QTabWidget *>(QStringLiteral("connectionTabs"));
    for (int i = 0; i < 3; ++i)
        QVERIFY2(tabs->tabText(i).startsWith(u"/chat?name=" + names[i] + u" — 127.0.0.1:"),
                 qPrintable(tabs->tabText(i)));

    // Ann speaks in tab 1, typed and sent as a user does.
    m_window->setCurrentIndex(0);
    ConnectionTab *first = m_window->tabAt(0);
    auto *input
        = first->conversation()->findChild<QPlainTextEdit *>(QStringLiteral("messageInput"));
    input->setPlainText(QStringLiteral("hello from ann"));
    QTest::mouseClick(first->conversation()->findChild<QPushButton *>(QStringLiteral("sendButton")),
                      Qt::LeftButton);
    for (int i = 1; i < 3; ++i)
        QTRY_VERIFY2(
            m_window->tabAt(i)->conversation()->transcript().contains(u"ann: hello from ann"),
            qPrintable(m_window->tabAt(i)->conversation()->transcript()));

    for (int i = 0; i < 3; ++i) {
        Connection *connection = m_window->connectionAt(i);
        const QString who = names[i];
        // Frames: only this connection's. Ann's tab has her message going out; the others
        // only the room's line coming in.
        const QStringList out = textFramesOf(connection->frameModel(), Direction::ClientToServer);
        QCOMPARE(out.contains(u"hello from ann"), i == 0);
        QTRY_VERIFY(textFramesOf(connection->frameModel(), Direction::ServerToClient)
                        .contains(u"ann: hello from ann"));
        // Events: the client's own, and the server's side of this connection only.
        QTRY_VERIFY(
            detailsOf(connection->eventLog(), Event::Side::Server).filter(u"as " + who).size()
            == 1);
        const auto onMessage = [&] {
            return detailsOf(connection->eventLog(), Event::Side::Server)
                .filter(u"on_message")
                .filter(u"hello from ann")
                .size();
        };
        QTRY_COMPARE(onMessage(), i == 0 ? 1 : 0); // the server's batches come every 30 ms
        const QStringList server = detailsOf(connection->eventLog(), Event::Side::Server);
        for (int j = 0; j < 3; ++j)
            if (j != i)
                QVERIFY2(server.filter(u"as " + names[j]).isEmpty(), qPrintable(who));
        QCOMPARE(detailsOf(connection->eventLog(), Event::Side::Client)
                     .filter(u"hello from ann")
                     .isEmpty(),
                 false); // ann's sent, the others' received
    }
    // Each sequence draws its own client; the other tabs are "other clients" to it.
    QTRY_VERIFY(m_window->connectionAt(1)->sequenceModel()->hasOthers());
}

void tst_ConnectionTabs::docksFollowTheCurrentTab()
{
    m_window->connectionBar()->setUrlText(chatUrl(QStringLiteral("ann")));
    QVERIFY(openInCurrentTab());
    Connection *ann = m_window->currentConnection();
    ann->session()->sendText(QStringLiteral("one"));
    QTRY_VERIFY(ann->frameModel()->rowCount() >= 2);
    Connection *bob = m_window->newConnection(chatUrl(QStringLiteral("bob")));
    QCOMPARE(m_window->currentConnection(), bob);
    QCOMPARE(m_window->session(), bob->session());
    QVERIFY(openInCurrentTab());

    auto *events = m_window->findChild<QTableView *>(QStringLiteral("eventsTable"));
    auto *frames = m_window->findChild<QTableView *>(QStringLiteral("framesList"));
    auto *handshake = m_window->findChild<QTreeWidget *>(QStringLiteral("handshakeTree"));
    auto *sequence = m_window->findChild<SequencePane *>(QStringLiteral("sequencePane"));
    const int timeWidth = frames->columnWidth(FrameListModel::Time);
    const auto requestLine = [&] {
        return handshake->topLevelItemCount() ? handshake->topLevelItem(0)->child(0)->text(0)
                                              : QString();
    };
    const auto showing = [&](Connection *connection) {
        return m_window->eventLog() == connection->eventLog()
            && qobject_cast<QAbstractProxyModel *>(events->model())->sourceModel()
            == connection->eventLog()
            && qobject_cast<QAbstractProxyModel *>(frames->model())->sourceModel()
            == connection->frameModel()
            && m_window->frameModel() == connection->frameModel()
            && m_window->sequenceModel() == connection->sequenceModel();
    };
    QVERIFY(showing(bob));
    QTRY_VERIFY2(requestLine().contains(u"name=bob"), qPrintable(requestLine()));
    SequenceView *bobView = sequence->view();

    qRegisterMetaType<Connection *>(); // MainWindow's moc sees only a declaration
    QSignalSpy changed(m_window.get(), &MainWindow::currentConnectionChanged);
    m_window->setCurrentIndex(0);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).value<Connection *>(), ann);
    QVERIFY(showing(ann));
    QVERIFY2(requestLine().contains(u"name=ann"), qPrintable(requestLine()));
    QVERIFY(handshake->topLevelItemCount() == 2); // the request and the 101, fed again
    QVERIFY(sequence->view() != bobView && sequence->view()->isVisible());
    QCOMPARE(frames->columnWidth(FrameListModel::Time), timeWidth); // widths stay
    QCOMPARE(frames->model()->rowCount(), ann->frameModel()->rowCount());

    // The lesson's and the console's view of the current session follows too.
    m_window->setCurrentIndex(1);
    QVERIFY(showing(bob));
    QVERIFY(requestLine().contains(u"name=bob"));
    QCOMPARE(m_window->connectionBar(), m_window->tabAt(1)->bar());

    // A tab without the tap: the panes say its bytes are not recorded, for that tab only.
    Connection *untapped = m_window->newConnection(chatUrl(QStringLiteral("cy")));
    untapped->session()->setViaTap(false);
    QVERIFY(openInCurrentTab());
    auto *note = m_window->findChild<QLabel *>(QStringLiteral("framesNote"));
    QVERIFY(note->isVisible() && note->text().contains(u"without the wire tap"));
    QCOMPARE(handshake->topLevelItemCount(), 0);
    m_window->setCurrentIndex(0);
    QVERIFY(!note->isVisible());
    QCOMPARE(handshake->topLevelItemCount(), 2);
    m_window->setCurrentIndex(2);
    QVERIFY(note->isVisible());
}

void tst_ConnectionTabs::duplicateCopiesUrlAndOptions()
{
    ConnectOptions options;
    options.headers = { { "Authorization", "Bearer abc" } };
    options.subprotocols = { QStringLiteral("chat.v2") };
    options.query = { { QStringLiteral("room"), QStringLiteral("7") } };
    options.tls.verify = false;
    options.proxy = QUrl(QStringLiteral("socks5://127.0.0.1:1080"));
    options.reconnect = true;
    ClientSession *session = m_window->session();
    session->setConnectOptions(options);
    session->setViaTap(false);
    session->setMaxIncomingMessageSize(4096);
    m_window->connectionBar()->setUrlText(chatUrl(QStringLiteral("dup")));

    m_window->findChild<QAction *>(QStringLiteral("duplicateTabAction"))->trigger();
    QCOMPARE(m_window->tabCount(), 2);
    QCOMPARE(m_window->currentIndex(), 1);
    ClientSession *copy = m_window->session();
    QVERIFY(copy != session);
    QCOMPARE(m_window->connectionBar()->urlText(), chatUrl(QStringLiteral("dup")));
    QVERIFY(copy->connectOptions() == options);
    QCOMPARE(copy->viaTap(), false);
    QCOMPARE(copy->maxIncomingMessageSize(), 4096);
    // The copy's own tap switch says so.
    QCOMPARE(m_window->tabAt(1)
                 ->bar()
                 ->findChild<QCheckBox *>(QStringLiteral("viaTapCheck"))
                 ->isChecked(),
             false);
    // Two connections, not one shared: changing the copy leaves the original.
    copy->setConnectOptions({});
    QVERIFY(m_window->connectionAt(0)->session()->connectOptions() == options);
}

void tst_ConnectionTabs::closingATabClosesItsConnection()
{
    QVERIFY(openInCurrentTab());
    Connection *second = m_window->newConnection();
    QVERIFY(openInCurrentTab());
    QTRY_COMPARE(m_window->server()->clientCount(), 2);
    QPointer<Connection> gone = second;
    QSignalSpy closedOnServer(m_window->server(), &ServerHost::clientClosed);
    QSignalSpy events(second->session(), &ClientSession::event);

    m_window->findChild<QAction *>(QStringLiteral("closeTabAction"))->trigger();
    QCOMPARE(m_window->tabCount(), 1);
    QCOMPARE(m_window->currentIndex(), 0);
    QVERIFY(m_window->session() != second->session());
    // The server sees the client leave, with a Close frame (not a drop).
    QTRY_COMPARE(m_window->server()->clientCount(), 1);
    QCOMPARE(closedOnServer.size(), 1);
    QVERIFY(std::any_of(events.begin(), events.end(), [](const QList<QVariant> &a) {
        return a.at(0).value<Event>().kind == Event::Kind::CloseSent;
    }));
    QTRY_VERIFY(!gone); // and the connection is gone from memory
    QCOMPARE(m_window->session()->state(), ClientSession::State::Open);

    // The last tab stays: there is always a connection to type into.
    m_window->closeTab(0);
    QCOMPARE(m_window->tabCount(), 1);
    QVERIFY(!m_window->findChild<QAction *>(QStringLiteral("closeTabAction"))->isEnabled());
}

void tst_ConnectionTabs::lessonDrivesTheCurrentTab()
{
    ClientSession *first = m_window->session();
    m_window->newConnection();
    ClientSession *current = m_window->session();
    QSignalSpy sent(current, &ClientSession::messageSent);
    auto *send = m_window->findChild<QPushButton *>(
        LessonPanel::objectNameOf(LessonController::Step::Send));
    QVERIFY(send);
    send->click();
    QTRY_COMPARE(sent.size(), 1);
    QCOMPARE(sent.at(0).at(0).toByteArray(), QByteArray("Hello"));
    QCOMPARE(first->state(), ClientSession::State::Idle); // the other tab was left alone
}

void tst_ConnectionTabs::keyboardMakesAndClosesTabs()
{
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QTest::keyClick(m_window.get(), Qt::Key_T, Qt::ControlModifier);
    QCOMPARE(m_window->tabCount(), 2);
    QTest::keyClick(m_window.get(), Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(m_window->tabCount(), 3);
    QCOMPARE(m_window->currentIndex(), 2);
    // Ctrl+Tab to the next tab, from where the user types.
    auto *input = m_window->tabAt(2)->bar()->findChild<QComboBox *>(QStringLiteral("urlField"));
    input->setFocus();
    QTRY_VERIFY(input->hasFocus());
    QTest::keyClick(input, Qt::Key_Tab, Qt::ControlModifier);
    QCOMPARE(m_window->currentIndex(), 0);
    QTest::keyClick(m_window.get(), Qt::Key_W, Qt::ControlModifier);
    QCOMPARE(m_window->tabCount(), 2);
}

void tst_ConnectionTabs::tabsReorder()
{
    Connection *first = m_window->currentConnection();
    Connection *second = m_window->newConnection(chatUrl(QStringLiteral("b")));
    Connection *third = m_window->newConnection(chatUrl(QStringLiteral("c")));
    auto *tabs = m_window->findChild<QTabWidget *>(QStringLiteral("connectionTabs"));
    QVERIFY(tabs->isMovable());
    tabs->tabBar()->moveTab(2, 0); // as a drag does
    QCOMPARE(m_window->connectionAt(0), third);
    QCOMPARE(m_window->connectionAt(1), first);
    QCOMPARE(m_window->connectionAt(2), second);
    QCOMPARE(m_window->currentConnection(), third); // the moved tab stays current
    QVERIFY(tabs->tabText(0).startsWith(u"/chat?name=c"));
    QCOMPARE(m_window->eventLog(), third->eventLog());
}

void tst_ConnectionTabs::preferencesApplyAndPersist()
{
    m_window->findChild<QAction *>(QStringLiteral("preferencesAction"))->trigger();
    auto *dialog = m_window->findChild<PreferencesDialog *>(QStringLiteral("preferencesDialog"));
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    const QString url = chatUrl(QStringLiteral("pref"));
    auto *field = dialog->findChild<QLineEdit *>(QStringLiteral("preferencesDefaultUrl"));
    field->clear();
    QTest::keyClicks(field, url);
    dialog->findChild<QCheckBox *>(QStringLiteral("preferencesViaTap"))->setChecked(false);
    dialog->findChild<QSpinBox *>(QStringLiteral("preferencesMaxMessageSize"))->setValue(64);
    dialog->findChild<QDoubleSpinBox *>(QStringLiteral("preferencesHandshakeTimeout"))
        ->setValue(2.5);
    dialog->findChild<QCheckBox *>(QStringLiteral("preferencesRestoreTabs"))->setChecked(true);
    dialog->findChild<QComboBox *>(QStringLiteral("preferencesTheme"))->setCurrentIndex(2);
    dialog->findChild<QComboBox *>(QStringLiteral("preferencesLanguage"))->setCurrentIndex(1);
    QTest::mouseClick(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok),
                      Qt::LeftButton);
    QTRY_VERIFY(!dialog->isVisible());

    // At once: the language; the limits in the open tab; a new tab's URL and tap.
    QCOMPARE(Language::current(), QStringLiteral("zh_CN"));
    QCOMPARE(m_window->session()->maxIncomingMessageSize(), 64 * 1024);
    QCOMPARE(m_window->session()->handshakeTimeout(), 2500ms);
    m_window->newConnection();
    QCOMPARE(m_window->connectionBar()->urlText(), url);
    QCOMPARE(m_window->session()->viaTap(), false);
    QCOMPARE(m_window->session()->maxIncomingMessageSize(), 64 * 1024);
    QCOMPARE(m_window->session()->connectOptions().timeout, 2500ms);
    Language::apply(QStringLiteral("en"));

    // And after a restart.
    const Preferences before = m_window->preferences();
    m_window->close();
    m_window = makeWindow();
    QVERIFY(m_window->preferences() == before);
    QCOMPARE(before.theme, QStringLiteral("dark"));
    QCOMPARE(before.language, QStringLiteral("zh_CN"));
    QCOMPARE(m_window->session()->maxIncomingMessageSize(), 64 * 1024);
    QCOMPARE(m_window->session()->viaTap(), false);
    Language::apply(QStringLiteral("en"));
}

void tst_ConnectionTabs::badDefaultUrlIsRefused()
{
    m_window->showPreferences();
    auto *dialog = m_window->findChild<PreferencesDialog *>(QStringLiteral("preferencesDialog"));
    auto *field = dialog->findChild<QLineEdit *>(QStringLiteral("preferencesDefaultUrl"));
    QPushButton *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QTest::keyClicks(field, QStringLiteral("http://example.com/ws"));
    QVERIFY(!ok->isEnabled());
    auto *problem = dialog->findChild<QLabel *>(QStringLiteral("preferencesProblem"));
    QVERIFY(problem && problem->isVisible());
    QVERIFY2(problem->text().contains(u"Default URL") && problem->text().contains(u"ws://"),
             qPrintable(problem->text()));
    field->clear(); // empty is fine: the embedded server's
    QVERIFY(ok->isEnabled());
    QVERIFY(!problem->isVisible());
    dialog->reject();
}

void tst_ConnectionTabs::tabsComeBackWhenAsked()
{
    // Off by default: a lesson's window starts with one tab, as it always did.
    m_window->newConnection(chatUrl(QStringLiteral("a")));
    m_window->close();
    m_window = makeWindow();
    QCOMPARE(m_window->tabCount(), 1);

    Preferences preferences = m_window->preferences();
    preferences.restoreTabs = true;
    m_window->setPreferences(preferences);
    m_window->connectionBar()->setUrlText(chatUrl(QStringLiteral("a")));
    m_window->newConnection(chatUrl(QStringLiteral("b")));
    ConnectOptions options;
    options.subprotocols = { QStringLiteral("p1"), QStringLiteral("p2") };
    options.headers = { { "X-Test", "1" } };
    m_window->session()->setConnectOptions(options);
    m_window->newConnection(chatUrl(QStringLiteral("c")));
    m_window->setCurrentIndex(1);
    const QStringList urls { chatUrl(QStringLiteral("a")), chatUrl(QStringLiteral("b")),
                             chatUrl(QStringLiteral("c")) };
    m_window->close();

    m_window = makeWindow();
    QCOMPARE(m_window->tabCount(), 3);
    QCOMPARE(m_window->currentIndex(), 1);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(m_window->tabAt(i)->bar()->urlText(), urls[i]);
    QVERIFY(m_window->connectionAt(1)->session()->connectOptions() == options);
    QVERIFY(m_window->connectionAt(2)->session()->connectOptions().subprotocols.isEmpty());
}

QTEST_MAIN(tst_ConnectionTabs)
#include "tst_connectiontabs.moc"
