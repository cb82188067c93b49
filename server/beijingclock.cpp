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

Clock systemClock()
{
    return [] {
        return QDateTime::currentDateTimeUtc();
    };
}

} // namespace wslab
