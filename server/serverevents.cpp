#include "serverevents.h"

namespace wslab {

QString routePath(Route route)
{
    switch (route) {
    case Route::Echo:
        return QStringLiteral("/ws");
    case Route::Chat:
        return QStringLiteral("/chat");
    }
    Q_UNREACHABLE();
}

QString initiatorName(Initiator initiator)
{
    switch (initiator) {
    case Initiator::Client:
        return QStringLiteral("client");
    case Initiator::Server:
        return QStringLiteral("server");
    case Initiator::Nobody:
        return QStringLiteral("nobody (TCP dropped)");
    }
    Q_UNREACHABLE();
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
