#include "event.h"

#include <QCoreApplication>
#include <QElapsedTimer>

namespace wslab {

qint64 EventClock::nowNs()
{
    return monotonicNowNs();
}

Event makeEvent(Event::Side side, Phase phase, Event::Kind kind, quint64 connection,
                const Text &summary)
{
    Event e;
    e.timeNs = EventClock::nowNs();
    e.side = side;
    e.phase = phase;
    e.kind = kind;
    e.connection = connection;
    e.summary = summary;
    return e;
}

Event makeEvent(Event::Side side, Phase phase, Event::Kind kind, quint64 connection,
                const QString &summary)
{
    return makeEvent(side, phase, kind, connection, Text::verbatim(summary));
}

QString sideName(Event::Side side)
{
    switch (side) {
    case Event::Side::Client:
        return QCoreApplication::translate("wslab::Event", "client");
    case Event::Side::Server:
        return QCoreApplication::translate("wslab::Event", "server");
    case Event::Side::Wire:
        return QCoreApplication::translate("wslab::Event", "wire");
    }
    return {};
}

QString phaseName(Phase phase)
{
    switch (phase) {
    case Phase::Tcp:
        return QCoreApplication::translate("wslab::Event", "TCP");
    case Phase::Http:
        return QCoreApplication::translate("wslab::Event", "HTTP");
    case Phase::WebSocket:
        return QCoreApplication::translate("wslab::Event", "WebSocket");
    }
    return {};
}

QString kindName(Event::Kind kind)
{
    using K = Event::Kind;
    switch (kind) {
    case K::TcpConnecting:
        return QCoreApplication::translate("wslab::Event", "TCP connecting");
    case K::TcpConnected:
        return QCoreApplication::translate("wslab::Event", "TCP connected");
    case K::TcpAccepted:
        return QCoreApplication::translate("wslab::Event", "TCP accepted");
    case K::TcpRefused:
        return QCoreApplication::translate("wslab::Event", "TCP refused");
    case K::TcpClosed:
        return QCoreApplication::translate("wslab::Event", "TCP closed");
    case K::HandshakeRequest:
        return QCoreApplication::translate("wslab::Event", "handshake request");
    case K::HandshakeResponse:
        return QCoreApplication::translate("wslab::Event", "handshake response");
    case K::HandshakeRejected:
        return QCoreApplication::translate("wslab::Event", "handshake rejected");
    case K::HttpRequest:
        return QCoreApplication::translate("wslab::Event", "HTTP request");
    case K::Open:
        return QCoreApplication::translate("wslab::Event", "open");
    case K::MessageSent:
        return QCoreApplication::translate("wslab::Event", "message sent");
    case K::MessageReceived:
        return QCoreApplication::translate("wslab::Event", "message received");
    case K::Summary:
        return QCoreApplication::translate("wslab::Event", "messages (summary)");
    case K::Ping:
        return QCoreApplication::translate("wslab::Event", "ping");
    case K::Pong:
        return QCoreApplication::translate("wslab::Event", "pong");
    case K::CloseSent:
        return QCoreApplication::translate("wslab::Event", "close sent");
    case K::CloseReceived:
        return QCoreApplication::translate("wslab::Event", "close received");
    case K::Closed:
        return QCoreApplication::translate("wslab::Event", "closed");
    case K::Frame:
        return QCoreApplication::translate("wslab::Event", "frame");
    case K::Tls:
        return QCoreApplication::translate("wslab::Event", "TLS");
    case K::ProtocolError:
        return QCoreApplication::translate("wslab::Event", "protocol error");
    case K::Error:
        return QCoreApplication::translate("wslab::Event", "error");
    case K::Info:
        return QCoreApplication::translate("wslab::Event", "info");
    }
    return {};
}

} // namespace wslab
