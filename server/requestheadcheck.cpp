#include "requestheadcheck.h"

#include <QList>

#include <algorithm>

namespace wslab {

namespace {

bool isTchar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView text)
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), isTchar);
}

bool isFieldValueChar(char c)
{
    const auto u = quint8(c);
    return u == '\t' || (u >= 0x20 && u != 0x7f); // VCHAR, SP, HTAB and obs-text
}

bool isKnownMethod(QByteArrayView method)
{
    static const QList<QByteArrayView> known { "GET",     "HEAD",  "POST",  "PUT",    "DELETE",
                                               "OPTIONS", "PATCH", "TRACE", "CONNECT" };
    return known.contains(method);
}

RequestHeadCheck invalid(int status, const Text &reason)
{
    return { RequestHeadCheck::State::Invalid, status, reason, 0 };
}

// Why a request is refused: sent as the response body in English, shown translated.
Text words(const char *source)
{
    return Text("wslab::RequestStream", source);
}

QString shown(QByteArrayView bytes)
{
    QString text;
    for (const char c : bytes.first(qMin<qsizetype>(bytes.size(), 60))) {
        const auto u = quint8(c);
        text += (u >= 0x20 && u < 0x7f) ? QString(QChar(char16_t(u)))
                                        : QStringLiteral("\\x%1").arg(u, 2, 16, QChar(u'0'));
    }
    return bytes.size() > 60 ? text + QStringLiteral("…") : text;
}

RequestHeadCheck checkRequestLine(QByteArrayView line)
{
    const auto bad = [line] {
        return words(QT_TRANSLATE_NOOP("wslab::RequestStream",
                                       "malformed request line \"%1\": expected "
                                       "METHOD /path HTTP/1.1"))
            .arg(shown(line));
    };
    const qsizetype firstSpace = line.indexOf(' ');
    const qsizetype lastSpace = line.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace == firstSpace)
        return invalid(400, bad());
    const QByteArrayView method = line.first(firstSpace);
    const QByteArrayView target = line.sliced(firstSpace + 1, lastSpace - firstSpace - 1);
    const QByteArrayView version = line.sliced(lastSpace + 1);
    if (!isToken(method) || target.isEmpty() || version.size() != 8 || !version.startsWith("HTTP/")
        || !QChar::isDigit(version[5]) || version[6] != '.' || !QChar::isDigit(version[7]))
        return invalid(400, bad());
    for (const char c : target) {
        if (quint8(c) <= 0x20 || quint8(c) >= 0x7f)
            return invalid(400, bad());
    }
    if (version[5] != '1')
        return invalid(
            505,
            words(QT_TRANSLATE_NOOP("wslab::RequestStream", "%1 is not supported; use HTTP/1.1"))
                .arg(QString::fromLatin1(version)));
    if (!isKnownMethod(method))
        return invalid(
            501,
            words(QT_TRANSLATE_NOOP("wslab::RequestStream", "method %1 is not implemented"))
                .arg(shown(method)));
    return {};
}

RequestHeadCheck checkHeaderLine(QByteArrayView line)
{
    if (line.front() == ' ' || line.front() == '\t')
        return invalid(
            400,
            words(QT_TRANSLATE_NOOP("wslab::RequestStream",
                                    "folded header line (obsolete line folding) is not accepted")));
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon)))
        return invalid(
            400,
            words(QT_TRANSLATE_NOOP("wslab::RequestStream",
                                    "malformed header line \"%1\": expected Name: value"))
                .arg(shown(line)));
    const QByteArrayView value = line.sliced(colon + 1);
    if (!std::all_of(value.begin(), value.end(), isFieldValueChar))
        return invalid(
            400,
            words(QT_TRANSLATE_NOOP("wslab::RequestStream", "control character in header %1"))
                .arg(shown(line.first(colon))));
    if (line.first(colon).compare("content-length", Qt::CaseInsensitive) == 0) {
        const QByteArrayView digits = value.trimmed();
        if (digits.isEmpty() || !std::all_of(digits.begin(), digits.end(), [](char c) {
                return c >= '0' && c <= '9';
            }))
            return invalid(400,
                           words(QT_TRANSLATE_NOOP("wslab::RequestStream",
                                                   "Content-Length must be a number")));
    }
    return {};
}

} // namespace

RequestHeadCheck RequestStream::feed(QByteArrayView bytes)
{
    qsizetype pos = 0;
    while (pos < bytes.size()) {
        switch (m_state) {
        case State::Failed:
            return m_failure;
        case State::Upgraded:
            m_fed += bytes.size() - pos;
            return {};
        case State::Body: {
            const qint64 take = qMin<qint64>(m_bodyLeft, bytes.size() - pos);
            pos += take;
            m_fed += take;
            m_bodyLeft -= take;
            if (m_bodyLeft == 0)
                completeRequest();
            break;
        }
        case State::Start:
        case State::Headers: {
            // Only the new bytes are searched; the line so far is known to hold no LF.
            const qsizetype newline = bytes.indexOf('\n', pos);
            const qsizetype end = newline < 0 ? bytes.size() : newline + 1;
            if (end - pos > m_maxRequestSize - currentRequestBytes())
                return fail(tooLarge());
            m_line.append(bytes.sliced(pos, end - pos));
            m_fed += end - pos;
            pos = end;
            if (newline < 0)
                break;
            QByteArrayView text(m_line);
            text.chop(1);
            if (text.endsWith('\r'))
                text.chop(1);
            const RequestHeadCheck verdict = line(text);
            m_line.clear();
            if (verdict.state == RequestHeadCheck::State::Invalid)
                return fail(verdict);
            break;
        }
        }
    }
    return m_state == State::Failed ? m_failure : RequestHeadCheck {};
}

RequestHeadCheck RequestStream::line(QByteArrayView text)
{
    if (text.contains('\r') || text.contains('\0'))
        return invalid(400,
                       words(QT_TRANSLATE_NOOP("wslab::RequestStream", "stray CR or NUL in \"%1\""))
                           .arg(shown(text)));
    if (m_state == State::Start) {
        if (text.isEmpty())
            return {}; // RFC 9112 §2.2: empty lines before the request line are ignored
        const RequestHeadCheck verdict = checkRequestLine(text);
        if (verdict.state == RequestHeadCheck::State::Invalid)
            return verdict;
        if (text.startsWith("CONNECT "))
            return invalid(501,
                           words(QT_TRANSLATE_NOOP("wslab::RequestStream",
                                                   "CONNECT: this server is not a proxy")));
        m_state = State::Headers;
        m_contentLength.reset();
        m_upgrade = m_connectionUpgrade = false;
        return {};
    }
    if (text.isEmpty()) { // the end of the head
        m_headEnd = m_fed;
        if (m_upgrade && m_connectionUpgrade) {
            completeRequest();
            m_state = State::Upgraded;
        } else if (m_contentLength.value_or(0) > 0) {
            if (*m_contentLength > m_maxRequestSize - currentRequestBytes())
                return tooLarge();
            m_bodyLeft = *m_contentLength;
            m_state = State::Body;
        } else {
            completeRequest();
        }
        return {};
    }
    const RequestHeadCheck verdict = checkHeaderLine(text);
    if (verdict.state == RequestHeadCheck::State::Invalid)
        return verdict;
    const qsizetype colon = text.indexOf(':');
    const QByteArrayView name = text.first(colon);
    const QByteArrayView value = text.sliced(colon + 1).trimmed();
    if (name.compare("content-length", Qt::CaseInsensitive) == 0) {
        bool ok = false;
        const qint64 length = value.toLongLong(&ok);
        if (!ok || length < 0)
            return invalid(400,
                           words(QT_TRANSLATE_NOOP("wslab::RequestStream",
                                                   "Content-Length must be a number")));
        if (m_contentLength && *m_contentLength != length)
            return invalid(400,
                           words(QT_TRANSLATE_NOOP("wslab::RequestStream",
                                                   "two different Content-Length headers")));
        m_contentLength = length;
    } else if (name.compare("transfer-encoding", Qt::CaseInsensitive) == 0) {
        return invalid(501,
                       words(QT_TRANSLATE_NOOP("wslab::RequestStream",
                                               "Transfer-Encoding in a request is not supported; "
                                               "send Content-Length")));
    } else if (name.compare("upgrade", Qt::CaseInsensitive) == 0) {
        m_upgrade = true;
    } else if (name.compare("connection", Qt::CaseInsensitive) == 0) {
        for (qsizetype from = 0; from <= value.size();) {
            qsizetype comma = value.indexOf(',', from);
            if (comma < 0)
                comma = value.size();
            if (value.sliced(from, comma - from).trimmed().compare("upgrade", Qt::CaseInsensitive)
                == 0)
                m_connectionUpgrade = true;
            from = comma + 1;
        }
    }
    return {};
}

RequestHeadCheck RequestStream::fail(const RequestHeadCheck &verdict)
{
    m_state = State::Failed;
    m_failure = verdict;
    return verdict;
}

RequestHeadCheck RequestStream::tooLarge()
{
    return invalid(
        413,
        words(QT_TRANSLATE_NOOP("wslab::RequestStream", "request over the %1-byte limit"))
            .arg(m_maxRequestSize));
}

void RequestStream::completeRequest()
{
    m_completed.append(m_fed);
    m_requestStart = m_fed;
    m_state = State::Start;
}

RequestHeadCheck checkRequestHead(QByteArrayView head)
{
    // One line at a time, to stop at the end of the first head.
    RequestStream stream;
    qsizetype pos = 0;
    while (pos < head.size() && stream.headEnd() == 0) {
        const qsizetype newline = head.indexOf('\n', pos);
        const qsizetype end = newline < 0 ? head.size() : newline + 1;
        const RequestHeadCheck verdict = stream.feed(head.sliced(pos, end - pos));
        if (verdict.state == RequestHeadCheck::State::Invalid)
            return verdict;
        pos = end;
    }
    if (stream.headEnd() == 0)
        return {};
    return { RequestHeadCheck::State::Complete, 0, {}, qsizetype(stream.headEnd()) };
}

} // namespace wslab
