#include "sessionactions.h"

#include "clientsession.h"
#include "connection.h"
#include "eventframelink.h"
#include "eventlog.h"
#include "eventspane.h"
#include "framelistmodel.h"
#include "framespane.h"
#include "handshakepane.h"
#include "sequencemodel.h"
#include "serverhost.h"
#include "sessionhar.h"
#include "sessionrecorder.h"
#include "sessionreplay.h"

#include <QAction>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMessageBox>
#include <QSaveFile>
#include <QStatusBar>

namespace wslab {

SessionActions::SessionActions(const Views &views, QObject *parent)
    : QObject(parent), m_views(views)
{
    m_export = new QAction(this);
    m_export->setObjectName(QStringLiteral("exportSession"));
    m_export->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    connect(m_export, &QAction::triggered, this, &SessionActions::exportWithDialog);
    m_import = new QAction(this);
    m_import->setObjectName(QStringLiteral("importSession"));
    m_import->setShortcut(QKeySequence::Open);
    connect(m_import, &QAction::triggered, this, &SessionActions::importWithDialog);
    m_replayNow = new QAction(this);
    m_replayNow->setObjectName(QStringLiteral("replaySession"));
    m_replaySpaced = new QAction(this);
    m_replaySpaced->setObjectName(QStringLiteral("replaySessionSpaced"));
    m_stopReplay = new QAction(this);
    m_stopReplay->setObjectName(QStringLiteral("stopReplay"));
    m_stopReplay->setEnabled(false);
    for (auto [action, spaced] : { std::pair { m_replayNow, false }, { m_replaySpaced, true } })
        connect(action, &QAction::triggered, this, [this, spaced] {
            QString error;
            if (!replay(spaced, &error))
                showMessage(error);
        });
    connect(m_stopReplay, &QAction::triggered, this, [this] {
        if (m_replay)
            m_replay->stop();
    });

    connect(views.events, &EventsPane::showFrameWanted, this, &SessionActions::showFrameOfEvent);
    connect(views.framesPane, &FramesPane::showEventWanted, this,
            &SessionActions::showEventOfFrame);
    retranslate();
}

void SessionActions::follow(Connection *connection)
{
    if (connection == m_connection)
        return;
    for (const QMetaObject::Connection &wire : std::as_const(m_wiring))
        disconnect(wire);
    m_wiring.clear();
    leaveReview();
    m_imported.reset();
    delete m_replay; // a replay goes over the connection it started on, and stops with it
    m_replay = nullptr;
    m_stopReplay->setEnabled(false);
    m_connection = connection;
    if (!connection)
        return;
    m_replay = new SessionReplay(connection->session(), this);
    connect(m_replay, &SessionReplay::progress, this, [this](int sent, int total) {
        m_stopReplay->setEnabled(sent < total);
        showMessage(tr("Replay: %1 of %2 messages sent").arg(sent).arg(total));
    });
    connect(m_replay, &SessionReplay::finished, this, [this](bool completed) {
        m_stopReplay->setEnabled(false);
        if (!completed)
            showMessage(tr("Replay stopped before its end."));
    });
    m_wiring << connect(connection->session(), &ClientSession::stateChanged, this,
                        [this](ClientSession::State state) {
                            if (state == ClientSession::State::TcpConnecting)
                                leaveReview(); // live again: the panes are cleared for it
                        })
             << connect(connection->recorder(), &SessionRecorder::limitReached, this, [this] {
                    showMessage(
                        tr("The session record is full: it keeps the newest %L1 events, frames "
                           "and messages each and %2 MiB of payload; older ones are left out of "
                           "the export (the file counts them).")
                            .arg(SessionRecorder::maxItems)
                            .arg(SessionRecorder::maxPayloadBytes / (1024 * 1024)));
                });
}

ClientSession *SessionActions::session() const
{
    return m_connection->session();
}

EventLog *SessionActions::log() const
{
    return m_connection->eventLog();
}

FrameListModel *SessionActions::frames() const
{
    return m_connection->frameModel();
}

SessionRecorder *SessionActions::recorder() const
{
    return m_connection->recorder();
}

QList<QAction *> SessionActions::actions() const
{
    return { m_export, m_import, m_replayNow, m_replaySpaced, m_stopReplay };
}

void SessionActions::retranslate()
{
    m_export->setText(tr("&Export session…"));
    m_export->setStatusTip(tr("Both sides' events, the handshake and every frame's bytes, as "
                              "JSON (lossless) or HAR 1.2"));
    m_import->setText(tr("&Import session…"));
    m_replayNow->setText(tr("&Replay sent messages"));
    m_replaySpaced->setText(tr("Replay with the original &spacing"));
    m_stopReplay->setText(tr("S&top replay"));
}

SessionRecord SessionActions::currentRecord() const
{
    return m_reviewing && m_imported ? *m_imported : recorder()->record();
}

bool SessionActions::exportTo(const QString &path, QString *error)
{
    log()->flush();
    const SessionRecord record = currentRecord();
    const bool har = path.endsWith(QLatin1StringView(".har"), Qt::CaseInsensitive);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)
        || file.write(har ? sessionToHar(record) : sessionToJson(record)) < 0 || !file.commit()) {
        *error = tr("Could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    const qint64 dropped = record.droppedEvents + record.droppedWire + record.droppedMessages;
    showMessage(dropped ? tr("Exported to %1; %2 older items were past the record's limit and are "
                             "not in it.")
                              .arg(QFileInfo(path).fileName())
                              .arg(dropped)
                        : tr("Exported to %1.").arg(QFileInfo(path).fileName()));
    return true;
}

bool SessionActions::importFrom(const QString &path, QString *error)
{
    if (session()->state() != ClientSession::State::Idle
        && session()->state() != ClientSession::State::Closed) {
        *error = tr("Disconnect before importing: the panes show one session at a time.");
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("Could not read %1: %2").arg(path, file.errorString());
        return false;
    }
    const QByteArray bytes = file.readAll();
    QString why;
    // By content, not by name: ours says "format": "wslab-session", a HAR has "log".
    std::optional<SessionRecord> record = bytes.contains("\"wslab-session\"")
        ? sessionFromJson(bytes, &why)
        : sessionFromHar(bytes, &why);
    if (!record) {
        *error = tr("%1: %2").arg(QFileInfo(path).fileName(), why);
        return false;
    }
    m_connection->load(*record);
    m_views.handshake->clear();
    for (const WireEvent &w : m_connection->handshakeEvents())
        m_views.handshake->addWireEvent(w);
    m_imported = std::move(record);
    m_importedName = QFileInfo(path).fileName();
    m_reviewing = true;
    const QString note
        = tr("Imported from %1 (%2), read only. Connect to go live again; "
             "Replay sends its messages.")
              .arg(m_importedName, m_imported->origin == u"har" ? tr("HAR") : tr("WsLab JSON"));
    m_views.events->setReviewNote(note);
    m_views.framesPane->setReviewNote(note);
    m_views.handshake->showNotVisible(note);
    showMessage(tr("%1: %n message(s), %2 frame rows", nullptr, int(m_imported->messages.size()))
                    .arg(m_importedName)
                    .arg(frames()->rowCount()));
    return true;
}

void SessionActions::leaveReview()
{
    if (!m_reviewing)
        return;
    m_reviewing = false; // the imported record stays, for Replay
    m_views.events->setReviewNote({});
    m_views.framesPane->setReviewNote({});
}

bool SessionActions::replay(bool keepSpacing, QString *error)
{
    const SessionRecord record = m_imported ? *m_imported : recorder()->record();
    if (!m_replay->start(record, keepSpacing, error))
        return false;
    m_stopReplay->setEnabled(true);
    return true;
}

bool SessionActions::showFrameOfEvent(int logRow)
{
    const int row = frameRowForEvent(*log(), logRow, *frames());
    if (row < 0) {
        showMessage(tr("No frame in the Frames pane for that event (it has none, it belongs to "
                       "an earlier connection, or it was connected without the wire tap)."));
        return false;
    }
    m_views.framesPane->selectFrame(row);
    m_views.framesDock->show();
    m_views.framesDock->raise();
    return true;
}

bool SessionActions::showEventOfFrame(int frameRow)
{
    const int row = eventRowForFrame(*log(), *frames(), frameRow);
    if (row < 0) {
        showMessage(tr("That frame's event is no longer in the Events pane."));
        return false;
    }
    m_views.events->selectEvent(row);
    m_views.eventsDock->show();
    m_views.eventsDock->raise();
    return true;
}

void SessionActions::exportWithDialog()
{
    QString filter;
    const QString json = tr("WsLab session, lossless (*.json)");
    const QString har = tr("HAR 1.2, as Chrome saves it (*.har)");
    QString path = QFileDialog::getSaveFileName(m_views.window, tr("Export session"),
                                                QStringLiteral("session.json"),
                                                json + QStringLiteral(";;") + har, &filter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += filter == har ? QStringLiteral(".har") : QStringLiteral(".json");
    QString error;
    if (!exportTo(path, &error))
        QMessageBox::warning(m_views.window, tr("Export session"), error);
}

void SessionActions::importWithDialog()
{
    const QString path
        = QFileDialog::getOpenFileName(m_views.window, tr("Import session"), QString(),
                                       tr("Sessions (*.json *.har);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!importFrom(path, &error))
        QMessageBox::warning(m_views.window, tr("Import session"), error);
}

void SessionActions::showMessage(const QString &text)
{
    m_views.window->statusBar()->showMessage(text, 8000);
}

} // namespace wslab
