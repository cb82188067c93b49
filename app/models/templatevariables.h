#pragma once

#include "beijingclock.h"
#include "payloadinput.h"

#include <QString>
#include <QStringList>

#include <functional>

namespace wslab {

// The variables a message may hold, expanded when it is sent:
//   {{now}}      local time, ISO 8601 with milliseconds and offset: 2026-12-01T18:31:13.042-05:00
//   {{beijing}}  Beijing time (UTC+8) whatever the machine's zone: 2026-12-02 07:31:13
//   {{uuid}}     a fresh random UUID for each expansion (and each {{uuid}} in it)
//   {{counter}}  the sender's count of sends (1 for the first); who counts is the caller's:
//                the composer keeps one, each saved collection one of its own
// Spaces inside the braces are allowed ({{ now }}). An unknown name is left as written and
// reported, so a typo shows. A backslash before {{ keeps it literal: \{{now}} sends {{now}}.
// Pure: the clock and the UUIDs are injectable for tests.
namespace TemplateVariables {

struct Context
{
    Clock clock = systemClock();
    std::function<QString()> uuid; // empty: QUuid::createUuid() without braces
    qint64 counter = 0;
};

struct Expansion
{
    QString text;
    QStringList unknown; // names not recognised, in order of appearance, each once
    bool usedCounter = false; // {{counter}} appears: the caller may want to count only then
};

QStringList names(); // now, beijing, uuid, counter

Expansion expand(const QString &text, const Context &context = {});

// The text with each known variable replaced by a stand-in of the same length, so a JSON
// check of a message with variables reports the place in what was typed: digits for
// {{counter}} (a number where a number goes), letters for the others (they are strings).
QString standIns(const QString &text);

// One message as it goes out: variables expanded (in text and JSON; hex and base64 are bytes,
// where {{counter}} would read as hex), then turned into bytes and checked.
struct Composed
{
    PayloadInput::Result payload;
    QStringList unknown; // as in Expansion
};
Composed compose(PayloadInput::Kind kind, const QString &typed, const Context &context = {});

} // namespace TemplateVariables

} // namespace wslab
