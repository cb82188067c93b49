#include "eventspane.h"

#include "eventfilter.h"
#include "eventlog.h"
#include "problemline.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

namespace wslab {

EventsPane::EventsPane(EventLog *log, QWidget *parent) : QWidget(parent), m_log(nullptr)
{
    setObjectName(QStringLiteral("eventsPane"));
    m_filter = new EventFilter(this);
    m_filter->setSourceModel(log); // before the widths: a header without sections keeps none
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("eventsTable"));
    m_table->setModel(m_filter);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    // Widths from the font (a larger font or a HiDPI screen's keeps them readable), not from
    // the rows: measuring 100 000 rows would freeze the pane.
    const auto width = [this](const char *sample) {
        return fontMetrics().horizontalAdvance(QLatin1StringView(sample)) + 16;
    };
    m_table->setColumnWidth(EventLog::Time, width("00000.000"));
    m_table->setColumnWidth(EventLog::Side, width("server"));
    m_table->setColumnWidth(EventLog::Phase, width("WebSocket"));
    m_table->setColumnWidth(EventLog::Kind, width("message received"));
    m_table->setColumnWidth(EventLog::Connection, width("Connection"));

    m_side = new QComboBox(this);
    m_side->setObjectName(QStringLiteral("sideFilter"));
    m_side->addItems({ QString(), QString(), QString(), QString() });
    m_phase = new QComboBox(this);
    m_phase->setObjectName(QStringLiteral("phaseFilter"));
    m_phase->addItems({ QString(), QString(), QString(), QString() });
    m_direction = new QComboBox(this);
    m_direction->setObjectName(QStringLiteral("directionFilter"));
    m_direction->addItems({ QString(), QString(), QString() });
    m_text = new QLineEdit(this);
    m_text->setObjectName(QStringLiteral("textFilter"));
    m_text->setClearButtonEnabled(true);
    m_regex = new QCheckBox(this);
    m_regex->setObjectName(QStringLiteral("regexFilter"));
    m_problem = new ProblemLine(QStringLiteral("eventFilterProblemText"), this);
    m_problem->setObjectName(QStringLiteral("eventFilterProblem"));
    m_problem->setBuddy(m_text);
    m_review = new QLabel(this);
    m_review->setObjectName(QStringLiteral("eventsReviewNote"));
    m_review->hide();
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_showFrame = new QAction(this);
    m_showFrame->setObjectName(QStringLiteral("showFrame"));
    m_showFrame->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
    m_showFrame->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_table->addAction(m_showFrame);
    connect(m_showFrame, &QAction::triggered, this, [this] {
        if (currentEvent() >= 0)
            Q_EMIT showFrameWanted(currentEvent());
    });
    auto *find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    find->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QAction::triggered, m_text,
            [this] { m_text->setFocus(Qt::ShortcutFocusReason); });
    addAction(find);
    m_pause = new QPushButton(this);
    m_pause->setObjectName(QStringLiteral("pauseButton"));
    m_pause->setCheckable(true);
    m_clear = new QPushButton(this);
    m_clear->setObjectName(QStringLiteral("clearButton"));
    m_dropped = new QLabel(this);
    m_dropped->setObjectName(QStringLiteral("droppedLabel"));

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_side);
    bar->addWidget(m_phase);
    bar->addWidget(m_direction);
    bar->addWidget(m_text, 1);
    bar->addWidget(m_regex);
    bar->addWidget(m_pause);
    bar->addWidget(m_clear);
    bar->addWidget(m_dropped);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_review);
    layout->addLayout(bar);
    layout->addWidget(m_problem);
    layout->addWidget(m_table);

    connect(m_side, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_filter->setSide(i == 0 ? std::nullopt : std::optional(Event::Side(i - 1)));
    });
    connect(m_phase, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_filter->setPhase(i == 0 ? std::nullopt : std::optional(Phase(i - 1)));
    });
    connect(m_direction, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_filter->setDirection(i == 0 ? std::nullopt : std::optional(Direction(i - 1)));
    });
    connect(m_text, &QLineEdit::textChanged, m_filter, &EventFilter::setText);
    connect(m_regex, &QCheckBox::toggled, m_filter, &EventFilter::setRegex);
    connect(m_filter, &EventFilter::patternErrorChanged, this,
            [this](const QString &error) { m_problem->showMessage(error, true); });
    // Follow new rows while the user is at the bottom; stay put when they scrolled up to read.
    connect(m_filter, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        QScrollBar *bar = m_table->verticalScrollBar();
        m_table->setProperty("follow", bar->value() >= bar->maximum() - 2);
    });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_table->property("follow").toBool())
            m_table->scrollToBottom();
    });
    setLog(log);
    retranslate();
}

void EventsPane::setLog(EventLog *log)
{
    if (log == m_log)
        return;
    if (m_log) {
        disconnect(m_pause, nullptr, m_log, nullptr);
        disconnect(m_clear, nullptr, m_log, nullptr);
        disconnect(m_log, nullptr, this, nullptr);
    }
    m_log = log;
    m_filter->setSourceModel(log);
    {
        const QSignalBlocker blocker(m_pause);
        m_pause->setChecked(log->isPaused());
    }
    connect(m_pause, &QPushButton::toggled, log, &EventLog::setPaused);
    connect(m_clear, &QPushButton::clicked, log, &EventLog::clear);
    connect(log, &EventLog::droppedCountChanged, this, &EventsPane::updateDropped);
    updateDropped();
    m_table->scrollToBottom();
}

int EventsPane::currentEvent() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? m_filter->mapToSource(current).row() : -1;
}

void EventsPane::selectEvent(int row)
{
    if (row < 0 || row >= m_log->rowCount())
        return;
    QModelIndex index = m_filter->mapFromSource(m_log->index(row, 0));
    if (!index.isValid()) { // hidden by the filter: show everything, then the event
        clearFilter();
        index = m_filter->mapFromSource(m_log->index(row, 0));
    }
    m_table->setCurrentIndex(index);
    m_table->scrollTo(index);
}

void EventsPane::clearFilter()
{
    m_side->setCurrentIndex(0);
    m_phase->setCurrentIndex(0);
    m_direction->setCurrentIndex(0);
    m_text->clear();
}

void EventsPane::setReviewNote(const QString &note)
{
    m_review->setText(note);
    m_review->setVisible(!note.isEmpty());
}

void EventsPane::updateDropped()
{
    m_dropped->setText(m_log->droppedCount()
                           ? tr("%n older event(s) dropped", nullptr, int(m_log->droppedCount()))
                           : QString());
}

void EventsPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void EventsPane::retranslate()
{
    m_side->setItemText(0, tr("All sides"));
    m_side->setItemText(1, tr("Client"));
    m_side->setItemText(2, tr("Server"));
    m_side->setItemText(3, tr("Wire"));
    m_phase->setItemText(0, tr("All phases"));
    m_phase->setItemText(1, tr("TCP"));
    m_phase->setItemText(2, tr("HTTP"));
    m_phase->setItemText(3, tr("WebSocket"));
    m_direction->setItemText(0, tr("Both directions"));
    m_direction->setItemText(1, tr("→ to server"));
    m_direction->setItemText(2, tr("← to client"));
    m_direction->setAccessibleName(tr("Filter by direction"));
    m_regex->setText(tr("Regex"));
    m_regex->setToolTip(tr("Match with a regular expression (case-insensitive)"));
    m_showFrame->setText(tr("Show &frame"));
    m_text->setPlaceholderText(tr("Filter by text (Ctrl+F)"));
    m_side->setAccessibleName(tr("Filter by side"));
    m_phase->setAccessibleName(tr("Filter by phase"));
    m_text->setAccessibleName(tr("Filter by text"));
    m_table->setAccessibleName(tr("Events"));
    m_pause->setText(tr("Pause"));
    m_pause->setToolTip(tr("Hold the table still to read it; nothing is lost meanwhile."));
    m_clear->setText(tr("Clear"));
    updateDropped();
}

} // namespace wslab
