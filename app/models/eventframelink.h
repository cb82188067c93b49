#pragma once

#include "eventlog.h"
#include "framelistmodel.h"

namespace wslab {

// Which frame an event is about, and back. The link, exactly:
// - a wire event carries its frame: same tap connection, same direction, same stream offset
//   of the frame's first byte (unique in one direction of one connection);
// - the client's "sent" or "received" event of connection N is the k-th message that way on
//   N, which is the frame starting message k (FrameParser counts from 1: messageIndex
//   k + 1 for the k-th from 0, fragment 0) on the tap
//   connection the wire events of N name. Counting needs the log from N's start: when the
//   log has dropped older events, this part of the link is not made (-1).
// Rows are the models' own (EventLog's, FrameListModel's), -1 when there is no such row.
int frameRowForEvent(const EventLog &log, int eventRow, FrameListModel &frames);
int eventRowForFrame(const EventLog &log, const FrameListModel &frames, int frameRow);

} // namespace wslab
