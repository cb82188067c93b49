#pragma once

#include "qrcode.h"

#include <QWidget>

namespace wslab {

// A QR code painted crisp at any size: a whole number of pixels per module, black on white
// whatever the theme (a dark palette's light-on-dark code is one many phones cannot read), the
// quiet zone of 4 modules kept, centred in what the widget is given. Screen readers hear the
// text it holds (its accessible name and description).
class QrCodeWidget : public QWidget
{
    Q_OBJECT

public:
    explicit QrCodeWidget(QWidget *parent = nullptr);

    // Empty: nothing is drawn. Text that does not fit in a QR code: nothing either.
    void setText(const QString &text);
    QString text() const { return m_code.text(); }
    const QrCode &code() const { return m_code; }
    // The pixels per module at the widget's present size (0 when there is no code).
    int moduleSize() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QrCode m_code;
};

} // namespace wslab
