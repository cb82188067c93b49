#pragma once

class QIODevice;

namespace wslab {

// Bytes a WebSocket's socket keeps for reading while it is idle.
//
// Qt reads into chunks of at least 16 KiB and keeps one chunk per socket for the next read,
// used or not: 80 MB for 5,000 idle WebSockets, most of a server's memory. Past the handshake
// a WebSocket mostly reads small frames, so smaller chunks cost nothing in speed (a large read
// still gets a chunk its own size) and give the memory back.
inline constexpr int idleReadChunk = 1024;

// Sets the read chunk of `device` (a QTcpSocket about to become a WebSocket). Uses Qt 6.4's
// private QIODevicePrivate: there is no public way.
void setReadChunkSize(QIODevice *device, int bytes);

} // namespace wslab
