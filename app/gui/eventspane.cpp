#include "eventspane.h"

#include "eventfilter.h"
#include "eventlog.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
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
    m_text = new QLineEdit(this);
    m_text->setObjectName(QStringLiteral("textFilter"));
    m_text->setClearButtonEnabled(true);
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
    bar->addWidget(m_text, 1);
    bar->addWidget(m_pause);
    bar->addWidget(m_clear);
    bar->addWidget(m_dropped);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_table);

    connect(m_side, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_filter->setSide(i == 0 ? std::nullopt : std::optional(Event::Side(i - 1)));
    });
    connect(m_phase, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_filter->setPhase(i == 0 ? std::nullopt : std::optional(Phase(i - 1)));
    });
    connect(m_text, &QLineEdit::textChanged, m_filter, &EventFilter::setText);
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
    m_text->setPlaceholderText(tr("Filter by text"));
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
