#include "socketmemory.h"

#include <QtCore/private/qiodevice_p.h>

namespace wslab {

void setReadChunkSize(QIODevice *device, int bytes)
{
    auto *d = static_cast<QIODevicePrivate *>(QObjectPrivate::get(device));
    d->readBufferChunkSize = bytes;
    for (QRingBuffer &buffer : d->readBuffers)
        buffer.setChunkSize(bytes);
    d->writeBufferChunkSize = bytes;
    for (QRingBuffer &buffer : d->writeBuffers)
        buffer.setChunkSize(bytes);
}

} // namespace wslab
