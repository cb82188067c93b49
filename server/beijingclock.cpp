#include "beijingclock.h"

namespace wslab {

QTimeZone BeijingTime::zone()
{
    static const QTimeZone tz = [] {
        QTimeZone shanghai(QByteArrayLiteral("Asia/Shanghai"));
        return shanghai.isValid() ? shanghai : QTimeZone(8 * 3600);
    }();
    return tz;
}

QString BeijingTime::format(const QDateTime &instant)
{
    return instant.toTimeZone(zone()).toString(Qt::ISODate);
}

bool BeijingTime::isFormatted(const QString &text)
{
    const QDateTime parsed = QDateTime::fromString(text, Qt::ISODate);
    return parsed.isValid() && format(parsed) == text;
}

Clock systemClock()
{
    return [] {
        return QDateTime::currentDateTimeUtc();
    };
}

} // namespace wslab
