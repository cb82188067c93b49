#include "mainwindow.h"

#include "keyboard.h"

#include "clientsession.h"
#include "connection.h"
#include "connectionbar.h"
#include "connectiontab.h"
#include "conversationview.h"
#include "eventlog.h"
#include "eventspane.h"
#include "framelistmodel.h"
#include "framespane.h"
#include "handshakepane.h"
#include "joincodeview.h"
#include "joinlink.h"
#include "language.h"
#include "lessoncontroller.h"
#include "lessonpanel.h"
#include "messagecollections.h"
#include "panescrollarea.h"
#include "pingpane.h"
#include "pollpushpanel.h"
#include "preferencesdialog.h"
#include "presentationmode.h"
#include "savedmessagespane.h"
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
#include <QTabBar>
#include <QTabWidget>
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
    m_preferences = Preferences::load(*openSettings(options.settingsFile));
    m_server = new ServerHost(this);
    m_connections = new ConnectionList(this);

    // The embedded server first, so the URL field can say where it is.
    ServerConfig config = options.server;
    config.useNextFreePort = true;
    m_serverHandshakeTimeout = config.limits.handshakeTimeout;
    if (!m_server->start(config))
        m_startupNote = tr("The embedded server could not start: %1").arg(m_server->errorString());
    else if (options.server.port != 0 && m_server->port() != options.server.port)
        m_startupNote = tr("Port %1 was taken; the embedded server uses %2 instead.")
                            .arg(options.server.port)
                            .arg(m_server->port());

    // Saved messages, shared by every tab's composer (a file it cannot read is kept aside; the
    // pane says so).
    m_collections = new MessageCollections(options.messagesFile, this);
    m_collections->load();

    // One tab per connection; with one, no tab bar: the window looks as it did before tabs.
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("connectionTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->setTabBarAutoHide(true);
    m_tabs->setMovable(true);
    m_tabs->setTabsClosable(true);
    m_tabs->setElideMode(Qt::ElideRight);
    m_tabs->tabBar()->setContextMenuPolicy(Qt::CustomContextMenu);
    setCentralWidget(m_tabs);
    // The last session's tabs when the user asked for them, else one; a URL from the command
    // line is a tab of its own, and the current one (it is what --connect connects).
    QList<QVariantMap> saved;
    if (m_preferences.restoreTabs) {
        auto settings = openSettings(options.settingsFile);
        const int count = settings->beginReadArray(QStringLiteral("tabs/list"));
        for (int i = 0; i < count; ++i) {
            settings->setArrayIndex(i);
            QVariantMap state;
            for (const QString &key : settings->childKeys())
                state.insert(key, settings->value(key));
            saved.append(state);
        }
        settings->endArray();
    }
    for (const QVariantMap &state : std::as_const(saved))
        addConnection(state);
    if (saved.isEmpty() || !options.url.isEmpty()) {
        // A fresh tab: with the command line's options, else the ones last used.
        QVariantMap fresh = options.connect
            ? toVariantMap(*options.connect)
            : openSettings(options.settingsFile)->value(QStringLiteral("connect/options")).toMap();
        fresh.insert(QStringLiteral("url"), options.url);
        addConnection(fresh);
    }
    else
        m_tabs->setCurrentIndex(
            openSettings(options.settingsFile)->value(QStringLiteral("tabs/current")).toInt());
    followCurrent(); // the current tab's parts, for the panes below

    m_events = new EventsPane(m_log, this);
    m_handshake = new HandshakePane(this);
    m_framesPane = new FramesPane(m_frames, this);
    m_serverPane = new ServerPane(m_server, this);
    m_sequencePane = new SequencePane(m_sequence, this);
    m_pollPush = new PollPushPanel(m_server, this);
    m_lesson = new LessonPanel(this);
    m_serverDock = addPane(new PaneScrollArea(m_serverPane), "serverDock", Qt::LeftDockWidgetArea);
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
    // Saved messages beside the lesson, ping beside polling vs push; both follow the current
    // tab's session (followCurrent).
    m_savedMessages = new SavedMessagesPane(m_collections, this);
    m_pingPane = new PingPane(this);
    connect(m_savedMessages, &SavedMessagesPane::loadRequested, this,
            [this](PayloadInput::Kind kind, const QString &body) {
                m_conversation->loadMessage(kind, body);
            });
    m_savedMessagesDock = addPane(m_savedMessages, "savedMessagesDock", Qt::LeftDockWidgetArea);
    m_pingDock = addPane(m_pingPane, "pingDock", Qt::BottomDockWidgetArea);
    tabifyDockWidget(m_lessonDock, m_savedMessagesDock);
    tabifyDockWidget(m_pollPushDock, m_pingDock);
    m_serverDock->raise();
    m_eventsDock->raise();

    m_statusServer = new QLabel(this);
    m_statusServer->setObjectName(QStringLiteral("statusServer"));
    m_statusConnections = new QLabel(this);
    m_statusConnections->setObjectName(QStringLiteral("statusConnections"));
    m_statusRate = new QLabel(this);
    m_statusRate->setObjectName(QStringLiteral("statusRate"));
    statusBar()->addWidget(m_statusServer);
    statusBar()->addWidget(m_statusConnections);
    statusBar()->addWidget(m_statusRate);

    // Sources → views. Each connection's own go to its models (Connection); the server's are
    // shared out by ConnectionList.
    connect(m_server, &ServerHost::events, m_connections, &ConnectionList::addServerEvents);
    connect(m_server, &ServerHost::eventsDropped, m_connections, &ConnectionList::countDropped);
    // The docks about one connection show the current tab's.
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::followCurrent);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &MainWindow::closeTab);
    connect(m_tabs->tabBar(), &QWidget::customContextMenuRequested, this, [this](QPoint at) {
        const int index = m_tabs->tabBar()->tabAt(at);
        if (index < 0)
            return;
        setCurrentIndex(index);
        QMenu menu(this);
        menu.addAction(m_duplicateTab);
        menu.addAction(m_closeTab);
        menu.exec(m_tabs->tabBar()->mapToGlobal(at));
    });
    // An arrow leads to its bytes: a frame in the Frames pane, the handshake in its pane.
    connect(m_sequencePane, &SequencePane::arrowClicked, this, [this](int index) {
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
    connect(m_lesson, &LessonPanel::doIt, this,
            [this](LessonController::Step step) { m_lessonSteps->run(step); });
    connect(m_server, &ServerHost::clientCountChanged, this, &MainWindow::updateStatus);
    connect(m_server, &ServerHost::addressChanged, this, &MainWindow::updateStatus);
    connect(m_server, &ServerHost::messagesPerSecond, this, [this](double rate) {
        m_rate = rate;
        updateStatus();
    });

    // TLS turned on or off in the server pane: the window's own clients trust the server's
    // certificate, and each URL field follows the scheme if it still points at the server.
    connect(m_server, &ServerHost::tlsChanged, this, [this] {
        const auto &tls = m_server->tls();
        for (int i = 0; i < tabCount(); ++i) {
            tabAt(i)->connection()->session()->setTrustedCertificates(
                tls ? QList { tls->certificate } : QList<QSslCertificate>());
            ConnectionBar *bar = tabAt(i)->bar();
            QUrl shown(bar->urlText().trimmed());
            if (shown.port() == m_server->port()
                && (shown.scheme() == u"ws" || shown.scheme() == u"wss")) {
                shown.setScheme(tls ? QStringLiteral("wss") : QStringLiteral("ws"));
                bar->setUrlText(shown.toString());
            }
        }
    });

    // Sessions: recording, export, import, replay, and the jumps between events and frames.
    // They follow the current tab (followCurrent).
    m_sessions = new SessionActions(
        { this, m_events, m_framesPane, m_handshake, m_eventsDock, m_framesDock }, this);
    createMenus();
    followCurrent(); // now with the panes: the handshake, the lesson's steps
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

int MainWindow::tabCount() const
{
    return m_tabs->count();
}

ConnectionTab *MainWindow::tabAt(int index) const
{
    return qobject_cast<ConnectionTab *>(m_tabs->widget(index));
}

Connection *MainWindow::connectionAt(int index) const
{
    ConnectionTab *tab = tabAt(index);
    return tab ? tab->connection() : nullptr;
}

int MainWindow::currentIndex() const
{
    return m_tabs->currentIndex();
}

void MainWindow::setCurrentIndex(int index)
{
    m_tabs->setCurrentIndex(index);
}

QString MainWindow::defaultUrl() const
{
    return m_preferences.defaultUrl.isEmpty() ? m_server->webSocketUrl().toString()
                                              : m_preferences.defaultUrl;
}

Connection *MainWindow::addConnection(const QVariantMap &state)
{
    Connection *connection = m_connections->create();
    ClientSession *session = connection->session();
    session->setViaTap(m_preferences.viaTap);
    session->setMaxIncomingMessageSize(m_preferences.maxIncomingMessageSize);
    session->setMaxIncomingFrameSize(m_preferences.maxIncomingMessageSize);
    session->setHandshakeTimeout(m_preferences.handshakeTimeout);
    ConnectOptions options = session->connectOptions();
    options.timeout = m_preferences.handshakeTimeout;
    session->setConnectOptions(options);
    if (const auto &tls = m_server->tls())
        session->setTrustedCertificates({ tls->certificate });
    const QString url = connection->restoreState(state); // before the tab: its bar reads them
    auto *tab = new ConnectionTab(connection, url.isEmpty() ? defaultUrl() : url, m_tabs);
    tab->conversation()->setCollections(m_collections);
    if (m_bar)
        tab->bar()->setHistory(m_bar->history());
    connect(tab, &ConnectionTab::labelChanged, this, [this, tab] { updateTab(tab); });
    connect(tab->stepBar(), &StepBar::steppingChanged, this,
            &MainWindow::updateServerHandshakeTimeout);
    const int index = m_tabs->addTab(tab, QString());
    updateTab(tab);
    m_tabs->setCurrentIndex(index);
    if (m_tabs->count() > 1)
        updateWidgets();
    return connection;
}

Connection *MainWindow::newConnection(const QString &url)
{
    return addConnection({ { QStringLiteral("url"), url } });
}

Connection *MainWindow::duplicateCurrent()
{
    return addConnection(m_current->saveState(m_bar->urlText()));
}

void MainWindow::closeTab(int index)
{
    ConnectionTab *tab = tabAt(index);
    if (!tab || tabCount() <= 1)
        return;
    Connection *connection = tab->connection();
    m_tabs->removeTab(index); // another tab becomes current first: the docks follow it
    tab->deleteLater();
    // A Close frame, so the server sees the client leave; the reason goes on the wire in
    // English, like all the window's clients send.
    m_connections->remove(connection, 1000, QStringLiteral("tab closed"));
    updateServerHandshakeTimeout(); // it may have been the one stepping
    updateWidgets();
}

void MainWindow::updateTab(ConnectionTab *tab)
{
    const int index = m_tabs->indexOf(tab);
    if (index < 0)
        return;
    QString title = tab->title();
    m_tabs->setTabText(index, title.replace(u'&', QStringLiteral("&&")));
    m_tabs->setTabIcon(index, tab->phaseIcon());
    m_tabs->setTabToolTip(index, tab->toolTipText());
    // Qt's close button says nothing to a screen reader: name it after its tab.
    for (const auto side : { QTabBar::LeftSide, QTabBar::RightSide })
        if (QWidget *button = m_tabs->tabBar()->tabButton(index, side))
            button->setAccessibleName(tr("Close %1").arg(tab->title()));
}

void MainWindow::updateWidgets()
{
    if (m_closeTab)
        m_closeTab->setEnabled(tabCount() > 1);
}

void MainWindow::updateServerHandshakeTimeout()
{
    // While the user steps (in any tab), the server must not give up on a handshake it is
    // waiting for.
    using namespace std::chrono_literals;
    bool stepping = false;
    for (Connection *connection : m_connections->connections())
        stepping |= connection->session()->isStepping();
    m_server->setHandshakeTimeout(stepping ? std::chrono::milliseconds(1h)
                                           : m_serverHandshakeTimeout);
}

QString MainWindow::notVisibleReason(const Connection *connection) const
{
    if (connection->attemptUrl().isEmpty())
        return {};
    // Through the tap, wss:// is decoded like ws:// (the tap ends the TLS).
    return !connection->attemptViaTap()
        ? tr("Connected without the wire tap: the bytes are not recorded. Tick \"through the "
             "wire tap\" to see them.")
        : QString();
}

void MainWindow::followCurrent()
{
    auto *tab = qobject_cast<ConnectionTab *>(m_tabs->currentWidget());
    if (!tab || (tab->connection() == m_current && !m_currentWiring.isEmpty()))
        return;
    for (const QMetaObject::Connection &wire : std::as_const(m_currentWiring))
        disconnect(wire);
    m_currentWiring.clear();
    m_current = tab->connection();
    m_session = m_current->session();
    m_log = m_current->eventLog();
    m_frames = m_current->frameModel();
    m_sequence = m_current->sequenceModel();
    m_bar = tab->bar();
    m_stepBar = tab->stepBar();
    m_conversation = tab->conversation();
    if (!m_events)
        return; // the window is still being built: the panes are made with these

    m_events->setLog(m_log);
    m_framesPane->setModel(m_frames);
    m_sequencePane->setModel(m_sequence);
    if (m_sessions)
        m_sessions->follow(m_current);
    m_savedMessages->setSession(m_session);
    m_pingPane->setSession(m_session);
    // The handshake pane keeps what it was fed: feed it this connection's handshake again.
    const auto showAttempt = [this] {
        m_handshake->clear();
        const QString why = notVisibleReason(m_current);
        m_framesPane->showNotVisible(why);
        if (!why.isEmpty())
            m_handshake->showNotVisible(why);
    };
    showAttempt();
    for (const WireEvent &event : m_current->handshakeEvents())
        m_handshake->addWireEvent(event);
    m_currentWiring << connect(m_current, &Connection::attemptStarted, this, showAttempt)
                    << connect(m_current, &Connection::handshakeEvent, m_handshake,
                               &HandshakePane::addWireEvent);

    // The lesson's steps drive the current tab's session.
    delete m_lessonSteps;
    m_lessonSteps = new LessonController(m_session, m_server, this);
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
    updateWidgets();
    Q_EMIT currentConnectionChanged(m_current);
}

void MainWindow::setPreferences(const Preferences &preferences)
{
    m_preferences = preferences;
    auto settings = openSettings(m_options.settingsFile);
    preferences.save(*settings);
    if (!preferences.language.isEmpty())
        setLanguage(preferences.language);
    // The limits from the next connect on, in every tab; the tap and the URL are for new tabs.
    for (Connection *connection : m_connections->connections()) {
        ClientSession *session = connection->session();
        session->setMaxIncomingMessageSize(preferences.maxIncomingMessageSize);
        session->setMaxIncomingFrameSize(preferences.maxIncomingMessageSize);
        session->setHandshakeTimeout(preferences.handshakeTimeout);
    }
}

void MainWindow::showPreferences()
{
    if (!m_preferencesDialog) {
        m_preferencesDialog
            = new PreferencesDialog(m_preferences, m_server->webSocketUrl().toString(), this);
        connect(m_preferencesDialog, &QDialog::accepted, this,
                [this] { setPreferences(m_preferencesDialog->preferences()); });
    }
    m_preferencesDialog->setPreferences(m_preferences);
    m_preferencesDialog->open();
}

void MainWindow::createMenus()
{
    // File: the connections (tabs), then the session's files, then preferences and Quit.
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->setObjectName(QStringLiteral("fileMenu"));
    m_newTab = m_fileMenu->addAction(QString(), QKeySequence(Qt::CTRL | Qt::Key_T), this,
                                     [this] { newConnection(); });
    m_newTab->setObjectName(QStringLiteral("newTabAction"));
    m_duplicateTab
        = m_fileMenu->addAction(QString(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D), this,
                                &MainWindow::duplicateCurrent);
    m_duplicateTab->setObjectName(QStringLiteral("duplicateTabAction"));
    m_closeTab = m_fileMenu->addAction(QString(), QKeySequence(Qt::CTRL | Qt::Key_W), this,
                                       [this] { closeTab(currentIndex()); });
    m_closeTab->setObjectName(QStringLiteral("closeTabAction"));
    m_fileMenu->addSeparator();
    m_fileMenu->addActions(m_sessions->actions()); // about the current tab
    m_fileMenu->addSeparator();
    m_preferencesAction = m_fileMenu->addAction(QString(), QKeySequence(Qt::CTRL | Qt::Key_Comma),
                                                this, &MainWindow::showPreferences);
    m_preferencesAction->setObjectName(QStringLiteral("preferencesAction"));
    m_preferencesAction->setMenuRole(QAction::PreferencesRole);
    m_fileMenu->addSeparator();
    m_quit = m_fileMenu->addAction(QString(), QKeySequence::Quit, this, &QWidget::close);
    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->setObjectName(QStringLiteral("viewMenu"));
    // Every pane can be closed, so every pane is here to be reopened.
    const QList<QDockWidget *> docks { m_eventsDock,   m_handshakeDock,     m_framesDock,
                                       m_sequenceDock, m_serverDock,        m_pollPushDock,
                                       m_lessonDock,   m_savedMessagesDock, m_pingDock };
    for (QDockWidget *dock : docks)
        m_viewMenu->addAction(dock->toggleViewAction());
    // From the keyboard: Alt+1 … Alt+9 open a pane, bring it to the front and put the focus in
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
    m_viewMenu->addSeparator();
    m_showJoinCode
        = m_viewMenu->addAction(QString(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_J), this,
                                [this] { JoinCodeView::showFor(JoinLink::of(m_server), this); });
    m_showJoinCode->setObjectName(QStringLiteral("showJoinCodeAction"));
    // For the projector: larger text, high contrast; off gives the layout back.
    m_viewMenu->addSeparator();
    m_presentation = new PresentationMode(this);
    m_viewMenu->addAction(m_presentation->action());
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
    m_newTab->setText(tr("&New connection"));
    m_duplicateTab->setText(tr("&Duplicate connection"));
    m_closeTab->setText(tr("&Close connection tab"));
    m_preferencesAction->setText(tr("&Preferences…"));
    m_quit->setText(tr("&Quit"));
    m_viewMenu->setTitle(tr("&View"));
    m_languageMenu->setTitle(tr("&Language"));
    m_helpMenu->setTitle(tr("&Help"));
    m_about->setText(tr("&About WsLab"));
    m_lessonAction->setText(tr("&Lesson: WebSocket step by step"));
    m_lessonDock->setWindowTitle(tr("Lesson"));
    m_savedMessagesDock->setWindowTitle(tr("Saved messages"));
    m_pingDock->setWindowTitle(tr("Ping"));
    for (const auto &[go, dock] : std::as_const(m_goToPane))
        go->setText(tr("Go to %1").arg(dock->windowTitle()));
    m_showJoinCode->setText(tr("Show &join code"));
    for (Connection *connection : m_connections->connections()) {
        connection->eventLog()->retranslate();
        connection->frameModel()->retranslate();
    }
    for (int i = 0; i < tabCount(); ++i)
        updateTab(tabAt(i));
    m_sessions->retranslate();
    m_english->setChecked(Language::current() == u"en");
    m_chinese->setChecked(Language::current() == u"zh_CN");
    updateStatus();
}

void MainWindow::updateStatus()
{
    if (!m_server->isListening())
        m_statusServer->setText(tr("Server: not running"));
    else if (m_server->isOnLan()) // every address: the class can reach it, not only this machine
        m_statusServer->setText(tr("Server: LAN, %1 on this machine")
                                    .arg(m_server->httpUrl().toString()));
    else
        m_statusServer->setText(tr("Server: %1").arg(m_server->httpUrl().toString()));
    m_statusConnections->setText(tr("%n WebSocket client(s)", nullptr, m_server->clientCount()));
    m_statusRate->setText(tr("%1 messages/s").arg(m_rate, 0, 'f', m_rate < 10 ? 1 : 0));
}

void MainWindow::saveSettings()
{
    auto settings = openSettings(m_options.settingsFile);
    // In presentation mode, the layout the user had, not the projector's.
    settings->setValue(QStringLiteral("window/geometry"),
                       m_presentation->holdsLayout() ? m_presentation->savedGeometry()
                                                     : saveGeometry());
    settings->setValue(QStringLiteral("window/state"),
                       m_presentation->holdsLayout() ? m_presentation->savedState() : saveState());
    settings->setValue(QStringLiteral("url/history"), m_bar->history());
    // Every tab, kept whether or not the next start restores them (the user may turn it on).
    settings->remove(QStringLiteral("tabs/list"));
    settings->beginWriteArray(QStringLiteral("tabs/list"), tabCount());
    for (int i = 0; i < tabCount(); ++i) {
        settings->setArrayIndex(i);
        const QVariantMap state = connectionAt(i)->saveState(tabAt(i)->bar()->urlText());
        for (auto value = state.cbegin(); value != state.cend(); ++value)
            settings->setValue(value.key(), value.value());
    }
    settings->endArray();
    settings->setValue(QStringLiteral("tabs/current"), currentIndex());
    // The current tab's options are the next start's, unless they came from the command line
    // for that run and were not changed in the dialog.
    if (m_session->connectOptions() != m_options.connect)
        settings->setValue(QStringLiteral("connect/options"),
                           toVariantMap(m_session->connectOptions()));
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
    const QStringList history = settings->value(QStringLiteral("url/history")).toStringList();
    for (int i = 0; i < tabCount(); ++i)
        tabAt(i)->bar()->setHistory(history);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    // Close cleanly: a Close frame to the server from every tab, then the server's clients get
    // 1001.
    for (Connection *connection : m_connections->connections())
        connection->session()->disconnectGracefully(1001, tr("window closed"));
    m_server->stop();
    event->accept();
}

} // namespace wslab
