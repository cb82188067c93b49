#include "serverlog.h"

#include "embeddedserver.h"

#include <QTextStream>

namespace wslab {

ServerLog::ServerLog(EmbeddedServer *server, QTextStream *out, Detail detail,
                     ServerDigest::Budget budget)
    : QObject(server), m_out(out), m_digest(new ServerDigest(server, detail, budget))
{
    m_digest->setParent(this); // the log's digest ends with the log
    m_clock.start();
    connect(m_digest, &ServerDigest::note, this, &ServerLog::print);
}

void ServerLog::print(const ServerDigest::Note &note)
{
    *m_out << QStringLiteral("[+%1s] ").arg(m_clock.elapsed() / 1000.0, 0, 'f', 3);
    if (note.id)
        *m_out << '#' << note.id << ' ';
    *m_out << note.text.toString() << Qt::endl; // in the language of LANG (English in tests)
}

} // namespace wslab
