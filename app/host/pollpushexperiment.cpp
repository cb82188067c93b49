#include "pollpushexperiment.h"

#include "serverhost.h"
#include "wiresession.h"

#include <QNetworkReply>
#include <QRandomGenerator>

#include <algorithm>
#include <numeric>

namespace wslab {

double PollPushExperiment::Tally::meanDelayMs() const
{
    return delaysMs.isEmpty()
        ? 0
        : std::accumulate(delaysMs.begin(), delaysMs.end(), 0.0) / double(delaysMs.size());
}

double PollPushExperiment::Tally::maxDelayMs() const
{
    return delaysMs.isEmpty() ? 0 : *std::max_element(delaysMs.begin(), delaysMs.end());
}

PollPushExperiment::PollPushExperiment(ServerHost *server, QObject *parent)
    : QObject(parent), m_server(server)
{
    m_pollTimer.setTimerType(Qt::PreciseTimer);
    m_newsTimer.setSingleShot(true);
    m_endTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &PollPushExperiment::poll);
    connect(&m_newsTimer, &QTimer::timeout, this, &PollPushExperiment::publish);
    connect(&m_endTimer, &QTimer::timeout, this, &PollPushExperiment::stop);
    // The polling side's bytes, measured where they cross: at the server's socket.
    connect(server, &ServerHost::httpTraffic, this,
            [this](const QString &path, qint64 in, qint64 out) {
                if (!m_running || path != u"/news")
                    return;
                m_polling.bytesUp += in;
                m_polling.bytesDown += out;
                Q_EMIT changed();
            });
}

PollPushExperiment::~PollPushExperiment() = default;

void PollPushExperiment::start(const Settings &settings)
{
    stop();
    m_settings = settings;
    m_polling = {};
    m_push = {};
    m_polledSeq = m_pushedSeq = 0;
    m_published = 0;
    m_startNs = monotonicNowNs();
    m_running = true;

    // The push side goes through a wire tap, so its bytes (handshake included) are exact.
    m_wire = std::make_unique<WireSession>();
    const QUrl url = m_server->webSocketUrl(Route::News);
    m_socket = std::make_unique<QWebSocket>();
    if (m_wire->start(url.host(), quint16(url.port()))) {
        m_socket->setProxy(m_wire->tap()->proxy());
        connect(m_wire->tap(), &WireTap::chunk, this,
                [this](quint64, Direction d, const QByteArray &bytes, qint64) {
                    (d == Direction::ClientToServer ? m_push.bytesUp : m_push.bytesDown)
                        += bytes.size();
                });
    }
    connect(m_socket.get(), &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { notice(m_push, m_pushedSeq, text, true); });
    m_socket->open(url);

    m_pollTimer.start(settings.pollIntervalMs);
    m_endTimer.start(settings.durationMs);
    scheduleNews();
    Q_EMIT started();
    Q_EMIT changed();
}

void PollPushExperiment::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_pollTimer.stop();
    m_newsTimer.stop();
    m_endTimer.stop();
    if (m_socket)
        m_socket->close();
    Q_EMIT changed();
    Q_EMIT finished();
}

void PollPushExperiment::scheduleNews()
{
    m_newsTimer.start(int(
        QRandomGenerator::global()->bounded(m_settings.newsMinGapMs, m_settings.newsMaxGapMs + 1)));
}

void PollPushExperiment::publish()
{
    if (!m_running)
        return;
    ++m_published;
    const int score = int(QRandomGenerator::global()->bounded(500, 751));
    m_server->publishNews(
        tr("Your exam result is out: %1 points (#%2)").arg(score).arg(m_published));
    scheduleNews();
}

void PollPushExperiment::poll()
{
    // "Is my result out yet?" — asked whether or not anything changed.
    ++m_polling.requests;
    QNetworkRequest request(m_server->httpUrl(QStringLiteral("/news")));
    QNetworkReply *reply = m_http.get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (m_running && reply->error() == QNetworkReply::NoError)
            notice(m_polling, m_polledSeq, QString::fromUtf8(reply->readAll()).trimmed(), false);
    });
    Q_EMIT changed();
}

void PollPushExperiment::notice(Tally &tally, quint64 &lastSeq, const QString &body, bool byPush)
{
    const auto news = News::decode(body);
    if (!news || news->seq <= lastSeq) {
        ++tally.wasted; // "not yet"
    } else {
        lastSeq = news->seq;
        ++tally.useful;
        const double delayMs = (monotonicNowNs() - news->publishedNs) / 1e6;
        tally.delaysMs.append(delayMs);
        Q_EMIT learned(byPush, (monotonicNowNs() - m_startNs) / 1e9, delayMs);
    }
    Q_EMIT changed();
}

} // namespace wslab
