#pragma once

#include "sessionrecord.h"

#include <QObject>

#include <optional>

class QAction;
class QDockWidget;
class QMainWindow;

namespace wslab {

class ClientSession;
class Connection;
class EventLog;
class EventsPane;
class FrameListModel;
class FramesPane;
class HandshakePane;
class SequenceModel;
class ServerHost;
class SessionRecorder;
class SessionReplay;

// File > Export session…, Import…, Replay, and the jumps between an event and its frame: the
// window's part of sessions, kept out of MainWindow (which only adds the actions to its menu).
// Everything a dialog asks is also a function taking the path, for tests.
class SessionActions : public QObject
{
    Q_OBJECT

public:
    struct Views
    {
        QMainWindow *window;
        EventsPane *events;
        FramesPane *framesPane;
        HandshakePane *handshake;
        QDockWidget *eventsDock;
        QDockWidget *framesDock;
    };

    explicit SessionActions(const Views &views, QObject *parent = nullptr);

    // The connection (tab) the actions are about: what Export writes, Import fills and Replay
    // sends over. The panes follow the same one. Leaves a review of another connection.
    void follow(Connection *connection);

    QList<QAction *> actions() const;
    SessionRecorder *recorder() const;
    SessionReplay *replayer() const { return m_replay; }
    bool isReviewing() const { return m_reviewing; }
    // What Export writes now: the imported record while it is shown, else the recording.
    SessionRecord currentRecord() const;

    // A path ending in ".har" is written as HAR, anything else as the JSON format.
    bool exportTo(const QString &path, QString *error);
    // Reads a HAR or a WsLab session, by its content; shows it in the panes, read only.
    bool importFrom(const QString &path, QString *error);
    bool replay(bool keepSpacing, QString *error);
    // The jumps; false (and a status message) when the other row is not there.
    bool showFrameOfEvent(int logRow);
    bool showEventOfFrame(int frameRow);

public Q_SLOTS:
    void retranslate();

private:
    void exportWithDialog();
    void importWithDialog();
    void showMessage(const QString &text);
    void leaveReview();

    ClientSession *session() const;
    EventLog *log() const;
    FrameListModel *frames() const;

    Views m_views;
    Connection *m_connection = nullptr;
    QList<QMetaObject::Connection> m_wiring; // to the followed connection
    SessionReplay *m_replay = nullptr; // over the followed connection's session
    std::optional<SessionRecord> m_imported;
    QString m_importedName;
    bool m_reviewing = false;
    QAction *m_export, *m_import, *m_replayNow, *m_replaySpaced, *m_stopReplay;
};

} // namespace wslab
