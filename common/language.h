#pragma once

#include <QString>
#include <QStringList>

namespace wslab {

// The UI language: English (the source) or Simplified Chinese, switchable at run time (the
// window), or taken from the system locale (the console programs).
// Widgets rebuild their text on QEvent::LanguageChange.
namespace Language {
QStringList available(); // {"en", "zh_CN"}
QString systemDefault(); // zh_CN when the system locale is Chinese
bool apply(const QString &code); // false for an unknown code
QString current();
} // namespace Language

} // namespace wslab
