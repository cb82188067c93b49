#include "serverevents.h"

namespace wslab {

qsizetype Message::size() const
{
    if (binary)
        return data.size();
    qsizetype bytes = 0;
    for (const QChar c : text) // surrogate pairs count 2 + 2 = 4, like their UTF-8 form
        bytes += c.unicode() < 0x80 ? 1 : c.unicode() < 0x800 || c.isSurrogate() ? 2 : 3;
    return bytes;
}

QString sendKindName(SendKind kind)
{
    switch (kind) {
    case SendKind::Echo:
        return QStringLiteral("echo");
    case SendKind::Push:
        return QStringLiteral("push");
    case SendKind::Chat:
        return QStringLiteral("chat");
    case SendKind::Direct:
        return QStringLiteral("direct");
    case SendKind::Broadcast:
        return QStringLiteral("broadcast");
    }
    Q_UNREACHABLE();
}

} // namespace wslab
