#include "eventframelink.h"

namespace wslab {

namespace {

bool isMessage(const Event &e)
{
    return e.side == Event::Side::Client
        && (e.kind == Event::Kind::MessageSent || e.kind == Event::Kind::MessageReceived);
}

Direction messageDirection(const Event &e)
{
    return e.kind == Event::Kind::MessageSent ? Direction::ClientToServer
                                              : Direction::ServerToClient;
}

// The tap connection behind the client's connection `number`, from its wire events.
std::optional<quint64> tapConnection(const EventLog &log, quint64 number)
{
    for (int row = log.rowCount() - 1; row >= 0; --row) {
        const Event &e = log.event(row);
        if (e.side == Event::Side::Wire && e.connection == number && e.wire)
            return e.wire->connection;
    }
    return std::nullopt;
}

bool sameFrame(const WireEvent &a, const WireEvent &b)
{
    return a.connection == b.connection && a.direction == b.direction
        && a.frame.header.offset == b.frame.header.offset;
}

} // namespace

int frameRowForEvent(const EventLog &log, int eventRow, FrameListModel &frames)
{
    if (eventRow < 0 || eventRow >= log.rowCount())
        return -1;
    frames.flush();
    const Event &e = log.event(eventRow);
    if (e.wire && e.wire->kind == WireEvent::Kind::Frame) {
        for (int row = frames.rowCount() - 1; row >= 0; --row)
            if (sameFrame(frames.frameEvent(row), *e.wire))
                return row;
        return -1;
    }
    if (!isMessage(e) || log.droppedCount() > 0)
        return -1;
    quint64 ordinal = 0;
    for (int row = 0; row < eventRow; ++row) {
        const Event &before = log.event(row);
        ordinal += isMessage(before) && before.connection == e.connection && before.kind == e.kind;
    }
    const auto tap = tapConnection(log, e.connection);
    if (!tap)
        return -1;
    const Direction direction = messageDirection(e);
    for (int row = 0; row < frames.rowCount(); ++row) {
        const WireEvent &w = frames.frameEvent(row);
        if (w.connection == *tap && w.direction == direction && !w.frame.isControl()
            && w.frame.fragmentIndex == 0 && w.frame.messageIndex == ordinal + 1)
            return row;
    }
    return -1;
}

int eventRowForFrame(const EventLog &log, const FrameListModel &frames, int frameRow)
{
    if (frameRow < 0 || frameRow >= frames.rowCount())
        return -1;
    const WireEvent &frame = frames.frameEvent(frameRow);
    for (int row = log.rowCount() - 1; row >= 0; --row) {
        const Event &e = log.event(row);
        if (e.wire && e.wire->kind == WireEvent::Kind::Frame && sameFrame(*e.wire, frame))
            return row;
    }
    return -1;
}

} // namespace wslab
