#include "sequencemodel.h"

#include "textpreview.h"

#include <QCoreApplication>

namespace wslab {

QString arrowLabel(const WireEvent &event)
{
    using K = WireEvent::Kind;
    switch (event.kind) {
    case K::TcpConnected:
        return QCoreApplication::translate("wslab::SequenceModel", "TCP connect (%1)")
            .arg(event.text);
    case K::HandshakeRequest:
        return QCoreApplication::translate("wslab::SequenceModel", "%1 — Upgrade: websocket")
            .arg(QString::fromLatin1(event.startLine));
    case K::HandshakeResponse:
        return QString::fromLatin1(event.startLine.mid(9)); // "101 Switching Protocols"
    case K::Frame: {
        const Frame &f = event.frame;
        QString what = opcodeName(f.opcode);
        if (f.opcode == Frame::Close && f.closeCode)
            what += QStringLiteral(" %1").arg(*f.closeCode)
                + (f.closeReason.isEmpty() ? QString() : u" \"" + f.closeReason + u'"');
        else if (f.messageOpcode == Frame::Text && !f.isControl())
            what += QStringLiteral(" \"%1\"").arg(escapedText(f.payload, 30));
        QString label = QCoreApplication::translate("wslab::SequenceModel", "%1 · %2 B")
                            .arg(what)
                            .arg(f.payloadLength);
        if (f.masked)
            label += QCoreApplication::translate("wslab::SequenceModel", " · masked");
        if (!f.fin)
            label += QCoreApplication::translate("wslab::SequenceModel", " · more to come");
        return label;
    }
    case K::Tls:
        return QCoreApplication::translate("wslab::SequenceModel",
                                           "TLS, %n record(s): frames not visible", nullptr,
                                           int(event.tlsRecords));
    case K::ProtocolError:
        return QCoreApplication::translate("wslab::SequenceModel", "protocol error %1: %2")
            .arg(event.error.closeCode)
            .arg(event.error.reason);
    case K::TcpClosed:
        return QCoreApplication::translate("wslab::SequenceModel", "TCP closed (%1)")
            .arg(event.text);
    default:
        return event.text;
    }
}

QString stepCaption(const WireEvent &event)
{
    using K = WireEvent::Kind;
    const bool fromClient = event.direction == Direction::ClientToServer;
    switch (event.kind) {
    case K::TcpConnected:
        return QCoreApplication::translate("wslab::StepCaption",
                                           "TCP is connected, and nothing has crossed yet. Next: "
                                           "the client's HTTP upgrade request.");
    case K::HandshakeRequest:
        return QCoreApplication::translate(
                   "wslab::StepCaption",
                   "The client's HTTP request crossed: %1 with Upgrade: websocket and a fresh "
                   "Sec-WebSocket-Key. Next: the server's answer.")
            .arg(QString::fromLatin1(event.startLine));
    case K::HandshakeResponse:
        return event.startLine.contains(" 101 ")
            ? QCoreApplication::translate(
                "wslab::StepCaption",
                "The server's 101 Switching Protocols crossed: the handshake is done. From now on "
                "this same TCP connection carries WebSocket frames, in either direction.")
            : QCoreApplication::translate(
                  "wslab::StepCaption",
                  "The server answered %1: no WebSocket, so no frames will follow.")
                  .arg(QString::fromLatin1(event.startLine.mid(9)));
    case K::Frame: {
        const Frame &f = event.frame;
        if (f.opcode == Frame::Close)
            return fromClient
                ? QCoreApplication::translate(
                    "wslab::StepCaption",
                    "The client's Close frame crossed: the closing handshake has begun. Next: the "
                    "server's Close, then TCP ends.")
                : QCoreApplication::translate("wslab::StepCaption",
                                              "The server's Close frame crossed. Next: the "
                                              "client's Close in reply, then TCP ends.");
        const QString kind = opcodeName(f.opcode);
        return fromClient
            ? QCoreApplication::translate("wslab::StepCaption",
                                          "A %1 frame crossed from the client: %2 bytes, masked as "
                                          "every client frame must be.")
                  .arg(kind)
                  .arg(f.payloadLength)
            : QCoreApplication::translate(
                  "wslab::StepCaption",
                  "A %1 frame crossed from the server: %2 bytes, not masked. Nobody asked for it: "
                  "the server sends when it wants.")
                  .arg(kind)
                  .arg(f.payloadLength);
    }
    case K::TcpClosed:
        return fromClient ? QCoreApplication::translate("wslab::StepCaption",
                                                        "The client's side of TCP ended (%1).")
                                .arg(event.text)
                          : QCoreApplication::translate("wslab::StepCaption",
                                                        "The server's side of TCP ended (%1).")
                                .arg(event.text);
    case K::Tls:
        return QCoreApplication::translate(
            "wslab::StepCaption",
            "Encrypted TLS records crossed: with wss:// the frames are not visible.");
    case K::ProtocolError:
        return QCoreApplication::translate(
                   "wslab::StepCaption",
                   "These bytes break RFC 6455 (%1): a peer would close with %2.")
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
        const auto port = m_peerPorts.find(e.connection);
        if (port == m_peerPorts.end() || (m_ourPort != 0 && port->second == m_ourPort))
            continue; // this window's own connection: the wire already shows it, byte for byte
        SequenceArrow arrow;
        arrow.other = true;
        arrow.timeNs = e.timeNs;
        arrow.phase = e.phase;
        arrow.label = QStringLiteral("#%1 ").arg(e.connection) + e.summary.toString();
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
