#pragma once

#include "wiredecoder.h"

#include <QStringList>

namespace wslab {

// A wire event as console lines: "> " client to server, "< " server to client, "* " what the
// tap itself observed. The frame line's shape is stable; scripts and tests read it:
//   > frame fin=1 rsv=0 opcode=1 text mask=1 key=37fa213d len=5 payload="Hello"
//   < frame fin=1 rsv=0 opcode=8 close mask=0 len=2 code=1000 reason=""
QStringList wireLines(const WireEvent &event);
QString frameLine(const Frame &frame, Direction direction);

} // namespace wslab
