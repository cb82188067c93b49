#include "handshakeparser.h"

#include <QCryptographicHash>

#include <algorithm>

namespace wslab {

HandshakeParser::HandshakeParser(Kind kind) : m_kind(kind) { }

qsizetype HandshakeParser::feed(QByteArrayView bytes)
{
    qsizetype pos = 0;
    while (pos < bytes.size() && !m_complete && !hasError()) {
        const qsizetype newline = bytes.indexOf('\n', pos);
        const qsizetype end = newline < 0 ? bytes.size() : newline + 1;
        m_pending.append(bytes.sliced(pos, end - pos));
        pos = end;
        if (m_startLine.isNull() && std::any_of(m_pending.begin(), m_pending.end(), [](char c) {
                const auto u = quint8(c);
                return (u < 0x20 && u != '\r' && u != '\n' && u != '\t') || u >= 0x7f;
            })) {
            m_error = m_kind == Kind::Request
                ? QStringLiteral("not an HTTP request line (binary bytes: TLS?)")
                : QStringLiteral("not an HTTP status line (binary bytes)");
            break;
        }
        if (m_size + m_pending.size() > maxHeadSize) {
            m_error = QStringLiteral("the handshake head is over %1 bytes").arg(maxHeadSize);
            break;
        }
        if (newline < 0)
            break;
        const qint64 offset = m_size;
        const qint64 length = m_pending.size();
        m_size += length;
        QByteArrayView line(m_pending);
        line.chop(line.endsWith("\r\n") ? 2 : 1);
        parseLine(line, offset, length);
        m_pending.clear();
    }
    return pos;
}

void HandshakeParser::parseLine(QByteArrayView line, qint64 offset, qint64 length)
{
    if (m_startLine.isNull()) {
        if (line.isEmpty() && m_kind == Kind::Request)
            return; // tolerated before a request line (RFC 9112 §2.2)
        m_startLine = line.toByteArray();
        const bool looksRight = m_kind == Kind::Request
            ? line.count(' ') >= 2 && line.contains(" HTTP/")
            : line.startsWith("HTTP/1.") && line.size() >= 12;
        if (!looksRight)
            m_error = m_kind == Kind::Request ? QStringLiteral("not an HTTP request line")
                                              : QStringLiteral("not an HTTP status line");
        return;
    }
    if (line.isEmpty()) {
        m_complete = true;
        return;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0) {
        m_error = QStringLiteral("header line without a name and colon");
        return;
    }
    m_headers.append({ line.first(colon).toByteArray(),
                       line.sliced(colon + 1).trimmed().toByteArray(), offset, length });
}

QByteArray HandshakeParser::value(QByteArrayView name) const
{
    for (const HeaderLine &header : m_headers) {
        if (header.name.compare(name, Qt::CaseInsensitive) == 0)
            return header.value;
    }
    return {};
}

int HandshakeParser::count(QByteArrayView name) const
{
    return int(std::count_if(m_headers.begin(), m_headers.end(), [&](const HeaderLine &header) {
        return header.name.compare(name, Qt::CaseInsensitive) == 0;
    }));
}

int HandshakeParser::statusCode() const
{
    if (m_kind != Kind::Response || m_startLine.size() < 12)
        return 0;
    bool ok = false;
    const int code = m_startLine.mid(9, 3).toInt(&ok);
    return ok ? code : 0;
}

QByteArray HandshakeParser::computeAccept(QByteArrayView key)
{
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    sha1.addData(key);
    sha1.addData("258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    return sha1.result().toBase64();
}

AcceptCheck checkAccept(const HandshakeParser &request, const HandshakeParser &response)
{
    AcceptCheck check;
    check.key = request.value("sec-websocket-key");
    check.received = response.value("sec-websocket-accept");
    if (!check.key.isEmpty())
        check.expected = HandshakeParser::computeAccept(check.key);
    return check;
}

} // namespace wslab
