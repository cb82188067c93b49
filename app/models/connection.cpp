#include "connection.h"

#include "clientsession.h"
#include "eventlog.h"
#include "framelistmodel.h"
#include "sequencemodel.h"
#include "sessionrecord.h"
#include "sessionrecorder.h"

#include <QTimer>

namespace wslab {

namespace {

constexpr int maxHandshakeEvents = 64; // a handshake is a handful; a misbehaving peer is bounded

} // namespace

Connection::Connection(QObject *parent)
    : QObject(parent), m_session(new ClientSession(this)), m_log(new EventLog(this)),
      m_frames(new FrameListModel(this)), m_sequence(new SequenceModel(this)),
      m_recorder(new SessionRecorder(this))
{
    // The record for File > Export: the same signals the models get.
    connect(m_session, &ClientSession::event, m_recorder, &SessionRecorder::addEvent);
    connect(m_session, &ClientSession::wireEvent, m_recorder, &SessionRecorder::addWireEvent);
    connect(m_session, &ClientSession::messageSent, m_recorder, &SessionRecorder::addSent);
    connect(m_session, &ClientSession::messageReceived, m_recorder, &SessionRecorder::addReceived);
    connect(m_session, &ClientSession::event, m_log, &EventLog::append);
    connect(m_session, &ClientSession::wireEvent, m_frames, &FrameListModel::addWireEvent);
    connect(m_session, &ClientSession::wireEvent, m_sequence, &SequenceModel::addWireEvent);
    connect(m_session, &ClientSession::wireEvent, this, [this](const WireEvent &event) {
        if (event.kind == WireEvent::Kind::Frame || m_handshake.size() >= maxHandshakeEvents)
            return;
        m_handshake.append(event);
        Q_EMIT handshakeEvent(event);
    });
    // A new attempt starts its own record: the last one's frames, arrows and handshake go.
    connect(m_session, &ClientSession::stateChanged, this, [this](ClientSession::State state) {
        if (state != ClientSession::State::TcpConnecting)
            return;
        m_frames->clear();
        m_sequence->clear();
        m_handshake.clear();
        m_attemptUrl = m_session->url();
        m_attemptViaTap = m_session->viaTap();
        m_recorder->setUrl(m_attemptUrl.toString());
        Q_EMIT attemptStarted();
    });
}

QVariantMap Connection::saveState(const QString &urlText) const
{
    QVariantMap state = toVariantMap(m_session->connectOptions());
    state.insert(QStringLiteral("url"), urlText);
    state.insert(QStringLiteral("viaTap"), m_session->viaTap());
    state.insert(QStringLiteral("maxIncomingMessageSize"), m_session->maxIncomingMessageSize());
    return state;
}

QString Connection::restoreState(const QVariantMap &state)
{
    // What is missing keeps its default: a state saved by an older WsLab still restores.
    m_session->setConnectOptions(connectOptionsFromVariantMap(state, m_session->connectOptions()));
    if (state.contains(QStringLiteral("viaTap")))
        m_session->setViaTap(state.value(QStringLiteral("viaTap")).toBool());
    if (const qint64 bytes = state.value(QStringLiteral("maxIncomingMessageSize")).toLongLong();
        bytes > 0) {
        m_session->setMaxIncomingMessageSize(bytes);
        m_session->setMaxIncomingFrameSize(bytes);
    }
    return state.value(QStringLiteral("url")).toString();
}

void Connection::load(const SessionRecord &record)
{
    m_log->clear();
    m_frames->clear();
    m_sequence->clear();
    m_handshake.clear();
    m_log->appendBatch(record.events);
    m_log->flush();
    QList<Event> serverEvents;
    for (const Event &e : record.events)
        if (e.side == Event::Side::Server)
            serverEvents.append(e);
    for (const WireEvent &w : record.wire) {
        m_frames->addWireEvent(w);
        m_sequence->addWireEvent(w);
        if (w.kind != WireEvent::Kind::Frame && m_handshake.size() < maxHandshakeEvents)
            m_handshake.append(w);
    }
    m_sequence->addServerEvents(serverEvents);
    m_frames->flush();
}

ConnectionList::ConnectionList(QObject *parent) : QObject(parent) { }

Connection *ConnectionList::create()
{
    auto *connection = new Connection(this);
    m_connections.append(connection);
    return connection;
}

void ConnectionList::remove(Connection *connection, quint16 code, const QString &reason)
{
    m_connections.removeAll(connection);
    ClientSession *session = connection->session();
    if (!session->isActive()) {
        connection->deleteLater();
        return;
    }
    connect(session, &ClientSession::stateChanged, connection, [connection](auto state) {
        if (state == ClientSession::State::Closed)
            connection->deleteLater();
    });
    // Qt's close() does not wait for the server's Close; a server that never answers at all
    // still lets the connection go.
    QTimer::singleShot(5000, connection, &QObject::deleteLater);
    session->disconnectGracefully(code, reason);
}

QList<Connection *> ConnectionList::connections() const
{
    QList<Connection *> list;
    for (const auto &connection : m_connections)
        if (connection)
            list.append(connection);
    return list;
}

Connection *ConnectionList::ownerOf(quint64 serverConnection) const
{
    const auto owner = m_owners.find(serverConnection);
    return owner == m_owners.end() ? nullptr : owner->second.data();
}

Connection *ConnectionList::match(quint64 serverConnection)
{
    const auto port = m_peerPorts.find(serverConnection);
    if (port == m_peerPorts.end())
        return nullptr;
    for (Connection *connection : connections()) {
        if (connection->session()->serverSidePort() == port->second) {
            m_owners[serverConnection] = connection;
            if (m_owners.size() > maxTracked)
                m_owners.erase(m_owners.begin());
            return connection;
        }
    }
    return nullptr;
}

void ConnectionList::addServerEvents(const QList<Event> &events)
{
    const QList<Connection *> all = connections();
    std::map<Connection *, QList<Event>> batches;
    for (const Event &event : events) {
        if (event.kind == Event::Kind::TcpAccepted && event.connection != 0) {
            m_peerPorts[event.connection] = event.peerPort;
            if (m_peerPorts.size() > maxTracked)
                m_peerPorts.erase(m_peerPorts.begin()); // the oldest: ids only grow
        }
        if (const auto owner = m_owners.find(event.connection); owner != m_owners.end()) {
            if (owner->second) // else its tab was closed: nowhere to show it
                batches[owner->second].append(event);
        } else if (Connection *connection = match(event.connection)) {
            batches[connection].append(event);
        } else {
            for (Connection *connection : all)
                batches[connection].append(event);
        }
    }
    for (const auto &[connection, batch] : batches) {
        connection->eventLog()->appendBatch(batch);
        connection->recorder()->addEvents(batch);
    }
    for (Connection *connection : all)
        connection->sequenceModel()->addServerEvents(events);
}

void ConnectionList::countDropped(qint64 count)
{
    for (Connection *connection : connections())
        connection->eventLog()->countDropped(count);
}

} // namespace wslab
