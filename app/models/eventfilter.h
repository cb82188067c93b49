#pragma once

#include "eventlog.h"

#include <QRegularExpression>
#include <QSortFilterProxyModel>

namespace wslab {

// What the Events and Frames panes' search boxes match: a text (case-insensitive) or a
// regular expression. An invalid expression matches nothing and says why (error()).
class TextMatcher
{
public:
    void set(const QString &text, bool regex);
    bool isEmpty() const { return m_text.isEmpty(); }
    bool isValid() const { return m_error.isEmpty(); }
    // Empty when the pattern is usable, else one line naming what is wrong and where.
    QString error() const { return m_error; }
    bool matches(QStringView haystack) const;

private:
    QString m_text;
    bool m_regex = false;
    QRegularExpression m_expression;
    QString m_error;
};

// A filter proxy with a search box's pattern (TextMatcher): the part the Events and Frames
// filters share. A subclass tests matcher() in filterAcceptsRow() and calls refilter() when
// its own criteria change.
class PatternFilter : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit PatternFilter(QObject *parent = nullptr);

    void setText(const QString &text);
    void setRegex(bool regex);
    const TextMatcher &matcher() const { return m_matcher; }

Q_SIGNALS:
    // The pattern became invalid, or valid again: the argument is the one line to show.
    void patternErrorChanged(const QString &error);

protected:
    void refilter();

private:
    void updatePattern();

    QString m_text;
    bool m_regex = false;
    TextMatcher m_matcher;
};

// The Events pane's filter: by side, by phase, by direction (to the server or to the client),
// and by text or regular expression in the detail and the event's name.
class EventFilter : public PatternFilter
{
    Q_OBJECT

public:
    explicit EventFilter(QObject *parent = nullptr);

    void setSide(std::optional<Event::Side> side);
    void setPhase(std::optional<Phase> phase);
    void setDirection(std::optional<Direction> direction);

    // Which way an event went, if it went anywhere: a client's send and a server's receive go
    // to the server, the tap's bytes go the way they crossed.
    static std::optional<Direction> directionOf(const Event &event);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    std::optional<Event::Side> m_side;
    std::optional<Phase> m_phase;
    std::optional<Direction> m_direction;
};

} // namespace wslab
