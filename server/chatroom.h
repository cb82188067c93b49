#pragma once

#include <QString>

#include <map>

namespace wslab {

// The lesson's /chat: who is in the room, and what the room says. It sends nothing itself:
// every line it returns goes to every member (the server fans it out), so, like everything
// the server sends, in English whatever the host's language (the window shows the messages as
// data, quoted).
class ChatRoom
{
public:
    static constexpr int maxNameLength = 32;

    // The name a member goes by: ?name= tidied (white space simplified, at most maxNameLength
    // characters), or "guest-<id>" when none was given.
    static QString nameFor(const QString &requested, quint64 id);

    // Adds a member; returns the notice for the room ("* ann joined (3 in the room)").
    QString join(quint64 id, const QString &name);
    // Removes a member; returns the notice ("* ann left"), or nothing for a stranger.
    QString leave(quint64 id);
    // What the room hears when a member says `text` ("ann: hello"); nothing for a stranger.
    QString say(quint64 id, const QString &text) const;
    // Why a binary message ends its sender's membership (the room relays text only).
    static QString binaryRefusal();

    // Several servers share the room (RedisBus): the notices say on which one a member is.
    void setInstance(const QString &instance) { m_instance = instance; }

    int size() const { return int(m_members.size()); }
    bool contains(quint64 id) const { return m_members.count(id) != 0; }

private:
    std::map<quint64, QString> m_members; // id → name
    QString m_instance;
};

} // namespace wslab
