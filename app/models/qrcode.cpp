#include "qrcode.h"

#include <QPainter>

#include <qrencode.h>

#include <memory>

namespace wslab {

QrCode QrCode::encode(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    // Version 0: the smallest that fits; 8-bit mode, case kept (URLs are case sensitive).
    const std::unique_ptr<QRcode, decltype(&QRcode_free)> encoded(
        QRcode_encodeString(utf8.constData(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
    if (!encoded || encoded->width <= 0)
        return {};
    QrCode code;
    const int width = encoded->width;
    code.m_size = width + 2 * quietZone;
    code.m_modules.assign(std::size_t(code.m_size) * std::size_t(code.m_size), false);
    for (int y = 0; y < width; ++y)
        for (int x = 0; x < width; ++x)
            // libqrencode: bit 0 of each byte is the module's colour (1 = dark).
            code.m_modules[std::size_t((y + quietZone) * code.m_size + x + quietZone)]
                = encoded->data[y * width + x] & 1;
    code.m_text = text;
    return code;
}

void QrCode::paint(QPainter &painter, QPoint origin, int moduleSize) const
{
    if (isNull() || moduleSize < 1)
        return;
    const int side = m_size * moduleSize;
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.fillRect(QRect(origin, QSize(side, side)), Qt::white);
    for (int y = 0; y < m_size; ++y)
        for (int x = 0; x < m_size; ++x)
            if (isDark(x, y))
                painter.fillRect(origin.x() + x * moduleSize, origin.y() + y * moduleSize,
                                 moduleSize, moduleSize, Qt::black);
    painter.restore();
}

QImage QrCode::toImage(int moduleSize) const
{
    if (isNull() || moduleSize < 1)
        return {};
    QImage image(m_size * moduleSize, m_size * moduleSize, QImage::Format_RGB32);
    QPainter painter(&image);
    paint(painter, {}, moduleSize);
    return image;
}

} // namespace wslab
