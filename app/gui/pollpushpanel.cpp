#include "pollpushpanel.h"

#include "palettecolours.h"
#include "theme.h"

#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScatterSeries>
#include <QSpinBox>
#include <QTableWidget>
#include <QValueAxis>

namespace wslab {

PollPushPanel::PollPushPanel(ServerHost *server, QWidget *parent)
    : QWidget(parent), m_experiment(new PollPushExperiment(server, this))
{
    setObjectName(QStringLiteral("pollPushPanel"));
    m_intervalLabel = new QLabel(this);
    m_interval = new QSpinBox(this);
    m_interval->setObjectName(QStringLiteral("pollInterval"));
    m_interval->setRange(50, 5000);
    m_interval->setSingleStep(50);
    m_interval->setValue(500);
    m_interval->setSuffix(QStringLiteral(" ms"));
    m_durationLabel = new QLabel(this);
    m_duration = new QSpinBox(this);
    m_duration->setObjectName(QStringLiteral("pollDuration"));
    m_duration->setRange(1, 120);
    m_duration->setValue(10);
    m_duration->setSuffix(QStringLiteral(" s"));
    m_intervalLabel->setBuddy(m_interval);
    m_durationLabel->setBuddy(m_duration);
    m_start = new QPushButton(this);
    m_start->setObjectName(QStringLiteral("pollPushStart"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("pollPushSummary"));
    m_summary->setWordWrap(true);
    m_counts = new QTableWidget(7, 2, this);
    m_counts->setObjectName(QStringLiteral("pollPushCounts"));
    m_counts->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_counts->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_counts->setMaximumWidth(420);
    m_countsWidthInLines = 420.0 / fontMetrics().height();

    m_pollSeries = new QScatterSeries(this);
    m_pollSeries->setMarkerSize(9);
    m_pushSeries = new QScatterSeries(this);
    m_pushSeries->setMarkerSize(9);
    auto *chart = new QChart;
    chart->addSeries(m_pollSeries);
    chart->addSeries(m_pushSeries);
    m_timeAxis = new QValueAxis(chart);
    m_delayAxis = new QValueAxis(chart);
    chart->addAxis(m_timeAxis, Qt::AlignBottom);
    chart->addAxis(m_delayAxis, Qt::AlignLeft);
    for (auto *series : { m_pollSeries, m_pushSeries }) {
        series->attachAxis(m_timeAxis);
        series->attachAxis(m_delayAxis);
    }
    m_timeAxis->setRange(0, 10);
    m_delayAxis->setRange(0, 600);
    chart->legend()->setAlignment(Qt::AlignTop);
    m_chart = new QChartView(chart, this);
    m_chart->setObjectName(QStringLiteral("pollPushChart"));
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(240);
    m_timeAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_delayAxis->setLabelFormat(QStringLiteral("%.0f"));
    restyle();

    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_intervalLabel, 0, 0);
    layout->addWidget(m_interval, 0, 1);
    layout->addWidget(m_durationLabel, 0, 2);
    layout->addWidget(m_duration, 0, 3);
    layout->addWidget(m_start, 0, 4);
    layout->setColumnStretch(5, 1);
    layout->addWidget(m_counts, 1, 0, 1, 5);
    layout->addWidget(m_chart, 1, 5, 2, 1);
    layout->addWidget(m_summary, 2, 0, 1, 5);
    layout->setRowStretch(1, 1);

    connect(m_start, &QPushButton::clicked, this, &PollPushPanel::start);
    connect(m_experiment, &PollPushExperiment::changed, this, &PollPushPanel::showCounts);
    connect(m_experiment, &PollPushExperiment::learned, this,
            [this](bool byPush, double seconds, double delayMs) {
                (byPush ? m_pushSeries : m_pollSeries)->append(seconds, delayMs);
                if (delayMs > m_delayAxis->max())
                    m_delayAxis->setMax(delayMs * 1.2);
            });
    retranslate();
}

void PollPushPanel::start()
{
    m_pollSeries->clear();
    m_pushSeries->clear();
    m_timeAxis->setRange(0, m_duration->value());
    m_delayAxis->setRange(0, m_interval->value() * 1.2);
    PollPushExperiment::Settings settings;
    settings.pollIntervalMs = m_interval->value();
    settings.durationMs = m_duration->value() * 1000;
    m_experiment->start(settings);
}

void PollPushPanel::showCounts()
{
    const auto &poll = m_experiment->polling();
    const auto &push = m_experiment->push();
    const auto set = [this](int row, const QString &polling, const QString &pushing) {
        for (int column = 0; column < 2; ++column) {
            auto *item = m_counts->item(row, column);
            if (!item)
                m_counts->setItem(row, column, item = new QTableWidgetItem);
            item->setText(column == 0 ? polling : pushing);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        }
    };
    const auto ms = [](double value) {
        return QStringLiteral("%1 ms").arg(value, 0, 'f', 1);
    };
    set(0, QString::number(poll.requests), QString::number(push.requests));
    set(1, QString::number(poll.useful), QString::number(push.useful));
    set(2, QString::number(poll.wasted), QString::number(push.wasted));
    set(3, QString::number(poll.bytesUp), QString::number(push.bytesUp));
    set(4, QString::number(poll.bytesDown), QString::number(push.bytesDown));
    set(5, ms(poll.meanDelayMs()), ms(push.meanDelayMs()));
    set(6, ms(poll.maxDelayMs()), ms(push.maxDelayMs()));
    m_start->setEnabled(!m_experiment->isRunning());
    if (!m_experiment->isRunning() && m_experiment->published() > 0)
        m_summary->setText(tr("%n headline(s) published. Polling asked %1 times, and %2 of the "
                              "answers were \"not yet\"; "
                              "it learned each headline %3 ms late on average. Push asked nothing "
                              "and was told %4 ms after each one.",
                              nullptr, int(m_experiment->published()))
                               .arg(poll.requests)
                               .arg(poll.wasted)
                               .arg(poll.meanDelayMs(), 0, 'f', 0)
                               .arg(push.meanDelayMs(), 0, 'f', 1));
}

void PollPushPanel::restyle()
{
    // The chart in the palette, then the two series in colours that stand out from it (3:1).
    const QList<QColor> grounds = followPalette(m_chart->chart(), palette());
    m_pollSeries->setColor(withContrast(QColor(0xe6, 0x8a, 0x00), grounds, contrast::graphics));
    m_pushSeries->setColor(withContrast(QColor(0x2e, 0x7d, 0x32), grounds, contrast::graphics));
    m_pollSeries->setBorderColor(m_pollSeries->color());
    m_pushSeries->setBorderColor(m_pushSeries->color());
}

void PollPushPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    if (event->type() == QEvent::PaletteChange)
        restyle();
    if (event->type() == QEvent::FontChange) // presentation mode's larger text: headers not clipped
        m_counts->setMaximumWidth(qRound(m_countsWidthInLines * fontMetrics().height()));
    QWidget::changeEvent(event);
}

void PollPushPanel::retranslate()
{
    m_intervalLabel->setText(tr("Poll every"));
    m_durationLabel->setText(tr("for"));
    m_interval->setAccessibleName(tr("Poll interval"));
    m_duration->setAccessibleName(tr("Experiment duration"));
    m_counts->setAccessibleName(tr("Polling and push counts"));
    m_chart->setAccessibleName(tr("Delay until each headline was seen"));
    m_start->setText(tr("Start: is my result out yet?"));
    m_counts->setHorizontalHeaderLabels({ tr("HTTP polling"), tr("WebSocket push") });
    m_counts->setVerticalHeaderLabels({ tr("Requests"), tr("Useful answers"), tr("Wasted answers"),
                                        tr("Bytes up"), tr("Bytes down"), tr("Mean delay"),
                                        tr("Worst delay") });
    m_pollSeries->setName(tr("polling: delay until seen"));
    m_pushSeries->setName(tr("push: delay until seen"));
    m_timeAxis->setTitleText(tr("time (s)"));
    m_delayAxis->setTitleText(tr("delay (ms)"));
    m_chart->chart()->setTitle(tr("News published at random times: who hears it first?"));
    if (m_summary->text().isEmpty())
        m_summary->setText(tr("The server publishes news at irregular times. One client keeps "
                              "asking (HTTP GET /news every few ms), "
                              "the other holds a WebSocket and is told. Press Start."));
    showCounts();
}

} // namespace wslab
