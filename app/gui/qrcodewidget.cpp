#include "qrcodewidget.h"

#include <QPainter>

namespace wslab {

QrCodeWidget::QrCodeWidget(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void QrCodeWidget::setText(const QString &text)
{
    m_code = text.isEmpty() ? QrCode() : QrCode::encode(text);
    setAccessibleName(text);
    setAccessibleDescription(text);
    setToolTip(text);
    updateGeometry();
    update();
}

int QrCodeWidget::moduleSize() const
{
    if (m_code.isNull())
        return 0;
    return std::max(1, std::min(width(), height()) / m_code.size());
}

QSize QrCodeWidget::sizeHint() const
{
    const int side = m_code.isNull() ? 0 : m_code.size() * 5;
    return { side, side };
}

QSize QrCodeWidget::minimumSizeHint() const
{
    // Three pixels a module: still readable by a phone held to the screen.
    const int side = m_code.isNull() ? 0 : m_code.size() * 3;
    return { side, side };
}

void QrCodeWidget::paintEvent(QPaintEvent *)
{
    if (m_code.isNull())
        return;
    const int module = moduleSize();
    const int side = module * m_code.size();
    const QPoint origin((width() - side) / 2, (height() - side) / 2);
    QPainter painter(this);
    m_code.paint(painter, origin, module);
}

} // namespace wslab
