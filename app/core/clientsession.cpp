#include "clientsession.h"

#include "clientargs.h"
#include "textpreview.h"
#include "wirelines.h"

#include <QCoreApplication>

namespace wslab {

namespace {
QString preview(const QByteArray &payload, bool binary)
{
    return binary ? QCoreApplication::translate("wslab::ClientSession", "binary, %n byte(s): %1",
                                                nullptr, int(payload.size()))
                        .arg(shortHex(payload, 16))
                  : QStringLiteral("\"%1\"").arg(escapedText(payload, 80));
}

} // namespace

ClientSession::ClientSession(QObject *parent) : QObject(parent) { }

ClientSession::~ClientSession()
{
    teardown();
}

void ClientSession::teardown()
{
    if (m_socket) {
        m_socket->disconnect(this);
        if (m_socket->state() == QAbstractSocket::ConnectedState)
            m_socket->close(QWebSocketProtocol::CloseCodeGoingAway, tr("client closed"));
    }
    m_socket.reset();
    if (m_wire)
        m_wire->disconnect(this);
    m_wire.reset();
}

void ClientSession::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void ClientSession::emitEvent(Event::Kind kind, Phase phase, const QString &summary,
                              const QByteArray &payload, bool binary)
{
    Event e = makeEvent(Event::Side::Client, phase, kind, m_connectionCount, summary);
    e.payload = payload.size() > Event::maxPayload ? payload.left(Event::maxPayload) : payload;
    e.payloadSize = payload.size();
    e.binary = binary;
    Q_EMIT event(e);
}

bool ClientSession::connectTo(const QString &urlText)
{
    QString error;
    const auto url = parseWebSocketUrl(urlText, &error);
    if (!url) {
        m_errorString = error;
        emitEvent(Event::Kind::Error, Phase::Tcp, tr("bad URL: %1").arg(error));
        return false;
    }
    if (isActive())
        abort();
    teardown();

    m_url = *url;
    m_errorString.clear();
    m_close.reset();
    m_closeInfo = CloseInfo();
    ++m_connectionCount;
    m_socket = std::make_unique<QWebSocket>();

    if (m_viaTap) {
        m_wire = std::make_unique<WireSession>();
        const bool secure = m_url.scheme() == u"wss";
        if (m_wire->start(m_url.host(), quint16(m_url.port(secure ? 443 : 80)))) {
            m_socket->setProxy(m_wire->tap()->proxy());
            m_wire->tap()->setStepping(m_stepping);
            connect(m_wire.get(), &WireSession::event, this, &ClientSession::onWireEvent);
            connect(m_wire->tap(), &WireTap::heldChanged, this, &ClientSession::heldChanged);
        } else {
            emitEvent(Event::Kind::Error, Phase::Tcp,
                      tr("the wire tap could not listen; connecting directly"));
            m_wire.reset();
            m_socket->setProxy(QNetworkProxy::NoProxy);
        }
    } else {
        m_socket->setProxy(QNetworkProxy::NoProxy);
    }

    QWebSocket *socket = m_socket.get();
    connect(socket, &QWebSocket::connected, this, [this] {
        setState(State::Open);
        emitEvent(Event::Kind::Open, Phase::WebSocket,
                  tr("open: %1 (frames over the same TCP connection)").arg(m_url.toString()));
    });
    connect(socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        const QByteArray utf8 = text.toUtf8();
        const qint64 t = EventClock::nowNs();
        emitEvent(Event::Kind::MessageReceived, Phase::WebSocket,
                  tr("received text %1").arg(preview(utf8, false)), utf8);
        Q_EMIT messageReceived(utf8, false, t);
    });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &data) {
        const qint64 t = EventClock::nowNs();
        emitEvent(Event::Kind::MessageReceived, Phase::WebSocket,
                  tr("received %1").arg(preview(data, true)), data, true);
        Q_EMIT messageReceived(data, true, t);
    });
    connect(socket, &QWebSocket::pong, this, [this](quint64 elapsed, const QByteArray &) {
        emitEvent(Event::Kind::Pong, Phase::WebSocket, tr("pong: round trip %1 ms").arg(elapsed));
        Q_EMIT pongReceived(qint64(elapsed));
    });
    connect(socket, &QWebSocket::aboutToClose, this, [this] {
        m_close.aboutToClose();
        if (!m_close.closeStarted())
            return;
        setState(State::Closing);
        if (!m_close.weInitiated())
            emitEvent(Event::Kind::CloseReceived, Phase::WebSocket,
                      tr("close received from the server: %1 %2")
                          .arg(int(m_socket->closeCode()))
                          .arg(m_socket->closeReason()));
    });
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError error) {
                if (error == QAbstractSocket::RemoteHostClosedError && m_state == State::Open)
                    return; // reported by onDisconnected()
                m_errorString = readableWebSocketError(m_socket->errorString());
                emitEvent(Event::Kind::Error,
                          m_state == State::HttpHandshake ? Phase::Http : Phase::Tcp,
                          m_errorString);
            });
    connect(socket, &QWebSocket::disconnected, this, &ClientSession::onDisconnected);

    setState(State::TcpConnecting);
    emitEvent(Event::Kind::TcpConnecting, Phase::Tcp,
              m_wire ? tr("connecting to %1 through the wire tap").arg(m_url.toString())
                     : tr("connecting to %1").arg(m_url.toString()));
    socket->open(m_url);
    return true;
}

void ClientSession::onWireEvent(const WireEvent &wire)
{
    if (wire.kind == WireEvent::Kind::TcpConnected) {
        m_serverSidePort = wire.localPort;
        if (m_state == State::TcpConnecting)
            setState(State::HttpHandshake);
    }
    Event e = makeEvent(Event::Side::Wire, wire.phase, Event::Kind::Info, m_connectionCount, {});
    using K = WireEvent::Kind;
    switch (wire.kind) {
    case K::TunnelRequested:
        e.kind = Event::Kind::Info;
        break;
    case K::TunnelRefused:
        e.kind = Event::Kind::Error;
        break;
    case K::TcpConnected:
        e.kind = Event::Kind::TcpConnected;
        break;
    case K::HandshakeRequest:
        e.kind = Event::Kind::HandshakeRequest;
        break;
    case K::HandshakeResponse:
        e.kind = Event::Kind::HandshakeResponse;
        break;
    case K::Frame:
        e.kind = Event::Kind::Frame;
        break;
    case K::ProtocolError:
        e.kind = Event::Kind::ProtocolError;
        break;
    case K::Tls:
        e.kind = Event::Kind::Tls;
        break;
    case K::TcpClosed:
        e.kind = Event::Kind::TcpClosed;
        break;
    case K::Error:
        e.kind = Event::Kind::Error;
        break;
    }
    const QStringList lines = wireLines(wire);
    e.summary = lines.isEmpty() ? QString() : lines.first();
    if (wire.kind == K::HandshakeRequest || wire.kind == K::HandshakeResponse)
        e.summary = (wire.direction == Direction::ClientToServer ? QStringLiteral("> ")
                                                                 : QStringLiteral("< "))
            + QString::fromLatin1(wire.startLine);
    e.wire = wire;
    Q_EMIT event(e);
    Q_EMIT wireEvent(wire);
}

void ClientSession::onDisconnected()
{
    m_closeInfo = m_close.info(*m_socket);
    const bool everOpen = m_state == State::Open || m_state == State::Closing;
    setState(State::Closed);
    if (everOpen) {
        const QString who = m_closeInfo.initiator == Initiator::Client ? tr("closed by client")
            : m_closeInfo.initiator == Initiator::Server               ? tr("closed by server")
                                                                       : tr("connection dropped");
        emitEvent(
            Event::Kind::Closed, Phase::WebSocket,
            tr("%1: code %2%3, %4")
                .arg(who)
                .arg(m_closeInfo.code)
                .arg(m_closeInfo.reason.isEmpty() ? QString() : u" \"" + m_closeInfo.reason + u'"')
                .arg(m_closeInfo.clean ? tr("clean") : tr("not clean")));
    }
    Q_EMIT closed(m_closeInfo);
}

void ClientSession::disconnectGracefully(quint16 code, const QString &reason)
{
    if (!m_socket || m_state != State::Open)
        return;
    m_close.closing(code, reason);
    emitEvent(Event::Kind::CloseSent, Phase::WebSocket,
              tr("close sent: %1 %2").arg(code).arg(reason));
    m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
}

void ClientSession::abort()
{
    if (!m_socket || !isActive())
        return;
    emitEvent(Event::Kind::Info, Phase::Tcp, tr("abort: dropping TCP without a Close frame"));
    m_close.aborting();
    m_socket->abort();
}

void ClientSession::sendText(const QString &text)
{
    if (!m_socket || m_state != State::Open)
        return;
    m_socket->sendTextMessage(text);
    const QByteArray utf8 = text.toUtf8();
    emitEvent(Event::Kind::MessageSent, Phase::WebSocket,
              tr("sent text %1").arg(preview(utf8, false)), utf8);
    Q_EMIT messageSent(utf8, false, EventClock::nowNs());
}

void ClientSession::sendBinary(const QByteArray &data)
{
    if (!m_socket || m_state != State::Open)
        return;
    m_socket->sendBinaryMessage(data);
    emitEvent(Event::Kind::MessageSent, Phase::WebSocket, tr("sent %1").arg(preview(data, true)),
              data, true);
    Q_EMIT messageSent(data, true, EventClock::nowNs());
}

quint16 ClientSession::serverSidePort() const
{
    if (m_wire)
        return m_serverSidePort;
    return m_socket ? m_socket->localPort() : 0;
}

int ClientSession::heldCount() const
{
    return m_wire ? m_wire->tap()->heldCount() : 0;
}

void ClientSession::setStepping(bool stepping)
{
    m_stepping = stepping;
    if (m_wire)
        m_wire->tap()->setStepping(stepping);
}

bool ClientSession::step()
{
    return m_wire && m_wire->tap()->step();
}

void ClientSession::ping(const QByteArray &payload)
{
    if (!m_socket || m_state != State::Open)
        return;
    m_socket->ping(payload.left(125));
    emitEvent(Event::Kind::Ping, Phase::WebSocket, tr("ping sent"));
}

} // namespace wslab
