#pragma once

#include <QDateTime>
#include <QTimeZone>

#include <functional>

namespace wslab {

// The time the lesson's exercise pushes: Beijing time (UTC+8), whatever the machine's zone.
namespace BeijingTime {

// Asia/Shanghai from the system's zone database, or a fixed UTC+8 when it has none.
// China has kept UTC+8 without daylight saving since 1991, so the fallback is exact today.
QTimeZone zone();

// `utc` expressed in Beijing time, ISO 8601 with offset and seconds precision,
// e.g. "2026-11-24T14:31:13+08:00".
QString format(const QDateTime &instant);

// True when `text` is exactly what format() writes: how a client tells a time push from other
// messages.
bool isFormatted(const QString &text);

} // namespace BeijingTime

// Where the server reads "now" from; tests replace it with a fixed instant.
using Clock = std::function<QDateTime()>;
Clock systemClock();

} // namespace wslab
