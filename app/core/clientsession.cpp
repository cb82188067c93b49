#include "clientsession.h"

#include "clientargs.h"
#include "textpreview.h"
#include "wirelines.h"

#include <QCoreApplication>
#include <QTcpSocket>

namespace wslab {

namespace {
QString hostForUrl(const QHostAddress &address)
{
    return address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + address.toString() + u']'
                                                               : address.toString();
}

Text preview(const QByteArray &payload, bool binary)
{
    return binary ? Text("wslab::ClientSession",
                         QT_TRANSLATE_N_NOOP("wslab::ClientSession", "binary, %n byte(s): %1"),
                         int(payload.size()))
                        .arg(shortHex(payload, 16))
                  : Text::untranslated("\"%1\"").arg(escapedText(payload, 80));
}

} // namespace

ClientSession::ClientSession(QObject *parent) : QObject(parent)
{
    connect(&m_reconnect, &ReconnectBackoff::countdown, this, &ClientSession::reconnectCountdown);
    connect(&m_reconnect, &ReconnectBackoff::due, this, [this] {
        if (!isActive())
            startConnection(m_url);
    });
    m_handshakeTimer.setSingleShot(true);
    connect(&m_handshakeTimer, &QTimer::timeout, this, &ClientSession::onHandshakeTimeout);
}

ClientSession::~ClientSession()
{
    teardown();
}

void ClientSession::teardown()
{
    m_handshakeTimer.stop();
    m_close.unwatch();
    // Deleted later: this may run inside one of their signals (a slot of closed() that
    // connects again).
    if (m_socket) {
        m_socket->disconnect(this);
        if (m_socket->state() == QAbstractSocket::ConnectedState)
            // The reason crosses the wire: English, like every close reason WsLab sends.
            m_socket->close(QWebSocketProtocol::CloseCodeGoingAway,
                            QStringLiteral("client closed"));
        m_socket.release()->deleteLater();
    }
    if (m_wire) {
        m_wire->disconnect(this);
        m_wire->tap()->disconnect(this);
        m_wire.release()->deleteLater();
    }
}

void ClientSession::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void ClientSession::emitEvent(Event::Kind kind, Phase phase, const Text &summary,
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
        emitEvent(Event::Kind::Error, Phase::Tcp,
                  Text::of<ClientSession>(QT_TR_NOOP("bad URL: %1")).arg(error));
        return false;
    }
    m_reconnect.cancel();
    m_everOpened = false;
    return startConnection(*url);
}

void ClientSession::setConnectOptions(const ConnectOptions &options)
{
    if (options == m_options)
        return;
    m_options = options;
    if (!options.reconnect)
        m_reconnect.cancel();
    updateHandshakeTimer();
    Q_EMIT connectOptionsChanged();
}

bool ClientSession::startConnection(const QUrl &url)
{
    // Every option is checked before anything is torn down: a typo in a file name must not
    // cost the open connection.
    QString error;
    const auto handshake = makeHandshake(url, m_options, &error);
    const auto serverTls
        = handshake ? makeTlsConfiguration(m_options.tls, m_trusted, &error) : std::nullopt;
    const auto proxy = serverTls ? makeProxy(m_options.proxy, &error) : std::nullopt;
    if (!proxy) {
        m_errorString = error;
        emitEvent(Event::Kind::Error, Phase::Tcp,
                  Text::of<ClientSession>(QT_TR_NOOP("bad connection option: %1")).arg(error));
        return false;
    }
    if (isActive())
        abort();
    teardown();

    m_url = url;
    m_errorString.clear();
    m_tapError.clear();
    m_subprotocol.clear();
    m_userClosed = false;
    m_close.reset();
    m_closeInfo = CloseInfo();
    m_serverSidePort = 0;
    m_serverSideAddress.clear();
    ++m_connectionCount;
    m_socket = std::make_unique<QWebSocket>();
    // How the server is verified: by our socket, or by the tap when it decodes wss://.
    m_socket->setSslConfiguration(*serverTls);
    m_socket->setMaxAllowedIncomingMessageSize(quint64(m_maxMessageSize));
    m_socket->setMaxAllowedIncomingFrameSize(quint64(m_maxFrameSize));
    m_close.watch(*m_socket);

    if (m_viaTap) {
        m_wire = std::make_unique<WireSession>();
        const bool secure = m_url.scheme() == u"wss";
        // The name as it goes over the wire (punycode), as Qt asks the proxy for it.
        WireTarget target;
        target.host = m_url.host(QUrl::EncodeUnicode);
        target.port = quint16(m_url.port(secure ? 443 : 80));
        target.tls = secure;
        target.tlsConfiguration = *serverTls;
        target.proxy = *proxy;
        if (m_wire->start(target)) {
            m_socket->setProxy(m_wire->tap()->proxy());
            if (const QList<QSslCertificate> tapTrust = m_wire->clientTrust();
                !tapTrust.isEmpty()) {
                // TLS to the tap, which verifies the server: trust the tap's certificate, made
                // for this run, and nothing else.
                QSslConfiguration toTap = QSslConfiguration::defaultConfiguration();
                toTap.setCaCertificates(tapTrust);
                m_socket->setSslConfiguration(toTap);
            }
            m_wire->tap()->setStepping(m_stepping);
            connect(m_wire.get(), &WireSession::event, this, &ClientSession::onWireEvent);
            connect(m_wire->tap(), &WireTap::heldChanged, this, &ClientSession::heldChanged);
        } else {
            emitEvent(Event::Kind::Error, Phase::Tcp,
                      m_wire->errorString().isEmpty()
                          ? Text::of<ClientSession>(
                              QT_TR_NOOP("the wire tap could not listen; connecting directly"))
                          : Text::of<ClientSession>(
                                QT_TR_NOOP("the wire tap cannot decode this connection (%1); "
                                           "connecting directly"))
                                .arg(m_wire->errorString()));
            m_wire.reset();
            m_socket->setProxy(*proxy);
        }
    } else {
        m_socket->setProxy(*proxy);
    }

    QWebSocket *socket = m_socket.get();
    connect(socket, &QWebSocket::connected, this, [this] {
        m_handshakeTimer.stop();
        m_subprotocol = m_socket->subprotocol();
        m_everOpened = true;
        m_reconnect.reset();
        setState(State::Open);
        emitEvent(
            Event::Kind::Open, Phase::WebSocket,
            Text::of<ClientSession>(QT_TR_NOOP("open: %1 (frames over the same TCP connection)"))
                .arg(m_url.toString()));
        if (!m_options.subprotocols.isEmpty())
            emitEvent(Event::Kind::Info, Phase::WebSocket,
                      m_subprotocol.isEmpty()
                          ? Text::of<ClientSession>(
                                QT_TR_NOOP("subprotocol: the server chose none of %1"))
                                .arg(m_options.subprotocols.join(QStringLiteral(", ")))
                          : Text::of<ClientSession>(
                                QT_TR_NOOP("subprotocol: the server chose %1 (offered: %2)"))
                                .arg(m_subprotocol)
                                .arg(m_options.subprotocols.join(QStringLiteral(", "))));
    });
    connect(socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        const QByteArray utf8 = text.toUtf8();
        const qint64 t = EventClock::nowNs();
        emitEvent(Event::Kind::MessageReceived, Phase::WebSocket,
                  Text::of<ClientSession>(QT_TR_NOOP("received text %1")).arg(preview(utf8, false)),
                  utf8);
        Q_EMIT messageReceived(utf8, false, t);
    });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &data) {
        const qint64 t = EventClock::nowNs();
        emitEvent(Event::Kind::MessageReceived, Phase::WebSocket,
                  Text::of<ClientSession>(QT_TR_NOOP("received %1")).arg(preview(data, true)), data,
                  true);
        Q_EMIT messageReceived(data, true, t);
    });
    connect(socket, &QWebSocket::pong, this, [this](quint64 elapsed, const QByteArray &) {
        emitEvent(Event::Kind::Pong, Phase::WebSocket,
                  Text::of<ClientSession>(QT_TR_NOOP("pong: round trip %1 ms")).arg(elapsed));
        Q_EMIT pongReceived(qint64(elapsed));
    });
    connect(socket, &QWebSocket::aboutToClose, this, &ClientSession::onAboutToClose);
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            &ClientSession::onSocketError);
    connect(socket, &QWebSocket::disconnected, this, &ClientSession::onDisconnected);

    setState(State::TcpConnecting);
    // The URL as requested, with the options' query parameters (url() stays as typed).
    const QString requested = handshake->request.url().toString();
    emitEvent(Event::Kind::TcpConnecting, Phase::Tcp,
              m_wire ? Text::of<ClientSession>(QT_TR_NOOP("connecting to %1 through the wire tap"))
                           .arg(requested)
                     : Text::of<ClientSession>(QT_TR_NOOP("connecting to %1")).arg(requested));
    if (!m_options.tls.verify && m_url.scheme() == u"wss")
        emitEvent(Event::Kind::Tls, Phase::Tcp,
                  Text::of<ClientSession>(
                      QT_TR_NOOP("warning: the server's certificate is NOT verified (TLS "
                                 "verification is off in the connection options); anyone on "
                                 "the way can read and change this connection")));
    socket->open(handshake->request, handshake->options);
    // Without the tap nothing says when TCP is up and the HTTP handshake starts: QWebSocket
    // 6.4 keeps its TCP socket as a child and stays "connecting" until the 101.
    if (!m_wire)
        if (auto *tcp = socket->findChild<QTcpSocket *>(QString(), Qt::FindDirectChildrenOnly))
            connect(tcp, &QAbstractSocket::connected, this, [this, tcp] {
                onTcpConnected(QStringLiteral("%1:%2")
                                   .arg(hostForUrl(tcp->peerAddress()))
                                   .arg(tcp->peerPort()));
            });
    updateHandshakeTimer();
    return true;
}

void ClientSession::onTcpConnected(const QString &peer)
{
    if (m_state != State::TcpConnecting)
        return;
    setState(State::HttpHandshake);
    emitEvent(Event::Kind::TcpConnected, Phase::Tcp,
              Text::of<ClientSession>(QT_TR_NOOP("TCP connected to %1")).arg(peer));
}

void ClientSession::onAboutToClose()
{
    m_close.aboutToClose();
    // Qt says aboutToClose twice (its own, then the TCP socket's): report the close once.
    if (!m_close.closeStarted() || m_state == State::Closing || m_state == State::Closed)
        return;
    setState(State::Closing);
    const quint16 code = quint16(m_socket->closeCode());
    if (m_close.qtClosed()) {
        emitEvent(
            Event::Kind::CloseSent, Phase::WebSocket,
            code == QWebSocketProtocol::CloseCodeTooMuchData
                ? Text::of<ClientSession>(
                      QT_TR_NOOP(
                          "close sent: 1009 (message too big) \"%1\": the server sent more than "
                          "this client accepts (%2 bytes in a message, %3 in a frame)"))
                      .arg(m_socket->closeReason())
                      .arg(m_maxMessageSize)
                      .arg(m_maxFrameSize)
                : Text::of<ClientSession>(
                      QT_TR_NOOP("close sent: %1 \"%2\": Qt refused what the server sent"))
                      .arg(code)
                      .arg(m_socket->closeReason()));
    } else if (!m_close.weInitiated()) {
        emitEvent(Event::Kind::CloseReceived, Phase::WebSocket,
                  Text::of<ClientSession>(QT_TR_NOOP("close received from the server: %1 %2"))
                      .arg(code)
                      .arg(m_socket->closeReason()));
    }
}

void ClientSession::onSocketError(QAbstractSocket::SocketError error)
{
    if (m_state == State::Open || m_state == State::Closing) {
        if (error == QAbstractSocket::RemoteHostClosedError)
            return; // reported by onDisconnected()
        const Text error = readableWebSocketError(m_socket->errorString());
        m_errorString = error.toString();
        emitEvent(Event::Kind::Error, Phase::WebSocket, error);
        return;
    }
    if (m_state == State::TcpConnecting || m_state == State::HttpHandshake)
        failFromSocket(error);
}

void ClientSession::failFromSocket(QAbstractSocket::SocketError error)
{
    fail(m_wire && !m_tapError.isEmpty()
             ? tapFailureMessage(m_tapError, m_url)
             : openFailureMessage(error, m_socket->errorString(), m_url));
}

void ClientSession::fail(const Text &message, Event::Kind kind)
{
    if (!isActive())
        return;
    m_handshakeTimer.stop();
    if (kind == Event::Kind::Error)
        m_errorString = message.toString();
    emitEvent(kind, m_state == State::HttpHandshake ? Phase::Http : Phase::Tcp, message);
    // Qt 6.4 keeps the TCP connection after a handshake it rejected (a 200, garbage): drop
    // it. The socket stays until the next connection, for its addresses.
    m_socket->disconnect(this);
    m_socket->abort();
    m_closeInfo = m_close.info(*m_socket);
    setState(State::Closed);
    // An attempt after a connection that had opened keeps trying; the first one does not.
    if (m_everOpened)
        scheduleReconnect();
    Q_EMIT closed(m_closeInfo);
}

void ClientSession::scheduleReconnect()
{
    if (!m_options.reconnect || m_userClosed)
        return;
    m_reconnect.schedule();
    emitEvent(Event::Kind::Info, Phase::Tcp,
              Text::of<ClientSession>(QT_TR_NOOP("reconnecting to %1 in %2 s (attempt %3)"))
                  .arg(m_url.toString())
                  .arg(m_reconnect.stepsLeft())
                  .arg(m_reconnect.attempt()));
}

void ClientSession::cancelReconnect()
{
    if (!m_reconnect.isPending())
        return;
    m_reconnect.cancel();
    emitEvent(Event::Kind::Info, Phase::Tcp,
              Text::of<ClientSession>(QT_TR_NOOP("reconnect cancelled")));
}

void ClientSession::onHandshakeTimeout()
{
    const QString limit = QString::number(double(m_options.timeout.count()) / 1000.0);
    fail(m_state == State::HttpHandshake
             ? Text::of<ClientSession>(
                   QT_TR_NOOP(
                       "handshake timed out: the server accepted the connection but did not answer "
                       "within %1 s"))
                   .arg(limit)
             : Text::of<ClientSession>(QT_TR_NOOP("could not connect to %1 within %2 s"))
                   .arg(m_url.authority())
                   .arg(limit));
}

void ClientSession::setHandshakeTimeout(std::chrono::milliseconds timeout)
{
    ConnectOptions options = m_options;
    options.timeout = timeout;
    setConnectOptions(options);
}

void ClientSession::updateHandshakeTimer()
{
    const bool opening = m_state == State::TcpConnecting || m_state == State::HttpHandshake;
    if (opening && !m_stepping) {
        if (!m_handshakeTimer.isActive())
            m_handshakeTimer.start(m_options.timeout);
    } else {
        m_handshakeTimer.stop();
    }
}

void ClientSession::onWireEvent(const WireEvent &wire)
{
    if (wire.kind == WireEvent::Kind::TcpConnected) {
        m_serverSidePort = wire.localPort;
        m_serverSideAddress = QHostAddress(wire.localAddress);
        if (m_state == State::TcpConnecting)
            setState(State::HttpHandshake);
    }
    // Before the tunnel opens, only the tap knows why it failed (for wss://, after TCP is up:
    // the server's certificate). The tap's own errors are in the TCP phase, the decoder's not.
    if ((wire.kind == WireEvent::Kind::TunnelRefused
         || (wire.kind == WireEvent::Kind::Error && wire.phase == Phase::Tcp))
        && (m_state == State::TcpConnecting || m_state == State::HttpHandshake)
        && m_tapError.isEmpty())
        m_tapError = wire.text;
    Event e
        = makeEvent(Event::Side::Wire, wire.phase, Event::Kind::Info, m_connectionCount, Text());
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
    case K::TlsEstablished:
        e.kind = Event::Kind::Tls;
        break;
    case K::Warning: // shown as a problem, but the connection goes on
        e.kind = Event::Kind::Error;
        break;
    case K::TcpClosed:
        e.kind = Event::Kind::TcpClosed;
        break;
    case K::Error:
        e.kind = Event::Kind::Error;
        break;
    }
    const QStringList lines = wireLines(wire);
    // The tap's lines are notation (frame fields, start lines), the same in every language.
    e.summary = Text::verbatim(lines.isEmpty() ? QString() : lines.first());
    if (wire.kind == K::HandshakeRequest || wire.kind == K::HandshakeResponse)
        e.summary
            = Text::verbatim((wire.direction == Direction::ClientToServer ? QStringLiteral("> ")
                                                                          : QStringLiteral("< "))
                             + QString::fromLatin1(wire.startLine));
    e.wire = wire;
    Q_EMIT event(e);
    Q_EMIT wireEvent(wire);
}

void ClientSession::onDisconnected()
{
    m_handshakeTimer.stop();
    if (m_state == State::TcpConnecting || m_state == State::HttpHandshake) {
        // Gone before the 101. Qt may say why only after this signal: give it the turn.
        QTimer::singleShot(0, this, [this, attempt = m_connectionCount] {
            if (attempt == m_connectionCount && isActive() && m_socket)
                failFromSocket(m_socket->error());
        });
        return;
    }
    if (m_state != State::Open && m_state != State::Closing)
        return;
    m_closeInfo = m_close.info(*m_socket);
    setState(State::Closed);
    emitEvent(Event::Kind::Closed, Phase::WebSocket, closeSummary(m_closeInfo));
    scheduleReconnect();
    Q_EMIT closed(m_closeInfo);
}

void ClientSession::disconnectGracefully(quint16 code, const QString &reason)
{
    if (!m_socket || m_state != State::Open)
        return;
    m_userClosed = true;
    m_close.closing(code, reason);
    emitEvent(Event::Kind::CloseSent, Phase::WebSocket,
              Text::of<ClientSession>(QT_TR_NOOP("close sent: %1 %2")).arg(code).arg(reason));
    m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
}

void ClientSession::abort()
{
    m_reconnect.cancel();
    if (!m_socket || !isActive())
        return;
    m_userClosed = true;
    m_close.aborting();
    if (m_state == State::TcpConnecting || m_state == State::HttpHandshake) {
        fail(Text::of<ClientSession>(QT_TR_NOOP("abort: given up before the WebSocket opened")),
             Event::Kind::Info);
        return;
    }
    emitEvent(Event::Kind::Info, Phase::Tcp,
              Text::of<ClientSession>(QT_TR_NOOP("abort: dropping TCP without a Close frame")));
    m_socket->abort();
}

void ClientSession::sendText(const QString &text)
{
    if (!m_socket || m_state != State::Open)
        return;
    m_socket->sendTextMessage(text);
    const QByteArray utf8 = text.toUtf8();
    emitEvent(Event::Kind::MessageSent, Phase::WebSocket,
              Text::of<ClientSession>(QT_TR_NOOP("sent text %1")).arg(preview(utf8, false)), utf8);
    Q_EMIT messageSent(utf8, false, EventClock::nowNs());
}

void ClientSession::sendBinary(const QByteArray &data)
{
    if (!m_socket || m_state != State::Open)
        return;
    m_socket->sendBinaryMessage(data);
    emitEvent(Event::Kind::MessageSent, Phase::WebSocket,
              Text::of<ClientSession>(QT_TR_NOOP("sent %1")).arg(preview(data, true)), data, true);
    Q_EMIT messageSent(data, true, EventClock::nowNs());
}

QHostAddress ClientSession::serverSideAddress() const
{
    if (m_wire)
        return m_serverSideAddress;
    return m_socket ? m_socket->localAddress() : QHostAddress();
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
    updateHandshakeTimer();
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
    emitEvent(Event::Kind::Ping, Phase::WebSocket,
              Text::of<ClientSession>(QT_TR_NOOP("ping sent")));
}

} // namespace wslab
