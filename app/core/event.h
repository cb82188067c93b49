#pragma once

#include "text.h"
#include "vocabulary.h"
#include "wiredecoder.h"

#include <QMetaType>
#include <QString>

#include <optional>

namespace wslab {

// DESIGN.md's one event vocabulary: what every source (the client session, the embedded
// server, the wire tap) emits and every view shows.
struct Event
{
    enum class Side { Client, Server, Wire };
    enum class Kind {
        TcpConnecting,
        TcpConnected,
        TcpAccepted,
        TcpRefused,
        TcpClosed,
        HandshakeRequest,
        HandshakeResponse,
        HandshakeRejected,
        HttpRequest,
        Open,
        MessageSent,
        MessageReceived,
        Summary, // messages too many to show one by one, counted
        Ping,
        Pong,
        CloseSent,
        CloseReceived,
        Closed,
        Frame,
        Tls,
        ProtocolError,
        Error,
        Info,
    };

    qint64 timeNs = 0; // monotonic, from EventClock
    Side side = Side::Client;
    Phase phase = Phase::Tcp;
    Kind kind = Kind::Info;
    quint64 connection = 0; // the side's own connection id (server: client id)
    quint16 peerPort = 0; // server TcpAccepted: the client's port
    // One line: what happened, translated when shown (a language switch re-reads old rows).
    Text summary;
    // The head of the message's payload, if any: the log keeps 100,000 events, so never the
    // whole of a large message (the Frames pane keeps the bytes it shows).
    QByteArray payload;
    qint64 payloadSize = 0; // the whole message's size
    bool binary = false;
    static constexpr qsizetype maxPayload = 1024;
    std::optional<WireEvent> wire; // the decoded bytes, for wire events
};

// An event stamped now, on the shared clock.
Event makeEvent(Event::Side side, Phase phase, Event::Kind kind, quint64 connection,
                const Text &summary);
// The same with a summary that is shown as it is (never translated).
Event makeEvent(Event::Side side, Phase phase, Event::Kind kind, quint64 connection,
                const QString &summary);

QString sideName(Event::Side side);
QString phaseName(Phase phase);
QString kindName(Event::Kind kind);

// One monotonic clock for every source in the process, so client, server and wire events sort
// on one time line.
namespace EventClock {
qint64 nowNs();
}

} // namespace wslab

Q_DECLARE_METATYPE(wslab::Event)
