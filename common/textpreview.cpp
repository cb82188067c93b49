#include "textpreview.h"

namespace wslab {

QString escapedText(QByteArrayView utf8, int maxChars)
{
    const QString text = QString::fromUtf8(utf8);
    QString shown;
    int chars = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (chars++ >= maxChars) {
            shown += QStringLiteral("…");
            break;
        }
        const QChar c = text.at(i);
        if (c == u'"' || c == u'\\')
            shown += u'\\' + QString(c);
        else if (c == u'\n')
            shown += QStringLiteral("\\n");
        else if (c == u'\r')
            shown += QStringLiteral("\\r");
        else if (c == u'\t')
            shown += QStringLiteral("\\t");
        else if (c.category() == QChar::Other_Control)
            shown += QStringLiteral("\\x%1").arg(int(c.unicode()), 2, 16, QChar(u'0'));
        else if (c.isHighSurrogate() && i + 1 < text.size()) // keep pairs whole
            shown += text.mid(i++, 2);
        else
            shown += c;
    }
    return shown;
}

QString shortHex(QByteArrayView bytes, int maxBytes, char separator)
{
    const qsizetype shown = qMin<qsizetype>(bytes.size(), maxBytes);
    QString hex = QString::fromLatin1(bytes.first(shown).toByteArray().toHex(separator));
    if (shown < bytes.size())
        hex += separator ? QStringLiteral(" …") : QStringLiteral("…");
    return hex;
}

} // namespace wslab
