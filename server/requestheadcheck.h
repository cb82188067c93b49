#pragma once

#include "text.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

#include <limits>
#include <optional>

namespace wslab {

// A strict reading of an HTTP/1.x request head (RFC 9112 §2-§5), done before QtHttpServer
// parses it: Qt 6.4's parser silently drops some malformed requests and accepts others
// (header lines without a colon, obs-fold), where a server should answer 400.
struct RequestHeadCheck
{
    enum class State {
        Incomplete, // nothing wrong yet, the blank line has not arrived
        Complete, // a well-formed head; `size` bytes long including the blank line
        Invalid, // answer `status` with `reason`, then close
    };
    State state = State::Incomplete;
    int status = 0;
    Text reason; // the response body in English (english()), translated for the user
    qsizetype size = 0;
};

// `head` is everything received for the current request so far (it may hold more than the
// head). Only complete lines are judged, so feeding it byte by byte gives the same verdict.
RequestHeadCheck checkRequestHead(QByteArrayView head);

// The same check over a connection's whole byte stream, as it arrives: every request of a
// keep-alive or pipelined connection is checked, head and body, one after the other. Each byte
// is looked at once, however it is split (a head dripped byte by byte costs what it costs
// whole).
class RequestStream
{
public:
    // A request (head and body) over `maxRequestSize` bytes is Invalid with 413.
    explicit RequestStream(qint64 maxRequestSize = std::numeric_limits<qint64>::max())
        : m_maxRequestSize(maxRequestSize)
    {
    }

    // Feeds the next bytes. Returns Invalid at the first problem (and from then on, whatever
    // follows); otherwise Incomplete. Bytes after an upgrade request belong to the new
    // protocol and are not looked at.
    RequestHeadCheck feed(QByteArrayView bytes);

    qint64 bytesFed() const { return m_fed; }
    // Bytes of the request being received (head and body so far); 0 between requests.
    qint64 currentRequestBytes() const { return m_fed - m_requestStart; }
    // Complete requests not yet taken, oldest first: each one's end offset in the stream.
    bool hasCompleteRequest() const { return !m_completed.isEmpty(); }
    qint64 takeCompleteRequest() { return m_completed.takeFirst(); }
    // The last complete head asked to switch protocols: nothing after it is HTTP.
    bool upgraded() const { return m_state == State::Upgraded; }
    bool failed() const { return m_state == State::Failed; }
    const RequestHeadCheck &failure() const { return m_failure; } // when failed()
    // Where the last complete head ended (after its blank line); 0 before the first.
    qint64 headEnd() const { return m_headEnd; }

private:
    enum class State { Start, Headers, Body, Upgraded, Failed };
    RequestHeadCheck line(QByteArrayView line);
    void completeRequest();
    RequestHeadCheck fail(const RequestHeadCheck &verdict);
    RequestHeadCheck tooLarge();

    qint64 m_maxRequestSize;
    State m_state = State::Start;
    QByteArray m_line; // the current line, until its LF
    qint64 m_fed = 0;
    qint64 m_requestStart = 0;
    qint64 m_bodyLeft = 0;
    qint64 m_headEnd = 0;
    std::optional<qint64> m_contentLength;
    bool m_upgrade = false;
    bool m_connectionUpgrade = false;
    RequestHeadCheck m_failure;
    QList<qint64> m_completed;
};

} // namespace wslab
