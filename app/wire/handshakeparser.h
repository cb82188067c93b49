#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace wslab {

// One line of an HTTP head exactly as received, with where it sits in the stream.
struct HeaderLine
{
    QByteArray name; // case as sent
    QByteArray value; // trimmed of surrounding spaces
    qint64 offset = 0; // of the line's first byte
    qint64 length = 0; // including its line ending
};

// An incremental reader of one side of the opening handshake: the client's request or the
// server's response. It keeps header order, case and duplicates, and stops at the blank line;
// what follows belongs to the frames.
class HandshakeParser
{
public:
    enum class Kind { Request, Response };
    static constexpr qint64 maxHeadSize = 64 * 1024;

    explicit HandshakeParser(Kind kind);

    // Consumes bytes up to the end of the head; returns how many of `bytes` it took (the rest
    // is the start of the frames).
    qsizetype feed(QByteArrayView bytes);

    bool isComplete() const { return m_complete; }
    bool hasError() const { return !m_error.isEmpty(); }
    QString error() const { return m_error; }

    QByteArray startLine() const { return m_startLine; }
    const QList<HeaderLine> &headers() const { return m_headers; }
    qint64 size() const { return m_size; } // bytes of the head so far, blank line included
    // The first value of `name` (case-insensitive), or a null QByteArray.
    QByteArray value(QByteArrayView name) const;
    int count(QByteArrayView name) const;

    // Response only: the status code, or 0.
    int statusCode() const;

    // base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")), RFC 6455 §4.2.2.
    static QByteArray computeAccept(QByteArrayView key);

private:
    void parseLine(QByteArrayView line, qint64 offset, qint64 length);

    Kind m_kind;
    QByteArray m_pending; // an incomplete line
    QByteArray m_startLine;
    QList<HeaderLine> m_headers;
    qint64 m_size = 0;
    bool m_complete = false;
    QString m_error;
};

// The Sec-WebSocket-Accept check: what the server sent against what it should have sent.
struct AcceptCheck
{
    QByteArray key; // from the request
    QByteArray expected; // computed from the key
    QByteArray received; // from the response
    bool ok() const { return !expected.isEmpty() && expected == received; }
};
AcceptCheck checkAccept(const HandshakeParser &request, const HandshakeParser &response);

} // namespace wslab
