#pragma once

#include <QString>

#include <optional>

namespace wslab {

// Where the Redis that joins several servers is: redis://[[user]:password@]host[:port][/db].
// Pub/sub ignores the database number, so /db is accepted and not used.
struct RedisEndpoint
{
    QString host;
    quint16 port = 6379;
    QString user; // Redis 6 ACL user; empty: AUTH with the password alone
    QString password; // empty: no AUTH

    // The endpoint of `url`, or nullopt with `error` saying what is wrong in words.
    static std::optional<RedisEndpoint> fromUrl(const QString &url, QString *error);
    // redis://host:port, without the password (what logs and messages show).
    QString displayUrl() const;
};

// An instance's name goes into an HTTP header (X-WsLab-Instance) and into messages: 1 to 64
// letters, digits, '.', '_' or '-'. Empty when `name` is fine, else why not.
QString instanceNameProblem(const QString &name);

} // namespace wslab
