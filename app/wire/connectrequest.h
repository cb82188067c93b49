#pragma once

#include <QByteArrayView>
#include <QString>

namespace wslab {

// The tap's reading of an HTTP CONNECT request head (RFC 9110 §9.3.6): "CONNECT host:port
// HTTP/1.1", headers, blank line. Pure, so that it can be fuzzed like the frame parser.
struct ConnectRequest
{
    enum class State {
        Incomplete, // nothing wrong yet; the blank line has not arrived
        Complete,
        Invalid, // answer `status` and close
    };
    State state = State::Incomplete;
    int status = 0; // when Invalid: 403 or 431
    QString error; // when Invalid
    QString target; // "host:port" as asked, once the request line is in (even when Invalid)
    QString host; // without IPv6 brackets
    quint16 port = 0;
    qsizetype headSize = 0; // when Complete: bytes up to and including the blank line
};

// `head` is everything received so far. A prefix of a valid request is never Invalid.
ConnectRequest parseConnectRequest(QByteArrayView head, qsizetype maxHeadSize);

} // namespace wslab
