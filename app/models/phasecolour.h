#pragma once

#include "event.h"

#include "palettecolours.h"

#include <QColor>

namespace wslab {

// One pale colour per phase, for a row or band with text on top: TCP grey-blue, HTTP amber,
// WebSocket green, washed into the palette's Base so that its Text stays readable (4.5:1), in a
// light palette and in a dark one. The event table and the sequence view's bands both use it.
QColor phaseColour(Phase phase, const QPalette &palette = applicationPalette());
// The hue behind each phase: the phase indicator's lit step and the sequence view's marks.
QColor phaseHue(Phase phase);

} // namespace wslab
