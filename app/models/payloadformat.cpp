#include "payloadformat.h"

namespace wslab {

QString payloadAsHex(QByteArrayView bytes)
{
    return QString::fromLatin1(bytes.toByteArray().toHex(' '));
}

QString payloadAsBase64(QByteArrayView bytes)
{
    return QString::fromLatin1(bytes.toByteArray().toBase64());
}

QString payloadAsCArray(QByteArrayView bytes, const QString &name)
{
    constexpr int perLine = 12;
    QString out = QStringLiteral("const unsigned char %1[%2] = {\n").arg(name).arg(bytes.size());
    for (qsizetype i = 0; i < bytes.size(); i += perLine) {
        out += QStringLiteral("    ");
        for (qsizetype j = i; j < qMin(bytes.size(), i + perLine); ++j) {
            if (j > i)
                out += u' ';
            out += QStringLiteral("0x%1,").arg(quint8(bytes[j]), 2, 16, QLatin1Char('0'));
        }
        out += u'\n';
    }
    out += QStringLiteral("};\nconst unsigned int %1_len = %2;\n").arg(name).arg(bytes.size());
    return out;
}

QString payloadAsText(QByteArrayView bytes)
{
    return QString::fromUtf8(bytes);
}

QString formatPayload(QByteArrayView bytes, PayloadFormat format)
{
    switch (format) {
    case PayloadFormat::Hex:
        return payloadAsHex(bytes);
    case PayloadFormat::Base64:
        return payloadAsBase64(bytes);
    case PayloadFormat::CArray:
        return payloadAsCArray(bytes);
    case PayloadFormat::Text:
        return payloadAsText(bytes);
    }
    return {};
}

} // namespace wslab
