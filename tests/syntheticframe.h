#pragma once

// Decoded frames as the wire tap would report them, for model and view tests that need many.

#include "wiredecoder.h"

namespace wslab::test {

// Frame `n`: every other one from the server, `n` ms after the start. Without a size, a text
// frame whose payload is `n` in digits; with one, a binary frame of that many bytes.
inline WireEvent syntheticFrame(int n, qsizetype payloadBytes = 0)
{
    WireEvent e;
    e.kind = WireEvent::Kind::Frame;
    e.phase = Phase::WebSocket;
    e.direction = n % 2 ? Direction::ServerToClient : Direction::ClientToServer;
    e.timeNs = qint64(n) * 1'000'000;
    e.frame.fin = true;
    e.frame.opcode = payloadBytes ? Frame::Binary : Frame::Text;
    e.frame.messageOpcode = e.frame.opcode;
    e.frame.payload = payloadBytes ? QByteArray(payloadBytes, char(n)) : QByteArray::number(n);
    e.frame.payloadLength = quint64(e.frame.payload.size());
    return e;
}

} // namespace wslab::test
