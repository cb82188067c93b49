#pragma once

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QChartView;
class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QLineSeries;
class QPushButton;
class QValueAxis;

namespace wslab {

class ClientSession;

// Ping on demand or every N s, and the round trips: the last, min, mean and max, and a chart of
// each pong's round trip (ms) over the seconds since the first. Every pong the session reports
// counts, whoever sent the ping. Follows one session, the window's current one (setSession):
// switching starts a new chart.
class PingPane : public QWidget
{
    Q_OBJECT

public:
    explicit PingPane(QWidget *parent = nullptr);

    void setSession(ClientSession *session);
    static constexpr int maxPoints = 600; // the chart keeps the newest
    QLineSeries *series() const { return m_series; }
    bool isPingingPeriodically() const { return m_timer.isActive(); }
    int pongCount() const { return m_pongs; }

public Q_SLOTS:
    void pingNow();
    void setPinging(bool on);
    void setPeriod(double seconds); // 0.1 … 3600
    void clear();

protected:
    void changeEvent(QEvent *event) override;

private:
    void addRoundTrip(qint64 ms);
    void updateWidgets();
    void updateFigures();
    void retranslate();
    void restyle();

    QPointer<ClientSession> m_session;
    QPushButton *m_pingNow;
    QCheckBox *m_every;
    QDoubleSpinBox *m_period;
    QPushButton *m_clear;
    QLabel *m_figures;
    QChartView *m_chart;
    QLineSeries *m_series;
    QValueAxis *m_timeAxis, *m_rttAxis;
    QTimer m_timer;
    QElapsedTimer m_since; // the chart's time 0: the first pong
    int m_pongs = 0;
    qint64 m_last = 0, m_min = 0, m_max = 0;
    double m_sum = 0;
};

} // namespace wslab
