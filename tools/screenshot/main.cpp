// wslab-screenshot: the README's pictures. Builds the window as wslab does, drives it to a
// scene, waits for what the picture shows to have happened (the connection open, the echoes
// back, the Beijing time pushed, the pane raised...) and saves the window. Never a fixed delay:
// every wait ends on a signal, with a deadline only to fail loudly. Not installed; used by
// scripts/screenshots under Xvfb.

#include "beijingclock.h"
#include "clientsession.h"
#include "connection.h"
#include "connectionbar.h"
#include "connectoptions.h"
#include "joincodeview.h"
#include "joinlink.h"
#include "tlscredentials.h"
#include "language.h"
#include "mainwindow.h"
#include "pollpushexperiment.h"
#include "presentationmode.h"
#include "sequencemodel.h"
#include "serverhost.h"
#include "theme.h"
#include "tlscredentials.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCommandLineParser>
#include <QDialog>
#include <QDockWidget>
#include <QEventLoop>
#include <QLabel>
#include <QNetworkRequest>
#include <QScreen>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QWebSocket>
#include <QWindow>

#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

using namespace wslab;

namespace {

constexpr int kDeadlineMs = 20'000;

// Runs the event loop until `done()` holds: checked at once, then each time one of the signals
// given with on() is emitted. False (and a line saying what was awaited) when the deadline passes
// first.
class Waiter
{
public:
    explicit Waiter(std::function<bool()> done) : m_done(std::move(done)) { }

    template<typename Sender, typename Signal> Waiter &on(const Sender *sender, Signal signal)
    {
        QObject::connect(sender, signal, &m_loop, [this] {
            if (m_done())
                m_loop.quit();
        });
        return *this;
    }

    bool wait(const char *what)
    {
        if (m_done())
            return true;
        QTimer deadline;
        deadline.setSingleShot(true);
        QObject::connect(&deadline, &QTimer::timeout, &m_loop, [this] { m_loop.exit(1); });
        deadline.start(kDeadlineMs);
        if (m_loop.exec() == 0)
            return true;
        fprintf(stderr, "wslab-screenshot: gave up waiting for %s\n", what);
        return false;
    }

private:
    std::function<bool()> m_done;
    QEventLoop m_loop;
};

template<typename Sender, typename Signal, typename Done>
bool waitFor(const char *what, const Sender *sender, Signal signal, Done done)
{
    return Waiter(done).on(sender, signal).wait(what);
}

template<typename T> T *child(QWidget *window, const char *name)
{
    T *widget = window->findChild<T *>(QLatin1StringView(name));
    if (!widget)
        qFatal("wslab-screenshot: the window has no %s", name);
    return widget;
}

// Connected, "Hello" and a Chinese line sent and echoed, a ping answered, one Beijing time push.
bool converse(MainWindow &window)
{
    ClientSession *session = window.session();
    int echoes = 0, pushes = 0;
    bool pong = false;
    QObject scope; // the connections below end with this function, as its counters do
    QObject::connect(session, &ClientSession::messageReceived, &scope,
                     [&](const QByteArray &payload, bool, qint64) {
                         ++(BeijingTime::isFormatted(QString::fromUtf8(payload)) ? pushes : echoes);
                     });
    QObject::connect(session, &ClientSession::pongReceived, &scope, [&] { pong = true; });
    window.connectNow();
    if (!waitFor("the connection to open", session, &ClientSession::stateChanged,
                 [&] { return session->state() == ClientSession::State::Open; }))
        return false;
    session->sendText(QStringLiteral("Hello, WebSocket!"));
    session->sendText(QStringLiteral("你好,成绩出来了吗?"));
    session->ping("rtt");
    return Waiter([&] { return echoes >= 2 && pong && pushes >= 1; })
        .on(session, &ClientSession::messageReceived)
        .on(session, &ClientSession::pongReceived)
        .wait("two echoes, a pong and a time push");
}

// Another client of the same server, so that the sequence view draws its third lifeline.
bool otherClient(MainWindow &window, QWebSocket &other)
{
    bool echoed = false;
    QObject scope; // the connections below end with this function, as `echoed` does
    QObject::connect(&other, &QWebSocket::connected, &scope, [&] {
        other.sendTextMessage(QStringLiteral("a message from another client"));
    });
    QObject::connect(&other, &QWebSocket::textMessageReceived, &scope,
                     [&](const QString &text) { echoed |= !BeijingTime::isFormatted(text); });
    other.open(window.server()->webSocketUrl());
    SequenceModel *model = window.sequenceModel();
    return waitFor("the other client's echo", &other, &QWebSocket::textMessageReceived,
                   [&] { return echoed; })
        && waitFor("its lifeline", model, &SequenceModel::arrowsAdded,
                   [&] { return model->hasOthers(); });
}

// Step through: the request has crossed, the 101 waits.
bool stepOnce(MainWindow &window)
{
    ClientSession *session = window.session();
    child<QAbstractButton>(&window, "stepCheck")->setChecked(true);
    window.connectNow();
    auto *caption = child<QLabel>(&window, "stepCaption");
    if (!Waiter([&] { return session->heldCount() > 0 && !caption->text().isEmpty(); })
             .on(session, &ClientSession::heldChanged)
             .on(session, &ClientSession::wireEvent)
             .wait("the TCP connect to be held"))
        return false;
    const QString before = caption->text();
    child<QAbstractButton>(&window, "stepButton")->click();
    return Waiter([&] { return session->heldCount() > 0 && caption->text() != before; })
        .on(session, &ClientSession::heldChanged)
        .on(session, &ClientSession::wireEvent)
        .wait("the request to cross and the answer to wait");
}

// A short polling-vs-push run, finished, in a dock tall enough for the chart.
bool pollAndPush(MainWindow &window)
{
    child<QSpinBox>(&window, "pollInterval")->setValue(200);
    child<QSpinBox>(&window, "pollDuration")->setValue(4);
    window.resizeDocks({ child<QDockWidget>(&window, "pollPushDock") }, { 430 }, Qt::Vertical);
    auto *experiment = window.findChild<PollPushExperiment *>();
    child<QAbstractButton>(&window, "pollPushStart")->click();
    return waitFor("the polling-vs-push run to finish", experiment, &PollPushExperiment::changed,
                   [&] { return !experiment->isRunning() && experiment->published() > 0; });
}

// Three clients in /chat, a tab each: ann speaks, bob answers, cy hears both; bob's tab shown.
bool chatInTabs(MainWindow &window)
{
    const QStringList names { QStringLiteral("ann"), QStringLiteral("bob"), QStringLiteral("cy") };
    for (int i = 0; i < names.size(); ++i) {
        QUrl url = window.server()->webSocketUrl(Route::Chat);
        url.setQuery(QStringLiteral("name=") + names[i]);
        if (i == 0)
            window.connectionBar()->setUrlText(url.toString());
        else
            window.newConnection(url.toString());
        window.connectNow();
        ClientSession *session = window.session();
        if (!waitFor("the tab's connection to open", session, &ClientSession::stateChanged,
                     [&] { return session->state() == ClientSession::State::Open; }))
            return false;
    }
    ClientSession *cy = window.connectionAt(2)->session();
    bool heard = false;
    QObject scope; // the connection below ends with this function, as `heard` does
    QObject::connect(
        cy, &ClientSession::messageReceived, &scope,
        [&](const QByteArray &payload, bool, qint64) { heard |= payload.contains("bob: hi ann"); });
    window.connectionAt(0)->session()->sendText(QStringLiteral("hello, everyone"));
    window.connectionAt(1)->session()->sendText(QStringLiteral("hi ann, hi cy"));
    if (!waitFor("cy to hear bob", cy, &ClientSession::messageReceived, [&] { return heard; }))
        return false;
    window.setCurrentIndex(1);
    return true;
}

// A developer's connection: a token, a subprotocol, a query parameter and a CA file.
ConnectOptions developerOptions()
{
    ConnectOptions options;
    options.headers = { { "Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.demo" },
                        { "X-Request-Id", "lesson-6" } };
    options.subprotocols = { QStringLiteral("chat"), QStringLiteral("json") };
    options.query = { { QStringLiteral("room"), QStringLiteral("lab") } };
    options.tls.caFile = QStringLiteral("/etc/ssl/certs/classroom-ca.pem");
    options.reconnect = true;
    return options;
}

// The embedded server with TLS on (a certificate made for this run): the window's client
// trusts it, the tap verifies it and decodes the handshake and the frames.
bool overTls(MainWindow &window)
{
    QString error;
    TlsCredentials credentials = makeSelfSignedCredentials(
        { QStringLiteral("localhost") }, { QHostAddress(QHostAddress::LocalHost) }, &error);
    if (credentials.isNull() || !window.server()->setTls(credentials)) {
        fprintf(stderr, "wslab-screenshot: TLS: %s\n", qPrintable(error));
        return false;
    }
    return true;
}

// A handful of students on their phones, as the page at / connects them (/ws, and /chat under
// their name; a phone's User-Agent): each said a line, Ping all answered; the server dock wide
// enough for the class list's columns.
bool classroom(MainWindow &window, std::vector<std::unique_ptr<QWebSocket>> &phones)
{
    struct Student
    {
        const char *name, *userAgent, *line;
    };
    static const Student students[] = {
        { "ann",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
          "like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
          "hello from the back row!" },
        { "李明",
          "Mozilla/5.0 (Linux; Android 13; V2183A Build/TP1A.220624.014; wv) AppleWebKit/537.36 "
          "(KHTML, like Gecko) Version/4.0 Chrome/111.0.5563.116 Mobile Safari/537.36 "
          "MicroMessenger/8.0.42.2460(0x28002A58) WeChat/arm64 Weixin NetType/WIFI",
          "老师好,我的手机显示北京时间了" },
        { "bob",
          "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/120.0.0.0 Mobile Safari/537.36",
          "is the push every second?" },
        { "王芳",
          "Mozilla/5.0 (Linux; Android 12; HarmonyOS; NOH-AN00; HMSCore 6.11.0.302) "
          "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 HuaweiBrowser/14.0.1.300 "
          "Mobile Safari/537.36",
          "收到!" },
        { "cy",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
          "like Gecko) CriOS/119.0.6045.169 Mobile/15E148 Safari/604.1",
          "the echo came back in 3 ms" },
        { "张伟",
          "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like "
          "Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
          "我用的是三星手机" },
    };
    ServerHost *host = window.server();
    int open = 0;
    QObject scope; // the connections below end with this function, as `open` does
    for (const Student &student : students) {
        for (const Route route : { Route::Echo, Route::Chat }) {
            QUrl url = host->webSocketUrl(route);
            if (route == Route::Chat) // the page opens /ws before its student picks a name
                url.setQuery(QStringLiteral("name=") + QString::fromUtf8(student.name));
            QNetworkRequest request(url);
            request.setRawHeader("User-Agent", student.userAgent);
            auto socket = std::make_unique<QWebSocket>();
            QObject::connect(socket.get(), &QWebSocket::connected, &scope,
                             [&open, socket = socket.get(), route, &student] {
                                 ++open;
                                 if (route == Route::Chat)
                                     socket->sendTextMessage(QString::fromUtf8(student.line));
                             });
            socket->open(request);
            phones.push_back(std::move(socket));
        }
    }
    const int connections = int(phones.size());
    if (!waitFor("the phones to connect", host, &ServerHost::clientCountChanged,
                 [&] { return open == connections && host->clientCount() == connections; }))
        return false;
    const auto listed = [host](auto done) {
        const QList<ClientInfo> clients = host->clients();
        return std::all_of(clients.cbegin(), clients.cend(), done);
    };
    if (!waitFor("every line in the list", host, &ServerHost::countersChanged, [&] {
            return listed([](const ClientInfo &c) {
                return c.route != Route::Chat || c.lastMessageAt.isValid();
            });
        }))
        return false;
    host->pingAll();
    if (!waitFor("every ping's round trip", host, &ServerHost::countersChanged,
                 [&] { return listed([](const ClientInfo &c) { return c.lastPingMs >= 0; }); }))
        return false;
    // The class list as wide as it can be: the docks about the window's own connection make way.
    for (const char *dock : { "handshakeDock", "framesDock", "sequenceDock" })
        child<QDockWidget>(&window, dock)->hide();
    QCoreApplication::processEvents(); // laid out, so that the docks can be resized
    window.resizeDocks({ child<QDockWidget>(&window, "serverDock") }, { 900 }, Qt::Horizontal);
    child<QTableView>(&window, "clientsTable")->selectRow(3);
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("wslab"));
    QApplication::setOrganizationName(QStringLiteral("WsLab"));
    QApplication::setApplicationVersion(QStringLiteral(WSLAB_VERSION)); // the Server: header

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Takes a screenshot of the WsLab window in a given scene."));
    parser.addHelpOption();
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("The PNG to write."),
                                 QStringLiteral("file"));
    const QCommandLineOption lang(QStringLiteral("lang"), QStringLiteral("en or zh_CN."),
                                  QStringLiteral("code"), QStringLiteral("en"));
    const QCommandLineOption theme(QStringLiteral("theme"),
                                   QStringLiteral("dark, light or system."),
                                   QStringLiteral("theme"), QStringLiteral("system"));
    const QCommandLineOption pane(
        QStringLiteral("pane"),
        QStringLiteral("The dock to raise: sequenceDock, lessonDock, pollPushDock, ..."),
        QStringLiteral("name"));
    const QCommandLineOption step(QStringLiteral("step"),
                                  QStringLiteral("Step through the handshake instead."));
    const QCommandLineOption tabs(QStringLiteral("tabs"),
                                  QStringLiteral("Three tabs in /chat instead."));
    const QCommandLineOption preferences(QStringLiteral("preferences"),
                                         QStringLiteral("The Preferences dialog, alone."));
    const QCommandLineOption connectOptions(QStringLiteral("connect-options"),
                                            QStringLiteral("The Connect options dialog, filled."));
    const QCommandLineOption wss(QStringLiteral("wss"),
                                 QStringLiteral("The conversation over wss://, decoded."));
    const QCommandLineOption lan(QStringLiteral("lan"),
                                 QStringLiteral("The embedded server on the LAN (0.0.0.0)."));
    const QCommandLineOption join(
        QStringLiteral("join"),
        QStringLiteral("The server on the LAN and the Show join code view, full screen, alone."));
    const QCommandLineOption classOption(
        QStringLiteral("class"), QStringLiteral("A handful of students' phones, in the list."));
    const QCommandLineOption present(
        QStringLiteral("present"),
        QStringLiteral("In presentation mode: larger text, high contrast, the sequence view."));
    parser.addOptions({ out, lang, theme, pane, step, tabs, preferences, connectOptions, wss, lan,
                        join, classOption, present });
    parser.process(app);
    const auto themeValue = themeFromName(parser.value(theme));
    if (!parser.isSet(out) || !themeValue || !Language::apply(parser.value(lang))) {
        fprintf(stderr,
                "wslab-screenshot: --out FILE, --lang en|zh_CN, --theme dark|light|system\n");
        return 2;
    }
    applyTheme(*themeValue);

    QTemporaryDir settings; // the default layout, not the user's
    WindowOptions options;
    options.server.port = 0;
    options.settingsFile = settings.filePath(QStringLiteral("wslab.ini"));
    MainWindow window(options);
    window.show();
    // The projector's picture: the sequence view in front, another client's lifeline too.
    const QString paneName = parser.isSet(present) && !parser.isSet(pane)
        ? QStringLiteral("sequenceDock")
        : parser.value(pane);
    if (!paneName.isEmpty())
        child<QDockWidget>(&window, qPrintable(paneName))->raise();

    if (parser.isSet(preferences)) {
        window.showPreferences();
        auto *dialog = child<QDialog>(&window, "preferencesDialog");
        QCoreApplication::processEvents();
        return dialog->grab().save(parser.value(out), "PNG") ? 0 : 1;
    }

    if (parser.isSet(connectOptions)) {
        window.session()->setConnectOptions(developerOptions());
        child<QAbstractButton>(&window, "optionsButton")->click();
        auto *dialog = child<QDialog>(&window, "connectOptionsDialog");
        QCoreApplication::processEvents();
        return dialog->grab().save(parser.value(out), "PNG") ? 0 : 1;
    }
    if (parser.isSet(wss) && !overTls(window))
        return 1;
    // As the server pane's switch does once the teacher has said yes.
    if ((parser.isSet(lan) || parser.isSet(join)) && !window.server()->setLan(true)) {
        fprintf(stderr, "wslab-screenshot: LAN: %s\n", qPrintable(window.server()->errorString()));
        return 1;
    }
    if (parser.isSet(join)) {
        JoinLink *link = JoinLink::of(window.server());
        if (link->url().isEmpty()) {
            fprintf(stderr, "wslab-screenshot: this machine has no LAN address to join on\n");
            return 1;
        }
        JoinCodeView *view = JoinCodeView::showFor(link, &window);
        // QWindow has no signal for being exposed: looked at on each resize and a short tick.
        QTimer tick;
        tick.start(50);
        const QScreen *screen = view->screen();
        if (!Waiter([&] {
                 return view->windowHandle() && view->windowHandle()->isExposed()
                     && view->size() == screen->size();
             })
                 .on(&tick, &QTimer::timeout)
                 .wait("the join code to fill the screen"))
            return 1;
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        return view->grab().save(parser.value(out), "PNG") ? 0 : 1;
    }

    QWebSocket other;
    std::vector<std::unique_ptr<QWebSocket>> phones;
    bool ok = true;
    if (parser.isSet(classOption))
        ok = classroom(window, phones);
    else if (parser.isSet(step))
        ok = stepOnce(window);
    else if (parser.isSet(tabs))
        ok = chatInTabs(window);
    else if (paneName == u"pollPushDock")
        ok = converse(window) && pollAndPush(window);
    else
        ok = converse(window) && (paneName != u"sequenceDock" || otherClient(window, other));
    if (!ok)
        return 1;
    if (parser.isSet(present)) {
        // After the first layout, as wslab --present does; then the larger layout is painted.
        window.presentationMode()->setOn(true);
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
    }

    if (auto *frames = child<QTableView>(&window, "framesList"); frames->model()->rowCount() > 0)
        frames->selectRow(0);
    // What the signals said is done is also laid out and painted before the picture.
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    if (!window.grab().save(parser.value(out), "PNG")) {
        fprintf(stderr, "wslab-screenshot: could not write %s\n", qPrintable(parser.value(out)));
        return 1;
    }
    return 0;
}
