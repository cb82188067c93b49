#pragma once

#include "serverdigest.h"

#include <QElapsedTimer>
#include <QObject>

class QTextStream;

namespace wslab {

class EmbeddedServer;

// The server's digest as timed lines, like the prints in the lesson's Tornado handlers:
//   [+3.214s] #2 on_message text 5 B: "hello"
// Give it a stream that never blocks (NonBlockingOutput for stdout): the server's thread
// writes the lines.
class ServerLog : public QObject
{
    Q_OBJECT

public:
    using Detail = ServerDigest::Detail;

    ServerLog(EmbeddedServer *server, QTextStream *out, Detail detail = Detail::Everything,
              ServerDigest::Budget budget = {});

    const ServerDigest *digest() const { return m_digest; }

private:
    void print(const ServerDigest::Note &note);

    QTextStream *m_out;
    ServerDigest *m_digest;
    QElapsedTimer m_clock;
};

} // namespace wslab
