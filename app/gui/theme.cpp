#include "theme.h"

#include "palettecolours.h"

#include <QApplication>
#include <QChart>
#include <QFontDatabase>
#include <QStyle>
#include <QStyleFactory>
#include <QWidget>

#include <memory>

namespace wslab {

std::optional<Theme> themeFromName(const QString &name)
{
    if (name == u"system")
        return Theme::System;
    if (name == u"light")
        return Theme::Light;
    if (name == u"dark")
        return Theme::Dark;
    return std::nullopt;
}

QPalette darkPalette()
{
    // Fusion's usual dark scheme: every text role at least 4.5:1 on its ground.
    const QColor window(0x35, 0x35, 0x35), base(0x24, 0x24, 0x24), text(0xee, 0xee, 0xee),
        disabled(0x80, 0x80, 0x80);
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x2e, 0x2e, 0x2e));
    p.setColor(QPalette::ToolTipBase, QColor(0x20, 0x20, 0x20));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x80, 0x80));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4a, 0x4a));
    p.setColor(QPalette::Midlight, QColor(0x42, 0x42, 0x42));
    p.setColor(QPalette::Mid, QColor(0x2a, 0x2a, 0x2a));
    p.setColor(QPalette::Dark, QColor(0x20, 0x20, 0x20));
    p.setColor(QPalette::Shadow, QColor(0x14, 0x14, 0x14));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6d, 0xb5));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x7a, 0xb8, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xc0, 0x9a, 0xff));
    for (auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Base, window);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x50, 0x50, 0x50));
    return p;
}

QPalette lightPalette()
{
    std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
    return fusion ? fusion->standardPalette() : QPalette();
}

void applyTheme(Theme theme)
{
    if (theme == Theme::System)
        return;
    QApplication::setStyle(QStringLiteral("Fusion"));
    QApplication::setPalette(theme == Theme::Dark ? darkPalette() : lightPalette());
}

QPalette highContrastPalette(bool dark)
{
    const QColor ground = dark ? Qt::black : Qt::white;
    const QColor ink = dark ? Qt::white : Qt::black;
    // Controls a shade off the ground, so that a button still reads as one; the ink keeps 11:1
    // on it. Dark, the window too: Fusion draws a field's or a check box's frame darker than the
    // window, which on black would not show; black fields on a dark grey window do.
    const QColor control = dark ? QColor(0x3a, 0x3a, 0x3a) : QColor(0xea, 0xea, 0xea);
    const QColor window = dark ? QColor(0x2b, 0x2b, 0x2b) : ground;
    // Selection: yellow with black on a black ground (the classic high-contrast scheme), deep
    // blue with white on a white one.
    const QColor highlight = dark ? QColor(0xff, 0xd4, 0x00) : QColor(0x00, 0x2b, 0xb8);
    const QColor highlightedText = dark ? Qt::black : Qt::white;
    const QColor disabled = dark ? QColor(0xa8, 0xa8, 0xa8) : QColor(0x55, 0x55, 0x55);
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, ink);
    p.setColor(QPalette::Base, ground);
    p.setColor(QPalette::AlternateBase, dark ? QColor(0x1c, 0x1c, 0x1c) : control);
    p.setColor(QPalette::ToolTipBase, ground);
    p.setColor(QPalette::ToolTipText, ink);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, ink);
    p.setColor(QPalette::Button, control);
    p.setColor(QPalette::ButtonText, ink);
    p.setColor(QPalette::BrightText, dark ? QColor(0xff, 0xa0, 0xa0) : QColor(0x9a, 0x00, 0x00));
    // Frames and separators drawn in the ink's direction: every edge shows.
    p.setColor(QPalette::Light, dark ? QColor(0x90, 0x90, 0x90) : Qt::white);
    p.setColor(QPalette::Midlight, dark ? QColor(0x70, 0x70, 0x70) : QColor(0xd0, 0xd0, 0xd0));
    p.setColor(QPalette::Mid, dark ? QColor(0xb0, 0xb0, 0xb0) : QColor(0x50, 0x50, 0x50));
    p.setColor(QPalette::Dark, dark ? QColor(0xd0, 0xd0, 0xd0) : QColor(0x30, 0x30, 0x30));
    p.setColor(QPalette::Shadow, dark ? QColor(0xe0, 0xe0, 0xe0) : Qt::black);
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, highlightedText);
    p.setColor(QPalette::Link, dark ? QColor(0x8c, 0xc8, 0xff) : QColor(0x00, 0x2b, 0xb8));
    p.setColor(QPalette::LinkVisited, dark ? QColor(0xe0, 0xb0, 0xff) : QColor(0x55, 0x1a, 0x8b));
    for (auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, disabled);
    // The selection stays as strong when the view loses the focus: the room reads it anyway.
    p.setColor(QPalette::Inactive, QPalette::Highlight, highlight);
    p.setColor(QPalette::Inactive, QPalette::HighlightedText, highlightedText);
    return p;
}

QFont fixedPitchFont()
{
    QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    const QFont general = QFontDatabase::systemFont(QFontDatabase::GeneralFont);
    const QFont application = QApplication::font();
    const auto size = [](const QFont &font) {
        return font.pointSizeF() > 0 ? font.pointSizeF() : qreal(font.pixelSize());
    };
    if (size(general) <= 0 || size(application) <= 0 || size(application) == size(general))
        return fixed;
    const qreal ratio = size(application) / size(general);
    if (fixed.pointSizeF() > 0)
        fixed.setPointSizeF(fixed.pointSizeF() * ratio);
    else
        fixed.setPixelSize(qRound(fixed.pixelSize() * ratio));
    return fixed;
}

void setTone(QWidget *widget, Tone tone)
{
    // The ground the widget is shown on: its parent's palette (its own carries the last tone).
    const QPalette ground
        = widget->parentWidget() ? widget->parentWidget()->palette() : QApplication::palette();
    QPalette palette = widget->palette();
    switch (tone) {
    case Tone::Normal:
        palette.setColor(QPalette::WindowText, ground.color(QPalette::WindowText));
        break;
    case Tone::Problem:
        palette.setColor(QPalette::WindowText, errorTextColour(ground));
        break;
    case Tone::Ok:
        palette.setColor(QPalette::WindowText, okTextColour(ground));
        break;
    }
    widget->setPalette(palette);
}

QList<QColor> followPalette(QChart *chart, const QPalette &palette)
{
    chart->setTheme(isDark(palette) ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    const QColor themed = chart->backgroundBrush().color();
    chart->setBackgroundBrush(palette.base());
    return { themed, palette.color(QPalette::Base) };
}

} // namespace wslab
