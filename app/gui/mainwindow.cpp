#include "mainwindow.h"

#include "keyboard.h"

#include "clientsession.h"
#include "connectionbar.h"
#include "conversationview.h"
#include "eventlog.h"
#include "eventspane.h"
#include "framelistmodel.h"
#include "framespane.h"
#include "handshakepane.h"
#include "language.h"
#include "lessoncontroller.h"
#include "lessonpanel.h"
#include "pollpushpanel.h"
#include "sequencemodel.h"
#include "sequencepane.h"
#include "sequenceview.h"
#include "serverhost.h"
#include "serverpane.h"
#include "sessionactions.h"
#include "stepbar.h"

#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDockWidget>
#include <QGuiApplication>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace wslab {

namespace {
std::unique_ptr<QSettings> openSettings(const QString &file)
{
    return file.isEmpty() ? std::make_unique<QSettings>()
                          : std::make_unique<QSettings>(file, QSettings::IniFormat);
}
} // namespace

MainWindow::MainWindow(const WindowOptions &options, QWidget *parent)
    : QMainWindow(parent), m_options(options)
{
    setObjectName(QStringLiteral("mainWindow"));
    m_session = new ClientSession(this);
    m_server = new ServerHost(this);
    m_log = new EventLog(this);
    m_frames = new FrameListModel(this);
    m_sequence = new SequenceModel(this);

    // The embedded server first, so the URL field can say where it is.
    ServerConfig config = options.server;
    config.useNextFreePort = true;
    if (!m_server->start(config))
        m_startupNote = tr("The embedded server could not start: %1").arg(m_server->errorString());
    else if (options.server.port != 0 && m_server->port() != options.server.port)
        m_startupNote = tr("Port %1 was taken; the embedded server uses %2 instead.")
                            .arg(options.server.port)
                            .arg(m_server->port());

    auto *central = new QWidget(this);
    m_bar = new ConnectionBar(m_session, central);
    m_stepBar = new StepBar(m_session, central);
    m_conversation = new ConversationView(m_session, central);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_bar);
    layout->addWidget(m_stepBar);
    layout->addWidget(m_conversation, 1);
    setCentralWidget(central);

    m_events = new EventsPane(m_log, this);
    m_handshake = new HandshakePane(this);
    m_framesPane = new FramesPane(m_frames, this);
    m_serverPane = new ServerPane(m_server, this);
    m_sequencePane = new SequencePane(m_sequence, this);
    m_pollPush = new PollPushPanel(m_server, this);
    m_lesson = new LessonPanel(this);
    m_lessonSteps = new LessonController(m_session, m_server, this);
    m_serverDock = addPane(m_serverPane, "serverDock", Qt::LeftDockWidgetArea);
    m_handshakeDock = addPane(m_handshake, "handshakeDock", Qt::RightDockWidgetArea);
    m_framesDock = addPane(m_framesPane, "framesDock", Qt::RightDockWidgetArea);
    m_eventsDock = addPane(m_events, "eventsDock", Qt::BottomDockWidgetArea);
    m_pollPushDock = addPane(m_pollPush, "pollPushDock", Qt::BottomDockWidgetArea);
    m_lessonDock = addPane(m_lesson, "lessonDock", Qt::LeftDockWidgetArea);
    tabifyDockWidget(m_serverDock, m_lessonDock);
    m_serverDock->raise();
    tabifyDockWidget(m_eventsDock, m_pollPushDock);
    m_eventsDock->raise();
    m_sequenceDock = addPane(m_sequencePane, "sequenceDock", Qt::RightDockWidgetArea);
    tabifyDockWidget(m_handshakeDock, m_framesDock);
    tabifyDockWidget(m_framesDock, m_sequenceDock);
    m_handshakeDock->raise();
    resizeDocks({ m_eventsDock }, { 260 }, Qt::Vertical);
    resizeDocks({ m_serverDock, m_handshakeDock }, { 330, 560 }, Qt::Horizontal);

    m_statusServer = new QLabel(this);
    m_statusServer->setObjectName(QStringLiteral("statusServer"));
    m_statusConnections = new QLabel(this);
    m_statusConnections->setObjectName(QStringLiteral("statusConnections"));
    m_statusRate = new QLabel(this);
    m_statusRate->setObjectName(QStringLiteral("statusRate"));
    statusBar()->addWidget(m_statusServer);
    statusBar()->addWidget(m_statusConnections);
    statusBar()->addWidget(m_statusRate);

    // Sources → views.
    connect(m_session, &ClientSession::event, m_log, &EventLog::append);
    connect(m_server, &ServerHost::events, m_log, &EventLog::appendBatch);
    connect(m_session, &ClientSession::wireEvent, m_frames, &FrameListModel::addWireEvent);
    connect(m_session, &ClientSession::wireEvent, m_handshake, &HandshakePane::addWireEvent);
    connect(m_session, &ClientSession::wireEvent, m_sequence, &SequenceModel::addWireEvent);
    connect(m_server, &ServerHost::events, m_sequence, &SequenceModel::addServerEvents);
    // An arrow leads to its bytes: a frame in the Frames pane, the handshake in its pane.
    connect(m_sequencePane->view(), &SequenceView::arrowClicked, this, [this](int index) {
        const SequenceArrow &arrow = m_sequence->arrow(index);
        if (arrow.frameNumber >= 0) {
            const int row = m_frames->rowOfFrame(arrow.frameNumber);
            if (row < 0) {
                statusBar()->showMessage(
                    tr("That frame is no longer in the Frames pane, which keeps the newest %n.",
                       nullptr, FrameListModel::maxFrames),
                    5000);
                return;
            }
            m_framesPane->selectFrame(row);
            m_framesDock->show();
            m_framesDock->raise();
        } else if (arrow.kind == SequenceArrow::Kind::HandshakeRequest
                   || arrow.kind == SequenceArrow::Kind::HandshakeResponse) {
            m_handshakeDock->show();
            m_handshakeDock->raise();
        }
    });
    connect(m_session, &ClientSession::stateChanged, this, [this](ClientSession::State state) {
        if (state != ClientSession::State::TcpConnecting)
            return;
        m_frames->clear();
        m_handshake->clear();
        m_sequence->clear();
        const bool tls = m_session->url().scheme() == u"wss";
        const QString why = !m_session->viaTap()
            ? tr("Connected without the wire tap: the bytes are not recorded. Tick \"through the "
                 "wire tap\" to see them.")
            : tls ? tr("wss://: the tap sees only TLS records; frames are not visible.")
                  : QString();
        m_framesPane->showNotVisible(why);
        if (!why.isEmpty())
            m_handshake->showNotVisible(why);
    });
    // While the user steps, the server must not give up on a handshake it is waiting for.
    connect(m_stepBar, &StepBar::steppingChanged, this, [this, config](bool stepping) {
        using namespace std::chrono_literals;
        m_server->setHandshakeTimeout(stepping ? std::chrono::milliseconds(1h)
                                               : config.limits.handshakeTimeout);
    });
    connect(m_lesson, &LessonPanel::doIt, m_lessonSteps, &LessonController::run);
    connect(m_lessonSteps, &LessonController::showPane, this, &MainWindow::showLessonPane);
    connect(m_lessonSteps, &LessonController::connectWanted, this, &MainWindow::connectNow);
    connect(m_lessonSteps, &LessonController::pollPushWanted, m_pollPush, [this] {
        if (!m_pollPush->experiment()->isRunning())
            m_pollPush->start();
    });
    connect(m_lessonSteps, &LessonController::pageWanted, this, &QDesktopServices::openUrl);
    connect(m_lessonSteps, &LessonController::copyWanted, this,
            [this](const QString &text, const QString &note) {
                QGuiApplication::clipboard()->setText(text);
                statusBar()->showMessage(note, 5000);
            });
    connect(m_server, &ServerHost::clientCountChanged, this, &MainWindow::updateStatus);
    connect(m_server, &ServerHost::eventsDropped, m_log, &EventLog::countDropped);
    connect(m_server, &ServerHost::messagesPerSecond, this, [this](double rate) {
        m_rate = rate;
        updateStatus();
    });

    // TLS turned on or off in the server pane: the window's own client trusts the server's
    // certificate, and the URL field follows the scheme if it still points at the server.
    connect(m_server, &ServerHost::tlsChanged, this, [this] {
        const auto &tls = m_server->tls();
        m_session->setTrustedCertificates(tls ? QList { tls->certificate }
                                              : QList<QSslCertificate>());
        QUrl shown(m_bar->urlText().trimmed());
        if (shown.port() == m_server->port()
            && (shown.scheme() == u"ws" || shown.scheme() == u"wss")) {
            shown.setScheme(tls ? QStringLiteral("wss") : QStringLiteral("ws"));
            m_bar->setUrlText(shown.toString());
        }
    });

    // Sessions: recording, export, import, replay, and the jumps between events and frames.
    m_sessions = new SessionActions({ this, m_session, m_server, m_log, m_frames, m_sequence,
                                      m_events, m_framesPane, m_handshake, m_eventsDock,
                                      m_framesDock },
                                    this);
    createMenus();
    m_bar->setUrlText(options.url.isEmpty() ? m_server->webSocketUrl().toString() : options.url);
    restoreSettings();
    retranslate();
    if (!m_startupNote.isEmpty()) {
        m_bar->showMessage(m_startupNote, !m_server->isListening());
        m_log->append(makeEvent(Event::Side::Server, Phase::Tcp,
                                m_server->isListening() ? Event::Kind::Info : Event::Kind::Error, 0,
                                m_startupNote));
    }
}

MainWindow::~MainWindow()
{
    m_server->stop();
}

QDockWidget *MainWindow::addPane(QWidget *pane, const char *objectName, Qt::DockWidgetArea area)
{
    auto *dock = new QDockWidget(this);
    dock->setObjectName(QLatin1StringView(objectName));
    dock->setWidget(pane);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable
                      | QDockWidget::DockWidgetClosable);
    addDockWidget(area, dock);
    return dock;
}

void MainWindow::createMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->setObjectName(QStringLiteral("fileMenu"));
    m_fileMenu->addActions(m_sessions->actions());
    m_fileMenu->addSeparator();
    m_quit = m_fileMenu->addAction(QString(), QKeySequence::Quit, this, &QWidget::close);
    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->setObjectName(QStringLiteral("viewMenu"));
    // Every pane can be closed, so every pane is here to be reopened.
    const QList<QDockWidget *> docks { m_eventsDock, m_handshakeDock, m_framesDock, m_sequenceDock,
                                       m_serverDock, m_pollPushDock,  m_lessonDock };
    for (QDockWidget *dock : docks)
        m_viewMenu->addAction(dock->toggleViewAction());
    // From the keyboard: Alt+1 … Alt+7 open a pane, bring it to the front and put the focus in
    // it (the toggle actions above would hide a pane that is already shown).
    m_viewMenu->addSeparator();
    for (int i = 0; i < docks.size(); ++i) {
        QDockWidget *dock = docks.at(i);
        QAction *go = m_viewMenu->addAction(QString(), this, [dock] {
            dock->show();
            dock->raise();
            focusFirstControl(dock->widget());
        });
        go->setObjectName(QStringLiteral("goTo_") + dock->objectName());
        go->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
        m_goToPane.append({ go, dock });
    }
    m_languageMenu = menuBar()->addMenu(QString());
    m_languageMenu->setObjectName(QStringLiteral("languageMenu"));
    auto *group = new QActionGroup(this);
    m_english = m_languageMenu->addAction(QStringLiteral("English"));
    m_chinese = m_languageMenu->addAction(QStringLiteral("简体中文"));
    m_english->setObjectName(QStringLiteral("languageEnglish"));
    m_chinese->setObjectName(QStringLiteral("languageChinese"));
    for (QAction *action : { m_english, m_chinese }) {
        action->setCheckable(true);
        group->addAction(action);
    }
    connect(m_english, &QAction::triggered, this, [this] { setLanguage(QStringLiteral("en")); });
    connect(m_chinese, &QAction::triggered, this, [this] { setLanguage(QStringLiteral("zh_CN")); });
    m_helpMenu = menuBar()->addMenu(QString());
    m_lessonAction = m_helpMenu->addAction(QString(), this, [this] {
        m_lessonDock->show();
        m_lessonDock->raise();
    });
    m_lessonAction->setObjectName(QStringLiteral("lessonAction"));
    m_about = m_helpMenu->addAction(QString(), this, [this] {
        QMessageBox::about(
            this, tr("About WsLab"),
            tr("<p><b>WsLab %1</b></p><p>A WebSocket starts as one HTTP request and response, then "
               "becomes "
               "frames over the same TCP connection. Connect, send, and watch it happen.</p>")
                .arg(QCoreApplication::applicationVersion()));
    });
}

void MainWindow::showLessonPane(LessonController::Pane pane)
{
    using Pane = LessonController::Pane;
    QDockWidget *dock = nullptr;
    switch (pane) {
    case Pane::PollPush:
        dock = m_pollPushDock;
        break;
    case Pane::Handshake:
        dock = m_handshakeDock;
        break;
    case Pane::Frames:
        dock = m_framesDock;
        break;
    case Pane::Server:
        dock = m_serverDock;
        break;
    case Pane::Events:
        dock = m_eventsDock;
        break;
    case Pane::None:
        return;
    }
    dock->show();
    dock->raise();
}

void MainWindow::connectNow()
{
    m_bar->connectToUrl();
}

void MainWindow::setLanguage(const QString &code)
{
    if (Language::apply(code))
        openSettings(m_options.settingsFile)->setValue(QStringLiteral("language"), code);
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::retranslate()
{
    setWindowTitle(tr("WsLab — see WebSocket at work"));
    m_eventsDock->setWindowTitle(tr("Events"));
    m_handshakeDock->setWindowTitle(tr("Handshake (HTTP)"));
    m_framesDock->setWindowTitle(tr("Frames (over TCP)"));
    m_serverDock->setWindowTitle(tr("Embedded server"));
    m_sequenceDock->setWindowTitle(tr("Sequence"));
    m_pollPushDock->setWindowTitle(tr("Polling vs push"));
    m_fileMenu->setTitle(tr("&File"));
    m_quit->setText(tr("&Quit"));
    m_viewMenu->setTitle(tr("&View"));
    m_languageMenu->setTitle(tr("&Language"));
    m_helpMenu->setTitle(tr("&Help"));
    m_about->setText(tr("&About WsLab"));
    m_lessonAction->setText(tr("&Lesson: WebSocket step by step"));
    m_lessonDock->setWindowTitle(tr("Lesson"));
    for (const auto &[go, dock] : std::as_const(m_goToPane))
        go->setText(tr("Go to %1").arg(dock->windowTitle()));
    m_log->retranslate();
    m_frames->retranslate();
    m_sessions->retranslate();
    m_english->setChecked(Language::current() == u"en");
    m_chinese->setChecked(Language::current() == u"zh_CN");
    updateStatus();
}

void MainWindow::updateStatus()
{
    m_statusServer->setText(m_server->isListening()
                                ? tr("Server: %1").arg(m_server->httpUrl().toString())
                                : tr("Server: not running"));
    m_statusConnections->setText(tr("%n WebSocket client(s)", nullptr, m_server->clientCount()));
    m_statusRate->setText(tr("%1 messages/s").arg(m_rate, 0, 'f', m_rate < 10 ? 1 : 0));
}

void MainWindow::saveSettings()
{
    auto settings = openSettings(m_options.settingsFile);
    settings->setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings->setValue(QStringLiteral("window/state"), saveState());
    settings->setValue(QStringLiteral("url/history"), m_bar->history());
}

void MainWindow::restoreSettings()
{
    auto settings = openSettings(m_options.settingsFile);
    if (!restoreGeometry(settings->value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1500, 920);
    if (!restoreState(settings->value(QStringLiteral("window/state")).toByteArray())) {
        // The default layout; dock sizes only stick once the window has its real size.
        QTimer::singleShot(0, this, [this] {
            resizeDocks({ m_eventsDock }, { 250 }, Qt::Vertical);
            resizeDocks({ m_serverDock, m_handshakeDock }, { 330, 600 }, Qt::Horizontal);
        });
    }
    m_bar->setHistory(settings->value(QStringLiteral("url/history")).toStringList());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    // Close cleanly: a Close frame to the server, then the server's clients get 1001.
    m_session->disconnectGracefully(1001, tr("window closed"));
    m_server->stop();
    event->accept();
}

} // namespace wslab
