#pragma once

#include "event.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace wslab {

// One whole message as the client sent or received it (ClientSession::messageSent /
// messageReceived carry every byte, where an Event keeps only a head): what Replay sends.
struct RecordedMessage
{
    qint64 timeNs = 0; // monotonic, EventClock
    Direction direction = Direction::ClientToServer;
    bool binary = false;
    QByteArray payload;
};

// Everything needed to look at a session again, or to send its messages again: both sides'
// events, everything the wire tap decoded (handshakes and every frame, with the bytes as
// they crossed), the client's whole messages, the URL, and when it started. Times are the
// monotonic EventClock's; `startedUtc`/`startedNs` map them onto the calendar.
struct SessionRecord
{
    static constexpr int formatVersion = 1;
    static constexpr const char *formatName = "wslab-session";

    QString url;
    QDateTime startedUtc; // the wall clock when `startedNs` was read
    qint64 startedNs = 0;
    QString creatorVersion;
    QList<Event> events; // client, server and wire sides, in arrival order
    QList<WireEvent> wire; // the tap's decoded bytes, in the order they crossed
    QList<RecordedMessage> messages; // the client's whole messages, both directions
    // What the recorder left out to stay within its limits (0: nothing is missing).
    qint64 droppedEvents = 0;
    qint64 droppedWire = 0;
    qint64 droppedMessages = 0;
    QString origin; // how an imported record was made: "wslab-session" or "har" (not exported)

    QDateTime wallTime(qint64 timeNs) const;
    bool isEmpty() const { return events.isEmpty() && wire.isEmpty() && messages.isEmpty(); }
};

// The documented JSON format (docs/session-format.md): deterministic, so that
// toJson(fromJson(toJson(r))) == toJson(r) byte for byte.
QByteArray sessionToJson(const SessionRecord &record);
// A record, or nullopt with `error` saying which field is wrong (one line).
std::optional<SessionRecord> sessionFromJson(const QByteArray &json, QString *error);

// The raw bytes of a handshake as they crossed (start line, header lines, blank line), rebuilt
// from what the parser kept. Exact when the peer wrote "Name: value" lines, which
// `rawHandshakeIsExact` tells by comparing with the byte count the tap saw.
QByteArray rawHandshake(const WireEvent &event);
bool rawHandshakeIsExact(const WireEvent &event);

} // namespace wslab
