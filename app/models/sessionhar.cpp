#include "sessionhar.h"

#include "textpreview.h"
#include "wirelines.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <QUrlQuery>

#include <cmath>
#include <map>

using namespace Qt::StringLiterals;

namespace wslab {

namespace {

struct SessionHar
{
    Q_DECLARE_TR_FUNCTIONS(wslab::SessionHar)
};

QString harTime(const QDateTime &time)
{
    return time.toString(Qt::ISODateWithMs);
}

QJsonArray harHeaders(const QList<HeaderLine> &headers)
{
    QJsonArray out;
    for (const HeaderLine &h : headers)
        out.append(QJsonObject { { u"name"_s, QString::fromLatin1(h.name) },
                                 { u"value"_s, QString::fromLatin1(h.value) } });
    return out;
}

QByteArray headerValue(const QList<HeaderLine> &headers, QByteArrayView name)
{
    for (const HeaderLine &h : headers)
        if (h.name.compare(name, Qt::CaseInsensitive) == 0)
            return h.value;
    return {};
}

// "a=1; b=2" (Cookie) or each Set-Cookie's first "name=value".
QJsonArray harCookies(const QList<HeaderLine> &headers, QByteArrayView name, bool setCookie)
{
    QJsonArray out;
    for (const HeaderLine &h : headers) {
        if (h.name.compare(name, Qt::CaseInsensitive) != 0)
            continue;
        const QList<QByteArray> pairs
            = setCookie ? QList<QByteArray> { h.value.split(';').value(0) } : h.value.split(';');
        for (const QByteArray &pair : pairs) {
            const qsizetype eq = pair.indexOf('=');
            if (eq <= 0)
                continue;
            out.append(
                QJsonObject { { u"name"_s, QString::fromLatin1(pair.left(eq).trimmed()) },
                              { u"value"_s, QString::fromLatin1(pair.mid(eq + 1).trimmed()) } });
        }
    }
    return out;
}

struct Connection
{
    const WireEvent *request = nullptr;
    const WireEvent *response = nullptr;
    QList<const WireEvent *> frames;
    qint64 lastNs = 0;
};

QJsonArray harMessages(const SessionRecord &record, const Connection &c)
{
    QJsonArray out;
    struct Pending
    {
        QByteArray data;
        qint64 timeNs = 0;
        quint8 opcode = 0;
        bool open = false;
    } pending[2];
    for (const WireEvent *w : c.frames) {
        const Frame &f = w->frame;
        if (f.isControl())
            continue;
        Pending &p = pending[int(w->direction)];
        if (!p.open) {
            p = { {}, w->timeNs, f.messageOpcode ? f.messageOpcode : f.opcode, true };
        }
        p.data += f.payload;
        if (!f.fin)
            continue;
        // Epoch seconds to the microsecond, as Chrome writes them (and as a double keeps them).
        const qint64 epochUs
            = record.startedUtc.toMSecsSinceEpoch() * 1000 + (p.timeNs - record.startedNs) / 1000;
        const double time = double(epochUs) / 1e6;
        out.append(QJsonObject {
            { u"type"_s, w->direction == Direction::ClientToServer ? u"send"_s : u"receive"_s },
            { u"time"_s, time },
            { u"opcode"_s, p.opcode },
            { u"data"_s,
              p.opcode == Frame::Text ? QString::fromUtf8(p.data)
                                      : QString::fromLatin1(p.data.toBase64()) },
        });
        p.open = false;
    }
    return out;
}

QJsonObject harEntry(const SessionRecord &record, quint64 id, const Connection &c)
{
    const QList<QByteArray> requestLine = c.request->startLine.split(' ');
    const QString method = QString::fromLatin1(requestLine.value(0));
    const QByteArray target = requestLine.value(1);
    const QString httpVersion = QString::fromLatin1(requestLine.value(2));
    QUrl base(record.url);
    QUrl url = base.resolved(QUrl::fromEncoded(target));
    if (const QByteArray host = headerValue(c.request->headers, "Host");
        !host.isEmpty() && !base.isValid())
        url = QUrl(u"ws://"_s + QString::fromLatin1(host) + QString::fromLatin1(target));
    QJsonArray query;
    for (const auto &[name, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded))
        query.append(QJsonObject { { u"name"_s, name }, { u"value"_s, value } });

    QJsonObject response;
    qint64 waitMs = 0;
    if (c.response) {
        const QByteArray &line = c.response->startLine;
        const qsizetype s1 = line.indexOf(' ');
        const qsizetype s2 = line.indexOf(' ', s1 + 1);
        const int status = line.mid(s1 + 1, s2 < 0 ? -1 : s2 - s1 - 1).toInt();
        response = QJsonObject {
            { u"status"_s, status },
            { u"statusText"_s, s2 < 0 ? QString() : QString::fromLatin1(line.mid(s2 + 1)) },
            { u"httpVersion"_s, QString::fromLatin1(line.left(s1)) },
            { u"headers"_s, harHeaders(c.response->headers) },
            { u"cookies"_s, harCookies(c.response->headers, "Set-Cookie", true) },
            { u"content"_s, QJsonObject { { u"size"_s, 0 }, { u"mimeType"_s, u"x-unknown"_s } } },
            { u"redirectURL"_s, QString::fromLatin1(headerValue(c.response->headers, "Location")) },
            { u"headersSize"_s, c.response->byteCount },
            { u"bodySize"_s, 0 },
        };
        waitMs = (c.response->timeNs - c.request->timeNs) / 1'000'000;
    } else {
        // No response arrived: HAR 1.2 still requires the object; Chrome writes status 0.
        response = QJsonObject {
            { u"status"_s, 0 },
            { u"statusText"_s, QString() },
            { u"httpVersion"_s, QString() },
            { u"headers"_s, QJsonArray() },
            { u"cookies"_s, QJsonArray() },
            { u"content"_s, QJsonObject { { u"size"_s, 0 }, { u"mimeType"_s, u"x-unknown"_s } } },
            { u"redirectURL"_s, QString() },
            { u"headersSize"_s, -1 },
            { u"bodySize"_s, -1 },
        };
    }
    const qint64 totalMs = qMax<qint64>(0, (c.lastNs - c.request->timeNs) / 1'000'000);
    return QJsonObject {
        { u"startedDateTime"_s, harTime(record.wallTime(c.request->timeNs)) },
        { u"time"_s, double(totalMs) },
        { u"request"_s,
          QJsonObject {
              { u"method"_s, method },
              { u"url"_s, url.toString(QUrl::FullyEncoded) },
              { u"httpVersion"_s, httpVersion },
              { u"headers"_s, harHeaders(c.request->headers) },
              { u"queryString"_s, query },
              { u"cookies"_s, harCookies(c.request->headers, "Cookie", false) },
              { u"headersSize"_s, c.request->byteCount },
              { u"bodySize"_s, 0 },
          } },
        { u"response"_s, response },
        { u"cache"_s, QJsonObject() },
        { u"timings"_s,
          QJsonObject { { u"blocked"_s, -1 },
                        { u"dns"_s, -1 },
                        { u"ssl"_s, -1 },
                        { u"connect"_s, -1 },
                        { u"send"_s, 0 },
                        { u"wait"_s, double(qMax<qint64>(0, waitMs)) },
                        { u"receive"_s, double(qMax<qint64>(0, totalMs - waitMs)) } } },
        { u"connection"_s, QString::number(id) },
        { u"_resourceType"_s, u"websocket"_s },
        { u"_webSocketMessages"_s, harMessages(record, c) },
    };
}

} // namespace

QByteArray sessionToHar(const SessionRecord &record)
{
    std::map<quint64, Connection> connections;
    for (const WireEvent &w : record.wire) {
        Connection &c = connections[w.connection];
        c.lastNs = qMax(c.lastNs, w.timeNs);
        if (w.kind == WireEvent::Kind::HandshakeRequest)
            c.request = &w;
        else if (w.kind == WireEvent::Kind::HandshakeResponse)
            c.response = &w;
        else if (w.kind == WireEvent::Kind::Frame)
            c.frames.append(&w);
    }
    QJsonArray entries;
    for (const auto &[id, c] : connections)
        if (c.request) // a connection that never sent its handshake is no HTTP entry
            entries.append(harEntry(record, id, c));
    const QJsonObject log {
        { u"version"_s, u"1.2"_s },
        { u"creator"_s,
          QJsonObject { { u"name"_s, u"WsLab"_s },
                        { u"version"_s,
                          record.creatorVersion.isEmpty() ? u"0"_s : record.creatorVersion } } },
        { u"pages"_s, QJsonArray() },
        { u"entries"_s, entries },
    };
    return QJsonDocument(QJsonObject { { u"log"_s, log } }).toJson(QJsonDocument::Indented);
}

namespace {

QList<HeaderLine> headersFromHar(const QJsonArray &headers, qint64 firstOffset)
{
    QList<HeaderLine> out;
    qint64 offset = firstOffset;
    for (const QJsonValue &v : headers) {
        const QJsonObject h = v.toObject();
        HeaderLine line { h.value(u"name"_s).toString().toLatin1(),
                          h.value(u"value"_s).toString().toLatin1(), offset };
        offset += line.name.size() + 2 + line.value.size() + 2;
        out.append(line);
    }
    return out;
}

WireEvent handshakeFromHar(WireEvent::Kind kind, Direction direction, quint64 id, qint64 timeNs,
                           const QByteArray &startLine, const QJsonArray &headers)
{
    WireEvent w;
    w.kind = kind;
    w.connection = id;
    w.direction = direction;
    w.timeNs = timeNs;
    w.phase = Phase::Http;
    w.startLine = startLine;
    w.headers = headersFromHar(headers, startLine.size() + 2);
    w.byteCount = rawHandshake(w).size();
    return w;
}

// A HAR message as the one frame it most likely was: FIN, unmasked (the HAR has no key).
Frame frameFromHar(quint8 opcode, const QByteArray &data, qint64 offset, quint64 index)
{
    Frame f;
    f.fin = true;
    f.opcode = opcode;
    f.messageOpcode = opcode;
    f.messageIndex = index;
    f.payload = data;
    f.payloadLength = quint64(data.size());
    const int extended = data.size() < 126 ? 0 : data.size() <= 0xffff ? 2 : 8;
    f.lengthBits = extended == 0 ? 7 : extended == 2 ? 7 + 16 : 7 + 64;
    f.header = { offset, 2 };
    f.extendedLength = { offset + 2, extended };
    f.maskingKeySpan = { offset + 2 + extended, 0 };
    f.payloadSpan = { offset + 2 + extended, data.size() };
    return f;
}

Event wireRow(const WireEvent &w, quint64 connection)
{
    Event e;
    e.timeNs = w.timeNs;
    e.side = Event::Side::Wire;
    e.phase = w.phase;
    e.connection = connection;
    e.kind = w.kind == WireEvent::Kind::Frame         ? Event::Kind::Frame
        : w.kind == WireEvent::Kind::HandshakeRequest ? Event::Kind::HandshakeRequest
                                                      : Event::Kind::HandshakeResponse;
    const QStringList lines = wireLines(w);
    e.summary = Text::verbatim(lines.isEmpty() ? QString() : lines.first());
    e.wire = w;
    return e;
}

} // namespace

std::optional<SessionRecord> sessionFromHar(const QByteArray &har, QString *error)
{
    const auto failed = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(har, &parseError);
    if (!doc.isObject())
        return failed(
            SessionHar::tr("not JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset));
    const QJsonObject log = doc.object().value(u"log"_s).toObject();
    if (!log.value(u"entries"_s).isArray())
        return failed(SessionHar::tr("log.entries: missing, so this is not a HAR file"));
    const QJsonArray entries = log.value(u"entries"_s).toArray();

    SessionRecord record;
    record.origin = u"har"_s;
    record.creatorVersion = log.value(u"creator"_s).toObject().value(u"version"_s).toString();
    // Times: the first entry's start is the record's zero.
    struct Item
    {
        QJsonObject entry;
        QDateTime started;
    };
    QList<Item> sockets;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QJsonObject entry = entries[i].toObject();
        if (entry.value(u"_resourceType"_s).toString() != u"websocket"
            && !entry.contains(u"_webSocketMessages"_s))
            continue;
        const QDateTime started = QDateTime::fromString(
            entry.value(u"startedDateTime"_s).toString(), Qt::ISODateWithMs);
        if (!started.isValid())
            return failed(SessionHar::tr("log.entries[%1].startedDateTime: not an ISO 8601 time").arg(i));
        if (!entry.value(u"request"_s).isObject())
            return failed(SessionHar::tr("log.entries[%1].request: missing").arg(i));
        sockets.append({ entry, started.toUTC() });
    }
    if (sockets.isEmpty())
        return failed(SessionHar::tr("log.entries: no WebSocket entry (_resourceType \"websocket\")"));
    record.startedUtc = sockets.first().started;
    for (const Item &item : sockets)
        record.startedUtc = qMin(record.startedUtc, item.started);
    record.startedNs = 0;
    const double zero = double(record.startedUtc.toMSecsSinceEpoch()) / 1000.0;
    const auto nsOf = [zero](double epochSeconds) { // to the microsecond the HAR can hold
        return qint64(std::llround((epochSeconds - zero) * 1e6)) * 1000;
    };

    quint64 id = 0;
    for (const Item &item : std::as_const(sockets)) {
        ++id;
        const QJsonObject request = item.entry.value(u"request"_s).toObject();
        const QJsonObject response = item.entry.value(u"response"_s).toObject();
        const QUrl url(request.value(u"url"_s).toString());
        if (record.url.isEmpty())
            record.url = request.value(u"url"_s).toString(); // as the HAR wrote it
        const qint64 startNs = nsOf(double(item.started.toMSecsSinceEpoch()) / 1000.0);
        const QByteArray target = url.path(QUrl::FullyEncoded).toLatin1()
            + (url.hasQuery() ? "?" + url.query(QUrl::FullyEncoded).toLatin1() : QByteArray());
        const QString method = request.value(u"method"_s).toString(u"GET"_s);
        const QString version = request.value(u"httpVersion"_s).toString(u"HTTP/1.1"_s);
        const WireEvent req = handshakeFromHar(
            WireEvent::Kind::HandshakeRequest, Direction::ClientToServer, id, startNs,
            method.toLatin1() + ' ' + (target.isEmpty() ? "/" : target) + ' ' + version.toLatin1(),
            request.value(u"headers"_s).toArray());
        const qint64 waitNs = qint64(
            qMax(0.0, item.entry.value(u"timings"_s).toObject().value(u"wait"_s).toDouble()) * 1e6);
        const WireEvent resp = handshakeFromHar(
            WireEvent::Kind::HandshakeResponse, Direction::ServerToClient, id, startNs + waitNs,
            response.value(u"httpVersion"_s).toString(version).toLatin1() + ' '
                + QByteArray::number(response.value(u"status"_s).toInt()) + ' '
                + response.value(u"statusText"_s).toString().toLatin1(),
            response.value(u"headers"_s).toArray());
        for (const WireEvent &w : { req, resp }) {
            record.wire.append(w);
            record.events.append(wireRow(w, id));
        }
        qint64 offset[2] = { req.byteCount, resp.byteCount };
        quint64 index[2] = { 0, 0 };
        const QJsonArray messages = item.entry.value(u"_webSocketMessages"_s).toArray();
        for (qsizetype m = 0; m < messages.size(); ++m) {
            const QJsonObject msg = messages[m].toObject();
            const QString type = msg.value(u"type"_s).toString();
            if (type != u"send" && type != u"receive")
                return failed(SessionHar::tr("_webSocketMessages[%1].type: \"%2\" is neither send nor receive")
                                  .arg(m)
                                  .arg(type));
            const Direction direction
                = type == u"send" ? Direction::ClientToServer : Direction::ServerToClient;
            const int opcode = msg.value(u"opcode"_s).toInt(1);
            const QString data = msg.value(u"data"_s).toString();
            QByteArray bytes;
            if (opcode == Frame::Text) {
                bytes = data.toUtf8();
            } else {
                const auto decoded = QByteArray::fromBase64Encoding(
                    data.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
                if (!decoded)
                    return failed(SessionHar::tr("_webSocketMessages[%1].data: opcode %2 but not base64")
                                      .arg(m)
                                      .arg(opcode));
                bytes = decoded.decoded;
            }
            WireEvent w;
            w.kind = WireEvent::Kind::Frame;
            w.connection = id;
            w.direction = direction;
            w.timeNs = nsOf(msg.value(u"time"_s).toDouble());
            w.phase = Phase::WebSocket;
            const int d = int(direction);
            w.frame = frameFromHar(quint8(opcode), bytes, offset[d],
                                   ++index[d]); // from 1, as FrameParser
            offset[d] += w.frame.size();
            record.wire.append(w);
            record.events.append(wireRow(w, id));
            record.messages.append({ w.timeNs, direction, opcode != Frame::Text, bytes });
        }
    }
    return record;
}

} // namespace wslab
