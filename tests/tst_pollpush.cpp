#include "pollpushexperiment.h"
#include "serverhost.h"
#include "testutil.h"

#include <QSignalSpy>
#include <QTest>

using namespace wslab;
using namespace wslab::test;

class tst_PollPush : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void threeSecondsAt200ms();
    void newsRouteOverHttp();
};

void tst_PollPush::threeSecondsAt200ms()
{
    ServerHost server;
    QVERIFY(server.start(testConfig()));
    PollPushExperiment experiment(&server);
    QSignalSpy finished(&experiment, &PollPushExperiment::finished);
    QSignalSpy learned(&experiment, &PollPushExperiment::learned);
    PollPushExperiment::Settings settings;
    settings.pollIntervalMs = 200;
    settings.durationMs = 3000;
    settings.newsMinGapMs = 300;
    settings.newsMaxGapMs = 700;
    experiment.start(settings);
    QVERIFY(finished.wait(10'000));

    const auto &poll = experiment.polling();
    const auto &push = experiment.push();
    qInfo("published %lld; polling: %lld requests, %lld useful, %lld wasted, %lld B up, %lld B "
          "down, mean delay %.1f ms, max %.1f ms; "
          "push: %lld useful, %lld B up, %lld B down, mean delay %.1f ms, max %.1f ms",
          experiment.published(), poll.requests, poll.useful, poll.wasted, poll.bytesUp,
          poll.bytesDown, poll.meanDelayMs(), poll.maxDelayMs(), push.useful, push.bytesUp,
          push.bytesDown, push.meanDelayMs(), push.maxDelayMs());
    QVERIFY(experiment.published() >= 3);
    // Polling asks every 200 ms whatever happens: about 15 times in 3 s.
    QVERIFY2(poll.requests >= 13 && poll.requests <= 16,
             qPrintable(QString::number(poll.requests)));
    QVERIFY(poll.wasted > poll.useful); // most answers are "not yet"
    // Every answer counted once; only the last request may still be on its way at the end.
    QVERIFY(poll.wasted + poll.useful <= poll.requests
            && poll.wasted + poll.useful >= poll.requests - 1);
    QVERIFY(poll.bytesUp > 0 && poll.bytesDown > 0);
    // Push asks nothing and learns everything, sooner.
    QCOMPARE(push.requests, 0);
    QVERIFY(push.useful >= experiment.published() - 1); // the last may race the end
    QCOMPARE(push.wasted, 0);
    QVERIFY(push.meanDelayMs() < poll.meanDelayMs());
    QVERIFY(push.maxDelayMs() < 200);
    QVERIFY(poll.bytesUp > push.bytesUp); // a request every time vs one handshake
    QCOMPARE(learned.count(), int(poll.useful + push.useful));
}

void tst_PollPush::newsRouteOverHttp()
{
    auto server = startServer();
    QVERIFY(server);
    const QByteArray before
        = rawExchange(server->port(), "GET /news HTTP/1.1\r\nConnection: close\r\n\r\n");
    QCOMPARE(statusOf(before), 200);
    QVERIFY(before.endsWith("\r\n\r\n0 0 \n")); // no news yet
    QWebSocket subscriber;
    QSignalSpy pushed(&subscriber, &QWebSocket::textMessageReceived);
    QVERIFY(openWebSocket(subscriber, server->webSocketUrl(Route::News)));
    server->publishNews(QStringLiteral("成绩出来了: 666"));
    QTRY_COMPARE(pushed.count(), 1);
    const auto news = News::decode(pushed.at(0).at(0).toString());
    QVERIFY(news);
    QCOMPARE(news->seq, 1u);
    QCOMPARE(news->text, QStringLiteral("成绩出来了: 666"));
    const QByteArray after
        = rawExchange(server->port(), "GET /news HTTP/1.1\r\nConnection: close\r\n\r\n");
    QVERIFY(after.contains(QStringLiteral("成绩出来了: 666").toUtf8()));
}

QTEST_GUILESS_MAIN(tst_PollPush)
#include "tst_pollpush.moc"
