#include "sequencemodel.h"

#include "textpreview.h"

#include <QCoreApplication>

namespace wslab {

Text arrowLabel(const WireEvent &event)
{
    using K = WireEvent::Kind;
    switch (event.kind) {
    case K::TcpConnected:
        return Text("wslab::SequenceModel",
                    QT_TRANSLATE_NOOP("wslab::SequenceModel", "TCP connect (%1)"))
            .arg(event.text);
    case K::HandshakeRequest:
        return Text("wslab::SequenceModel",
                    QT_TRANSLATE_NOOP("wslab::SequenceModel", "%1 — Upgrade: websocket"))
            .arg(QString::fromLatin1(event.startLine));
    case K::HandshakeResponse:
        return Text::verbatim(
            QString::fromLatin1(event.startLine.mid(9))); // "101 Switching Protocols"
    case K::Frame: {
        const Frame &f = event.frame;
        QString what = opcodeName(f.opcode);
        if (f.opcode == Frame::Close && f.closeCode)
            what += QStringLiteral(" %1").arg(*f.closeCode)
                + (f.closeReason.isEmpty() ? QString() : u" \"" + f.closeReason + u'"');
        else if (f.messageOpcode == Frame::Text && !f.isControl())
            what += QStringLiteral(" \"%1\"").arg(escapedText(f.payload, 30));
        // The frame's own words (opcode, payload) are notation and stay as they are.
        Text label
            = Text("wslab::SequenceModel", QT_TRANSLATE_NOOP("wslab::SequenceModel", "%1 · %2 B"))
                  .arg(what)
                  .arg(f.payloadLength);
        if (f.masked)
            label = Text::untranslated("%1%2").arg(label).arg(Text(
                "wslab::SequenceModel", QT_TRANSLATE_NOOP("wslab::SequenceModel", " · masked")));
        if (!f.fin)
            label = Text::untranslated("%1%2").arg(label).arg(
                Text("wslab::SequenceModel",
                     QT_TRANSLATE_NOOP("wslab::SequenceModel", " · more to come")));
        return label;
    }
    case K::Tls:
        return Text(
            "wslab::SequenceModel",
            QT_TRANSLATE_N_NOOP("wslab::SequenceModel", "TLS, %n record(s): frames not visible"),
            int(event.tlsRecords));
    case K::ProtocolError:
        return Text("wslab::SequenceModel",
                    QT_TRANSLATE_NOOP("wslab::SequenceModel", "protocol error %1: %2"))
            .arg(event.error.closeCode)
            .arg(event.error.reason);
    case K::TcpClosed:
        return Text("wslab::SequenceModel",
                    QT_TRANSLATE_NOOP("wslab::SequenceModel", "TCP closed (%1)"))
            .arg(event.text);
    default:
        return Text::verbatim(event.text);
    }
}

Text stepCaption(const WireEvent &event)
{
    using K = WireEvent::Kind;
    const bool fromClient = event.direction == Direction::ClientToServer;
    switch (event.kind) {
    case K::TcpConnected:
        return Text("wslab::StepCaption",
                    QT_TRANSLATE_NOOP("wslab::StepCaption",
                                      "TCP is connected, and nothing has crossed yet. Next: "
                                      "the client's HTTP upgrade request."));
    case K::HandshakeRequest:
        return Text("wslab::StepCaption",
                    QT_TRANSLATE_NOOP(
                        "wslab::StepCaption",
                        "The client's HTTP request crossed: %1 with Upgrade: websocket and a fresh "
                        "Sec-WebSocket-Key. Next: the server's answer."))
            .arg(QString::fromLatin1(event.startLine));
    case K::HandshakeResponse:
        return event.startLine.contains(" 101 ")
            ? Text("wslab::StepCaption",
                   QT_TRANSLATE_NOOP(
                       "wslab::StepCaption",
                       "The server's 101 Switching Protocols crossed: the handshake is done. From "
                       "now on "
                       "this same TCP connection carries WebSocket frames, in either direction."))
            : Text("wslab::StepCaption",
                   QT_TRANSLATE_NOOP(
                       "wslab::StepCaption",
                       "The server answered %1: no WebSocket, so no frames will follow."))
                  .arg(QString::fromLatin1(event.startLine.mid(9)));
    case K::Frame: {
        const Frame &f = event.frame;
        if (f.opcode == Frame::Close)
            return fromClient
                ? Text("wslab::StepCaption",
                       QT_TRANSLATE_NOOP("wslab::StepCaption",
                                         "The client's Close frame crossed: the closing handshake "
                                         "has begun. Next: the "
                                         "server's Close, then TCP ends."))
                : Text("wslab::StepCaption",
                       QT_TRANSLATE_NOOP("wslab::StepCaption",
                                         "The server's Close frame crossed. Next: the "
                                         "client's Close in reply, then TCP ends."));
        const QString kind = opcodeName(f.opcode);
        return fromClient
            ? Text("wslab::StepCaption",
                   QT_TRANSLATE_NOOP("wslab::StepCaption",
                                     "A %1 frame crossed from the client: %2 bytes, masked as "
                                     "every client frame must be."))
                  .arg(kind)
                  .arg(f.payloadLength)
            : Text("wslab::StepCaption",
                   QT_TRANSLATE_NOOP("wslab::StepCaption",
                                     "A %1 frame crossed from the server: %2 bytes, not masked. "
                                     "Nobody asked for it: "
                                     "the server sends when it wants."))
                  .arg(kind)
                  .arg(f.payloadLength);
    }
    case K::TcpClosed:
        return fromClient
            ? Text("wslab::StepCaption",
                   QT_TRANSLATE_NOOP("wslab::StepCaption", "The client's side of TCP ended (%1)."))
                  .arg(event.text)
            : Text("wslab::StepCaption",
                   QT_TRANSLATE_NOOP("wslab::StepCaption", "The server's side of TCP ended (%1)."))
                  .arg(event.text);
    case K::Tls:
        return Text("wslab::StepCaption",
                    QT_TRANSLATE_NOOP(
                        "wslab::StepCaption",
                        "Encrypted TLS records crossed: with wss:// the frames are not visible."));
    case K::ProtocolError:
        return Text("wslab::StepCaption",
                    QT_TRANSLATE_NOOP(
                        "wslab::StepCaption",
                        "These bytes break RFC 6455 (%1): a peer would close with %2."))
            .arg(event.error.reason)
            .arg(event.error.closeCode);
    default:
        return {};
    }
}

SequenceModel::SequenceModel(QObject *parent) : QObject(parent) { }

void SequenceModel::addWireEvent(const WireEvent &event)
{
    using K = WireEvent::Kind;
    SequenceArrow arrow;
    arrow.direction = event.direction;
    arrow.phase = event.phase;
    arrow.timeNs = event.timeNs;
    switch (event.kind) {
    case K::TcpConnected:
        arrow.kind = SequenceArrow::Kind::TcpConnect;
        m_ourPort = event.localPort; // how the server will see this window's client
        break;
    case K::HandshakeRequest:
        arrow.kind = SequenceArrow::Kind::HandshakeRequest;
        break;
    case K::HandshakeResponse:
        arrow.kind = SequenceArrow::Kind::HandshakeResponse;
        break;
    case K::Frame:
        arrow.kind = SequenceArrow::Kind::Frame;
        arrow.frameNumber = m_frames++;
        break;
    case K::Tls:
        arrow.kind = SequenceArrow::Kind::Tls;
        break;
    case K::ProtocolError:
        arrow.kind = SequenceArrow::Kind::ProtocolError;
        break;
    case K::TcpClosed:
        arrow.kind = SequenceArrow::Kind::TcpClose;
        break;
    default:
        return; // tap bookkeeping (CONNECT) is not part of the conversation
    }
    arrow.label = arrowLabel(event);
    append(std::move(arrow));
}

void SequenceModel::append(SequenceArrow arrow)
{
    if (count() >= maxArrows) { // start a new page; frames keep their numbers
        m_arrows.clear();
        Q_EMIT cleared();
    }
    m_arrows.push_back(std::move(arrow));
    Q_EMIT arrowsAdded(count() - 1, count() - 1);
}

void SequenceModel::addServerEvents(const QList<Event> &events)
{
    using K = Event::Kind;
    for (const Event &e : events) {
        if (e.kind == K::TcpAccepted) {
            m_peerPorts[e.connection] = e.peerPort;
            continue;
        }
        if (e.kind == K::TcpClosed) { // the connection's last event: a class comes and goes
            m_peerPorts.erase(e.connection);
            continue;
        }
        const auto port = m_peerPorts.find(e.connection);
        if (port == m_peerPorts.end() || (m_ourPort != 0 && port->second == m_ourPort))
            continue; // this window's own connection: the wire already shows it, byte for byte
        SequenceArrow arrow;
        arrow.other = true;
        arrow.timeNs = e.timeNs;
        arrow.phase = e.phase;
        arrow.label = Text::untranslated("#%1 %2").arg(e.connection).arg(e.summary);
        switch (e.kind) {
        case K::HandshakeRequest:
        case K::MessageReceived:
        case K::Summary: // a flood, counted: one arrow stands for it
            arrow.direction = Direction::ClientToServer;
            arrow.kind = e.kind == K::HandshakeRequest ? SequenceArrow::Kind::HandshakeRequest
                                                       : SequenceArrow::Kind::Frame;
            break;
        case K::Open:
        case K::MessageSent:
            arrow.direction = Direction::ServerToClient;
            arrow.kind = e.kind == K::Open ? SequenceArrow::Kind::HandshakeResponse
                                           : SequenceArrow::Kind::Frame;
            break;
        case K::Closed:
            arrow.direction = Direction::ServerToClient;
            arrow.kind = SequenceArrow::Kind::TcpClose;
            break;
        default:
            continue;
        }
        m_hasOthers = true;
        append(std::move(arrow));
    }
}

void SequenceModel::clear()
{
    m_arrows.clear();
    m_hasOthers = false;
    m_frames = 0;
    Q_EMIT cleared();
}

} // namespace wslab
