#include "eventlog.h"

#include "language.h"
#include "phasecolour.h"

#include <QBrush>
#include <QColor>
#include <QTextDocument>

namespace wslab {

EventLog::EventLog(QObject *parent) : QAbstractTableModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(30);
    connect(&m_flushTimer, &QTimer::timeout, this, &EventLog::flush);
}

int EventLog::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int EventLog::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventLog::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Event &e = m_events.at(size_t(index.row()));
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            return QString::number(e.timeNs / 1e9, 'f', 3);
        case Side:
            return sideName(e.side);
        case Phase:
            return phaseName(e.phase);
        case Kind:
            return kindText(e.kind);
        case Connection:
            return e.connection ? QVariant(QStringLiteral("#%1").arg(e.connection)) : QVariant();
        case Detail:
            return detail(index.row()); // in the language of now, not of when it happened
        }
        break;
    case Qt::ToolTipRole:
        // Escaped rich text: a detail holds what peers sent, and a tool tip that looks like HTML
        // (Qt::mightBeRichText) would be rendered as HTML.
        return index.column() == Detail
            ? QVariant(Qt::convertFromPlainText(detail(index.row()), Qt::WhiteSpaceNormal))
            : QVariant();
    case Qt::BackgroundRole:
        return QBrush(phaseColour(e.phase));
    case Qt::ForegroundRole:
        return (e.kind == Event::Kind::Error || e.kind == Event::Kind::ProtocolError)
            ? QVariant(QBrush(errorTextColour(applicationPalette())))
            : QVariant();
    case SideRole:
        return int(e.side);
    case PhaseRole:
        return int(e.phase);
    case KindRole:
        return int(e.kind);
    case TimeNsRole:
        return e.timeNs;
    case EventIndexRole:
        return index.row();
    }
    return {};
}

// The words are kept per language: a switch (even one nobody told the log about) words
// the rows anew.
void EventLog::forgetWordsIfLanguageChanged() const
{
    const QString language = Language::current();
    if (language == m_wordedIn)
        return;
    m_wordedIn = language;
    std::fill(m_details.begin(), m_details.end(), std::nullopt);
    m_kindTexts.clear();
}

const QString &EventLog::detail(int row) const
{
    forgetWordsIfLanguageChanged();
    std::optional<QString> &text = m_details.at(size_t(row));
    if (!text)
        text = m_events.at(size_t(row)).summary.toString();
    return *text;
}

const QString &EventLog::kindText(Event::Kind kind) const
{
    forgetWordsIfLanguageChanged();
    if (m_kindTexts.isEmpty())
        for (int k = 0; k <= int(Event::Kind::Info); ++k)
            m_kindTexts.append(kindName(Event::Kind(k)));
    return m_kindTexts.at(qBound(0, int(kind), int(m_kindTexts.size()) - 1));
}

QVariant EventLog::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time (s)");
    case Side:
        return tr("Side");
    case Phase:
        return tr("Phase");
    case Kind:
        return tr("Event");
    case Connection:
        return tr("Connection");
    case Detail:
        return tr("Detail");
    }
    return {};
}

void EventLog::setMaxEvents(int maxEvents)
{
    m_maxEvents = qMax(1, maxEvents);
    trim();
}

void EventLog::append(const Event &event)
{
    m_pending.push_back(event);
    // Never hold more pending than could be shown.
    if (int(m_pending.size()) > m_maxEvents) {
        m_pending.pop_front();
        ++m_dropped;
        Q_EMIT droppedCountChanged(m_dropped);
    }
    scheduleFlush();
}

void EventLog::appendBatch(const QList<Event> &events)
{
    for (const Event &event : events)
        append(event);
}

void EventLog::scheduleFlush()
{
    if (!m_paused && !m_flushTimer.isActive())
        m_flushTimer.start();
}

void EventLog::flush()
{
    m_flushTimer.stop();
    if (m_paused || m_pending.empty())
        return;
    const int first = int(m_events.size());
    beginInsertRows({}, first, first + int(m_pending.size()) - 1);
    std::move(m_pending.begin(), m_pending.end(), std::back_inserter(m_events));
    m_details.resize(m_events.size());
    m_pending.clear();
    endInsertRows();
    trim();
}

void EventLog::trim()
{
    const int excess = int(m_events.size()) - m_maxEvents;
    if (excess <= 0)
        return;
    beginRemoveRows({}, 0, excess - 1);
    m_events.erase(m_events.begin(), m_events.begin() + excess);
    m_details.erase(m_details.begin(), m_details.begin() + excess);
    endRemoveRows();
    m_dropped += excess;
    Q_EMIT droppedCountChanged(m_dropped);
}

void EventLog::countDropped(qint64 count)
{
    if (count <= 0)
        return;
    m_dropped += count;
    Q_EMIT droppedCountChanged(m_dropped);
}

void EventLog::setPaused(bool paused)
{
    m_paused = paused;
    if (!paused)
        scheduleFlush();
}

void EventLog::clear()
{
    beginResetModel();
    m_events.clear();
    m_details.clear();
    m_pending.clear();
    endResetModel();
}

void EventLog::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    // The words of the old language go; rows are worded again when shown or filtered.
    std::fill(m_details.begin(), m_details.end(), std::nullopt);
    m_kindTexts.clear();
    // Every row is shown anew: events keep what happened and are put in words when shown.
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1),
                           { Qt::DisplayRole, Qt::ToolTipRole });
}

} // namespace wslab
