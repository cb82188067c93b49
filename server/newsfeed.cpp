#include "newsfeed.h"

namespace wslab {

const News &NewsFeed::publish(const QString &text)
{
    m_latest = News { m_latest.seq + 1, monotonicNowNs(), text };
    return m_latest;
}

} // namespace wslab
