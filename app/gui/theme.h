#pragma once

#include <QPalette>
#include <QString>

#include <optional>

class QWidget;

namespace wslab {

// --theme: the desktop's own style and palette, or Fusion with a light or a dark palette.
enum class Theme { System, Light, Dark };
std::optional<Theme> themeFromName(const QString &name);
QPalette darkPalette();
QPalette lightPalette();
// Call before the first window is made.
void applyTheme(Theme theme);

// What a piece of text says besides its words: a problem, a success, or nothing special. The
// colour comes from the palette the widget is shown in (readable on it, 4.5:1); call again on
// QEvent::PaletteChange.
enum class Tone { Normal, Problem, Ok };
void setTone(QWidget *widget, Tone tone);

} // namespace wslab
