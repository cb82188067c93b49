#include "theme.h"

#include "palettecolours.h"

#include <QApplication>
#include <QChart>
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
