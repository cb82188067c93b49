#pragma once

#include "connectoptions.h"
#include "lessoncontroller.h"
#include "preferences.h"
#include "serverconfig.h"

#include <QMainWindow>
#include <QVariantMap>

#include <memory>
#include <optional>

class QActionGroup;
class QDockWidget;
class QLabel;
class QMenu;
class QTabWidget;

namespace wslab {

class ClientSession;
class Connection;
class ConnectionBar;
class ConnectionList;
class ConnectionTab;
class ConversationView;
class EventLog;
class EventsPane;
class FrameListModel;
class FramesPane;
class HandshakePane;
class ServerHost;
class SequenceModel;
class SequencePane;
class ServerPane;
class SessionActions;
class PollPushPanel;
class LessonPanel;
class PreferencesDialog;
class StepBar;
class MessageCollections;
class SavedMessagesPane;
class PingPane;
class PresentationMode;

struct WindowOptions
{
    ServerConfig server; // the embedded server (next free port when the port is taken)
    QString url; // empty: the preferences' default URL, else the embedded server's /ws
    QString settingsFile; // empty: the user's settings; tests use a file of their own
    QString messagesFile; // empty: saved-messages.json in the user's data folder
    std::optional<ConnectOptions> connect; // from the command line: instead of the saved ones
};

// Wires sources to views and lays them out; nothing else (STYLE.md). The centre is one tab per
// connection (ConnectionTab over a Connection); the Events, Handshake, Frames and Sequence docks
// show the current tab's, and follow currentConnectionChanged() like any dock that is about one
// connection should. The server, polling-vs-push and lesson docks are the window's.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(const WindowOptions &options, QWidget *parent = nullptr);
    ~MainWindow() override;

    // The current tab's.
    ClientSession *session() const { return m_session; }
    EventLog *eventLog() const { return m_log; }
    FrameListModel *frameModel() const { return m_frames; }
    SequenceModel *sequenceModel() const { return m_sequence; }
    ConnectionBar *connectionBar() const { return m_bar; }
    Connection *currentConnection() const { return m_current; }
    ServerHost *server() const { return m_server; }

    // The tabs, in the order shown.
    int tabCount() const;
    Connection *connectionAt(int index) const;
    ConnectionTab *tabAt(int index) const;
    int currentIndex() const;
    QTabWidget *tabs() const { return m_tabs; }
    const Preferences &preferences() const { return m_preferences; }
    SessionActions *sessionActions() const { return m_sessions; }
    PresentationMode *presentationMode() const { return m_presentation; }

public Q_SLOTS:
    void connectNow();
    void setLanguage(const QString &code);
    // A new tab (made current) with `url`, or the preferences' default URL when empty.
    Connection *newConnection(const QString &url = {});
    // A new tab with the current one's URL, tap switch, connect options and limits.
    Connection *duplicateCurrent();
    // Closes the tab's connection with a Close frame and removes the tab; the last tab stays.
    void closeTab(int index);
    void setCurrentIndex(int index);
    // Applies, saves and remembers them (what the Preferences dialog's OK does).
    void setPreferences(const wslab::Preferences &preferences);
    void showPreferences(); // the dialog, window-modal; returns at once

Q_SIGNALS:
    // The current tab changed (or the first was made): docks about one connection follow it.
    void currentConnectionChanged(wslab::Connection *connection);

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QDockWidget *addPane(QWidget *pane, const char *objectName, Qt::DockWidgetArea area);
    void createMenus();
    // A tab for a connection in `state` (Connection::saveState()), with the preferences applied
    // first; the state overrides them.
    Connection *addConnection(const QVariantMap &state);
    void followCurrent();
    void updateTab(ConnectionTab *tab);
    void updateWidgets();
    void updateServerHandshakeTimeout();
    // Why the Handshake and Frames panes cannot show this connection's bytes; empty when they can.
    QString notVisibleReason(const Connection *connection) const;
    QString defaultUrl() const;
    void showLessonPane(LessonController::Pane pane);
    void retranslate();
    void updateStatus();
    void saveSettings();
    void restoreSettings();

    WindowOptions m_options;
    Preferences m_preferences;
    ServerHost *m_server;
    ConnectionList *m_connections;
    QTabWidget *m_tabs;
    // The current tab's connection and its parts; followCurrent() keeps them so.
    Connection *m_current = nullptr;
    ClientSession *m_session = nullptr;
    EventLog *m_log = nullptr;
    FrameListModel *m_frames = nullptr;
    SequenceModel *m_sequence = nullptr;
    ConnectionBar *m_bar = nullptr;
    StepBar *m_stepBar = nullptr;
    ConversationView *m_conversation = nullptr;
    QList<QMetaObject::Connection> m_currentWiring; // the current connection → the docks
    EventsPane *m_events = nullptr; // null while the window is being built
    HandshakePane *m_handshake;
    FramesPane *m_framesPane;
    ServerPane *m_serverPane;
    SequencePane *m_sequencePane;
    PollPushPanel *m_pollPush;
    LessonPanel *m_lesson;
    LessonController *m_lessonSteps = nullptr; // made again for each current tab's session
    PreferencesDialog *m_preferencesDialog = nullptr;
    SessionActions *m_sessions = nullptr; // File > Export, Import, Replay; event <-> frame jumps
    QDockWidget *m_eventsDock, *m_handshakeDock, *m_framesDock, *m_serverDock, *m_sequenceDock,
        *m_pollPushDock, *m_lessonDock;
    // Saved messages and ping: panes that follow the current session (setSession).
    MessageCollections *m_collections = nullptr;
    SavedMessagesPane *m_savedMessages = nullptr;
    PingPane *m_pingPane = nullptr;
    QDockWidget *m_savedMessagesDock, *m_pingDock;
    QMenu *m_fileMenu, *m_viewMenu, *m_languageMenu, *m_helpMenu;
    QAction *m_newTab = nullptr, *m_duplicateTab = nullptr, *m_closeTab = nullptr,
            *m_preferencesAction = nullptr;
    QAction *m_quit, *m_about, *m_lessonAction, *m_english, *m_chinese;
    QList<std::pair<QAction *, QDockWidget *>> m_goToPane; // View → Go to, Alt+1 …
    PresentationMode *m_presentation = nullptr; // View → Presentation mode, Ctrl+Shift+P
    QAction *m_showJoinCode = nullptr; // View → Show join code (the classroom's QR code)
    QLabel *m_statusServer, *m_statusConnections, *m_statusRate;
    double m_rate = 0;
    std::chrono::milliseconds m_serverHandshakeTimeout;
    QString m_startupNote;
};

} // namespace wslab
