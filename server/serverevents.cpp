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

Text sendKindName(SendKind kind)
{
    switch (kind) {
    case SendKind::Echo:
        return Text("wslab::SendKind", QT_TRANSLATE_NOOP("wslab::SendKind", "echo"));
    case SendKind::Push:
        return Text("wslab::SendKind", QT_TRANSLATE_NOOP("wslab::SendKind", "push"));
    case SendKind::Chat:
        return Text("wslab::SendKind", QT_TRANSLATE_NOOP("wslab::SendKind", "chat"));
    case SendKind::Direct:
        return Text("wslab::SendKind", QT_TRANSLATE_NOOP("wslab::SendKind", "direct"));
    case SendKind::Broadcast:
        return Text("wslab::SendKind", QT_TRANSLATE_NOOP("wslab::SendKind", "broadcast"));
    }
    Q_UNREACHABLE();
}

} // namespace wslab
