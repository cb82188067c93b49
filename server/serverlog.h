#pragma once

#include <QElapsedTimer>
#include <QObject>

class QTextStream;

namespace wslab {

class EmbeddedServer;

// One readable line per server event, like the prints in the lesson's Tornado handlers:
//   [+3.214s] #2 on_message text 5 B: "hello"
class ServerLog : public QObject
{
    Q_OBJECT

public:
    enum class Detail {
        Everything,
        Connections, // no per-message lines: opens, closes, errors, HTTP
    };

    ServerLog(EmbeddedServer *server, QTextStream *out, Detail detail = Detail::Everything);

    // A bounded, printable preview of a message: text quoted with escapes, binary as hex.
    static QString preview(const QByteArray &payload, bool binary, int maxChars = 80);

private:
    void print(quint64 id, const QString &text);

    QTextStream *m_out;
    QElapsedTimer m_clock;
};

} // namespace wslab
