// Sessions in the window: export, import for review, replay, the Frames and Events filters,
// jumping between an event and its frame, copy as. Offscreen, the window's own server on port 0.
#include "clientsession.h"
#include "eventfilter.h"
#include "eventlog.h"
#include "eventspane.h"
#include "framefilter.h"
#include "framelistmodel.h"
#include "framespane.h"
#include "language.h"
#include "mainwindow.h"
#include "problemline.h"
#include "serverhost.h"
#include "sessionactions.h"
#include "sessionrecorder.h"
#include "testutil.h"

#include <QAction>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace wslab;
using namespace Qt::StringLiterals;

namespace {
QByteArray allBytes()
{
    QByteArray bytes;
    for (int i = 0; i < 256; ++i)
        bytes.append(char(i));
    return bytes;
}
const QString nonAscii = u"héllo, 你好, 🎉"_s;

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
} // namespace

class tst_SessionActions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void fileMenuHasTheActions();
    void exportImportExportIsByteIdentical();
    void importsChromesHarForReview();
    void importWhileConnectedIsRefused();
    void replaySendsTheImportedMessages();
    void framesFilterByDirectionOpcodeAndRegex();
    void eventsFilterByRegexAndDirection();
    void jumpFromEventToFrameAndBack();
    void copyFrameAs();

private:
    template<typename T> T *find(const char *name) const
    {
        T *widget = m_window->findChild<T *>(QLatin1StringView(name));
        if (!widget)
            qWarning("no widget named %s", name);
        return widget;
    }
    bool connectAndWait();
    // Text with non-ASCII characters, then all 256 byte values, both echoed by /ws.
    bool exchange();
    bool disconnectAndWait();
    QAction *action(const char *name) const { return find<QAction>(name); }
    int frameRow(Direction direction, quint8 opcode) const;

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void tst_SessionActions::init()
{
    Language::apply(u"en"_s);
    WindowOptions options;
    options.server.port = 0;
    options.server.pushInterval = 0; // only what the test sends
    options.settingsFile = m_dir.filePath(u"settings.ini"_s);
    m_window = std::make_unique<MainWindow>(options);
    m_window->show();
}

void tst_SessionActions::cleanup()
{
    m_window.reset();
}

bool tst_SessionActions::connectAndWait()
{
    m_window->connectNow();
    return QTest::qWaitFor(
        [&] { return m_window->session()->state() == ClientSession::State::Open; }, 5000);
}

bool tst_SessionActions::exchange()
{
    if (!connectAndWait())
        return false;
    QSignalSpy received(m_window->session(), &ClientSession::messageReceived);
    m_window->session()->sendText(nonAscii);
    m_window->session()->sendBinary(allBytes());
    if (!QTest::qWaitFor([&] { return received.count() == 2; }, 5000))
        return false;
    m_window->eventLog()->flush();
    m_window->frameModel()->flush();
    return QTest::qWaitFor([&] { return m_window->frameModel()->rowCount() >= 4; }, 5000);
}

bool tst_SessionActions::disconnectAndWait()
{
    m_window->session()->disconnectGracefully(1000, u"done"_s);
    return QTest::qWaitFor(
        [&] { return m_window->session()->state() == ClientSession::State::Closed; }, 5000);
}

int tst_SessionActions::frameRow(Direction direction, quint8 opcode) const
{
    FrameListModel *frames = m_window->frameModel();
    for (int row = 0; row < frames->rowCount(); ++row)
        if (frames->frameEvent(row).direction == direction
            && frames->frameEvent(row).frame.opcode == opcode)
            return row;
    return -1;
}

void tst_SessionActions::fileMenuHasTheActions()
{
    auto *menu = find<QMenu>("fileMenu");
    QVERIFY(menu);
    QStringList names;
    for (QAction *a : menu->actions())
        names << a->objectName();
    for (const char *name :
         { "exportSession", "importSession", "replaySession", "replaySessionSpaced", "stopReplay" })
        QVERIFY2(names.contains(QLatin1StringView(name)), name);
    QCOMPARE(action("exportSession")->text(), u"&Export session…"_s);
}

void tst_SessionActions::exportImportExportIsByteIdentical()
{
    QVERIFY(exchange());
    QVERIFY(disconnectAndWait());
    // The server's own events arrive in batches: wait until it has seen the close too.
    QTRY_VERIFY([&] {
        const SessionRecord r = m_window->sessionActions()->recorder()->record();
        return std::any_of(r.events.begin(), r.events.end(), [](const Event &e) {
            return e.side == Event::Side::Server && e.kind == Event::Kind::Closed;
        });
    }());
    SessionActions *sessions = m_window->sessionActions();
    QString error;
    const QString first = m_dir.filePath(u"first.json"_s);
    QVERIFY2(sessions->exportTo(first, &error), qPrintable(error));
    const int liveFrames = m_window->frameModel()->rowCount();
    QVERIFY2(sessions->importFrom(first, &error), qPrintable(error));
    QVERIFY(sessions->isReviewing());
    // The panes show it, and say it is imported and read only.
    QCOMPARE(m_window->frameModel()->rowCount(), liveFrames);
    QVERIFY(find<QLabel>("framesReviewNote")->isVisible());
    QVERIFY(find<QLabel>("eventsReviewNote")->text().contains(u"read only"_s));
    QVERIFY(find<QLabel>("eventsReviewNote")->text().contains(u"first.json"_s));
    const int binary = frameRow(Direction::ClientToServer, Frame::Binary);
    QVERIFY(binary >= 0);
    QCOMPARE(m_window->frameModel()->frameEvent(binary).frame.payload, allBytes());
    const QString second = m_dir.filePath(u"second.json"_s);
    QVERIFY2(sessions->exportTo(second, &error), qPrintable(error));
    const QByteArray a = readAll(first), b = readAll(second);
    QVERIFY(a.size() > 1000);
    QCOMPARE(b, a);
    // Connecting again is live again.
    QVERIFY(connectAndWait());
    QVERIFY(!sessions->isReviewing());
    QVERIFY(find<QLabel>("framesReviewNote")->isHidden());
}

void tst_SessionActions::importsChromesHarForReview()
{
    QString error;
    SessionActions *sessions = m_window->sessionActions();
    QVERIFY2(
        sessions->importFrom(QStringLiteral(WSLAB_TEST_DATA_DIR "/chrome-websocket.har"), &error),
        qPrintable(error));
    QCOMPARE(m_window->frameModel()->rowCount(), 7);
    QVERIFY(find<QLabel>("framesReviewNote")->text().contains(u"HAR"_s));
    // The Events pane shows the handshake and every message.
    EventLog *log = m_window->eventLog();
    QCOMPARE(log->rowCount(), 9);
    QCOMPARE(log->detail(0), u"> GET /ws?room=a%20b&v=2 HTTP/1.1"_s);
    // A broken file is refused with a line naming the field; the panes stay as they were.
    const QString bad = m_dir.filePath(u"bad.har"_s);
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"log":{"entries":[{"_resourceType":"websocket","startedDateTime":"soon"}]}})");
    file.close();
    QVERIFY(!sessions->importFrom(bad, &error));
    QVERIFY2(error.contains(u"bad.har: log.entries[0].startedDateTime"_s), qPrintable(error));
    QCOMPARE(m_window->frameModel()->rowCount(), 7);
}

void tst_SessionActions::importWhileConnectedIsRefused()
{
    QVERIFY(connectAndWait());
    QString error;
    QVERIFY(!m_window->sessionActions()->importFrom(
        QStringLiteral(WSLAB_TEST_DATA_DIR "/chrome-websocket.har"), &error));
    QVERIFY2(error.contains(u"Disconnect"_s), qPrintable(error));
}

void tst_SessionActions::replaySendsTheImportedMessages()
{
    QString error;
    SessionActions *sessions = m_window->sessionActions();
    QVERIFY(!sessions->replay(false, &error)); // not connected
    QVERIFY2(
        sessions->importFrom(QStringLiteral(WSLAB_TEST_DATA_DIR "/chrome-websocket.har"), &error),
        qPrintable(error));
    QVERIFY(connectAndWait());
    QSignalSpy echoed(m_window->session(), &ClientSession::messageReceived);
    action("replaySession")->trigger();
    QTRY_COMPARE(echoed.count(), 3); // the HAR's three "send"s, echoed by /ws
    QCOMPARE(echoed.at(0).at(0).toByteArray(), QByteArray("hello"));
    QCOMPARE(echoed.at(1).at(0).toByteArray(), u"你好, 世界 🎉"_s.toUtf8());
    QCOMPARE(echoed.at(2).at(0).toByteArray(), QByteArray("\x00\x01\x02\xff", 4));
    QCOMPARE(echoed.at(2).at(1).toBool(), true);
}

void tst_SessionActions::framesFilterByDirectionOpcodeAndRegex()
{
    QVERIFY(exchange());
    auto *list = find<QTableView>("framesList");
    const int all = list->model()->rowCount();
    QVERIFY(all >= 4);
    find<QComboBox>("frameDirectionFilter")->setCurrentIndex(1); // → to server
    QCOMPARE(list->model()->rowCount(), 2);
    auto *opcode = find<QComboBox>("frameOpcodeFilter");
    opcode->setCurrentIndex(opcode->findText(u"binary"_s));
    QCOMPARE(list->model()->rowCount(), 1);
    find<QComboBox>("frameDirectionFilter")->setCurrentIndex(0);
    QCOMPARE(list->model()->rowCount(), 2); // the binary both ways
    opcode->setCurrentIndex(0);
    // Text over the payload: a text frame's words, a binary frame's hex.
    auto *text = find<QLineEdit>("frameTextFilter");
    text->setText(u"你好"_s); // keyClicks types ASCII only
    QCOMPARE(list->model()->rowCount(), 2);
    text->clear();
    QTest::keyClicks(text, u"fd fe ff"_s);
    QCOMPARE(list->model()->rowCount(), 2);
    text->clear();
    find<QCheckBox>("frameRegexFilter")->setChecked(true);
    QTest::keyClicks(text, u"^h.llo"_s);
    QCOMPARE(list->model()->rowCount(), 2);
    // An invalid expression: nothing matches, and the line under the box says why.
    auto *problem = find<ProblemLine>("frameFilterProblem");
    QVERIFY(problem->isHidden());
    QTest::keyClicks(text, u"(["_s);
    QCOMPARE(list->model()->rowCount(), 0);
    QVERIFY(problem->isVisible());
    QVERIFY(problem->isProblem());
    QVERIFY2(problem->text().startsWith(u"regular expression:"_s), qPrintable(problem->text()));
    text->clear();
    QVERIFY(problem->isHidden());
    QCOMPARE(list->model()->rowCount(), all);
}

void tst_SessionActions::eventsFilterByRegexAndDirection()
{
    QVERIFY(exchange());
    auto *table = find<QTableView>("eventsTable");
    find<QComboBox>("sideFilter")->setCurrentIndex(1); // client
    find<QComboBox>("directionFilter")->setCurrentIndex(1); // → to server
    find<QCheckBox>("regexFilter")->setChecked(true);
    QTest::keyClicks(find<QLineEdit>("textFilter"), u"^sent (text|binary)"_s);
    QTRY_COMPARE(table->model()->rowCount(), 2);
    QTest::keyClicks(find<QLineEdit>("textFilter"), u"("_s);
    QCOMPARE(table->model()->rowCount(), 0);
    QVERIFY(find<ProblemLine>("eventFilterProblem")->isVisible());
}

void tst_SessionActions::jumpFromEventToFrameAndBack()
{
    QVERIFY(exchange());
    EventLog *log = m_window->eventLog();
    log->flush();
    // The client's "sent binary" event leads to the masked binary frame with its 256 bytes.
    int sentBinary = -1;
    for (int row = 0; row < log->rowCount(); ++row)
        if (log->event(row).side == Event::Side::Client
            && log->event(row).kind == Event::Kind::MessageSent && log->event(row).binary)
            sentBinary = row;
    QVERIFY(sentBinary >= 0);
    auto *events = find<EventsPane>("eventsPane");
    auto *frames = find<FramesPane>("framesPane");
    events->selectEvent(sentBinary);
    QCOMPARE(events->currentEvent(), sentBinary);
    action("showFrame")->trigger();
    const int frameRow = frames->currentFrame();
    QVERIFY(frameRow >= 0);
    const WireEvent &frame = m_window->frameModel()->frameEvent(frameRow);
    QCOMPARE(frame.direction, Direction::ClientToServer);
    QCOMPARE(frame.frame.opcode, quint8(Frame::Binary));
    QCOMPARE(frame.frame.payload, allBytes());
    QVERIFY(frame.frame.masked);
    // And back: the frame's own event, the tap's row for exactly these bytes.
    action("showEvent")->trigger();
    const int back = events->currentEvent();
    QVERIFY(back >= 0);
    QCOMPARE(log->event(back).side, Event::Side::Wire);
    QCOMPARE(log->event(back).wire->frame.header.offset, frame.frame.header.offset);
    QCOMPARE(log->event(back).wire->frame.payload, allBytes());
    // The tap's row leads to the same frame, even when the Frames filter hid it.
    find<QComboBox>("frameDirectionFilter")->setCurrentIndex(2); // ← to client only
    events->selectEvent(back);
    action("showFrame")->trigger();
    QCOMPARE(frames->currentFrame(), frameRow);
    QCOMPARE(find<QComboBox>("frameDirectionFilter")->currentIndex(), 0);
    // The received text is the server's first frame.
    int receivedText = -1;
    for (int row = 0; row < log->rowCount() && receivedText < 0; ++row)
        if (log->event(row).side == Event::Side::Client
            && log->event(row).kind == Event::Kind::MessageReceived)
            receivedText = row;
    events->selectEvent(receivedText);
    action("showFrame")->trigger();
    const WireEvent &echo = m_window->frameModel()->frameEvent(frames->currentFrame());
    QCOMPARE(echo.direction, Direction::ServerToClient);
    QCOMPARE(echo.frame.payload, nonAscii.toUtf8());
    // An event without a frame says so and moves nothing.
    events->selectEvent(0);
    QVERIFY(!m_window->sessionActions()->showFrameOfEvent(0));
}

void tst_SessionActions::copyFrameAs()
{
    QVERIFY(exchange());
    auto *frames = find<FramesPane>("framesPane");
    frames->selectFrame(frameRow(Direction::ClientToServer, Frame::Binary));
    QClipboard *clipboard = QGuiApplication::clipboard();
    action("copyCArray")->trigger();
    QVERIFY2(clipboard->text().startsWith(u"const unsigned char payload[256] = {\n"
                                          "    0x00, 0x01, 0x02, 0x03,"_s),
             qPrintable(clipboard->text()));
    QVERIFY(clipboard->text().endsWith(u"const unsigned int payload_len = 256;\n"_s));
    action("copyHex")->trigger();
    QVERIFY(clipboard->text().startsWith(u"00 01 02"_s));
    QVERIFY(clipboard->text().endsWith(u"fd fe ff"_s));
    action("copyBase64")->trigger();
    QCOMPARE(QByteArray::fromBase64(clipboard->text().toLatin1()), allBytes());
    QVERIFY(find<ProblemLine>("frameFilterProblem")->text().contains(u"256"_s));
    frames->selectFrame(frameRow(Direction::ClientToServer, Frame::Text));
    action("copyText")->trigger();
    QCOMPARE(clipboard->text(), nonAscii);
}

QTEST_MAIN(tst_SessionActions)
#include "tst_sessionactions.moc"
