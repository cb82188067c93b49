// wslab: the window. Its embedded server is already listening; Connect works at once.

#include "appicon.h"
#include "clientargs.h"
#include "installlayout.h"
#include "language.h"
#include "mainwindow.h"
#include "presentationmode.h"
#include "stallwatchdog.h"
#include "theme.h"
#include "unixsignals.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>
#include <QTimer>

#include <cstdio>

using namespace wslab;

namespace {
struct WindowMain
{
    Q_DECLARE_TR_FUNCTIONS(wslab::WindowMain)
};

void complain(const QString &problem)
{
    fprintf(stderr, "wslab: %s\n", qPrintable(problem));
}
} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("wslab"));
    QApplication::setOrganizationName(QStringLiteral("WsLab"));
    QApplication::setApplicationVersion(QStringLiteral(WSLAB_VERSION));
    // The desktop matches the window to its entry (and so its icon) by this name.
    QApplication::setDesktopFileName(QString::fromUtf16(applicationId));
    QApplication::setWindowIcon(applicationIcon(InstallLayout::dataDir()));

    // The help in the language the window will speak (the saved choice, or the system's);
    // --lang, read below, may change it.
    const QString saved
        = QSettings().value(QStringLiteral("language"), Language::systemDefault()).toString();
    Language::apply(saved);

    QCommandLineParser parser;
    parser.setApplicationDescription(WindowMain::tr("WsLab: see WebSocket at work."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption port(
        QStringLiteral("port"),
        WindowMain::tr(
            "Port of the embedded server (default 8888; the next free one when taken; 0 for any)."),
        QStringLiteral("port"), QStringLiteral("8888"));
    const QCommandLineOption lan(QStringLiteral("lan"),
                                 WindowMain::tr("Let the embedded server accept connections from "
                                                "the LAN (default: this machine only)."));
    const QCommandLineOption url(
        QStringLiteral("url"),
        WindowMain::tr("The URL to put in the address field (default: the embedded server's /ws)."),
        QStringLiteral("url"));
    const QCommandLineOption connectOption(QStringLiteral("connect"),
                                           WindowMain::tr("Connect on start (for demos)."));
    const QCommandLineOption lang(
        QStringLiteral("lang"),
        WindowMain::tr("User interface language: en or zh_CN (default: the system's)."),
        QStringLiteral("code"));
    const QCommandLineOption theme(
        QStringLiteral("theme"),
        WindowMain::tr(
            "Colours: dark or light (Qt's Fusion style with a dark or light palette), or "
            "system (the desktop's own; the default)."),
        QStringLiteral("theme"), QStringLiteral("system"));
    const QCommandLineOption present(
        QStringLiteral("present"),
        WindowMain::tr("Start in presentation mode: larger text and high contrast, for a "
                       "projector (View → Presentation mode, Ctrl+Shift+P)."));
    parser.addOptions({ port, lan, url, connectOption, lang, theme, present });
    const ConnectionArguments connection; // --header, --subprotocol, … as wslab-client has them
    connection.addTo(parser);
    parser.process(app);

    bool ok = false;
    const uint portValue = parser.value(port).toUInt(&ok);
    if (!ok || portValue > 65535) {
        complain(WindowMain::tr("--port: \"%1\" is not a port number (0 to 65535)")
                     .arg(parser.value(port)));
        return 2;
    }
    const QString language = parser.isSet(lang) ? parser.value(lang) : saved;
    if (!Language::apply(language)) {
        complain(WindowMain::tr("--lang: use en or zh_CN, not \"%1\"").arg(language));
        return 2;
    }

    // --theme, else the one chosen in Preferences (a saved name that no longer reads: the
    // desktop's own).
    const auto themeValue = parser.isSet(theme)
        ? themeFromName(parser.value(theme))
        : themeFromName(QSettings().value(QStringLiteral("theme")).toString())
              .value_or(Theme::System);
    if (!themeValue) {
        complain(WindowMain::tr("--theme: use dark, light or system, not \"%1\"")
                     .arg(parser.value(theme)));
        return 2;
    }
    applyTheme(*themeValue);

    WindowOptions options;
    if (connection.anySet(parser)) {
        QString error;
        const auto connect = connection.read(parser, &error);
        if (!connect) {
            complain(error);
            return 2;
        }
        options.connect = *connect;
    }
    options.server.port = quint16(portValue);
    if (parser.isSet(lan))
        options.server.host = QHostAddress(QHostAddress::AnyIPv4);
    options.url = parser.value(url);
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

    // After the first layout (the default dock sizes are set once the window has its size), so
    // that turning it off gives that layout back.
    if (parser.isSet(present))
        QTimer::singleShot(0, &window, [&window] { window.presentationMode()->setOn(true); });
    if (parser.isSet(connectOption))
        QTimer::singleShot(0, &window, &MainWindow::connectNow);
    return app.exec();
}
