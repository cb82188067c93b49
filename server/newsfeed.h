#pragma once

#include "vocabulary.h"

namespace wslab {

// The /news feed of the polling-vs-push demo: the latest headline, numbered. Pushed to every
// /news WebSocket when published; what GET /news answers to a poller in between.
class NewsFeed
{
public:
    // Numbers and stamps a headline (monotonicNowNs()) and makes it the latest.
    const News &publish(const QString &text);
    const News &latest() const { return m_latest; }
    // A server started again in place of another (ServerHost's restart) goes on from its news.
    void restore(const News &latest) { m_latest = latest; }
    // The line a poller or a subscriber reads: News::encode().
    QString latestLine() const { return m_latest.encode(); }

private:
    News m_latest; // seq 0: nothing published yet
};

} // namespace wslab
