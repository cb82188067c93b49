#include "phasecolour.h"

namespace wslab {

QColor phaseColour(Phase phase)
{
    switch (phase) {
    case Phase::Tcp:
        return QColor(0xe8, 0xee, 0xf7);
    case Phase::Http:
        return QColor(0xfd, 0xf0, 0xd5);
    case Phase::WebSocket:
        return QColor(0xe3, 0xf4, 0xe1);
    }
    return {};
}

} // namespace wslab
