// The /news feed: numbered, stamped headlines, and the line a poller reads.

#include "newsfeed.h"

#include <QTest>

using namespace wslab;

class tst_NewsFeed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsEmpty();
    void publishNumbersAndStamps();
};

void tst_NewsFeed::startsEmpty()
{
    NewsFeed feed;
    QCOMPARE(feed.latest().seq, 0u);
    const auto decoded = News::decode(feed.latestLine());
    QVERIFY(decoded);
    QCOMPARE(decoded->seq, 0u);
    QVERIFY(decoded->text.isEmpty());
}

void tst_NewsFeed::publishNumbersAndStamps()
{
    NewsFeed feed;
    const qint64 before = monotonicNowNs();
    QCOMPARE(feed.publish(u"first"_qs).seq, 1u);
    const News second = feed.publish(u"第二条 news"_qs);
    const qint64 after = monotonicNowNs();
    QCOMPARE(second.seq, 2u);
    QVERIFY(second.publishedNs >= before && second.publishedNs <= after);
    // The line a poller gets decodes to the latest headline.
    const auto decoded = News::decode(feed.latestLine());
    QVERIFY(decoded);
    QCOMPARE(decoded->seq, 2u);
    QCOMPARE(decoded->publishedNs, second.publishedNs);
    QCOMPARE(decoded->text, u"第二条 news"_qs);
}

QTEST_GUILESS_MAIN(tst_NewsFeed)
#include "tst_newsfeed.moc"
