// A class of 60 phones on the teacher's window: each phone's page holds /ws (the Beijing time,
// pushed every second; opened before the student picks a name) and /chat under the student's
// name, with a phone's User-Agent. The real
// MainWindow, offscreen, must list them all by name and device with what each said, show their
// opens in Events and on the sequence view's "Other clients" lifeline, ping and kick them all,
// and stay responsive meanwhile. The phones live in a thread of their own, so the window's
// thread does only the window's work; a 20 ms timer in it records the largest gap.

#include "clientlistmodel.h"
#include "eventlog.h"
#include "mainwindow.h"
#include "sequencemodel.h"
#include "serverhost.h"
#include "testutil.h"

#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QMutex>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QWebSocket>

#include <ctime>
#include <memory>
#include <vector>

using namespace wslab;
using namespace wslab::test;

namespace {

constexpr int students = 60;

QByteArray userAgentOf(int student)
{
    return student % 2 == 0
        ? "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
          "like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
        : "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/120.0.0.0 Mobile Safari/537.36";
}

QString deviceOf(int student)
{
    return student % 2 == 0 ? u"iPhone · Safari"_qs : u"Android · Chrome"_qs;
}

QString nameOf(int student)
{
    return u"student-%1"_qs.arg(student);
}

constexpr int rounds = 12; // chat lines per student, one every 250 ms: a lively three seconds

QString lineOf(int student, int round)
{
    return u"line %1 from student-%2 (%3)"_qs.arg(round).arg(student).arg(
        student % 2 ? u"安卓"_qs : u"iPhone"_qs);
}

// CPU time of the calling thread (or of the whole process: the server's thread and the
// phones' too), in ms.
double cpuMs(clockid_t clock = CLOCK_THREAD_CPUTIME_ID)
{
    timespec t {};
    clock_gettime(clock, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

// The class's phones, in their own thread: two WebSockets each, like the page at /.
class Classroom : public QObject
{
    Q_OBJECT

public:
    void open(const QUrl &ws, const QUrl &chat)
    {
        for (int i = 0; i < students; ++i) {
            for (const bool isChat : { false, true }) {
                QUrl url = isChat ? chat : ws;
                // Like the page at /: /ws at once (a guest there), /chat under the name chosen.
                if (isChat)
                    url.setQuery(u"name="_qs + nameOf(i));
                QNetworkRequest request(url);
                request.setRawHeader("User-Agent", userAgentOf(i));
                auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
                connect(socket, &QWebSocket::connected, this, [this] { ++m_open; });
                connect(socket, &QWebSocket::textMessageReceived, this,
                        [this, isChat] { ++(isChat ? m_heard : m_pushes); });
                connect(socket, &QWebSocket::disconnected, this, [this, socket] {
                    const QMutexLocker lock(&m_mutex);
                    m_closeCodes.append(int(socket->closeCode()));
                });
                (isChat ? m_chat : m_ws).push_back(socket);
                socket->open(request);
            }
        }
    }
    // Every student says a line every 250 ms, `rounds` times.
    void chat()
    {
        auto *timer = new QTimer(this);
        connect(timer, &QTimer::timeout, this, [this, timer] {
            for (int i = 0; i < students; ++i)
                m_chat[size_t(i)]->sendTextMessage(lineOf(i, m_round));
            if (++m_round == rounds) {
                timer->stop();
                m_said.storeRelease(1);
            }
        });
        timer->start(250);
    }
    int openCount() const { return m_open.loadAcquire(); }
    bool said() const { return m_said.loadAcquire(); }
    qint64 heard() const { return m_heard.loadAcquire(); } // on /chat
    qint64 pushes() const { return m_pushes.loadAcquire(); } // on /ws
    QList<int> closeCodes() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_closeCodes;
    }

private:
    std::vector<QWebSocket *> m_ws, m_chat;
    QAtomicInt m_open;
    QAtomicInteger<qint64> m_heard, m_pushes;
    QAtomicInt m_said;
    int m_round = 0;
    mutable QMutex m_mutex;
    QList<int> m_closeCodes;
};

// The largest gap between the ticks of a 20 ms timer in the calling thread.
class GapProbe : public QObject
{
public:
    GapProbe()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(20);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            m_largest = qMax(m_largest, m_clock.restart());
            ++m_ticks;
        });
        m_clock.start();
        m_timer.start();
    }
    qint64 largestMs() const { return m_largest; }
    int ticks() const { return m_ticks; }
    void reset()
    {
        m_largest = 0;
        m_ticks = 0;
        m_clock.restart();
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_largest = 0;
    int m_ticks = 0;
};

} // namespace

class tst_ClassroomLoad : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sixtyPhones();
};

void tst_ClassroomLoad::sixtyPhones()
{
    QTemporaryDir dir;
    WindowOptions options;
    options.server.port = 0;
    options.server.pushInterval = 1; // the page's Beijing time, every second
    options.settingsFile = dir.filePath(u"settings.ini"_qs);
    options.messagesFile = dir.filePath(u"saved-messages.json"_qs);
    MainWindow window(options);
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    findNamed<QDockWidget>(&window, "sequenceDock")->raise(); // painted, like Events and the list
    ServerHost *host = window.server();
    auto *table = findNamed<QTableView>(&window, "clientsTable");
    auto *count = findNamed<QLabel>(&window, "studentCount");
    QVERIFY(table && count);
    QAbstractItemModel *list = table->model();

    QThread phones;
    phones.setObjectName(u"phones"_qs);
    phones.start();
    auto *classroom = new Classroom;
    classroom->moveToThread(&phones);
    const auto cleanUp = qScopeGuard([&] {
        QMetaObject::invokeMethod(
            classroom, [classroom] { delete classroom; }, Qt::BlockingQueuedConnection);
        phones.quit();
        phones.wait();
    });

    GapProbe probe;
    const double cpuAtStart = cpuMs();
    const double processCpuAtStart = cpuMs(CLOCK_PROCESS_CPUTIME_ID);
    QElapsedTimer wall;
    wall.start();

    // The whole class at once, as when the teacher says "scan the code now".
    // The URLs are read here, in the host's thread, and go to the phones' thread by value.
    const QUrl echoUrl = host->webSocketUrl(Route::Echo);
    const QUrl chatUrl = host->webSocketUrl(Route::Chat);
    QMetaObject::invokeMethod(classroom,
                              [classroom, echoUrl, chatUrl] { classroom->open(echoUrl, chatUrl); });
    QTRY_COMPARE_WITH_TIMEOUT(classroom->openCount(), 2 * students, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(list->rowCount(), 2 * students, 20000);
    QCOMPARE(count->text(),
             u"%1 students in the chat · %2 connections"_qs.arg(students).arg(2 * students));
    const qint64 joinGap = probe.largestMs();

    QMetaObject::invokeMethod(classroom, [classroom] { classroom->chat(); });
    QTRY_VERIFY_WITH_TIMEOUT(classroom->said(), 20000);
    // Every row names its student and device; every /chat row shows what its student said.
    const auto everyoneSaidIt = [&] {
        for (int row = 0; row < list->rowCount(); ++row) {
            if (list->index(row, ClientListModel::Path).data().toString() != u"/chat")
                continue;
            const QString name = list->index(row, ClientListModel::Name).data().toString();
            const int student = name.mid(8).toInt();
            if (list->index(row, ClientListModel::LastMessage).data().toString()
                != lineOf(student, rounds - 1))
                return false;
        }
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(everyoneSaidIt(), 20000);
    QSet<QString> names;
    QMap<QString, int> wsDevices;
    for (int row = 0; row < list->rowCount(); ++row) {
        const QString name = list->index(row, ClientListModel::Name).data().toString();
        const QString device = list->index(row, ClientListModel::Device).data().toString();
        if (list->index(row, ClientListModel::Path).data().toString() == u"/ws") {
            QVERIFY2(name.startsWith(u"guest-"), qPrintable(name));
            ++wsDevices[device];
            continue;
        }
        QVERIFY2(name.startsWith(u"student-"), qPrintable(name));
        QCOMPARE(device, deviceOf(name.mid(8).toInt()));
        names.insert(name);
    }
    QCOMPARE(names.size(), students);
    QCOMPARE(wsDevices.value(deviceOf(0)), students / 2);
    QCOMPARE(wsDevices.value(deviceOf(1)), students / 2);
    // The chat's 60 × 60 relays of each round reached the phones, and the time its /ws.
    QTRY_VERIFY_WITH_TIMEOUT(classroom->heard() >= qint64(rounds) * students * students, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(classroom->pushes() >= 3 * students, 20000);
    const qint64 chatGap = probe.largestMs();

    // Events: every open, on the window's (only) connection's log.
    EventLog *log = window.eventLog();
    log->flush();
    int opens = 0, chatOpens = 0;
    for (int row = 0; row < log->rowCount(); ++row) {
        const Event &e = log->event(row);
        if (e.side != Event::Side::Server || e.kind != Event::Kind::Open)
            continue;
        ++opens;
        // "open (101 sent): /chat from 127.0.0.1:… as student-7 (Android · Chrome)"
        const QString line = log->index(row, EventLog::Detail).data().toString();
        const qsizetype as = line.indexOf(u" as student-");
        if (as < 0)
            continue;
        ++chatOpens;
        QVERIFY2(line.endsWith(u'(' + deviceOf(line.mid(as + 12).section(u' ', 0, 0).toInt())
                               + u')'),
                 qPrintable(line));
    }
    QCOMPARE(opens, 2 * students);
    QCOMPARE(chatOpens, students);
    // The sequence view: each of them on the Other clients lifeline.
    SequenceModel *sequence = window.sequenceModel();
    QVERIFY(sequence->hasOthers());
    int otherOpens = 0;
    for (int i = 0; i < sequence->count(); ++i) {
        const SequenceArrow &arrow = sequence->arrow(i);
        otherOpens += arrow.other && arrow.kind == SequenceArrow::Kind::HandshakeResponse ? 1 : 0;
    }
    QCOMPARE(otherOpens, 2 * students);

    // Ping all: a round trip in every row.
    QTest::mouseClick(findNamed<QPushButton>(&window, "pingAllButton"), Qt::LeftButton);
    const auto everyRowPinged = [&] {
        for (int row = 0; row < list->rowCount(); ++row) {
            if (list->index(row, ClientListModel::Ping).data().isNull())
                return false;
        }
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(everyRowPinged(), 20000);

    // Kick all, confirmed: every phone sees the code.
    findNamed<QSpinBox>(&window, "kickCode")->setValue(4000);
    findNamed<QLineEdit>(&window, "kickReason")->setText(u"class is over"_qs);
    QTest::mouseClick(findNamed<QPushButton>(&window, "kickAllButton"), Qt::LeftButton);
    auto *confirm = findNamed<QPushButton>(&window, "kickAllConfirmButton");
    QVERIFY(confirm);
    confirm->click();
    QTRY_COMPARE_WITH_TIMEOUT(int(classroom->closeCodes().size()), 2 * students, 20000);
    for (const int code : classroom->closeCodes())
        QCOMPARE(code, 4000);
    QTRY_COMPARE_WITH_TIMEOUT(list->rowCount(), 0, 20000);
    // Each close on the lifeline too; and nothing kept for connections that are gone.
    const auto otherCloses = [sequence] {
        int closes = 0;
        for (int i = 0; i < sequence->count(); ++i) {
            const SequenceArrow &arrow = sequence->arrow(i);
            closes += arrow.other && arrow.kind == SequenceArrow::Kind::TcpClose ? 1 : 0;
        }
        return closes;
    };
    QTRY_COMPARE_WITH_TIMEOUT(otherCloses(), 2 * students, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(sequence->trackedConnections(), 0, 20000);

    const qint64 largest = probe.largestMs();
    const double cpu = cpuMs() - cpuAtStart;
    const double processCpu = cpuMs(CLOCK_PROCESS_CPUTIME_ID) - processCpuAtStart;
    qInfo("60 phones (120 WebSockets): largest gap of the window's 20 ms timer %lld ms "
          "(joining %lld ms, chatting %lld ms); the window's thread used %.0f ms of CPU in "
          "%lld ms (%.0f%%; the process, with the server and the phones, %.0f ms); %d ticks; %d "
          "events in the log, %d arrows in the sequence; the "
          "phones heard %lld chat lines and %lld pushes",
          largest, joinGap, chatGap, cpu, wall.elapsed(), 100.0 * cpu / double(wall.elapsed()),
          processCpu, probe.ticks(), log->rowCount(), sequence->count(), classroom->heard(),
          classroom->pushes());
    // Generous, so that a loaded machine cannot fail it; the figure above is the measure.
    QVERIFY2(largest < 2000, qPrintable(u"the window stalled for %1 ms"_qs.arg(largest)));
}

QTEST_MAIN(tst_ClassroomLoad)
#include "tst_classroomload.moc"
