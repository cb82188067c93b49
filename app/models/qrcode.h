#pragma once

#include <QImage>
#include <QPoint>
#include <QString>

#include <vector>

class QPainter;

namespace wslab {

// A QR code as a square of modules, quiet zone included, made by libqrencode (Debian's
// libqrencode): error correction level M (15 % of the code may be unreadable, e.g. a reflection
// on a projected screen), the smallest version the text fits in.
class QrCode
{
public:
    static constexpr int quietZone = 4; // modules of white around the code (ISO/IEC 18004)

    QrCode() = default;
    // A null code when the text does not fit in a QR code (or libqrencode fails).
    static QrCode encode(const QString &text);

    bool isNull() const { return m_size == 0; }
    // Modules per side, the quiet zone included.
    int size() const { return m_size; }
    bool isDark(int x, int y) const { return m_modules[std::size_t(y * m_size + x)]; }
    QString text() const { return m_text; }

    // Black on white, `moduleSize` pixels a module, its top left corner at `origin`; whole
    // pixels only (a module split between two pixels blurs into grey). What a scanner reads best.
    void paint(QPainter &painter, QPoint origin, int moduleSize) const;
    QImage toImage(int moduleSize) const;

private:
    int m_size = 0;
    std::vector<bool> m_modules; // row by row
    QString m_text;
};

} // namespace wslab
