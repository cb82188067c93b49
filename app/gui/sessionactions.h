#pragma once

#include "sessionrecord.h"

#include <QObject>

#include <optional>

class QAction;
class QDockWidget;
class QMainWindow;

namespace wslab {

class ClientSession;
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
        ClientSession *session;
        ServerHost *server;
        EventLog *log;
        FrameListModel *frames;
        SequenceModel *sequence;
        EventsPane *events;
        FramesPane *framesPane;
        HandshakePane *handshake;
        QDockWidget *eventsDock;
        QDockWidget *framesDock;
    };

    explicit SessionActions(const Views &views, QObject *parent = nullptr);

    QList<QAction *> actions() const;
    SessionRecorder *recorder() const { return m_recorder; }
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

    Views m_views;
    SessionRecorder *m_recorder;
    SessionReplay *m_replay;
    std::optional<SessionRecord> m_imported;
    QString m_importedName;
    bool m_reviewing = false;
    QAction *m_export, *m_import, *m_replayNow, *m_replaySpaced, *m_stopReplay;
};

} // namespace wslab
