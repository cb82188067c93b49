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
    if (!m_instance.isEmpty()) // the count is this instance's: the others count their own
        return QStringLiteral("* %1 joined on instance %2 (%3 on %2)")
            .arg(name, m_instance)
            .arg(size());
    return QStringLiteral("* %1 joined (%2 in the room)").arg(name).arg(size());
}

QString ChatRoom::leave(quint64 id)
{
    const auto node = m_members.extract(id);
    if (node.empty())
        return {};
    if (!m_instance.isEmpty())
        return QStringLiteral("* %1 left instance %2").arg(node.mapped(), m_instance);
    return QStringLiteral("* %1 left").arg(node.mapped());
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
