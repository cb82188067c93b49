// The window as a user drives it: offscreen, a real embedded server on port 0, widgets found
// by objectName, clicks and keys through QTest.

#include "clientsession.h"
#include "connectionbar.h"
#include "connectoptionsdialog.h"
#include "conversationview.h"
#include "eventfilter.h"
#include "eventlog.h"
#include "framelistmodel.h"
#include "hexview.h"
#include "language.h"
#include "lessonpanel.h"
#include "mainwindow.h"
#include "phaseindicator.h"
#include "pollpushpanel.h"
#include "sequencemodel.h"
#include "sequenceview.h"
#include "serverhost.h"
#include "testutil.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace wslab;
using namespace std::chrono_literals;
using wslab::test::openWebSocket;

class tst_MainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void startsReadyToConnect();
    void connectShowsTheHandshake();
    void sendShowsEchoAndFrames();
    void enterSendsShiftEnterDoesNot();
    void timePushArrives();
    void kickFromTheServerPane();
    void abortMeansNoCloseFrame();
    void badUrlIsExplained();
    void refusedAndRejectedAreExplained();
    void fieldAndBytesSelectEachOther();
    void languageSwitchesWithoutRestart();
    void closingTheWindowClosesCleanly();
    void pingShowsRoundTrip();
    void takenPortIsSaid();
    void sequenceArrowLeadsToItsFrame();
    void stepThroughTheHandshake();
    void classroomTlsConnectsTheWindowsOwnClient();
    void pollingVersusPush();
    void lessonStepsDoWhatTheySay();
    void viewMenuReopensEveryDock();
    void keyboardOnlyWalk();
    void failuresBeforeOpenAreExplained();
    void serverVanishingIsExplained();
    void tooBigMessageIsClosedWith1009();
    void problemsAreSaidInWords();
    void everyInputHasAName();
    void columnsFollowTheFont();
    void optionsDialogRoundTrip();
    void optionsPersistAcrossRestart();
    void reconnectCountdownInTheBar();

private:
    template<typename T> T *find(const char *name) const
    {
        T *widget = m_window->findChild<T *>(QLatin1StringView(name));
        if (!widget)
            qWarning("no widget named %s", name);
        return widget;
    }
    bool connectAndWait();
    bool eventLogContains(const QString &text) const;

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QAbstractItemModelTester> m_logTester, m_framesTester, m_filterTester;
};

void tst_MainWindow::init()
{
    Language::apply(QStringLiteral("en"));
    WindowOptions options;
    options.server.port = 0;
    options.server.pushInterval = 0.2;
    options.settingsFile = m_dir.filePath(QStringLiteral("settings.ini"));
    options.messagesFile = m_dir.filePath(QStringLiteral("saved-messages.json"));
    m_window = std::make_unique<MainWindow>(options);
    m_window->show();
    // Every model the window shows, checked for consistency throughout each test.
    m_logTester = std::make_unique<QAbstractItemModelTester>(
        m_window->eventLog(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_framesTester = std::make_unique<QAbstractItemModelTester>(
        m_window->frameModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_filterTester = std::make_unique<QAbstractItemModelTester>(
        find<QTableView>("eventsTable")->model(),
        QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void tst_MainWindow::cleanup()
{
    m_logTester.reset();
    m_framesTester.reset();
    m_filterTester.reset();
    m_window.reset();
}

bool tst_MainWindow::connectAndWait()
{
    QTest::mouseClick(find<QPushButton>("connectButton"), Qt::LeftButton);
    return QTest::qWaitFor(
        [&] { return m_window->session()->state() == ClientSession::State::Open; }, 5000);
}

bool tst_MainWindow::eventLogContains(const QString &text) const
{
    EventLog *log = m_window->eventLog();
    log->flush();
    for (int row = 0; row < log->rowCount(); ++row)
        if (log->index(row, EventLog::Detail).data().toString().contains(text))
            return true;
    return false;
}

void tst_MainWindow::startsReadyToConnect()
{
    QVERIFY(m_window->server()->isListening());
    const QString url = find<QComboBox>("urlField")->currentText();
    QCOMPARE(url, QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_window->server()->port()));
    QVERIFY(find<QPushButton>("connectButton")->isEnabled());
    QVERIFY(!find<QPushButton>("disconnectButton")->isEnabled());
    QVERIFY(!find<QPushButton>("sendButton")->isEnabled());
    QVERIFY(
        find<QLabel>("statusServer")->text().contains(QString::number(m_window->server()->port())));
}

void tst_MainWindow::connectShowsTheHandshake()
{
    QSignalSpy states(m_window->session(), &ClientSession::stateChanged);
    QVERIFY(connectAndWait());
    // The phase indicator lit TCP, then HTTP, then open.
    QCOMPARE(states.at(0).at(0).value<ClientSession::State>(), ClientSession::State::TcpConnecting);
    QCOMPARE(states.at(1).at(0).value<ClientSession::State>(), ClientSession::State::HttpHandshake);
    QCOMPARE(find<PhaseIndicator>("phaseIndicator")->currentText(),
             QStringLiteral("open: frames over TCP"));
    auto *tree = find<QTreeWidget>("handshakeTree");
    QTRY_VERIFY(!tree->findItems(QStringLiteral("HTTP/1.1 101 Switching Protocols"),
                                 Qt::MatchExactly | Qt::MatchRecursive)
                     .isEmpty());
    QVERIFY(
        !tree->findItems(QStringLiteral("GET /ws HTTP/1.1"), Qt::MatchExactly | Qt::MatchRecursive)
             .isEmpty());
    const auto key = tree->findItems(QStringLiteral("Sec-WebSocket-Key:"),
                                     Qt::MatchStartsWith | Qt::MatchRecursive);
    QCOMPARE(key.size(), 1);
    QVERIFY(
        key.first()->text(1).contains(QStringLiteral("16 random bytes"))); // each header explained
    QVERIFY(find<QLabel>("acceptLabel")->text().startsWith(QStringLiteral("✔")));
    QVERIFY(!find<QPushButton>("connectButton")->isEnabled());
    QVERIFY(find<QPushButton>("disconnectButton")->isEnabled());
    // Both sides are in the one event table.
    QTRY_VERIFY(eventLogContains(QStringLiteral("open (101 sent): /ws")));
    QVERIFY(eventLogContains(QStringLiteral("< HTTP/1.1 101 Switching Protocols")));
}

void tst_MainWindow::sendShowsEchoAndFrames()
{
    m_window->server()->setPushInterval(0);
    QVERIFY(connectAndWait());
    auto *input = find<QPlainTextEdit>("messageInput");
    QTest::keyClicks(input, QStringLiteral("Hello"));
    QTest::mouseClick(find<QPushButton>("sendButton"), Qt::LeftButton);
    auto *conversation = find<ConversationView>("conversationView");
    QTRY_COMPARE(conversation->messageCount(), 2);
    const QString transcript = conversation->transcript();
    QVERIFY2(transcript.contains(QStringLiteral("→ sent"))
                 && transcript.contains(QStringLiteral("← received")),
             qPrintable(transcript));
    QCOMPARE(transcript.count(QStringLiteral("Hello")), 2);
    QVERIFY(input->toPlainText().isEmpty());

    // The frames pane: masked out, unmasked in.
    FrameListModel *frames = m_window->frameModel();
    QTRY_VERIFY(frames->rowCount() >= 2);
    const auto cell = [&](int row, int column) {
        return frames->index(row, column).data().toString();
    };
    QCOMPARE(cell(0, FrameListModel::Direction), QStringLiteral("→ to server"));
    QCOMPARE(cell(0, FrameListModel::Mask), QStringLiteral("1"));
    QCOMPARE(cell(0, FrameListModel::Preview), QStringLiteral("Hello"));
    QCOMPARE(cell(1, FrameListModel::Direction), QStringLiteral("← to client"));
    QCOMPARE(cell(1, FrameListModel::Mask), QStringLiteral("0"));
    QCOMPARE(cell(1, FrameListModel::Opcode), QStringLiteral("1 text"));
}

void tst_MainWindow::enterSendsShiftEnterDoesNot()
{
    m_window->server()->setPushInterval(0);
    QVERIFY(connectAndWait());
    auto *input = find<QPlainTextEdit>("messageInput");
    QTest::keyClicks(input, QStringLiteral("line one"));
    QTest::keyClick(input, Qt::Key_Return, Qt::ShiftModifier);
    QTest::keyClicks(input, QStringLiteral("line two"));
    QCOMPARE(input->toPlainText(), QStringLiteral("line one\nline two"));
    QTest::keyClick(input, Qt::Key_Return);
    auto *conversation = find<ConversationView>("conversationView");
    QTRY_COMPARE(conversation->messageCount(), 2);
    QVERIFY(input->toPlainText().isEmpty());
    // Up recalls what was sent.
    QTest::keyClick(input, Qt::Key_Up);
    QCOMPARE(input->toPlainText(), QStringLiteral("line one\nline two"));
}

void tst_MainWindow::timePushArrives()
{
    QVERIFY(connectAndWait());
    auto *label = find<QLabel>("beijingTimeLabel");
    QTRY_VERIFY_WITH_TIMEOUT(label->text().contains(QStringLiteral("(UTC+8)")),
                             3000); // interval 0.2 s
    QVERIFY(find<ConversationView>("conversationView")
                ->transcript()
                .contains(QStringLiteral("Beijing time pushed by the server")));
    // The push interval is the server pane's: 0 stops it.
    auto *interval = find<QDoubleSpinBox>("pushInterval");
    QCOMPARE(interval->value(), 0.2);
    interval->setValue(0);
    QTRY_COMPARE(m_window->server()->pushInterval(), 0.0);
}

void tst_MainWindow::kickFromTheServerPane()
{
    QVERIFY(connectAndWait());
    auto *clients = find<QTableView>("clientsTable");
    QTRY_COMPARE(clients->model()->rowCount(), 1);
    clients->selectRow(0);
    find<QSpinBox>("kickCode")->setValue(4000);
    QTest::keyClicks(find<QLineEdit>("kickReason"), QStringLiteral("class is over"));
    QTest::mouseClick(find<QPushButton>("kickButton"), Qt::LeftButton);
    QTRY_COMPARE(m_window->session()->state(), ClientSession::State::Closed);
    auto *message = find<QLabel>("connectionMessage");
    QVERIFY2(message->text().contains(QStringLiteral("closed by server: code 4000")),
             qPrintable(message->text()));
    QVERIFY(message->text().contains(QStringLiteral("class is over")));
    QCOMPARE(find<PhaseIndicator>("phaseIndicator")->currentText(), QStringLiteral("closed"));
    QTRY_COMPARE(clients->model()->rowCount(), 0);
    QVERIFY(find<QPushButton>("connectButton")->isEnabled()); // and the user can try again
}

void tst_MainWindow::abortMeansNoCloseFrame()
{
    QVERIFY(connectAndWait());
    QTest::mouseClick(find<QPushButton>("abortButton"), Qt::LeftButton);
    QTRY_VERIFY(eventLogContains(QStringLiteral("on_close: code 1006")));
    QVERIFY(eventLogContains(QStringLiteral("initiated by nobody (TCP dropped), no Close frame")));
    QTRY_COMPARE(m_window->session()->state(), ClientSession::State::Closed);
}

void tst_MainWindow::badUrlIsExplained()
{
    auto *url = find<QComboBox>("urlField");
    url->setEditText(QStringLiteral("http://127.0.0.1:8888/ws"));
    QTest::mouseClick(find<QPushButton>("connectButton"), Qt::LeftButton);
    auto *message = find<QLabel>("connectionMessage");
    QVERIFY(message->isVisible());
    QVERIFY2(message->text().contains(QStringLiteral("ws://127.0.0.1:8888/ws")),
             qPrintable(message->text()));
    QCOMPARE(m_window->session()->state(), ClientSession::State::Idle);
    QTRY_VERIFY(eventLogContains(QStringLiteral("bad URL")));
    url->setEditText(QStringLiteral("ws://my host/ws"));
    QTest::mouseClick(find<QPushButton>("connectButton"), Qt::LeftButton);
    QVERIFY(message->text().contains(QStringLiteral("not a valid URL")));
}

void tst_MainWindow::refusedAndRejectedAreExplained()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 closed = probe.serverPort();
    probe.close();
    auto *url = find<QComboBox>("urlField");
    auto *message = find<QLabel>("connectionMessage");
    url->setEditText(QStringLiteral("ws://127.0.0.1:%1/ws").arg(closed));
    QTest::mouseClick(find<QPushButton>("connectButton"), Qt::LeftButton);
    QTRY_COMPARE(m_window->session()->state(), ClientSession::State::Closed);
    QCOMPARE(message->text(),
             QStringLiteral("127.0.0.1 refused the connection: nothing is listening on port %1")
                 .arg(closed));

    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("WebSocket received but no slots")));
    url->setEditText(QStringLiteral("ws://127.0.0.1:%1/nope").arg(m_window->server()->port()));
    QTest::mouseClick(find<QPushButton>("connectButton"), Qt::LeftButton);
    QTRY_VERIFY2(message->text().contains(QStringLiteral("404")), qPrintable(message->text()));
    QCOMPARE(m_window->session()->state(), ClientSession::State::Closed);
}

void tst_MainWindow::fieldAndBytesSelectEachOther()
{
    m_window->server()->setPushInterval(0);
    QVERIFY(connectAndWait());
    m_window->session()->sendText(QStringLiteral("Hello"));
    QTRY_VERIFY(m_window->frameModel()->rowCount() >= 1);
    auto *list = find<QTableView>("framesList");
    list->selectRow(0); // the client's masked "Hello"
    auto *fields = find<QTreeWidget>("frameFields");
    auto *hex = find<HexView>("hexView");
    QCOMPARE(hex->bytes().size(), 2 + 4 + 5);
    const auto key = fields->findItems(QStringLiteral("Masking key"), Qt::MatchExactly);
    QCOMPARE(key.size(), 1);
    fields->setCurrentItem(key.first());
    QCOMPARE(hex->highlightedOffset(), 2);
    QCOMPARE(hex->highlightedLength(), 4);
    // Clicking a payload byte selects the payload field.
    const QRect rect = hex->cursorRect([&] {
        QTextCursor c(hex->document());
        c.setPosition(hex->textPositionOf(7) + 1);
        return c;
    }());
    QTest::mouseClick(hex->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(fields->currentItem()->text(0), QStringLiteral("Payload (unmasked)"));
    QCOMPARE(hex->highlightedOffset(), 6);
    QCOMPARE(hex->highlightedLength(), 5);
}

void tst_MainWindow::languageSwitchesWithoutRestart()
{
    auto *connect = find<QPushButton>("connectButton");
    QCOMPARE(connect->text(), QStringLiteral("Connect"));
    find<QAction>("languageChinese")->trigger();
    // Qt posts LanguageChange to the widgets: it arrives on the next turn of the event loop.
    QTRY_COMPARE(connect->text(), QStringLiteral("连接"));
    QCOMPARE(find<PhaseIndicator>("phaseIndicator")->findChildren<QLabel *>().first()->text(),
             QStringLiteral("TCP 连接中"));
    auto *table = find<QTableView>("eventsTable");
    QCOMPARE(table->model()->headerData(EventLog::Detail, Qt::Horizontal).toString(),
             QStringLiteral("详情"));
    QSignalSpy headers(m_window->eventLog(), &QAbstractItemModel::headerDataChanged);
    find<QAction>("languageEnglish")->trigger();
    QTRY_VERIFY(!headers.isEmpty()); // the table's header is told to repaint
    find<QAction>("languageChinese")->trigger();
    QTRY_COMPARE(connect->text(), QStringLiteral("连接"));
    QVERIFY(find<QAction>("languageChinese")->isChecked());
    find<QAction>("languageEnglish")->trigger();
    QTRY_COMPARE(connect->text(), QStringLiteral("Connect"));
}

void tst_MainWindow::closingTheWindowClosesCleanly()
{
    QVERIFY(connectAndWait());
    QSignalSpy events(m_window->session(), &ClientSession::event);
    m_window->close();
    QVERIFY(std::any_of(events.begin(), events.end(), [](const auto &a) {
        return a.at(0).template value<Event>().kind
            == Event::Kind::CloseSent; // a Close frame, not a drop
    }));
    QVERIFY(!m_window->server()->isListening());
}

void tst_MainWindow::pingShowsRoundTrip()
{
    QVERIFY(connectAndWait());
    QTest::mouseClick(find<QPushButton>("clientPingButton"), Qt::LeftButton);
    QTRY_VERIFY(eventLogContains(QStringLiteral("pong: round trip")));
    // The ping and the pong crossed the wire as frames.
    QTRY_VERIFY(eventLogContains(QStringLiteral("opcode=10 pong")));
    QVERIFY(eventLogContains(QStringLiteral("opcode=9 ping")));
}

void tst_MainWindow::takenPortIsSaid()
{
    // Someone else has the port the window wants: it uses the next one and says so.
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    WindowOptions options;
    options.server.port = squatter.serverPort();
    options.settingsFile = m_dir.filePath(QStringLiteral("other.ini"));
    MainWindow window(options);
    QVERIFY(window.server()->isListening());
    QVERIFY(window.server()->port() != squatter.serverPort());
    auto *message = window.findChild<QLabel *>(QStringLiteral("connectionMessage"));
    QVERIFY2(
        message->text().contains(QStringLiteral("Port %1 was taken").arg(squatter.serverPort())),
        qPrintable(message->text()));
    QCOMPARE(window.findChild<QComboBox *>(QStringLiteral("urlField"))->currentText(),
             QStringLiteral("ws://127.0.0.1:%1/ws").arg(window.server()->port()));
}

void tst_MainWindow::sequenceArrowLeadsToItsFrame()
{
    m_window->server()->setPushInterval(0);
    QVERIFY(connectAndWait());
    m_window->session()->sendText(QStringLiteral("Hello"));
    SequenceModel *sequence = m_window->sequenceModel();
    QTRY_VERIFY(sequence->count() >= 5); // connect, request, 101, frame out, frame back
    QCOMPARE(sequence->arrow(4).frameNumber, qint64(1));
    auto *view = find<SequenceView>("sequenceView");
    auto *dock = find<QDockWidget>("sequenceDock");
    dock->show();
    dock->raise();
    QTRY_VERIFY(view->isVisible());
    view->selectArrow(4); // scrolls it into view
    const int y = view->headerHeight() + 4 * view->rowHeight() + view->rowHeight() / 2
        - view->verticalScrollBar()->value();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                      QPoint(view->viewport()->width() / 2, y));
    QTRY_COMPARE(find<QTableView>("framesList")->currentIndex().row(), 1);
}

void tst_MainWindow::stepThroughTheHandshake()
{
    m_window->server()->setPushInterval(0);
    find<QCheckBox>("stepCheck")->setChecked(true);
    QTest::mouseClick(find<QPushButton>("connectButton"), Qt::LeftButton);
    auto *step = find<QPushButton>("stepButton");
    auto *caption = find<QLabel>("stepCaption");
    // Stopped after the TCP connect, with the request waiting.
    QTRY_VERIFY(step->isEnabled());
    QTRY_VERIFY(caption->text().startsWith(QStringLiteral("TCP is connected")));
    QCOMPARE(m_window->session()->state(), ClientSession::State::HttpHandshake);
    QVERIFY(find<QLabel>("heldLabel")->text().contains(QStringLiteral("waiting")));

    QTest::mouseClick(step, Qt::LeftButton);
    QTRY_VERIFY(caption->text().startsWith(QStringLiteral("The client's HTTP request crossed")));
    QCOMPARE(m_window->session()->state(), ClientSession::State::HttpHandshake);
    QTRY_VERIFY(step->isEnabled()); // the 101 waits
    QTest::mouseClick(step, Qt::LeftButton);
    QTRY_VERIFY(
        caption->text().startsWith(QStringLiteral("The server's 101 Switching Protocols crossed")));
    QTRY_COMPARE(m_window->session()->state(), ClientSession::State::Open);

    m_window->session()->sendText(QStringLiteral("Hi"));
    QTRY_VERIFY(step->isEnabled());
    QTest::mouseClick(step, Qt::LeftButton);
    QTRY_VERIFY(caption->text().startsWith(QStringLiteral("A text frame crossed from the client")));
    QTest::mouseClick(find<QPushButton>("runButton"), Qt::LeftButton); // the echo flows
    QTRY_COMPARE(find<ConversationView>("conversationView")->messageCount(), 2);
    QVERIFY(!find<QCheckBox>("stepCheck")->isChecked());
}

void tst_MainWindow::pollingVersusPush()
{
    find<QSpinBox>("pollInterval")->setValue(200);
    find<QSpinBox>("pollDuration")->setValue(2);
    auto *panel = find<PollPushPanel>("pollPushPanel");
    QSignalSpy finished(panel->experiment(), &PollPushExperiment::finished);
    QTest::mouseClick(find<QPushButton>("pollPushStart"), Qt::LeftButton);
    QVERIFY(!find<QPushButton>("pollPushStart")->isEnabled());
    QVERIFY(finished.wait(6000));
    auto *counts = find<QTableWidget>("pollPushCounts");
    const int requests = counts->item(0, 0)->text().toInt();
    QVERIFY2(requests >= 8 && requests <= 11,
             qPrintable(QString::number(requests))); // 2 s at 200 ms
    QCOMPARE(counts->item(0, 1)->text(), QStringLiteral("0")); // push asks nothing
    QVERIFY(find<QLabel>("pollPushSummary")
                ->text()
                .contains(QStringLiteral("Polling asked %1 times").arg(requests)));
    QVERIFY(find<QPushButton>("pollPushStart")->isEnabled());
}

void tst_MainWindow::lessonStepsDoWhatTheySay()
{
    m_window->server()->setPushInterval(0);
    find<QAction>("lessonAction")->trigger();
    QTRY_VERIFY(find<QDockWidget>("lessonDock")->isVisible());
    const auto doIt = [&](LessonPanel::Step step) {
        auto *button = m_window->findChild<QPushButton *>(LessonPanel::objectNameOf(step));
        QVERIFY2(button, qPrintable(LessonPanel::objectNameOf(step)));
        QTest::mouseClick(button, Qt::LeftButton);
    };
    // "Send": connects first if needed, then the message and its echo.
    doIt(LessonPanel::Step::Send);
    auto *conversation = find<ConversationView>("conversationView");
    QTRY_COMPARE(conversation->messageCount(), 2);
    // "Let the server push": the push comes on.
    doIt(LessonPanel::Step::Push);
    QTRY_COMPARE(m_window->server()->pushInterval(), 1.0);
    // "Kick": the server closes us, not another client that connected after us.
    QWebSocket bystander;
    QVERIFY(openWebSocket(bystander, m_window->server()->webSocketUrl()));
    QTRY_COMPARE(m_window->server()->clients().size(), 2);
    doIt(LessonPanel::Step::Kick);
    QTRY_COMPARE(m_window->session()->state(), ClientSession::State::Closed);
    QCOMPARE(m_window->session()->closeInfo().initiator, Initiator::Server);
    QCOMPARE(m_window->session()->closeInfo().code, quint16(4000));
    QCOMPARE(bystander.state(), QAbstractSocket::ConnectedState);
    // "Abort": reconnects, then drops TCP.
    doIt(LessonPanel::Step::Abort);
    QTRY_VERIFY(eventLogContains(QStringLiteral("abort: dropping TCP without a Close frame")));
    QTRY_COMPARE(m_window->session()->state(), ClientSession::State::Closed);
    QCOMPARE(m_window->session()->closeInfo().code, quint16(1006));
    // "Compare polling and push": the experiment runs.
    doIt(LessonPanel::Step::Polling);
    QVERIFY(find<PollPushPanel>("pollPushPanel")->experiment()->isRunning());
    // The exercises: the commands land on the clipboard.
    doIt(LessonPanel::Step::Exercises);
    QCOMPARE(QGuiApplication::clipboard()->text(), LessonController::exerciseCommands());
    // "Scale out": the cluster's command.
    doIt(LessonPanel::Step::ScaleOut);
    QCOMPARE(QGuiApplication::clipboard()->text(), LessonController::clusterCommand());
}

void tst_MainWindow::keyboardOnlyWalk()
{
    // Connect → send → disconnect → step, without the mouse. Shortcuts reach a window that
    // is active.
    m_window->server()->setPushInterval(0);
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    auto *url = find<QComboBox>("urlField");
    QCOMPARE(find<QLabel>("urlLabel")->buddy(), url); // the field has a label and a key
    QCOMPARE(url->accessibleName(), QStringLiteral("WebSocket URL"));
    QVERIFY(!find<QPlainTextEdit>("messageInput")->accessibleName().isEmpty());

    QTest::keyClick(m_window.get(), Qt::Key_U, Qt::AltModifier);
    QTRY_VERIFY(url->hasFocus());

    QTest::keyClick(m_window.get(), Qt::Key_F5); // Connect
    QTRY_COMPARE(m_window->session()->state(), ClientSession::State::Open);

    auto *input = find<QPlainTextEdit>("messageInput");
    input->setFocus(Qt::TabFocusReason);
    QTest::keyClicks(input, QStringLiteral("by keyboard"));
    QTest::keyClick(m_window.get(), Qt::Key_Return, Qt::ControlModifier); // Send, from anywhere
    auto *conversation = find<ConversationView>("conversationView");
    QTRY_COMPARE(conversation->messageCount(), 2);
    QCOMPARE(conversation->transcript().count(QStringLiteral("by keyboard")), 2);

    QTest::keyClick(m_window.get(), Qt::Key_F5, Qt::ShiftModifier); // Disconnect
    QTRY_COMPARE(m_window->session()->state(), ClientSession::State::Closed);
    QCOMPARE(m_window->session()->closeInfo().initiator, Initiator::Client);
    QCOMPARE(m_window->session()->closeInfo().code, quint16(1000));

    // Step through, by keyboard: the check box by Tab focus and Space, then F5 and F10.
    auto *stepCheck = find<QCheckBox>("stepCheck");
    stepCheck->setFocus(Qt::TabFocusReason);
    QTest::keyClick(stepCheck, Qt::Key_Space);
    QVERIFY(stepCheck->isChecked());
    QTest::keyClick(m_window.get(), Qt::Key_F5);
    auto *caption = find<QLabel>("stepCaption");
    QTRY_VERIFY(find<QPushButton>("stepButton")->isEnabled());
    QTRY_VERIFY(caption->text().startsWith(QStringLiteral("TCP is connected")));
    QTest::keyClick(m_window.get(), Qt::Key_F10); // Step: the request crosses
    QTRY_VERIFY(caption->text().startsWith(QStringLiteral("The client's HTTP request crossed")));

    // Alt+1 … Alt+7 go to the panes: Alt+1 puts the focus in Events.
    QTest::keyClick(m_window.get(), Qt::Key_1, Qt::AltModifier);
    auto *events = find<QDockWidget>("eventsDock");
    QTRY_VERIFY(QApplication::focusWidget() && events->isAncestorOf(QApplication::focusWidget()));
    QCOMPARE(find<QAction>("goTo_eventsDock")->text(), QStringLiteral("Go to Events"));
}

void tst_MainWindow::viewMenuReopensEveryDock()
{
    auto *viewMenu = m_window->findChild<QMenu *>(QStringLiteral("viewMenu"));
    QVERIFY(viewMenu);
    const QList<QDockWidget *> docks = m_window->findChildren<QDockWidget *>();
    QCOMPARE(docks.size(), 9);
    // One show/hide toggle per pane, and one "Go to" per pane (Alt+1 …), after a separator (the
    // menu holds other actions too: presentation mode).
    const QList<QAction *> actions = viewMenu->actions();
    for (QDockWidget *dock : docks)
        QVERIFY2(actions.contains(dock->toggleViewAction()), qPrintable(dock->objectName()));
    QCOMPARE(std::count_if(actions.cbegin(), actions.cend(),
                           [](const QAction *a) {
                               return a->objectName().startsWith(u"goTo_")
                                   && !a->shortcut().isEmpty();
                           }),
             docks.size());
    // And the classroom's join code (Ctrl+Shift+J).
    auto *joinCode = find<QAction>("showJoinCodeAction");
    QVERIFY(joinCode && actions.contains(joinCode));
    QCOMPARE(joinCode->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_J));
    for (QDockWidget *dock : docks) {
        const QString title = dock->windowTitle();
        dock->show();
        dock->raise();
        QTRY_VERIFY2(dock->isVisible(), qPrintable(title));
        // Closed the way a user closes it: the × on its title bar.
        auto *close
            = dock->findChild<QAbstractButton *>(QStringLiteral("qt_dockwidget_closebutton"));
        QVERIFY2(close && close->isVisible(), qPrintable(title));
        QTest::mouseClick(close, Qt::LeftButton);
        QTRY_VERIFY2(!dock->isVisible(), qPrintable(title));
        QAction *reopen = nullptr;
        for (QAction *action : viewMenu->actions())
            if (action->text() == title)
                reopen = action;
        QVERIFY2(reopen, qPrintable(title + u" is not in the View menu"));
        QVERIFY(!reopen->isChecked());
        reopen->trigger();
        // Back, and in front of the panes it shares a tab group with.
        QTRY_VERIFY2(dock->isVisible(), qPrintable(title));
        QVERIFY(reopen->isChecked());
    }
}

void tst_MainWindow::failuresBeforeOpenAreExplained()
{
    auto *url = find<QComboBox>("urlField");
    auto *message = find<QLabel>("connectionMessage");
    auto *connectButton = find<QPushButton>("connectButton");
    const auto expectFailure = [&](const QString &text, const QString &expected) {
        url->setEditText(text);
        QTest::mouseClick(connectButton, Qt::LeftButton);
        // A resolver without a network can take a while to give up.
        if (!QTest::qWaitFor(
                [&] { return m_window->session()->state() == ClientSession::State::Closed; },
                40000))
            return QStringLiteral("still %1").arg(int(m_window->session()->state()));
        if (message->text() != expected || !message->isVisible())
            return QStringLiteral("the bar says \"%1\"").arg(message->text());
        if (!eventLogContains(expected))
            return QStringLiteral("Events does not say \"%1\"").arg(expected);
        if (find<PhaseIndicator>("phaseIndicator")->currentText() != u"closed")
            return QStringLiteral("the phase is not closed");
        if (!connectButton->isEnabled() || !url->isEnabled())
            return QStringLiteral("cannot try again");
        return QString();
    };
    // RFC 6761: .invalid never resolves.
    m_window->session()->setHandshakeTimeout(30s);
    QString problem = expectFailure(
        QStringLiteral("ws://nowhere.invalid/ws"),
        QStringLiteral("cannot find the host nowhere.invalid: the name does not resolve (DNS)"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // A server that accepts TCP and never answers: the window does not wait forever.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    m_window->session()->setHandshakeTimeout(300ms);
    problem = expectFailure(QStringLiteral("ws://127.0.0.1:%1/ws").arg(silent.serverPort()),
                            QStringLiteral("handshake timed out: the server accepted the "
                                           "connection but did not answer within 0.3 s"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // A web server, not a WebSocket server.
    m_window->session()->setHandshakeTimeout(ClientSession::defaultHandshakeTimeout);
    QTcpServer web;
    QVERIFY(web.listen(QHostAddress::LocalHost, 0));
    connect(&web, &QTcpServer::newConnection, this, [&web] {
        QTcpSocket *peer = web.nextPendingConnection();
        connect(peer, &QIODevice::readyRead, peer, [peer] {
            if (peer->readAll().contains("\r\n\r\n"))
                peer->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
        });
    });
    problem = expectFailure(QStringLiteral("ws://127.0.0.1:%1/ws").arg(web.serverPort()),
                            QStringLiteral("handshake failed: the server answered \"200 OK\" "
                                           "instead of \"101 Switching Protocols\""));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void tst_MainWindow::serverVanishingIsExplained()
{
    // A server that completes the handshake, then its machine goes away: no Close frame.
    QTcpServer raw;
    QVERIFY(raw.listen(QHostAddress::LocalHost, 0));
    QPointer<QTcpSocket> peer;
    connect(&raw, &QTcpServer::newConnection, this, [&] {
        peer = raw.nextPendingConnection();
        connect(peer, &QIODevice::readyRead, peer, [&] {
            const QByteArray request = peer->readAll();
            const qsizetype at = request.indexOf("Sec-WebSocket-Key: ") + 19;
            const QByteArray key = request.mid(at, request.indexOf("\r\n", at) - at);
            peer->write(
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                "Connection: Upgrade\r\nSec-WebSocket-Accept: "
                + QCryptographicHash::hash(QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                                           QCryptographicHash::Sha1)
                      .toBase64()
                + "\r\n\r\n");
        });
    });
    find<QComboBox>("urlField")
        ->setEditText(QStringLiteral("ws://127.0.0.1:%1/ws").arg(raw.serverPort()));
    QVERIFY(connectAndWait());
    peer->abort();
    QTRY_COMPARE(m_window->session()->state(), ClientSession::State::Closed);
    const QString expected = QStringLiteral(
        "dropped (nobody closed it): code 1006 \"the TCP connection ended\" (abnormal closure), "
        "no Close frame");
    QCOMPARE(find<QLabel>("connectionMessage")->text(), expected);
    QVERIFY(eventLogContains(expected));
}

void tst_MainWindow::tooBigMessageIsClosedWith1009()
{
    m_window->server()->setPushInterval(0);
    m_window->session()->setMaxIncomingMessageSize(64);
    QVERIFY(connectAndWait());
    // The server pane broadcasts more than this client accepts.
    QTest::keyClicks(find<QLineEdit>("serverMessage"), QString(100, u'x'));
    QTest::mouseClick(find<QPushButton>("broadcastButton"), Qt::LeftButton);
    QTRY_COMPARE(m_window->session()->state(), ClientSession::State::Closed);
    const QString closedByClient = QStringLiteral(
        "closed by client: code 1009 \"Received message is too big.\" (message too big), clean");
    QCOMPARE(find<QLabel>("connectionMessage")->text(), closedByClient);
    QVERIFY(eventLogContains(closedByClient));
    QVERIFY(eventLogContains(QStringLiteral("close sent: 1009 (message too big)")));
    QCOMPARE(find<ConversationView>("conversationView")->messageCount(), 0);
}

void tst_MainWindow::problemsAreSaidInWords()
{
    // Not by red alone: an icon and the word "Problem:" beside the message, and the address
    // field's accessible description says it to a screen reader.
    auto *url = find<QComboBox>("urlField");
    url->setEditText(QStringLiteral("http://127.0.0.1:8888/ws"));
    QTest::mouseClick(find<QPushButton>("connectButton"), Qt::LeftButton);
    auto *message = find<QLabel>("connectionMessage");
    auto *word = find<QLabel>("connectionMessageWord");
    QVERIFY(message->isVisible());
    QVERIFY(word->isVisible());
    QCOMPARE(word->text(), QStringLiteral("Problem:"));
    QVERIFY(find<QLabel>("connectionMessageIcon")->isVisible());
    QVERIFY(!find<QLabel>("connectionMessageIcon")->pixmap().isNull());
    QCOMPARE(url->accessibleDescription(), QStringLiteral("Problem: ") + message->text());

    // A clean close is news, not a problem: no word, no icon.
    url->setEditText(m_window->server()->webSocketUrl().toString());
    QVERIFY(connectAndWait());
    QVERIFY(!message->isVisible());
    QTest::mouseClick(find<QPushButton>("disconnectButton"), Qt::LeftButton);
    QTRY_COMPARE(m_window->session()->state(), ClientSession::State::Closed);
    QTRY_VERIFY(message->isVisible());
    QVERIFY(!word->isVisible());
    QVERIFY(url->accessibleDescription().isEmpty());

    // Binary input that is not hex: said in words under the input.
    QVERIFY(connectAndWait());
    auto *mode = find<QComboBox>("inputMode");
    mode->setCurrentIndex(mode->findText(QStringLiteral("Binary (hex)")));
    QTest::keyClicks(find<QPlainTextEdit>("messageInput"), QStringLiteral("not hex"));
    QTest::mouseClick(find<QPushButton>("sendButton"), Qt::LeftButton);
    auto *inputError = find<QLabel>("inputError");
    QVERIFY(inputError->isVisible());
    QVERIFY2(inputError->text().startsWith(QStringLiteral("Not sent:")),
             qPrintable(inputError->text()));
}

void tst_MainWindow::everyInputHasAName()
{
    // Every control a screen reader lands on says what it is: its own text (a button's, a check
    // box's), a label that is its buddy, or an accessible name. Qt's own inner parts (a combo
    // box's editor, a line edit's clear button, a dock's title buttons) are Qt's. A second tab
    // (its bar and close buttons) and the Preferences dialog are walked too.
    m_window->newConnection();
    m_window->showPreferences();
    QSet<const QWidget *> labelled;
    for (const QLabel *label : m_window->findChildren<QLabel *>())
        if (label->buddy())
            labelled.insert(label->buddy());
    QStringList unnamed;
    int checked = 0;
    for (QWidget *w : m_window->findChildren<QWidget *>()) {
        const bool input = qobject_cast<QLineEdit *>(w) || qobject_cast<QAbstractSpinBox *>(w)
            || qobject_cast<QComboBox *>(w) || qobject_cast<QAbstractButton *>(w)
            || qobject_cast<QPlainTextEdit *>(w) || qobject_cast<QAbstractItemView *>(w);
        if (!input || w->objectName().startsWith(u"qt_"))
            continue;
        bool part = false; // of a control, named by the control: a header, a popup, an editor
        for (const QWidget *p = w->parentWidget(); p && !part; p = p->parentWidget())
            part = qobject_cast<const QComboBox *>(p) || qobject_cast<const QAbstractSpinBox *>(p)
                || qobject_cast<const QLineEdit *>(p) || qobject_cast<const QAbstractItemView *>(p);
        if (part)
            continue;
        ++checked;
        const auto *button = qobject_cast<QAbstractButton *>(w);
        if ((button && !button->text().isEmpty()) || labelled.contains(w)
            || !w->accessibleName().isEmpty())
            continue;
        unnamed.append(QStringLiteral("%1 (%2)").arg(
            w->objectName(), QLatin1StringView(w->metaObject()->className())));
    }
    QVERIFY(checked > 40); // the walk found the window's controls
    QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(u", ")));
}

void tst_MainWindow::columnsFollowTheFont()
{
    // A larger font (or a HiDPI screen's) gets wider columns and taller rows, not clipped text.
    auto *table = find<QTableView>("eventsTable");
    const int normalWidth = table->columnWidth(EventLog::Kind);
    const int normalHeight = table->verticalHeader()->defaultSectionSize();
    const QFont normal = QApplication::font();
    QFont large = normal;
    large.setPointSizeF(normal.pointSizeF() * 2);
    QApplication::setFont(large);
    WindowOptions options;
    options.server.port = 0;
    options.settingsFile = m_dir.filePath(QStringLiteral("large.ini"));
    MainWindow window(options);
    QApplication::setFont(normal);
    auto *largeTable = window.findChild<QTableView *>(QStringLiteral("eventsTable"));
    const QFontMetrics metrics(large);
    QVERIFY(largeTable->columnWidth(EventLog::Kind) > normalWidth);
    QVERIFY(largeTable->columnWidth(EventLog::Kind)
            > metrics.horizontalAdvance(QStringLiteral("message received")));
    QVERIFY(largeTable->verticalHeader()->defaultSectionSize() > normalHeight);
    QVERIFY(largeTable->verticalHeader()->defaultSectionSize() >= metrics.height());
    auto *fields = window.findChild<QTreeWidget *>(QStringLiteral("frameFields"));
    QVERIFY(fields->columnWidth(0) > metrics.horizontalAdvance(QStringLiteral("Payload length")));
}

void tst_MainWindow::classroomTlsConnectsTheWindowsOwnClient()
{
    QStandardPaths::setTestModeEnabled(true); // the certificate goes to ~/.qttest
    auto *action = m_window->findChild<QAction *>(QStringLiteral("tlsClassroomAction"));
    QVERIFY(action);
    action->trigger();
    QVERIFY2(m_window->server()->tls(), qPrintable(m_window->server()->errorString()));
    auto *field = find<QComboBox>("urlField");
    QVERIFY2(field->currentText().startsWith(u"wss://"), qPrintable(field->currentText()));
    // The window trusts its own server's certificate: Connect just works, through the tap too.
    QVERIFY(connectAndWait());
    QSignalSpy received(m_window->session(), &ClientSession::messageReceived);
    QTRY_VERIFY(!received.isEmpty()); // the Beijing-time push, over TLS
    m_window->findChild<QAction *>(QStringLiteral("tlsOffAction"))->trigger();
    QVERIFY(!m_window->server()->tls());
    QVERIFY(field->currentText().startsWith(u"ws://"));
}

void tst_MainWindow::optionsDialogRoundTrip()
{
    QTest::mouseClick(find<QPushButton>("optionsButton"), Qt::LeftButton);
    auto *dialog = find<ConnectOptionsDialog>("connectOptionsDialog");
    QTRY_VERIFY(dialog->isVisible());
    QTest::mouseClick(find<QPushButton>("addHeaderButton"), Qt::LeftButton);
    auto *headers = find<QTableWidget>("headersTable");
    QCOMPARE(headers->rowCount(), 1);
    headers->item(0, 0)->setText(QStringLiteral("X-Api-Key"));
    headers->item(0, 1)->setText(QStringLiteral("k1"));
    auto *auth = find<QComboBox>("authCombo");
    auth->setCurrentIndex(2); // Basic
    QVERIFY(find<QLineEdit>("basicUserField")->isVisible());
    QVERIFY(!find<QLineEdit>("bearerTokenField")->isVisible());
    QTest::keyClicks(find<QLineEdit>("basicUserField"), QStringLiteral("Aladdin"));
    QTest::keyClicks(find<QLineEdit>("basicPasswordField"), QStringLiteral("open sesame"));
    QTest::keyClicks(find<QLineEdit>("subprotocolsField"), QStringLiteral("chat, superchat"));
    QTest::mouseClick(find<QPushButton>("addQueryButton"), Qt::LeftButton);
    auto *query = find<QTableWidget>("queryTable");
    query->item(0, 0)->setText(QStringLiteral("room"));
    query->item(0, 1)->setText(QStringLiteral("lobby"));
    find<QSpinBox>("timeoutSpin")->setValue(2500);
    auto *verify = find<QCheckBox>("verifyCheck");
    QVERIFY(verify->isChecked());
    QVERIFY(!find<QLabel>("verifyWarning")->isVisible());
    QTest::mouseClick(verify, Qt::LeftButton, {}, QPoint(6, verify->height() / 2));
    QVERIFY(!verify->isChecked());
    QVERIFY2(find<QLabel>("verifyWarning")->isVisible(),
             qPrintable(find<QLabel>("verifyWarning")->text()));
    QVERIFY(find<QLabel>("verifyWarning")->text().contains(QStringLiteral("not be checked")));
    find<QCheckBox>("reconnectCheck")->setChecked(true);

    // A wrong field: OK says why, in the dialog, and keeps it open.
    auto *proxy = find<QLineEdit>("proxyField");
    QTest::keyClicks(proxy, QStringLiteral("ftp://p:1"));
    auto *buttons = find<QDialogButtonBox>("optionsButtons");
    QTest::mouseClick(buttons->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QVERIFY(dialog->isVisible());
    QVERIFY2(find<QLabel>("optionsProblem")->text().contains(QStringLiteral("proxy \"ftp://p:1\"")),
             qPrintable(find<QLabel>("optionsProblem")->text()));
    QCOMPARE(m_window->session()->connectOptions(), ConnectOptions());

    proxy->clear();
    QTest::keyClicks(proxy, QStringLiteral("http://127.0.0.1:3128"));
    QTest::mouseClick(buttons->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QTRY_VERIFY(!dialog->isVisible());

    ConnectOptions expected;
    expected.headers
        = { { "X-Api-Key", "k1" }, { "Authorization", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==" } };
    expected.subprotocols = { QStringLiteral("chat"), QStringLiteral("superchat") };
    expected.query = { { QStringLiteral("room"), QStringLiteral("lobby") } };
    expected.timeout = std::chrono::milliseconds(2500);
    expected.tls.verify = false;
    expected.proxy = QUrl(QStringLiteral("http://127.0.0.1:3128"));
    expected.reconnect = true;
    QCOMPARE(m_window->session()->connectOptions(), expected);
    auto *summary = find<QLabel>("optionsSummary");
    QVERIFY(summary->isVisible());
    QCOMPARE(summary->text(),
             QStringLiteral("Options: 2 header(s), subprotocols chat, superchat, 1 query "
                            "parameter(s), timeout 2.5 s, certificates NOT verified, proxy "
                            "http://127.0.0.1:3128, reconnect"));

    // Opened again: the fields as they were, the Authorization header back in its helper.
    QTest::mouseClick(find<QPushButton>("optionsButton"), Qt::LeftButton);
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(headers->rowCount(), 1);
    QCOMPARE(auth->currentIndex(), 2);
    QCOMPARE(find<QLineEdit>("basicUserField")->text(), QStringLiteral("Aladdin"));
    QCOMPARE(find<QLineEdit>("basicPasswordField")->text(), QStringLiteral("open sesame"));
    QString error;
    QCOMPARE(dialog->options(&error), std::make_optional(expected));
    QTest::mouseClick(buttons->button(QDialogButtonBox::Cancel), Qt::LeftButton);
    QTRY_VERIFY(!dialog->isVisible());
}

void tst_MainWindow::optionsPersistAcrossRestart()
{
    ConnectOptions options;
    options.headers = { { "X-A", "1" } };
    options.subprotocols = { QStringLiteral("chat") };
    options.tls.caFile = QStringLiteral("/etc/ssl/certs/ca-certificates.crt");
    options.reconnect = true;
    m_window->session()->setConnectOptions(options);
    QCOMPARE(find<QLabel>("optionsSummary")->text(),
             QStringLiteral("Options: 1 header(s), subprotocol chat, own CA, reconnect"));
    m_window->close();
    cleanup();
    init();
    QCOMPARE(m_window->session()->connectOptions(), options);
    QCOMPARE(find<QLabel>("optionsSummary")->text(),
             QStringLiteral("Options: 1 header(s), subprotocol chat, own CA, reconnect"));

    // From the command line: for that run; the saved ones stay.
    WindowOptions fromCommandLine;
    fromCommandLine.server.port = 0;
    fromCommandLine.settingsFile = m_dir.filePath(QStringLiteral("settings.ini"));
    fromCommandLine.connect = ConnectOptions();
    fromCommandLine.connect->subprotocols = { QStringLiteral("other") };
    {
        MainWindow window(fromCommandLine);
        QCOMPARE(window.session()->connectOptions(), *fromCommandLine.connect);
        window.close();
    }
    m_window->close();
    cleanup();
    init();
    QCOMPARE(m_window->session()->connectOptions(), options);
}

void tst_MainWindow::reconnectCountdownInTheBar()
{
    m_window->server()->setPushInterval(0);
    ClientSession *session = m_window->session();
    session->reconnectBackoff()->setStep(std::chrono::milliseconds(150));
    ConnectOptions options;
    options.reconnect = true;
    session->setConnectOptions(options);
    QVERIFY(connectAndWait());
    auto *countdown = find<QLabel>("reconnectCountdown");
    auto *cancel = find<QPushButton>("cancelReconnectButton");
    QVERIFY(!countdown->isVisible());
    QVERIFY(!cancel->isVisible());

    // The server closes: the bar counts down, then the client is back.
    QVERIFY(m_window->server()
                ->kickPeer(session->serverSideAddress(), session->serverSidePort(), 1001,
                           QStringLiteral("bye"))
                .isEmpty());
    QTRY_VERIFY(countdown->isVisible());
    QCOMPARE(countdown->text(), QStringLiteral("Reconnecting in 1 s"));
    QVERIFY(cancel->isVisible());
    QTRY_COMPARE(session->state(), ClientSession::State::Open);
    QVERIFY(!countdown->isVisible());
    QVERIFY(eventLogContains(QStringLiteral("reconnecting to")));

    // Again, and this time Cancel: it stays closed.
    QVERIFY(m_window->server()
                ->kickPeer(session->serverSideAddress(), session->serverSidePort(), 1001,
                           QStringLiteral("bye"))
                .isEmpty());
    QTRY_VERIFY(cancel->isVisible());
    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(!countdown->isVisible());
    QVERIFY(!session->isReconnectPending());
    QCOMPARE(session->state(), ClientSession::State::Closed);
    QVERIFY(eventLogContains(QStringLiteral("reconnect cancelled")));
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
