// wslab: the window. Its embedded server is already listening; Connect works at once.

#include "clientsession.h"
#include "conversationview.h"
#include "language.h"
#include "mainwindow.h"
#include "serverhost.h"
#include "stallwatchdog.h"
#include "unixsignals.h"

#include <QApplication>
#include <QCheckBox>
#include <QCommandLineParser>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>
#include <QWebSocket>

#include <cstdio>

using namespace wslab;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("wslab"));
    QApplication::setOrganizationName(QStringLiteral("WsLab"));
    QApplication::setApplicationVersion(QStringLiteral(WSLAB_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("WsLab: see WebSocket at work."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption port(
        QStringLiteral("port"),
        QStringLiteral(
            "Port of the embedded server (default 8888; the next free one when taken; 0 for any)."),
        QStringLiteral("port"), QStringLiteral("8888"));
    const QCommandLineOption lan(QStringLiteral("lan"),
                                 QStringLiteral("Let the embedded server accept connections from "
                                                "the LAN (default: this machine only)."));
    const QCommandLineOption url(
        QStringLiteral("url"),
        QStringLiteral("The URL to put in the address field (default: the embedded server's /ws)."),
        QStringLiteral("url"));
    const QCommandLineOption connectOption(QStringLiteral("connect"),
                                           QStringLiteral("Connect on start (for demos)."));
    const QCommandLineOption lang(
        QStringLiteral("lang"),
        QStringLiteral("User interface language: en or zh_CN (default: the system's)."),
        QStringLiteral("code"));
    QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Connect, exchange a few messages, save a picture of the window to FILE and "
                       "quit (scripts/screenshots)."),
        QStringLiteral("file"));
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption pane(
        QStringLiteral("pane"),
        QStringLiteral("With --screenshot: the dock to raise (sequenceDock, framesDock, ...)."),
        QStringLiteral("name"));
    pane.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption stepping(
        QStringLiteral("step"),
        QStringLiteral("With --screenshot: step through the handshake instead."));
    stepping.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions({ port, lan, url, connectOption, lang, screenshot, pane, stepping });
    parser.process(app);

    bool ok = false;
    const uint portValue = parser.value(port).toUInt(&ok);
    if (!ok || portValue > 65535) {
        fprintf(stderr, "wslab: --port: \"%s\" is not a port number (0 to 65535)\n",
                qPrintable(parser.value(port)));
        return 2;
    }
    const QString language = parser.isSet(lang)
        ? parser.value(lang)
        : QSettings().value(QStringLiteral("language"), Language::systemDefault()).toString();
    if (!Language::apply(language)) {
        fprintf(stderr, "wslab: --lang: use en or zh_CN, not \"%s\"\n", qPrintable(language));
        return 2;
    }

    WindowOptions options;
    options.server.port = quint16(portValue);
    if (parser.isSet(lan))
        options.server.host = QHostAddress(QHostAddress::AnyIPv4);
    options.url = parser.value(url);
    if (parser.isSet(screenshot)) { // the default layout, not the user's
        options.settingsFile = QDir::temp().filePath(QStringLiteral("wslab-screenshot.ini"));
        QFile::remove(options.settingsFile);
    }
    MainWindow window(options);
    window.show();
    // kill / Ctrl+C close the window as its close button does: Close frames go out, settings
    // are saved.
    UnixSignals unixSignals;
    QObject::connect(&unixSignals, &UnixSignals::interrupted, &window, &QWidget::close);
    // For benchmarks: how long the window's event loop was held up, written every second.
    std::unique_ptr<StallWatchdog> watchdog;
    if (const QString file = qEnvironmentVariable("WSLAB_STALL_LOG"); !file.isEmpty())
        watchdog = std::make_unique<StallWatchdog>(file);

    if (parser.isSet(connectOption) || parser.isSet(screenshot))
        QTimer::singleShot(0, &window, &MainWindow::connectNow);
    QWebSocket other; // screenshots: another client of the same server, for the third lifeline
    if (parser.isSet(screenshot)) {
        if (parser.isSet(stepping)) {
            // Stop with the request across and the 101 waiting: the caption tells the story.
            window.findChild<QCheckBox *>(QStringLiteral("stepCheck"))->setChecked(true);
            auto *step = window.findChild<QPushButton *>(QStringLiteral("stepButton"));
            QTimer::singleShot(900, step, &QPushButton::click);
        } else {
            QObject::connect(window.session(), &ClientSession::stateChanged, &window,
                             [&window](ClientSession::State state) {
                                 if (state != ClientSession::State::Open)
                                     return;
                                 window.session()->sendText(QStringLiteral("Hello, WebSocket!"));
                                 window.session()->sendText(QStringLiteral("你好,成绩出来了吗?"));
                                 window.session()->ping("rtt");
                             });
        }
        // (An empty name would match any dock.)
        if (auto *dock
            = parser.isSet(pane) ? window.findChild<QDockWidget *>(parser.value(pane)) : nullptr)
            dock->raise();
        const bool pollPush = parser.value(pane) == u"pollPushDock";
        if (pollPush) { // a short run, finished before the picture, in a dock tall enough for the
                        // chart
            window.findChild<QSpinBox *>(QStringLiteral("pollInterval"))->setValue(200);
            window.findChild<QSpinBox *>(QStringLiteral("pollDuration"))->setValue(4);
            QTimer::singleShot(300, &window, [&window] {
                window.resizeDocks(
                    { window.findChild<QDockWidget *>(QStringLiteral("pollPushDock")) }, { 430 },
                    Qt::Vertical);
                window.findChild<QPushButton *>(QStringLiteral("pollPushStart"))->click();
            });
        }
        if (parser.value(pane) == u"sequenceDock" && !parser.isSet(stepping)) {
            QObject::connect(&other, &QWebSocket::connected, &other, [&other] {
                other.sendTextMessage(QStringLiteral("a message from another client"));
            });
            QTimer::singleShot(700, &other,
                               [&other, &window] { other.open(window.server()->webSocketUrl()); });
        }
        const QString file = parser.value(screenshot);
        QTimer::singleShot(pollPush ? 4800 : 2600, &window, [&window, file] {
            if (auto *frames = window.findChild<QTableView *>(QStringLiteral("framesList"));
                frames && frames->model()->rowCount() > 0)
                frames->selectRow(0);
            window.grab().save(file);
            QApplication::quit();
        });
    }
    return app.exec();
}
