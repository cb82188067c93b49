#pragma once

#include "event.h"
#include "wiredecoder.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <QVariantMap>

#include <map>

namespace wslab {

class ClientSession;
class EventLog;
class FrameListModel;
class SequenceModel;
class SessionRecorder;
struct SessionRecord;

// One of the window's connections (a tab): its client session and everything shown about it,
// the events, the frames, the sequence and the handshake as it crossed. No widgets: the tab
// and the docks are views of it, and the docks switch from one connection to another.
class Connection : public QObject
{
    Q_OBJECT

public:
    explicit Connection(QObject *parent = nullptr);

    ClientSession *session() const { return m_session; }
    EventLog *eventLog() const { return m_log; }
    FrameListModel *frameModel() const { return m_frames; }
    SequenceModel *sequenceModel() const { return m_sequence; }
    // Both sides' events and every byte on the wire, for File > Export (bounded).
    SessionRecorder *recorder() const { return m_recorder; }
    // The handshake as it crossed, for a pane that shows it: every wire event of the last
    // attempt but its frames (the tunnel, TCP, TLS, the request and the response), in order.
    // A pane switched to this connection is cleared and fed these again.
    const QList<WireEvent> &handshakeEvents() const { return m_handshake; }
    // The last attempt's URL and whether it went through the wire tap (what the panes can
    // show of its bytes); an empty URL before the first.
    QUrl attemptUrl() const { return m_attemptUrl; }
    bool attemptViaTap() const { return m_attemptViaTap; }

    // What a tab is made of, to save it and to make it again (restore, duplicate): the URL as
    // typed, the tap switch, the connect options and the limits.
    QVariantMap saveState(const QString &urlText) const;
    // Applies what saveState() wrote; returns the URL text.
    QString restoreState(const QVariantMap &state);
    // An imported session in place of what the models showed: its events, frames, arrows and
    // handshake (handshakeEvents()), for review.
    void load(const SessionRecord &record);

Q_SIGNALS:
    // A wire event that belongs in the handshake pane (not a frame).
    void handshakeEvent(const wslab::WireEvent &event);
    // A new attempt began: what the panes showed of the last one is gone.
    void attemptStarted();

private:
    ClientSession *m_session;
    EventLog *m_log;
    FrameListModel *m_frames;
    SequenceModel *m_sequence;
    SessionRecorder *m_recorder;
    QList<WireEvent> m_handshake;
    QUrl m_attemptUrl;
    bool m_attemptViaTap = true;
};

// The window's connections, and the embedded server's events shared out among them: each
// connection's log gets the server's side of that connection (matched by the port the server
// sees it on, ClientSession::serverSidePort()), and every log gets what belongs to none of them
// (the server starting, a browser, the console client, the polling experiment), as the single
// log did before there were tabs. The sequence models get every server event: they draw the
// other clients, other tabs included, on their own lifeline.
class ConnectionList : public QObject
{
    Q_OBJECT

public:
    explicit ConnectionList(QObject *parent = nullptr);

    // A new connection, owned by the list.
    Connection *create();
    // Closes its session gracefully (a Close frame with `code`), then deletes it once closed
    // (or after a few seconds, when the peer never answers).
    void remove(Connection *connection, quint16 code, const QString &reason);
    QList<Connection *> connections() const;
    int count() const { return int(m_connections.size()); }
    // The connection the server knows as `serverConnection`, or nullptr (not one of ours).
    Connection *ownerOf(quint64 serverConnection) const;

public Q_SLOTS:
    void addServerEvents(const QList<wslab::Event> &events);
    void countDropped(qint64 count); // server events lost before they reached any log

private:
    Connection *match(quint64 serverConnection);

    QList<QPointer<Connection>> m_connections;
    std::map<quint64, quint16> m_peerPorts; // server connection → the client's port
    std::map<quint64, QPointer<Connection>> m_owners; // matched once, kept (ports are reused)
    static constexpr size_t maxTracked = 10'000; // server connections remembered at most
};

} // namespace wslab
