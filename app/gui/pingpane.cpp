#include "pingpane.h"

#include "palettecolours.h"
#include "theme.h"

#include "clientsession.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QVBoxLayout>

#include <QValueAxis>
#include <cmath>

namespace wslab {

PingPane::PingPane(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("pingPane"));
    m_pingNow = new QPushButton(this);
    m_pingNow->setObjectName(QStringLiteral("pingNowButton"));
    m_every = new QCheckBox(this);
    m_every->setObjectName(QStringLiteral("pingPeriodically"));
    m_period = new QDoubleSpinBox(this);
    m_period->setObjectName(QStringLiteral("pingPeriod"));
    m_period->setRange(0.1, 3600);
    m_period->setDecimals(1);
    m_period->setValue(1);
    m_clear = new QPushButton(this);
    m_clear->setObjectName(QStringLiteral("clearPingsButton"));
    m_figures = new QLabel(this);
    m_figures->setObjectName(QStringLiteral("pingFigures"));
    m_figures->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_series = new QLineSeries(this);
    m_series->setPointsVisible(true);
    auto *chart = new QChart;
    chart->addSeries(m_series);
    m_timeAxis = new QValueAxis(chart);
    m_rttAxis = new QValueAxis(chart);
    chart->addAxis(m_timeAxis, Qt::AlignBottom);
    chart->addAxis(m_rttAxis, Qt::AlignLeft);
    m_series->attachAxis(m_timeAxis);
    m_series->attachAxis(m_rttAxis);
    m_timeAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_rttAxis->setLabelFormat(QStringLiteral("%.0f"));
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart = new QChartView(chart, this);
    m_chart->setObjectName(QStringLiteral("pingChart"));
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(180);

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_pingNow);
    controls->addWidget(m_every);
    controls->addWidget(m_period);
    controls->addStretch();
    controls->addWidget(m_clear);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(controls);
    layout->addWidget(m_figures);
    layout->addWidget(m_chart, 1);

    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &PingPane::pingNow);
    connect(m_pingNow, &QPushButton::clicked, this, &PingPane::pingNow);
    connect(m_every, &QCheckBox::toggled, this, &PingPane::setPinging);
    connect(m_period, &QDoubleSpinBox::valueChanged, this, &PingPane::setPeriod);
    connect(m_clear, &QPushButton::clicked, this, &PingPane::clear);
    restyle();
    clear();
    retranslate();
    updateWidgets();
}

void PingPane::setSession(ClientSession *session)
{
    if (session == m_session)
        return;
    setPinging(false);
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    clear(); // the chart is of one connection
    if (session) {
        connect(session, &ClientSession::pongReceived, this, &PingPane::addRoundTrip);
        connect(session, &ClientSession::stateChanged, this, [this](ClientSession::State state) {
            if (state != ClientSession::State::Open)
                setPinging(false); // stops with the connection
            updateWidgets();
        });
    }
    updateWidgets();
}

void PingPane::pingNow()
{
    if (m_session && m_session->state() == ClientSession::State::Open)
        m_session->ping(QByteArrayLiteral("wslab"));
}

void PingPane::setPinging(bool on)
{
    on = on && m_session && m_session->state() == ClientSession::State::Open;
    if (on && !m_timer.isActive()) {
        m_timer.setInterval(std::chrono::milliseconds(qRound64(m_period->value() * 1000)));
        m_timer.start();
        pingNow(); // the first at once, not a period later
    } else if (!on) {
        m_timer.stop();
    }
    const QSignalBlocker blocker(m_every);
    m_every->setChecked(on);
}

void PingPane::setPeriod(double seconds)
{
    if (m_period->value() != seconds)
        m_period->setValue(seconds);
    m_timer.setInterval(std::chrono::milliseconds(qRound64(m_period->value() * 1000)));
}

void PingPane::clear()
{
    m_series->clear();
    m_pongs = 0;
    m_last = m_min = m_max = 0;
    m_sum = 0;
    m_since.invalidate();
    m_timeAxis->setRange(0, 10);
    m_rttAxis->setRange(0, 10);
    updateFigures();
}

void PingPane::addRoundTrip(qint64 ms)
{
    if (!m_since.isValid())
        m_since.start();
    const double t = m_since.elapsed() / 1000.0;
    m_last = ms;
    m_min = m_pongs == 0 ? ms : qMin(m_min, ms);
    m_max = m_pongs == 0 ? ms : qMax(m_max, ms);
    m_sum += double(ms);
    ++m_pongs;
    if (m_series->count() >= maxPoints)
        m_series->removePoints(0, m_series->count() - maxPoints + 1);
    m_series->append(t, double(ms));
    const double first = m_series->at(0).x();
    m_timeAxis->setRange(first, qMax(first + 10, t));
    double top = 0;
    for (const QPointF &point : m_series->points())
        top = qMax(top, point.y());
    // A little room above the highest point, in whole milliseconds.
    m_rttAxis->setRange(0, qMax(10.0, std::ceil(top * 1.2)));
    // Ticks on round numbers (the labels show whole ones).
    m_timeAxis->applyNiceNumbers();
    m_rttAxis->applyNiceNumbers();
    updateFigures();
}

void PingPane::updateFigures()
{
    if (m_pongs == 0) {
        m_figures->setText(tr("Round trip: no pong yet."));
        return;
    }
    m_figures->setText(
        tr("Round trip (ms): last %1 · min %2 · mean %3 · max %4 · %n pong(s)", nullptr, m_pongs)
            .arg(m_last)
            .arg(m_min)
            .arg(m_sum / m_pongs, 0, 'f', 1)
            .arg(m_max));
}

void PingPane::updateWidgets()
{
    const bool open = m_session && m_session->state() == ClientSession::State::Open;
    m_pingNow->setEnabled(open);
    m_every->setEnabled(open);
}

void PingPane::restyle()
{
    // The line in the "sent" blue, made to stand out from the chart's ground (3:1).
    QChart *chart = m_chart->chart();
    const QList<QColor> grounds = followPalette(chart, palette());
    QPen pen(withContrast(sentHue(), grounds, contrast::graphics));
    pen.setWidthF(2);
    m_series->setPen(pen);
    chart->legend()->hide(); // setTheme shows it again
}

void PingPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    if (event->type() == QEvent::PaletteChange)
        restyle();
    QWidget::changeEvent(event);
}

void PingPane::retranslate()
{
    m_pingNow->setText(tr("Ping now"));
    m_pingNow->setToolTip(tr("Send one ping frame; its pong gives the round trip."));
    m_every->setText(tr("Ping every"));
    m_period->setSuffix(tr(" s"));
    m_period->setAccessibleName(tr("Ping period in seconds"));
    m_clear->setText(tr("Clear"));
    m_chart->setAccessibleName(tr("Round trip of each ping, in milliseconds"));
    m_timeAxis->setTitleText(tr("seconds since the first pong"));
    m_rttAxis->setTitleText(tr("round trip (ms)"));
    updateFigures();
}

} // namespace wslab
