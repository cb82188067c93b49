#include "palettecolours.h"

#include "phasecolour.h"

#include <QCoreApplication>
#include <QGuiApplication>

#include <cmath>

namespace wslab {

namespace {
double linear(double channel)
{
    return channel <= 0.04045 ? channel / 12.92 : std::pow((channel + 0.055) / 1.055, 2.4);
}

double worstContrast(const QColor &colour, const QList<QColor> &backgrounds)
{
    double worst = 21;
    for (const QColor &background : backgrounds)
        worst = qMin(worst, contrastRatio(colour, background));
    return worst;
}

// The luminance at which black and white text read equally well: sqrt(1.05 * 0.05) - 0.05.
constexpr double kMiddleLuminance = 0.179;

QList<QColor> textGrounds(const QPalette &palette)
{
    return { palette.color(QPalette::Window), palette.color(QPalette::Base),
             phaseColour(Phase::Tcp, palette), phaseColour(Phase::Http, palette),
             phaseColour(Phase::WebSocket, palette) };
}
} // namespace

double relativeLuminance(const QColor &colour)
{
    const QColor rgb = colour.toRgb();
    return 0.2126 * linear(rgb.redF()) + 0.7152 * linear(rgb.greenF())
        + 0.0722 * linear(rgb.blueF());
}

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = relativeLuminance(a);
    const double lb = relativeLuminance(b);
    return (qMax(la, lb) + 0.05) / (qMin(la, lb) + 0.05);
}

bool isDark(const QPalette &palette)
{
    return relativeLuminance(palette.color(QPalette::Base))
        < relativeLuminance(palette.color(QPalette::Text));
}

QColor mix(const QColor &a, const QColor &b, double amount)
{
    const QColor x = a.toRgb();
    const QColor y = b.toRgb();
    const auto blend = [amount](double p, double q) {
        return p + (q - p) * amount;
    };
    return QColor::fromRgbF(float(blend(x.redF(), y.redF())), float(blend(x.greenF(), y.greenF())),
                            float(blend(x.blueF(), y.blueF())),
                            float(blend(x.alphaF(), y.alphaF())));
}

QColor withContrast(const QColor &colour, const QList<QColor> &backgrounds, double ratio)
{
    if (worstContrast(colour, backgrounds) >= ratio)
        return colour;
    double mean = 0;
    for (const QColor &background : backgrounds)
        mean += relativeLuminance(background) / qMax<qsizetype>(1, backgrounds.size());
    // Away from the grounds: lighter on dark ones, darker on light ones.
    const bool lighter = mean < kMiddleLuminance;
    const QColor hsl = colour.toHsl();
    const float hue = qMax(0.0f, hsl.hslHueF());
    const float lightness = hsl.lightnessF();
    constexpr int steps = 50;
    for (int step = 1; step <= steps; ++step) {
        const float t = float(step) / steps;
        const float l = lighter ? lightness + (1 - lightness) * t : lightness * (1 - t);
        const QColor shade = QColor::fromHslF(hue, hsl.hslSaturationF(), l, hsl.alphaF()).toRgb();
        if (worstContrast(shade, backgrounds) >= ratio)
            return shade;
    }
    const QColor black(Qt::black), white(Qt::white);
    return worstContrast(black, backgrounds) >= worstContrast(white, backgrounds) ? black : white;
}

QColor tintedBase(const QPalette &palette, const QColor &hue, double strength)
{
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    for (double s = strength; s > 0.005; s -= 0.02) {
        const QColor tint = mix(base, hue, s);
        if (contrastRatio(text, tint) >= contrast::text)
            return tint;
    }
    return base;
}

QColor band(const QPalette &palette, const QColor &hue)
{
    return tintedBase(palette, hue, isDark(palette) ? 0.24 : 0.12);
}

Swatch accentSwatch(const QPalette &palette, const QColor &hue)
{
    const QColor background
        = withContrast(hue, { palette.color(QPalette::Window), palette.color(QPalette::Base) },
                       contrast::graphics);
    const QColor black(Qt::black), white(Qt::white);
    return { background,
             contrastRatio(black, background) >= contrastRatio(white, background) ? black : white };
}

QColor errorTextColour(const QPalette &palette)
{
    return withContrast(QColor(0xb0, 0x00, 0x20), textGrounds(palette), contrast::text);
}

QColor okTextColour(const QPalette &palette)
{
    return withContrast(QColor(0x1b, 0x7f, 0x1b), textGrounds(palette), contrast::text);
}

QColor secondaryTextColour(const QPalette &palette, const QColor &background)
{
    return withContrast(mix(palette.color(QPalette::Text), background, 0.35), { background },
                        contrast::text);
}

QPalette applicationPalette()
{
    if (qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return QGuiApplication::palette();
    // A model used without a GUI (its tests): black on white.
    QPalette light;
    light.setColor(QPalette::Window, QColor(0xef, 0xef, 0xef));
    light.setColor(QPalette::WindowText, Qt::black);
    light.setColor(QPalette::Base, Qt::white);
    light.setColor(QPalette::Text, Qt::black);
    return light;
}

} // namespace wslab
