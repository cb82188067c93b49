#include "redisendpoint.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QUrl>

namespace wslab {

namespace {

struct RedisWords
{
    Q_DECLARE_TR_FUNCTIONS(wslab::RedisEndpoint)
};

} // namespace

std::optional<RedisEndpoint> RedisEndpoint::fromUrl(const QString &text, QString *error)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.scheme().isEmpty()) {
        *error = RedisWords::tr("\"%1\" is not a URL like redis://127.0.0.1:6379").arg(text);
        return std::nullopt;
    }
    if (url.scheme() != u"redis") {
        *error = RedisWords::tr("\"%1\": the scheme must be redis:// (rediss:// and unix "
                                "sockets are not supported)")
                     .arg(text);
        return std::nullopt;
    }
    if (url.host().isEmpty()) {
        *error = RedisWords::tr("\"%1\" names no host; e.g. redis://127.0.0.1:6379").arg(text);
        return std::nullopt;
    }
    const int port = url.port(6379);
    if (port < 1 || port > 65535) {
        *error = RedisWords::tr("\"%1\": the port must be from 1 to 65535").arg(text);
        return std::nullopt;
    }
    const QString path = url.path();
    if (!path.isEmpty() && path != u"/") {
        bool ok = false;
        const int db = QStringView(path).mid(1).toInt(&ok);
        if (!ok || db < 0) {
            *error
                = RedisWords::tr("\"%1\": the path may only be a database number (/0)").arg(text);
            return std::nullopt;
        }
    }
    if (url.hasQuery() || url.hasFragment()) {
        *error = RedisWords::tr("\"%1\": no ?query or #fragment is understood").arg(text);
        return std::nullopt;
    }
    RedisEndpoint endpoint;
    endpoint.host = url.host();
    endpoint.port = quint16(port);
    endpoint.user = url.userName(QUrl::FullyDecoded);
    endpoint.password = url.password(QUrl::FullyDecoded);
    if (!endpoint.user.isEmpty() && endpoint.password.isEmpty()) {
        *error = RedisWords::tr("\"%1\": a user needs a password (redis://user:password@host)")
                     .arg(text);
        return std::nullopt;
    }
    return endpoint;
}

QString RedisEndpoint::displayUrl() const
{
    const bool v6 = QHostAddress(host).protocol() == QAbstractSocket::IPv6Protocol;
    return QStringLiteral("redis://%1:%2").arg(v6 ? u'[' + host + u']' : host).arg(port);
}

QString instanceNameProblem(const QString &name)
{
    if (name.isEmpty() || name.size() > 64)
        return RedisWords::tr("an instance name has 1 to 64 characters");
    for (const QChar c : name) {
        if (!(c.isLetterOrNumber() && c.unicode() < 0x80) && c != u'.' && c != u'_' && c != u'-')
            return RedisWords::tr("\"%1\": an instance name has only letters, digits, '.', '_' "
                                  "and '-'")
                .arg(name);
    }
    return {};
}

} // namespace wslab
