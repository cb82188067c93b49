#pragma once

#include <QByteArrayView>
#include <QString>

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
    QString reason;
    qsizetype size = 0;
};

// `head` is everything received for the current request so far (it may hold more than the
// head). Only complete lines are judged, so feeding it byte by byte gives the same verdict.
RequestHeadCheck checkRequestHead(QByteArrayView head);

} // namespace wslab
