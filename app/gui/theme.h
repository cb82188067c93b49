#pragma once

#include <QFont>
#include <QList>
#include <QPalette>
#include <QString>

#include <optional>

class QChart;
class QWidget;

namespace wslab {

// --theme: the desktop's own style and palette, or Fusion with a light or a dark palette.
enum class Theme { System, Light, Dark };
std::optional<Theme> themeFromName(const QString &name);
QPalette darkPalette();
QPalette lightPalette();
// Call before the first window is made.
void applyTheme(Theme theme);
// Presentation mode's: black on white (or white on black, `dark`), every text role at least 7:1
// on its ground (WCAG AAA), a strong selection and focus colour.
QPalette highContrastPalette(bool dark);
// The desktop's fixed-pitch font, grown or shrunk as the application font is from the desktop's
// general font (presentation mode scales the application font; a monospace pane follows).
QFont fixedPitchFont();

// What a piece of text says besides its words: a problem, a success, or nothing special. The
// colour comes from the palette the widget is shown in (readable on it, 4.5:1); call again on
// QEvent::PaletteChange.
enum class Tone { Normal, Problem, Ok };
void setTone(QWidget *widget, Tone tone);

// A chart in the palette it is shown in: Qt Charts' own theme by the palette's lightness (a white
// chart glares in a dark window), its ground the palette's Base. Returns the grounds its marks
// must stand out from (3:1, withContrast); call again on QEvent::PaletteChange.
QList<QColor> followPalette(QChart *chart, const QPalette &palette);

} // namespace wslab
