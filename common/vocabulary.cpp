#include "vocabulary.h"

#include <QElapsedTimer>
#include <QStringList>

namespace wslab {

qint64 monotonicNowNs()
{
    static const QElapsedTimer clock = [] {
        QElapsedTimer timer;
        timer.start();
        return timer;
    }();
    return clock.nsecsElapsed();
}

QString News::encode() const
{
    return QStringLiteral("%1 %2 %3").arg(seq).arg(publishedNs).arg(text);
}

std::optional<News> News::decode(const QString &line)
{
    const QStringList parts = line.split(u' ');
    bool seqOk = false, timeOk = false;
    if (parts.size() < 2)
        return std::nullopt;
    News news { parts[0].toULongLong(&seqOk), parts[1].toLongLong(&timeOk),
                parts.mid(2).join(u' ') };
    return seqOk && timeOk ? std::optional(news) : std::nullopt;
}

bool isValidCloseCode(quint16 code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014)
        || (code >= 3000 && code <= 4999);
}

QString routePath(Route route)
{
    switch (route) {
    case Route::Echo:
        return QStringLiteral("/ws");
    case Route::Chat:
        return QStringLiteral("/chat");
    case Route::News:
        return QStringLiteral("/news");
    }
    Q_UNREACHABLE();
}

Text initiatorName(Initiator initiator)
{
    switch (initiator) {
    case Initiator::Client:
        return Text("wslab::Initiator", QT_TRANSLATE_NOOP("wslab::Initiator", "client"));
    case Initiator::Server:
        return Text("wslab::Initiator", QT_TRANSLATE_NOOP("wslab::Initiator", "server"));
    case Initiator::Nobody:
        return Text("wslab::Initiator",
                    QT_TRANSLATE_NOOP("wslab::Initiator", "nobody (TCP dropped)"));
    }
    Q_UNREACHABLE();
}

} // namespace wslab
