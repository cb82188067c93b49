#pragma once

#include <QPlainTextEdit>

namespace wslab {

// Bytes as a hex dump (offset, 16 bytes, ASCII). highlight() marks a byte range; a click on a
// byte reports its offset (Wireshark's byte view).
class HexView : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit HexView(QWidget *parent = nullptr);
    void setBytes(const QByteArray &bytes);
    QByteArray bytes() const { return m_bytes; }
    void highlight(int offset, int length);
    int highlightedOffset() const { return m_highlightOffset; }
    int highlightedLength() const { return m_highlightLength; }
    // The byte under a text position, or -1.
    int byteAt(int textPosition) const;
    int textPositionOf(int byte) const;

Q_SIGNALS:
    void byteClicked(int offset);

protected:
    bool event(QEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QByteArray m_bytes;
    int m_highlightOffset = -1;
    int m_highlightLength = 0;
};

} // namespace wslab
