#include "lessoncontroller.h"

#include "clientsession.h"
#include "installlayout.h"
#include "serverhost.h"

namespace wslab {

LessonController::LessonController(ClientSession *session, ServerHost *server, QObject *parent)
    : QObject(parent), m_session(session), m_server(server)
{
}

LessonController::Pane LessonController::paneOf(Step step)
{
    switch (step) {
    case Step::Polling:
        return Pane::PollPush;
    case Step::Handshake:
        return Pane::Handshake;
    case Step::Send:
        return Pane::Frames;
    case Step::Kick:
        return Pane::Server;
    case Step::Abort:
        return Pane::Events;
    case Step::Push:
    case Step::Browser:
    case Step::Exercises:
    case Step::ScaleOut:
        break;
    }
    return Pane::None;
}

QString LessonController::exerciseCommands()
{
    // Installed, the programs' names (or their installed paths when PATH does not find them);
    // run from the build, their paths in it.
    return InstallLayout::command(QStringLiteral("wslab-server")) + u" --port 8888\n"
        + InstallLayout::command(QStringLiteral("wslab-client"))
        + u" ws://127.0.0.1:8888/ws --count 5";
}

QString LessonController::clusterCommand()
{
    return QStringLiteral("scripts/cluster --instances 2 --port 8080");
}

void LessonController::run(Step step)
{
    if (const Pane pane = paneOf(step); pane != Pane::None)
        Q_EMIT showPane(pane);
    switch (step) {
    case Step::Polling:
        Q_EMIT pollPushWanted();
        break;
    case Step::Handshake:
        whenOpen([] {});
        break;
    case Step::Send:
        whenOpen([this] { m_session->sendText(QStringLiteral("Hello")); });
        break;
    case Step::Push:
        whenOpen([this] {
            if (m_server->pushInterval() <= 0)
                m_server->setPushInterval(1);
        });
        break;
    case Step::Kick:
        whenOpen([this] {
            // A Close frame's reason goes to the peer: in English, like all the server sends.
            m_server->kickPeer(m_session->serverSideAddress(), m_session->serverSidePort(), 4000,
                               QStringLiteral("class is over"));
        });
        break;
    case Step::Abort:
        whenOpen([this] { m_session->abort(); });
        break;
    case Step::Browser:
        Q_EMIT pageWanted(m_server->httpUrl());
        break;
    case Step::Exercises:
        Q_EMIT copyWanted(exerciseCommands(), tr("Commands copied: paste them into a terminal."));
        break;
    case Step::ScaleOut:
        Q_EMIT copyWanted(clusterCommand(),
                          tr("Command copied: run it in a terminal in the WsLab folder, then "
                             "open http://127.0.0.1:8080/ in two browser tabs."));
        break;
    }
}

void LessonController::whenOpen(std::function<void()> action)
{
    if (m_session->state() == ClientSession::State::Open) {
        action();
        return;
    }
    auto *once = new QObject(this);
    connect(m_session, &ClientSession::stateChanged, once,
            [once, action](ClientSession::State state) {
                if (state == ClientSession::State::Open)
                    action();
                if (state == ClientSession::State::Open || state == ClientSession::State::Closed)
                    once->deleteLater();
            });
    if (!m_session->isActive()) {
        Q_EMIT connectWanted();
        if (!m_session->isActive()) // the address did not parse: no connection, no step later
            once->deleteLater();
    }
}

} // namespace wslab
