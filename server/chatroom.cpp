#include "chatroom.h"

namespace wslab {

QString ChatRoom::nameFor(const QString &requested, quint64 id)
{
    const QString name = requested.simplified().left(maxNameLength);
    return name.isEmpty() ? QStringLiteral("guest-%1").arg(id) : name;
}

QString ChatRoom::join(quint64 id, const QString &name)
{
    m_members[id] = name;
    return QStringLiteral("* %1 joined (%2 in the room)").arg(name).arg(size());
}

QString ChatRoom::leave(quint64 id)
{
    const auto node = m_members.extract(id);
    return node.empty() ? QString() : QStringLiteral("* %1 left").arg(node.mapped());
}

QString ChatRoom::say(quint64 id, const QString &text) const
{
    const auto it = m_members.find(id);
    return it == m_members.end() ? QString() : it->second + u": " + text;
}

QString ChatRoom::binaryRefusal()
{
    return QStringLiteral("the chat room takes text messages only");
}

} // namespace wslab
