#pragma once

#include "lessoncontroller.h"
#include "serverconfig.h"

#include <QMainWindow>

#include <memory>

class QActionGroup;
class QDockWidget;
class QLabel;
class QMenu;

namespace wslab {

class ClientSession;
class ConnectionBar;
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
class StepBar;

struct WindowOptions
{
    ServerConfig server; // the embedded server (next free port when the port is taken)
    QString url; // empty: the embedded server's /ws
    QString settingsFile; // empty: the user's settings; tests use a file of their own
};

// Wires sources to views and lays them out; nothing else (STYLE.md).
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(const WindowOptions &options, QWidget *parent = nullptr);
    ~MainWindow() override;

    ClientSession *session() const { return m_session; }
    ServerHost *server() const { return m_server; }
    EventLog *eventLog() const { return m_log; }
    FrameListModel *frameModel() const { return m_frames; }
    SequenceModel *sequenceModel() const { return m_sequence; }
    ConnectionBar *connectionBar() const { return m_bar; }
    SessionActions *sessionActions() const { return m_sessions; }

public Q_SLOTS:
    void connectNow();
    void setLanguage(const QString &code);

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QDockWidget *addPane(QWidget *pane, const char *objectName, Qt::DockWidgetArea area);
    void createMenus();
    void showLessonPane(LessonController::Pane pane);
    void retranslate();
    void updateStatus();
    void saveSettings();
    void restoreSettings();

    WindowOptions m_options;
    ClientSession *m_session;
    ServerHost *m_server;
    EventLog *m_log;
    FrameListModel *m_frames;
    SequenceModel *m_sequence;
    ConnectionBar *m_bar;
    StepBar *m_stepBar;
    ConversationView *m_conversation;
    EventsPane *m_events;
    HandshakePane *m_handshake;
    FramesPane *m_framesPane;
    ServerPane *m_serverPane;
    SequencePane *m_sequencePane;
    PollPushPanel *m_pollPush;
    LessonPanel *m_lesson;
    LessonController *m_lessonSteps;
    SessionActions *m_sessions; // File > Export, Import, Replay; event <-> frame jumps
    QDockWidget *m_eventsDock, *m_handshakeDock, *m_framesDock, *m_serverDock, *m_sequenceDock,
        *m_pollPushDock, *m_lessonDock;
    QMenu *m_fileMenu, *m_viewMenu, *m_languageMenu, *m_helpMenu;
    QAction *m_quit, *m_about, *m_lessonAction, *m_english, *m_chinese;
    QList<std::pair<QAction *, QDockWidget *>> m_goToPane; // View → Go to, Alt+1 …
    QLabel *m_statusServer, *m_statusConnections, *m_statusRate;
    double m_rate = 0;
    QString m_startupNote;
};

} // namespace wslab
