#include "wiredecoder.h"

#include <QtEndian>

namespace wslab {

QList<WireEvent> WireDecoder::feed(quint64 connectionId, Direction direction, QByteArrayView bytes,
                                   qint64 timeNs)
{
    QList<WireEvent> events;
    Connection &connection = m_connections[connectionId];
    const bool fromClient = direction == Direction::ClientToServer;
    Side &side = fromClient ? connection.client : connection.server;

    WireEvent base;
    base.connection = connectionId;
    base.direction = direction;
    base.timeNs = timeNs;

    if (!connection.decided && fromClient && !bytes.isEmpty()) {
        connection.decided = true;
        connection.tls = quint8(bytes.front()) == 0x16; // TLS handshake record
    }
    if (connection.tls) {
        feedTls(side, base, bytes, events);
        return events;
    }
    if (side.stopped)
        return events;

    qsizetype pos = 0;
    if (!side.handshake.isComplete()) {
        pos = side.handshake.feed(bytes);
        side.offset += pos;
        if (side.handshake.hasError()) {
            WireEvent event = base;
            event.kind = WireEvent::Kind::Error;
            event.phase = Phase::Http;
            event.text = side.handshake.error();
            events.append(event);
            side.stopped = true;
            return events;
        }
        if (!side.handshake.isComplete())
            return events;
        WireEvent event = base;
        event.kind
            = fromClient ? WireEvent::Kind::HandshakeRequest : WireEvent::Kind::HandshakeResponse;
        event.phase = Phase::Http;
        event.startLine = side.handshake.startLine();
        event.headers = side.handshake.headers();
        event.byteCount = side.handshake.size();
        if (!fromClient) {
            event.accept = checkAccept(connection.client.handshake, side.handshake);
            if (side.handshake.statusCode() != 101)
                side.stopped = true; // no frames follow a refused handshake
        }
        events.append(event);
        side.frames = std::make_unique<FrameParser>(direction, side.offset);
        if (side.stopped)
            return events;
    }

    const QByteArrayView rest = bytes.sliced(pos);
    side.offset += rest.size();
    for (Frame &frame : side.frames->feed(rest)) {
        WireEvent event = base;
        event.kind = WireEvent::Kind::Frame;
        event.phase = Phase::WebSocket;
        event.frame = std::move(frame);
        events.append(std::move(event));
    }
    if (side.frames->error()) {
        WireEvent event = base;
        event.kind = WireEvent::Kind::ProtocolError;
        event.phase = Phase::WebSocket;
        event.error = *side.frames->error();
        events.append(event);
        side.stopped = true;
    }
    return events;
}

void WireDecoder::feedTls(Side &side, const WireEvent &base, QByteArrayView bytes,
                          QList<WireEvent> &events)
{
    qint64 records = 0;
    qsizetype pos = 0;
    while (pos < bytes.size()) {
        if (side.tlsRemaining > 0) {
            const qsizetype take = qsizetype(qMin<qint64>(side.tlsRemaining, bytes.size() - pos));
            side.tlsRemaining -= take;
            pos += take;
            if (side.tlsRemaining == 0)
                ++records;
            continue;
        }
        const qsizetype take = qMin<qsizetype>(5 - side.tlsHeader.size(), bytes.size() - pos);
        side.tlsHeader.append(bytes.sliced(pos, take));
        pos += take;
        if (side.tlsHeader.size() == 5) {
            side.tlsRemaining = qFromBigEndian<quint16>(side.tlsHeader.constData() + 3);
            side.tlsHeader.clear();
            if (side.tlsRemaining == 0)
                ++records;
        }
    }
    side.offset += bytes.size();
    WireEvent event = base;
    event.kind = WireEvent::Kind::Tls;
    event.phase = Phase::Tcp;
    event.tlsRecords = records;
    event.byteCount = bytes.size();
    event.text = QStringLiteral("TLS: frames not visible");
    events.append(event);
}

void WireDecoder::forget(quint64 connection)
{
    m_connections.erase(connection);
}

} // namespace wslab
