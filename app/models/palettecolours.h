#pragma once

#include <QColor>
#include <QList>
#include <QPalette>

namespace wslab {

// Every colour the views draw with comes from the palette they are shown in, so that the window
// reads as well with a dark palette (Fusion, a desktop's dark theme) as with a light one. A hue
// ("amber", "green") is only a hint: it is washed into the palette's own colours and then made
// lighter or darker until it has the contrast WCAG 2 asks for: 4.5:1 for text, 3:1 for lines,
// marks and indicators.
namespace contrast {
constexpr double text = 4.5;
constexpr double graphics = 3.0;
} // namespace contrast

// WCAG 2 relative luminance (0 black … 1 white) and contrast ratio (1 … 21).
double relativeLuminance(const QColor &colour);
double contrastRatio(const QColor &a, const QColor &b);

// Whether the palette is a dark one: light text on dark ground.
bool isDark(const QPalette &palette);

// `a` with `amount` (0 … 1) of `b` mixed in.
QColor mix(const QColor &a, const QColor &b, double amount);

// `colour` made lighter or darker (its hue kept) until it has `ratio` against every colour of
// `backgrounds`; black or white when no shade of the hue gets there.
QColor withContrast(const QColor &colour, const QList<QColor> &backgrounds, double ratio);

// A ground for text: `hue` washed into the palette's Base, no further than the palette's Text
// stays readable on it (4.5:1). `strength` 0 … 1: how much of the hue.
QColor tintedBase(const QPalette &palette, const QColor &hue, double strength);

// A solid mark that stands out from the palette's Window and Base (3:1), e.g. the lit step of
// the phase indicator, with the text that reads on it (black or white, whichever reads better).
struct Swatch
{
    QColor background;
    QColor text;
};
Swatch accentSwatch(const QPalette &palette, const QColor &hue);

// Text that says something went wrong, or went right, readable on Window, Base and the phase
// bands of this palette. The words say it too; the colour only helps.
QColor errorTextColour(const QPalette &palette);
QColor okTextColour(const QPalette &palette);
// Secondary text (times, sizes) on `background`: dimmer than Text, still 4.5:1.
QColor secondaryTextColour(const QPalette &palette, const QColor &background);

// What the client sent is blue, what it received green: the conversation's bubbles, the frame
// list's rows and the sequence view's arrows.
inline QColor sentHue()
{
    return QColor(0x1f, 0x6f, 0xd0);
}
inline QColor receivedHue()
{
    return QColor(0x2e, 0x8d, 0x32);
}
// Something to look at: the selected arrow, the highlighted bytes, the step-through caption.
inline QColor markHue()
{
    return QColor(0xff, 0xb3, 0x00);
}
// A band for text, by palette lightness: a light wash on a light Base, a stronger one on a dark.
QColor band(const QPalette &palette, const QColor &hue);

// The application's palette, for models, which have no widget of their own.
QPalette applicationPalette();

} // namespace wslab
