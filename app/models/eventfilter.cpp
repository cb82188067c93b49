#include "eventfilter.h"

#include <QCoreApplication>

namespace wslab {

void TextMatcher::set(const QString &text, bool regex)
{
    m_text = text;
    m_regex = regex;
    m_error.clear();
    if (regex && !text.isEmpty()) {
        m_expression = QRegularExpression(text,
                                          QRegularExpression::CaseInsensitiveOption
                                              | QRegularExpression::UseUnicodePropertiesOption);
        if (!m_expression.isValid())
            m_error = QCoreApplication::translate("wslab::TextMatcher",
                                                  "regular expression: %1 at character %2")
                          .arg(m_expression.errorString())
                          .arg(m_expression.patternErrorOffset() + 1);
        else
            m_expression.optimize();
    }
}

bool TextMatcher::matches(QStringView haystack) const
{
    if (m_text.isEmpty())
        return true;
    if (!m_error.isEmpty())
        return false;
    return m_regex ? m_expression.match(haystack).hasMatch()
                   : haystack.contains(m_text, Qt::CaseInsensitive);
}

PatternFilter::PatternFilter(QObject *parent) : QSortFilterProxyModel(parent) { }

void PatternFilter::setText(const QString &text)
{
    m_text = text;
    updatePattern();
}

void PatternFilter::setRegex(bool regex)
{
    m_regex = regex;
    updatePattern();
}

// invalidate(), not invalidateFilter(): on a full log the latter removes the rows that no
// longer match range by range (a second and more for 100,000 rows); the former drops the
// mapping and tests every row once, which is what a new pattern needs anyway.
void PatternFilter::refilter()
{
    invalidate();
}

void PatternFilter::updatePattern()
{
    const QString before = m_matcher.error();
    m_matcher.set(m_text, m_regex);
    if (m_matcher.error() != before)
        Q_EMIT patternErrorChanged(m_matcher.error());
    refilter();
}

EventFilter::EventFilter(QObject *parent) : PatternFilter(parent) { }

void EventFilter::setSide(std::optional<Event::Side> side)
{
    m_side = side;
    refilter();
}

void EventFilter::setPhase(std::optional<Phase> phase)
{
    m_phase = phase;
    refilter();
}

void EventFilter::setDirection(std::optional<Direction> direction)
{
    m_direction = direction;
    refilter();
}

std::optional<Direction> EventFilter::directionOf(const Event &event)
{
    using K = Event::Kind;
    if (event.wire)
        return event.wire->direction;
    const bool client = event.side == Event::Side::Client;
    switch (event.kind) {
    case K::MessageSent:
    case K::CloseSent:
    case K::HandshakeRequest:
        return client ? Direction::ClientToServer : Direction::ServerToClient;
    case K::MessageReceived:
    case K::CloseReceived:
    case K::HandshakeResponse:
        return client ? Direction::ServerToClient : Direction::ClientToServer;
    default:
        return std::nullopt;
    }
}

bool EventFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    // Straight from the log: no QVariant per test, and the detail from its cache of words.
    const auto *log = qobject_cast<const EventLog *>(sourceModel());
    if (!log || sourceParent.isValid())
        return true;
    const Event &e = log->event(sourceRow);
    if (m_side && e.side != *m_side)
        return false;
    if (m_phase && e.phase != *m_phase)
        return false;
    if (m_direction && directionOf(e) != m_direction)
        return false;
    if (!matcher().isEmpty())
        return matcher().matches(log->detail(sourceRow))
            || matcher().matches(log->kindText(e.kind));
    return true;
}

} // namespace wslab
