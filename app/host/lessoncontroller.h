#pragma once

#include <QObject>
#include <QUrl>

#include <functional>

namespace wslab {

class ClientSession;
class ServerHost;

// The lesson (chapter 6) as steps the window can perform: each step drives the client session
// and the embedded server, and says which pane shows what happens. It knows no widgets: the
// window raises the pane, connects with the address the user typed, starts the experiment
// with the panel's settings, opens the browser, fills the clipboard.
class LessonController : public QObject
{
    Q_OBJECT

public:
    enum class Step { Polling, Handshake, Send, Push, Kick, Abort, Browser, Exercises, ScaleOut };
    Q_ENUM(Step)
    // Where a step's effect shows.
    enum class Pane { None, PollPush, Handshake, Frames, Server, Events };
    Q_ENUM(Pane)

    LessonController(ClientSession *session, ServerHost *server, QObject *parent = nullptr);

    static Pane paneOf(Step step);
    // The terminal commands of the lesson's two exercises.
    static QString exerciseCommands();
    // The terminal command of the deployment chapter: servers behind nginx, shared by Redis.
    static QString clusterCommand();

public Q_SLOTS:
    void run(wslab::LessonController::Step step);

Q_SIGNALS:
    void showPane(wslab::LessonController::Pane pane);
    // The client is not connected and a step needs it open: connect as the user would.
    void connectWanted();
    void pollPushWanted(); // start the polling-vs-push experiment, unless it is running
    void pageWanted(const QUrl &url); // in the user's browser
    // Text for the clipboard, and what to tell the user about it.
    void copyWanted(const QString &text, const QString &note);

private:
    // Runs `action` once the client is open, connecting first if it is not.
    void whenOpen(std::function<void()> action);

    ClientSession *m_session;
    ServerHost *m_server;
};

} // namespace wslab
