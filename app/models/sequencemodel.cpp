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
        break;
    case K::HandshakeRequest:
        arrow.kind = SequenceArrow::Kind::HandshakeRequest;
        break;
    case K::HandshakeResponse:
        arrow.kind = SequenceArrow::Kind::HandshakeResponse;
        break;
    case K::Frame:
        arrow.kind = SequenceArrow::Kind::Frame;
        arrow.frameIndex = m_frames++;
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
    if (count() >= maxArrows)
        clear();
    m_arrows.push_back(std::move(arrow));
    Q_EMIT arrowsAdded(count() - 1, count() - 1);
}

void SequenceModel::clear()
{
    m_arrows.clear();
    m_frames = 0;
    Q_EMIT cleared();
}

} // namespace wslab
