#pragma once

#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QTimer>
#include <QWebSocket>

#include <memory>

namespace wslab {

class ServerHost;
class WireSession;

// The lesson's §1, "成绩出来了吗?", measured: for a while, the embedded server publishes news at
// irregular times; one client polls GET /news every P ms, another holds a WebSocket to /news
// and is told. Both count what it cost them and how late they learned each headline.
class PollPushExperiment : public QObject
{
    Q_OBJECT

public:
    struct Settings
    {
        int pollIntervalMs = 500;
        int durationMs = 10'000;
        int newsMinGapMs = 600; // between two headlines, chosen at random in [min, max]
        int newsMaxGapMs = 1800;
    };
    struct Tally
    {
        qint64 requests = 0; // HTTP requests made (polling only)
        qint64 useful = 0; // answers or pushes that carried a new headline
        qint64 wasted = 0; // answers that said nothing new ("not yet")
        qint64 bytesUp = 0; // client → server, on the wire
        qint64 bytesDown = 0; // server → client, on the wire
        QList<double> delaysMs; // headline published → this client knew it
        double meanDelayMs() const;
        double maxDelayMs() const;
    };

    explicit PollPushExperiment(ServerHost *server, QObject *parent = nullptr);
    ~PollPushExperiment() override;

    void start(const Settings &settings);
    void stop();
    bool isRunning() const { return m_running; }
    const Tally &polling() const { return m_polling; }
    const Tally &push() const { return m_push; }
    qint64 published() const { return m_published; }

Q_SIGNALS:
    void started();
    void changed();
    // A headline learned: by polling (false) or push (true), at `seconds` into the run.
    void learned(bool byPush, double seconds, double delayMs);
    void finished();

private:
    void poll();
    void publish();
    void scheduleNews();
    void notice(Tally &tally, quint64 &lastSeq, const QString &body, bool byPush);

    ServerHost *m_server;
    Settings m_settings;
    QNetworkAccessManager m_http;
    std::unique_ptr<QWebSocket> m_socket;
    std::unique_ptr<WireSession> m_wire;
    QTimer m_pollTimer, m_newsTimer, m_endTimer;
    Tally m_polling, m_push;
    quint64 m_polledSeq = 0, m_pushedSeq = 0;
    qint64 m_published = 0;
    qint64 m_startNs = 0;
    bool m_running = false;
};

} // namespace wslab
