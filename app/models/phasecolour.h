#pragma once

#include "event.h"

#include <QColor>

namespace wslab {

// One pale colour per phase, for a row or band with text on top: TCP grey-blue, HTTP amber,
// WebSocket green. The event table and the sequence view's bands both use it.
QColor phaseColour(Phase phase);

} // namespace wslab
