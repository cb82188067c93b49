#include "hexview.h"

#include "palettecolours.h"
#include "theme.h"

#include <QMouseEvent>
#include <QTextBlock>

namespace wslab {

namespace {
constexpr int kPerLine = 16;
constexpr int kHexStart = 6; // "0000  "
int columnOf(int indexInLine)
{
    return kHexStart + indexInLine * 3 + (indexInLine >= 8 ? 1 : 0);
}
} // namespace

HexView::HexView(QWidget *parent) : QPlainTextEdit(parent)
{
    setObjectName(QStringLiteral("hexView"));
    setReadOnly(true);
    setLineWrapMode(NoWrap);
    setFont(fixedPitchFont());
}

bool HexView::event(QEvent *event)
{
    // A font of its own does not follow the application's: scaled as that one is (presentation
    // mode).
    if (event->type() == QEvent::ApplicationFontChange)
        setFont(fixedPitchFont());
    return QPlainTextEdit::event(event);
}

void HexView::setBytes(const QByteArray &bytes)
{
    m_bytes = bytes;
    QString text;
    for (int line = 0; line * kPerLine < bytes.size(); ++line) {
        const QByteArray chunk = bytes.mid(line * kPerLine, kPerLine);
        QString hex;
        QString ascii;
        for (int i = 0; i < kPerLine; ++i) {
            if (i == 8)
                hex += u' ';
            if (i < chunk.size()) {
                const auto c = quint8(chunk[i]);
                hex += QStringLiteral("%1 ").arg(c, 2, 16, QChar(u'0'));
                ascii += (c >= 0x20 && c < 0x7f) ? QChar(char16_t(c)) : QChar(u'.');
            } else {
                hex += QStringLiteral("   ");
            }
        }
        text += QStringLiteral("%1  %2 %3\n")
                    .arg(line * kPerLine, 4, 16, QChar(u'0'))
                    .arg(hex, ascii);
    }
    setPlainText(text);
    highlight(-1, 0);
}

int HexView::textPositionOf(int byte) const
{
    const QTextBlock block = document()->findBlockByNumber(byte / kPerLine);
    return block.isValid() ? block.position() + columnOf(byte % kPerLine) : -1;
}

int HexView::byteAt(int textPosition) const
{
    const QTextBlock block = document()->findBlock(textPosition);
    if (!block.isValid())
        return -1;
    const int column = textPosition - block.position();
    for (int i = 0; i < kPerLine; ++i) {
        if (column >= columnOf(i) && column < columnOf(i) + 3) {
            const int byte = block.blockNumber() * kPerLine + i;
            return byte < m_bytes.size() ? byte : -1;
        }
    }
    return -1;
}

void HexView::highlight(int offset, int length)
{
    m_highlightOffset = offset;
    m_highlightLength = length;
    // The field's bytes stand out from the rest (3:1), in text that reads on them (4.5:1).
    const Swatch mark = accentSwatch(palette(), markHue());
    QList<QTextEdit::ExtraSelection> selections;
    for (int byte = qMax(0, offset);
         offset >= 0 && byte < qMin<int>(offset + length, int(m_bytes.size())); ++byte) {
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(document());
        selection.cursor.setPosition(textPositionOf(byte));
        selection.cursor.setPosition(textPositionOf(byte) + 2, QTextCursor::KeepAnchor);
        selection.format.setBackground(mark.background);
        selection.format.setForeground(mark.text);
        selections.append(selection);
    }
    setExtraSelections(selections);
    if (!selections.isEmpty()) {
        QTextCursor cursor(document());
        cursor.setPosition(textPositionOf(offset));
        setTextCursor(cursor);
        ensureCursorVisible();
    }
}

void HexView::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_highlightOffset >= 0) {
        const QTextCursor cursor = textCursor();
        highlight(m_highlightOffset, m_highlightLength);
        setTextCursor(cursor);
    }
}

void HexView::mouseReleaseEvent(QMouseEvent *event)
{
    QPlainTextEdit::mouseReleaseEvent(event);
    const int byte = byteAt(cursorForPosition(event->position().toPoint()).position());
    if (byte >= 0)
        Q_EMIT byteClicked(byte);
}

} // namespace wslab
