#include "sessionrecord.h"

#include "framefields.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <array>

using namespace Qt::StringLiterals;

namespace wslab {

namespace {

// Names in the file, in the order of the enums' declarations: the file says "messageSent",
// not 5, so it stays readable and survives a reordering of the enum (the tables move with it).
constexpr std::array sideNames { "client", "server", "wire" };
constexpr std::array phaseNames { "tcp", "http", "websocket" };
constexpr std::array kindNames {
    "tcpConnecting",
    "tcpConnected",
    "tcpAccepted",
    "tcpRefused",
    "tcpClosed",
    "handshakeRequest",
    "handshakeResponse",
    "handshakeRejected",
    "httpRequest",
    "open",
    "messageSent",
    "messageReceived",
    "summary",
    "ping",
    "pong",
    "closeSent",
    "closeReceived",
    "closed",
    "frame",
    "tls",
    "protocolError",
    "error",
    "info",
};
static_assert(kindNames.size() == size_t(Event::Kind::Info) + 1);
constexpr std::array wireKindNames {
    "tunnelRequested", "tunnelRefused", "tcpConnected", "handshakeRequest", "handshakeResponse",
    "frame",           "protocolError", "tls",          "tlsEstablished",   "warning",
    "tcpClosed",       "error",
};
static_assert(wireKindNames.size() == size_t(WireEvent::Kind::Error) + 1);
constexpr std::array directionNames { "clientToServer", "serverToClient" };

template<size_t N> QString nameOf(const std::array<const char *, N> &names, int value)
{
    return value >= 0 && size_t(value) < N ? QString::fromLatin1(names[size_t(value)]) : QString();
}

QString base64(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toBase64());
}

QString isoTime(const QDateTime &time)
{
    return time.toString(Qt::ISODateWithMs);
}

QJsonArray spanJson(const FieldSpan &span)
{
    return { span.offset, span.length };
}

QJsonObject headerJson(const HeaderLine &header)
{
    // Latin-1 maps every byte to one character: lossless, and readable for ASCII headers.
    return { { u"name"_s, QString::fromLatin1(header.name) },
             { u"value"_s, QString::fromLatin1(header.value) },
             { u"offset"_s, header.offset } };
}

QJsonObject frameJson(const Frame &f)
{
    QJsonObject o {
        { u"fin"_s, f.fin },
        { u"rsv"_s, f.rsv },
        { u"opcode"_s, f.opcode },
        { u"masked"_s, f.masked },
        { u"maskingKey"_s, QString::fromLatin1(f.maskingKey.toHex()) },
        { u"payloadLength"_s, qint64(f.payloadLength) },
        { u"lengthBits"_s, f.lengthBits },
        { u"payload"_s, base64(f.payload) },
        { u"payloadTruncated"_s, f.payloadTruncated },
        { u"messageIndex"_s, qint64(f.messageIndex) },
        { u"messageOpcode"_s, f.messageOpcode },
        { u"fragmentIndex"_s, f.fragmentIndex },
        { u"header"_s, spanJson(f.header) },
        { u"extendedLength"_s, spanJson(f.extendedLength) },
        { u"maskingKeySpan"_s, spanJson(f.maskingKeySpan) },
        { u"payloadSpan"_s, spanJson(f.payloadSpan) },
        // Derived, for readers: the frame's bytes as they crossed (masked again), up to the
        // payload kept. Import rebuilds it from the fields above.
        { u"raw"_s, base64(frameBytes(f)) },
    };
    if (f.closeCode) {
        o.insert(u"closeCode"_s, *f.closeCode);
        o.insert(u"closeReason"_s, f.closeReason);
    }
    return o;
}

QJsonObject wireJson(const WireEvent &w, const SessionRecord &record)
{
    QJsonObject o {
        { u"kind"_s, nameOf(wireKindNames, int(w.kind)) },
        { u"connection"_s, qint64(w.connection) },
        { u"direction"_s, nameOf(directionNames, int(w.direction)) },
        { u"timeNs"_s, w.timeNs },
        { u"time"_s, isoTime(record.wallTime(w.timeNs)) },
        { u"phase"_s, nameOf(phaseNames, int(w.phase)) },
    };
    if (!w.text.isEmpty())
        o.insert(u"text"_s, w.text);
    if (w.kind == WireEvent::Kind::HandshakeRequest
        || w.kind == WireEvent::Kind::HandshakeResponse) {
        o.insert(u"startLine"_s, QString::fromLatin1(w.startLine));
        QJsonArray headers;
        for (const HeaderLine &h : w.headers)
            headers.append(headerJson(h));
        o.insert(u"headers"_s, headers);
        o.insert(u"raw"_s, base64(rawHandshake(w)));
        o.insert(u"rawExact"_s, rawHandshakeIsExact(w));
    }
    if (!w.accept.key.isEmpty() || !w.accept.received.isEmpty())
        o.insert(u"accept"_s,
                 QJsonObject { { u"key"_s, QString::fromLatin1(w.accept.key) },
                               { u"expected"_s, QString::fromLatin1(w.accept.expected) },
                               { u"received"_s, QString::fromLatin1(w.accept.received) } });
    if (w.kind == WireEvent::Kind::Frame)
        o.insert(u"frame"_s, frameJson(w.frame));
    if (w.kind == WireEvent::Kind::ProtocolError)
        o.insert(u"error"_s,
                 QJsonObject { { u"closeCode"_s, w.error.closeCode },
                               { u"reason"_s, w.error.reason },
                               { u"offset"_s, w.error.offset } });
    if (w.kind == WireEvent::Kind::TlsEstablished) {
        QJsonArray chain;
        for (const TlsCertificateSummary &c : w.tls.chain)
            chain.append(QJsonObject { { u"subject"_s, c.subject },
                                       { u"issuer"_s, c.issuer },
                                       { u"notBefore"_s, isoTime(c.notBefore) },
                                       { u"notAfter"_s, isoTime(c.notAfter) },
                                       { u"sha256"_s, c.sha256 } });
        o.insert(u"tls"_s,
                 QJsonObject { { u"protocol"_s, w.tls.protocol },
                               { u"cipher"_s, w.tls.cipher },
                               { u"peerName"_s, w.tls.peerName },
                               { u"verified"_s, w.tls.verified },
                               { u"unverifiedProblem"_s, w.tls.unverifiedProblem },
                               { u"clientCertificate"_s, w.tls.clientCertificate },
                               { u"chain"_s, chain } });
    }
    if (w.tlsRecords)
        o.insert(u"tlsRecords"_s, w.tlsRecords);
    if (w.byteCount)
        o.insert(u"byteCount"_s, w.byteCount);
    if (w.localPort)
        o.insert(u"localPort"_s, w.localPort);
    if (!w.localAddress.isEmpty())
        o.insert(u"localAddress"_s, w.localAddress);
    return o;
}

QJsonObject eventJson(const Event &e, const SessionRecord &record)
{
    QJsonObject o {
        { u"timeNs"_s, e.timeNs },
        { u"time"_s, isoTime(record.wallTime(e.timeNs)) },
        { u"side"_s, nameOf(sideNames, int(e.side)) },
        { u"phase"_s, nameOf(phaseNames, int(e.phase)) },
        { u"kind"_s, nameOf(kindNames, int(e.kind)) },
        { u"connection"_s, qint64(e.connection) },
        // In English: the file reads the same whatever language the window spoke.
        { u"summary"_s, e.summary.english() },
    };
    if (e.peerPort)
        o.insert(u"peerPort"_s, e.peerPort);
    if (!e.payload.isEmpty() || e.payloadSize) {
        o.insert(u"payload"_s, base64(e.payload));
        o.insert(u"payloadSize"_s, e.payloadSize);
        o.insert(u"binary"_s, e.binary);
    }
    if (e.wire)
        o.insert(u"wire"_s, wireJson(*e.wire, record));
    return o;
}

// Reading: every field checked, the first wrong one named.
class Reader
{
public:
    QString error;

    bool fail(const QString &where, const QString &what)
    {
        if (error.isEmpty())
            error = QCoreApplication::translate("wslab::SessionRecord", "%1: %2").arg(where, what);
        return false;
    }
    QJsonValue need(const QJsonObject &o, const QString &key, QJsonValue::Type type,
                    const QString &where)
    {
        const QJsonValue v = o.value(key);
        if (v.type() != type) {
            fail(where + u'.' + key,
                 v.isUndefined()
                     ? QCoreApplication::translate("wslab::SessionRecord", "missing")
                     : QCoreApplication::translate("wslab::SessionRecord", "has the wrong type"));
            return {};
        }
        return v;
    }
    qint64 integer(const QJsonObject &o, const QString &key, const QString &where,
                   bool optional = false)
    {
        if (optional && !o.contains(key))
            return 0;
        const QJsonValue v = need(o, key, QJsonValue::Double, where);
        return v.toInteger();
    }
    QString string(const QJsonObject &o, const QString &key, const QString &where,
                   bool optional = false)
    {
        if (optional && !o.contains(key))
            return {};
        return need(o, key, QJsonValue::String, where).toString();
    }
    bool boolean(const QJsonObject &o, const QString &key, const QString &where,
                 bool optional = false)
    {
        if (optional && !o.contains(key))
            return false;
        return need(o, key, QJsonValue::Bool, where).toBool();
    }
    QByteArray bytes(const QJsonObject &o, const QString &key, const QString &where,
                     bool optional = false)
    {
        if (optional && !o.contains(key))
            return {};
        const auto decoded = QByteArray::fromBase64Encoding(
            string(o, key, where).toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            fail(where + u'.' + key,
                 QCoreApplication::translate("wslab::SessionRecord", "is not base64"));
        return decoded.decoded;
    }
    template<size_t N>
    int named(const std::array<const char *, N> &names, const QJsonObject &o, const QString &key,
              const QString &where)
    {
        const QString name = string(o, key, where);
        for (size_t i = 0; i < N; ++i)
            if (name == QLatin1StringView(names[i]))
                return int(i);
        if (error.isEmpty())
            fail(where + u'.' + key,
                 QCoreApplication::translate("wslab::SessionRecord", "unknown value \"%1\"")
                     .arg(name));
        return 0;
    }
    FieldSpan span(const QJsonObject &o, const QString &key, const QString &where)
    {
        const QJsonArray a = need(o, key, QJsonValue::Array, where).toArray();
        if (a.size() != 2 || !a[0].isDouble() || !a[1].isDouble()) {
            fail(where + u'.' + key,
                 QCoreApplication::translate("wslab::SessionRecord", "must be [offset, length]"));
            return {};
        }
        return { a[0].toInteger(), a[1].toInteger() };
    }

    Frame frame(const QJsonObject &o, const QString &where)
    {
        Frame f;
        f.fin = boolean(o, u"fin"_s, where);
        f.rsv = quint8(integer(o, u"rsv"_s, where));
        f.opcode = quint8(integer(o, u"opcode"_s, where));
        f.masked = boolean(o, u"masked"_s, where);
        f.maskingKey = QByteArray::fromHex(string(o, u"maskingKey"_s, where).toLatin1());
        f.payloadLength = quint64(integer(o, u"payloadLength"_s, where));
        f.lengthBits = int(integer(o, u"lengthBits"_s, where));
        f.payload = bytes(o, u"payload"_s, where);
        f.payloadTruncated = boolean(o, u"payloadTruncated"_s, where);
        f.messageIndex = quint64(integer(o, u"messageIndex"_s, where));
        f.messageOpcode = quint8(integer(o, u"messageOpcode"_s, where));
        f.fragmentIndex = int(integer(o, u"fragmentIndex"_s, where));
        f.header = span(o, u"header"_s, where);
        f.extendedLength = span(o, u"extendedLength"_s, where);
        f.maskingKeySpan = span(o, u"maskingKeySpan"_s, where);
        f.payloadSpan = span(o, u"payloadSpan"_s, where);
        if (o.contains(u"closeCode"_s)) {
            f.closeCode = quint16(integer(o, u"closeCode"_s, where));
            f.closeReason = string(o, u"closeReason"_s, where);
        }
        return f;
    }

    WireEvent wire(const QJsonObject &o, const QString &where)
    {
        WireEvent w;
        w.kind = WireEvent::Kind(named(wireKindNames, o, u"kind"_s, where));
        w.connection = quint64(integer(o, u"connection"_s, where));
        w.direction = Direction(named(directionNames, o, u"direction"_s, where));
        w.timeNs = integer(o, u"timeNs"_s, where);
        w.phase = Phase(named(phaseNames, o, u"phase"_s, where));
        w.text = string(o, u"text"_s, where, true);
        if (o.contains(u"startLine"_s)) {
            w.startLine = string(o, u"startLine"_s, where).toLatin1();
            const QJsonArray headers = need(o, u"headers"_s, QJsonValue::Array, where).toArray();
            for (qsizetype i = 0; i < headers.size(); ++i) {
                const QString at = where + u".headers[" + QString::number(i) + u']';
                const QJsonObject h = headers[i].toObject();
                w.headers.append({ string(h, u"name"_s, at).toLatin1(),
                                   string(h, u"value"_s, at).toLatin1(),
                                   integer(h, u"offset"_s, at) });
            }
        }
        if (o.contains(u"accept"_s)) {
            const QJsonObject a = o.value(u"accept"_s).toObject();
            const QString at = where + u".accept";
            w.accept.key = string(a, u"key"_s, at).toLatin1();
            w.accept.expected = string(a, u"expected"_s, at).toLatin1();
            w.accept.received = string(a, u"received"_s, at).toLatin1();
        }
        if (w.kind == WireEvent::Kind::Frame)
            w.frame = frame(need(o, u"frame"_s, QJsonValue::Object, where).toObject(),
                            where + u".frame");
        if (w.kind == WireEvent::Kind::ProtocolError) {
            const QJsonObject e = need(o, u"error"_s, QJsonValue::Object, where).toObject();
            const QString at = where + u".error";
            w.error.closeCode = quint16(integer(e, u"closeCode"_s, at));
            w.error.reason = string(e, u"reason"_s, at);
            w.error.offset = integer(e, u"offset"_s, at);
        }
        if (w.kind == WireEvent::Kind::TlsEstablished) {
            const QJsonObject t = need(o, u"tls"_s, QJsonValue::Object, where).toObject();
            const QString at = where + u".tls";
            w.tls.protocol = string(t, u"protocol"_s, at);
            w.tls.cipher = string(t, u"cipher"_s, at);
            w.tls.peerName = string(t, u"peerName"_s, at, true);
            w.tls.verified = t.value(u"verified"_s).toBool();
            w.tls.unverifiedProblem = string(t, u"unverifiedProblem"_s, at, true);
            w.tls.clientCertificate = t.value(u"clientCertificate"_s).toBool();
            const QJsonArray chain = t.value(u"chain"_s).toArray();
            for (qsizetype i = 0; i < chain.size(); ++i) {
                const QJsonObject c = chain[i].toObject();
                const QString cat = at + u".chain[" + QString::number(i) + u']';
                w.tls.chain.append({ string(c, u"subject"_s, cat), string(c, u"issuer"_s, cat),
                                     QDateTime::fromString(string(c, u"notBefore"_s, cat),
                                                           Qt::ISODateWithMs),
                                     QDateTime::fromString(string(c, u"notAfter"_s, cat),
                                                           Qt::ISODateWithMs),
                                     string(c, u"sha256"_s, cat) });
            }
        }
        w.tlsRecords = integer(o, u"tlsRecords"_s, where, true);
        w.byteCount = integer(o, u"byteCount"_s, where, true);
        w.localPort = quint16(integer(o, u"localPort"_s, where, true));
        w.localAddress = string(o, u"localAddress"_s, where, true);
        return w;
    }

    Event event(const QJsonObject &o, const QString &where)
    {
        Event e;
        e.timeNs = integer(o, u"timeNs"_s, where);
        e.side = Event::Side(named(sideNames, o, u"side"_s, where));
        e.phase = Phase(named(phaseNames, o, u"phase"_s, where));
        e.kind = Event::Kind(named(kindNames, o, u"kind"_s, where));
        e.connection = quint64(integer(o, u"connection"_s, where));
        e.summary = Text::verbatim(string(o, u"summary"_s, where));
        e.peerPort = quint16(integer(o, u"peerPort"_s, where, true));
        if (o.contains(u"payload"_s)) {
            e.payload = bytes(o, u"payload"_s, where);
            e.payloadSize = integer(o, u"payloadSize"_s, where);
            e.binary = boolean(o, u"binary"_s, where);
        }
        if (o.contains(u"wire"_s))
            e.wire
                = wire(need(o, u"wire"_s, QJsonValue::Object, where).toObject(), where + u".wire");
        return e;
    }
};

QString at(const char *list, qsizetype i)
{
    return QLatin1StringView(list) + u'[' + QString::number(i) + u']';
}

} // namespace

QDateTime SessionRecord::wallTime(qint64 timeNs) const
{
    return startedUtc.addMSecs((timeNs - startedNs) / 1'000'000);
}

QByteArray rawHandshake(const WireEvent &event)
{
    QByteArray raw = event.startLine + "\r\n";
    for (const HeaderLine &h : event.headers)
        raw += h.name + ": " + h.value + "\r\n";
    return raw + "\r\n";
}

bool rawHandshakeIsExact(const WireEvent &event)
{
    return rawHandshake(event).size() == event.byteCount;
}

QByteArray sessionToJson(const SessionRecord &record)
{
    QJsonArray events, wire, messages;
    for (const Event &e : record.events)
        events.append(eventJson(e, record));
    for (const WireEvent &w : record.wire)
        wire.append(wireJson(w, record));
    for (const RecordedMessage &m : record.messages)
        messages.append(QJsonObject {
            { u"timeNs"_s, m.timeNs },
            { u"time"_s, isoTime(record.wallTime(m.timeNs)) },
            { u"direction"_s, nameOf(directionNames, int(m.direction)) },
            { u"binary"_s, m.binary },
            { u"payload"_s, base64(m.payload) },
            { u"size"_s, m.payload.size() },
        });
    const QJsonObject root {
        { u"format"_s, QLatin1StringView(SessionRecord::formatName) },
        { u"version"_s, SessionRecord::formatVersion },
        { u"creator"_s,
          QJsonObject { { u"name"_s, u"WsLab"_s }, { u"version"_s, record.creatorVersion } } },
        { u"url"_s, record.url },
        { u"started"_s,
          QJsonObject { { u"time"_s, isoTime(record.startedUtc) },
                        { u"epochMs"_s, record.startedUtc.toMSecsSinceEpoch() },
                        { u"timeNs"_s, record.startedNs } } },
        { u"dropped"_s,
          QJsonObject { { u"events"_s, record.droppedEvents },
                        { u"wire"_s, record.droppedWire },
                        { u"messages"_s, record.droppedMessages } } },
        { u"events"_s, events },
        { u"wire"_s, wire },
        { u"messages"_s, messages },
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

std::optional<SessionRecord> sessionFromJson(const QByteArray &json, QString *error)
{
    const auto failed = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject())
        return failed(QCoreApplication::translate("wslab::SessionRecord", "not JSON: %1 at byte %2")
                          .arg(parseError.errorString())
                          .arg(parseError.offset));
    const QJsonObject root = doc.object();
    if (root.value(u"format"_s).toString() != QLatin1StringView(SessionRecord::formatName))
        return failed(QCoreApplication::translate("wslab::SessionRecord",
                                                  "format: not a WsLab session (\"%1\" expected)")
                          .arg(QLatin1StringView(SessionRecord::formatName)));
    const int version = root.value(u"version"_s).toInt(-1);
    if (version != SessionRecord::formatVersion)
        return failed(QCoreApplication::translate("wslab::SessionRecord",
                                                  "version: %1 is not supported (this WsLab "
                                                  "reads version %2)")
                          .arg(version)
                          .arg(SessionRecord::formatVersion));
    Reader r;
    SessionRecord record;
    record.origin = QLatin1StringView(SessionRecord::formatName);
    record.url = r.string(root, u"url"_s, u"session"_s);
    record.creatorVersion
        = r.string(root.value(u"creator"_s).toObject(), u"version"_s, u"creator"_s);
    const QJsonObject started
        = r.need(root, u"started"_s, QJsonValue::Object, u"session"_s).toObject();
    record.startedUtc
        = QDateTime::fromMSecsSinceEpoch(r.integer(started, u"epochMs"_s, u"started"_s), Qt::UTC);
    record.startedNs = r.integer(started, u"timeNs"_s, u"started"_s);
    const QJsonObject dropped = root.value(u"dropped"_s).toObject();
    record.droppedEvents = r.integer(dropped, u"events"_s, u"dropped"_s, true);
    record.droppedWire = r.integer(dropped, u"wire"_s, u"dropped"_s, true);
    record.droppedMessages = r.integer(dropped, u"messages"_s, u"dropped"_s, true);

    const QJsonArray events = r.need(root, u"events"_s, QJsonValue::Array, u"session"_s).toArray();
    for (qsizetype i = 0; i < events.size() && r.error.isEmpty(); ++i)
        record.events.append(r.event(events[i].toObject(), at("events", i)));
    const QJsonArray wire = r.need(root, u"wire"_s, QJsonValue::Array, u"session"_s).toArray();
    for (qsizetype i = 0; i < wire.size() && r.error.isEmpty(); ++i)
        record.wire.append(r.wire(wire[i].toObject(), at("wire", i)));
    const QJsonArray messages
        = r.need(root, u"messages"_s, QJsonValue::Array, u"session"_s).toArray();
    for (qsizetype i = 0; i < messages.size() && r.error.isEmpty(); ++i) {
        const QJsonObject o = messages[i].toObject();
        const QString where = at("messages", i);
        RecordedMessage m;
        m.timeNs = r.integer(o, u"timeNs"_s, where);
        m.direction = Direction(r.named(directionNames, o, u"direction"_s, where));
        m.binary = r.boolean(o, u"binary"_s, where);
        m.payload = r.bytes(o, u"payload"_s, where);
        record.messages.append(m);
    }
    if (!r.error.isEmpty())
        return failed(r.error);
    return record;
}

} // namespace wslab
