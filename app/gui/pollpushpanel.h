#pragma once

#include "pollpushexperiment.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QChartView;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace wslab {

// "成绩出来了吗?": HTTP polling and WebSocket push side by side, counted and plotted.
class PollPushPanel : public QWidget
{
    Q_OBJECT

public:
    explicit PollPushPanel(ServerHost *server, QWidget *parent = nullptr);
    PollPushExperiment *experiment() const { return m_experiment; }

public Q_SLOTS:
    // Runs the experiment with the interval and duration the panel shows.
    void start();

protected:
    void changeEvent(QEvent *event) override;

private:
    void showCounts();
    void retranslate();
    void restyle();

    PollPushExperiment *m_experiment;
    QSpinBox *m_interval;
    QSpinBox *m_duration;
    QPushButton *m_start;
    QLabel *m_intervalLabel;
    QLabel *m_durationLabel;
    QLabel *m_summary;
    QTableWidget *m_counts;
    qreal m_countsWidthInLines; // its widest, in lines of text: as wide with a larger font
    QChartView *m_chart;
    QScatterSeries *m_pollSeries;
    QScatterSeries *m_pushSeries;
    QValueAxis *m_timeAxis;
    QValueAxis *m_delayAxis;
};

} // namespace wslab
