#include "templatevariables.h"

#include <QTimeZone>
#include <QUuid>

namespace wslab::TemplateVariables {

namespace {
struct Token
{
    qsizetype start = 0; // of "{{", or of the backslash before it
    qsizetype end = 0; // past "}}"
    QString name; // trimmed
    bool escaped = false;
};

// The next {{name}} (or \{{) from `from`; false when there is none.
bool nextToken(const QString &text, qsizetype from, Token &token)
{
    for (qsizetype open = text.indexOf(QLatin1StringView("{{"), from); open >= 0;
         open = text.indexOf(QLatin1StringView("{{"), open + 1)) {
        if (open > 0 && text.at(open - 1) == u'\\') {
            token = { open - 1, open + 2, QString(), true };
            return true;
        }
        const qsizetype close = text.indexOf(QLatin1StringView("}}"), open + 2);
        if (close < 0)
            return false;
        const QString name = text.mid(open + 2, close - open - 2).trimmed();
        // A name: letters, digits, '_', '.', '-'; anything else ({{ {"a":1} }}) is not a variable.
        bool isName = !name.isEmpty();
        for (QChar c : name)
            isName = isName && (c.isLetterOrNumber() || c == u'_' || c == u'.' || c == u'-');
        if (!isName)
            continue;
        token = { open, close + 2, name, false };
        return true;
    }
    return false;
}

QString beijingText(const QDateTime &instant)
{
    return instant.toTimeZone(BeijingTime::zone()).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString nowText(const QDateTime &instant)
{
    const QDateTime local = instant.toLocalTime();
    return local.toOffsetFromUtc(local.offsetFromUtc()).toString(Qt::ISODateWithMs);
}
} // namespace

QStringList names()
{
    return { QStringLiteral("now"), QStringLiteral("beijing"), QStringLiteral("uuid"),
             QStringLiteral("counter") };
}

Expansion expand(const QString &text, const Context &context)
{
    Expansion result;
    result.text.reserve(text.size());
    std::optional<QDateTime> instant; // one instant for the whole message
    const auto now = [&] {
        if (!instant)
            instant = context.clock ? context.clock() : QDateTime::currentDateTime();
        return *instant;
    };
    qsizetype at = 0;
    Token token;
    while (nextToken(text, at, token)) {
        result.text += QStringView(text).mid(at, token.start - at);
        at = token.end;
        if (token.escaped) {
            result.text += QLatin1StringView("{{");
            continue;
        }
        const QString &name = token.name;
        if (name == u"now") {
            result.text += nowText(now());
        } else if (name == u"beijing") {
            result.text += beijingText(now());
        } else if (name == u"uuid") {
            result.text += context.uuid ? context.uuid()
                                        : QUuid::createUuid().toString(QUuid::WithoutBraces);
        } else if (name == u"counter") {
            result.text += QString::number(context.counter);
            result.usedCounter = true;
        } else {
            result.text += QStringView(text).mid(token.start, token.end - token.start);
            if (!result.unknown.contains(name))
                result.unknown.append(name);
        }
    }
    result.text += QStringView(text).mid(at);
    return result;
}

QString standIns(const QString &text)
{
    QString result = text;
    qsizetype at = 0;
    Token token;
    while (nextToken(text, at, token)) {
        at = token.end;
        if (token.escaped || !names().contains(token.name))
            continue;
        const qsizetype length = token.end - token.start;
        const QString standIn = token.name == u"counter"
            ? QStringLiteral("1") + QString(length - 1, u'0')
            : QString(length, u'x');
        result.replace(token.start, length, standIn);
    }
    return result;
}

Composed compose(PayloadInput::Kind kind, const QString &typed, const Context &context)
{
    Composed composed;
    if (kind == PayloadInput::Kind::Text || kind == PayloadInput::Kind::Json) {
        Expansion expansion = expand(typed, context);
        composed.unknown = expansion.unknown;
        composed.payload = PayloadInput::parse(kind, expansion.text);
    } else {
        composed.payload = PayloadInput::parse(kind, typed);
    }
    return composed;
}

} // namespace wslab::TemplateVariables
