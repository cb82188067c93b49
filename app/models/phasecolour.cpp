#include "phasecolour.h"

namespace wslab {

QColor phaseHue(Phase phase)
{
    switch (phase) {
    case Phase::Tcp:
        return QColor(0x4a, 0x6f, 0xa8);
    case Phase::Http:
        return QColor(0xe0, 0x9a, 0x10);
    case Phase::WebSocket:
        return QColor(0x3c, 0x9a, 0x3a);
    }
    return {};
}

QColor phaseColour(Phase phase, const QPalette &palette)
{
    return band(palette, phaseHue(phase));
}

} // namespace wslab
