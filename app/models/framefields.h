#pragma once

#include "frameparser.h"

#include <QList>
#include <QString>

namespace wslab {

// One field of a frame for the field tree, with where its bytes sit in the frame (Wireshark's
// proto tree: selecting a field highlights its bytes, clicking a byte selects its field).
struct FrameField
{
    QString name;
    QString value;
    int offset = 0; // from the frame's first byte
    int length = 0; // bytes; bit fields share their byte
};

QList<FrameField> frameFields(const Frame &frame);
// The frame's bytes as they crossed the wire (payload masked again when it was masked), up
// to the payload FrameParser kept.
QByteArray frameBytes(const Frame &frame);
// The innermost field that covers byte `offset`, or -1.
int fieldAt(const QList<FrameField> &fields, int offset);

} // namespace wslab
