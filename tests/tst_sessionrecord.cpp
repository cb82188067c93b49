#include "clientsession.h"
#include "serverhost.h"
#include "sessionhar.h"
#include "sessionrecord.h"
#include "sessionrecorder.h"
#include "testutil.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace wslab;
using namespace wslab::test;
using namespace Qt::StringLiterals;

namespace {

QByteArray allBytes()
{
    QByteArray bytes;
    for (int i = 0; i < 256; ++i)
        bytes.append(char(i));
    return bytes;
}

const QString nonAscii = QStringLiteral("héllo, 你好, 🎉 – \"quoted\"\n");

// Real traffic through the wire tap to the window's server (its own thread): a text with
// non-ASCII characters, a binary message with all 256 byte values, a ping, and a clean close.
SessionRecord recordRealTraffic()
{
    ServerHost host;
    if (!host.start(testConfig())) {
        qWarning("server did not start: %s", qPrintable(host.errorString()));
        return {};
    }
    ClientSession session;
    SessionRecorder recorder;
    QObject::connect(&session, &ClientSession::event, &recorder, &SessionRecorder::addEvent);
    QObject::connect(&session, &ClientSession::wireEvent, &recorder,
                     &SessionRecorder::addWireEvent);
    QObject::connect(&session, &ClientSession::messageSent, &recorder, &SessionRecorder::addSent);
    QObject::connect(&session, &ClientSession::messageReceived, &recorder,
                     &SessionRecorder::addReceived);
    QObject::connect(&host, &ServerHost::events, &recorder, &SessionRecorder::addEvents);
    recorder.setUrl(host.webSocketUrl().toString());
    QSignalSpy received(&session, &ClientSession::messageReceived);
    if (!session.connectTo(host.webSocketUrl().toString()))
        return {};
    if (!QTest::qWaitFor([&] { return session.state() == ClientSession::State::Open; }, 5000))
        return {};
    session.sendText(nonAscii);
    session.sendBinary(allBytes());
    if (!QTest::qWaitFor([&] { return received.count() == 2; }, 5000))
        return {};
    session.disconnectGracefully(1000, QStringLiteral("done"));
    // Both sides have seen the end: the client is closed and the server said so too.
    const bool ended = QTest::qWaitFor(
        [&] {
            const SessionRecord r = recorder.record();
            return session.state() == ClientSession::State::Closed
                && std::any_of(r.events.begin(), r.events.end(), [](const Event &e) {
                       return e.side == Event::Side::Server && e.kind == Event::Kind::Closed;
                   });
        },
        5000);
    if (!ended)
        qWarning("the server did not report the close");
    return recorder.record();
}

QJsonObject harEntry(const QByteArray &har)
{
    return QJsonDocument::fromJson(har)
        .object()
        .value(u"log")
        .toObject()
        .value(u"entries")
        .toArray()
        .at(0)
        .toObject();
}

} // namespace

class tst_SessionRecord : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void recordsBothSidesAndTheWire();
    void roundTripIsByteIdentical();
    void harHasTheHar12Shape();
    void harPassesThePythonChecker();
    void importsChromesHar();
    void harRoundTripKeepsMessages();
    void badFilesSayWhichField_data();
    void badFilesSayWhichField();
    void recorderIsBounded();

private:
    SessionRecord m_record;
};

void tst_SessionRecord::initTestCase()
{
    m_record = recordRealTraffic();
    QVERIFY(!m_record.isEmpty());
}

void tst_SessionRecord::recordsBothSidesAndTheWire()
{
    const auto count = [this](auto pred) {
        return std::count_if(m_record.events.begin(), m_record.events.end(), pred);
    };
    QVERIFY(count([](const Event &e) { return e.side == Event::Side::Client; }) > 0);
    QVERIFY(count([](const Event &e) { return e.side == Event::Side::Server; }) > 0);
    QVERIFY(count([](const Event &e) { return e.side == Event::Side::Wire; }) > 0);
    // The handshake both ways, and every frame: 2 messages each way and the client's Close
    // (the server's answering Close may come after Qt has dropped the connection).
    int requests = 0, responses = 0, frames = 0;
    bool binaryOut = false;
    for (const WireEvent &w : std::as_const(m_record.wire)) {
        requests += w.kind == WireEvent::Kind::HandshakeRequest;
        responses += w.kind == WireEvent::Kind::HandshakeResponse;
        if (w.kind == WireEvent::Kind::Frame) {
            ++frames;
            if (w.direction == Direction::ClientToServer && w.frame.opcode == Frame::Binary) {
                QCOMPARE(w.frame.payload, allBytes());
                QVERIFY(w.frame.masked);
                binaryOut = true;
            }
        }
    }
    QCOMPARE(requests, 1);
    QCOMPARE(responses, 1);
    QVERIFY2(frames >= 5, qPrintable(QString::number(frames)));
    QVERIFY(binaryOut);
    for (const WireEvent &w : std::as_const(m_record.wire))
        if (w.kind == WireEvent::Kind::HandshakeRequest)
            QVERIFY2(rawHandshakeIsExact(w), rawHandshake(w).constData());
    // The client's whole messages, both ways.
    QCOMPARE(m_record.messages.size(), 4);
    QCOMPARE(m_record.messages[0].payload, nonAscii.toUtf8());
    QCOMPARE(m_record.messages[0].direction, Direction::ClientToServer);
    QCOMPARE(m_record.messages[1].payload, allBytes());
    QVERIFY(m_record.messages[1].binary);
}

void tst_SessionRecord::roundTripIsByteIdentical()
{
    const QByteArray first = sessionToJson(m_record);
    QString error;
    const auto imported = sessionFromJson(first, &error);
    QVERIFY2(imported, qPrintable(error));
    const QByteArray second = sessionToJson(*imported);
    QCOMPARE(second.size(), first.size());
    QCOMPARE(second, first);
    // And what came back is the bytes, not only the text.
    QCOMPARE(imported->messages.value(1).payload, allBytes());
    QCOMPARE(imported->events.size(), m_record.events.size());
    QCOMPARE(imported->wire.size(), m_record.wire.size());
    // The file says what it is.
    const QJsonObject root = QJsonDocument::fromJson(first).object();
    QCOMPARE(root.value(u"format").toString(), u"wslab-session"_s);
    QCOMPARE(root.value(u"version").toInt(), 1);
    const QJsonObject wire0 = root.value(u"wire").toArray().at(0).toObject();
    QVERIFY(wire0.value(u"timeNs").isDouble());
    QVERIFY(QDateTime::fromString(wire0.value(u"time").toString(), Qt::ISODateWithMs).isValid());
}

void tst_SessionRecord::harHasTheHar12Shape()
{
    const QByteArray har = sessionToHar(m_record);
    const QJsonObject log = QJsonDocument::fromJson(har).object().value(u"log").toObject();
    QCOMPARE(log.value(u"version").toString(), u"1.2"_s);
    QVERIFY(log.value(u"creator").toObject().value(u"name").isString());
    QVERIFY(log.value(u"creator").toObject().value(u"version").isString());
    QCOMPARE(log.value(u"entries").toArray().size(), 1);
    const QJsonObject entry = harEntry(har);
    QVERIFY(QDateTime::fromString(entry.value(u"startedDateTime").toString(), Qt::ISODateWithMs)
                .isValid());
    QVERIFY(entry.value(u"time").isDouble());
    QCOMPARE(entry.value(u"_resourceType").toString(), u"websocket"_s);
    QVERIFY(entry.value(u"cache").isObject());
    const QJsonObject timings = entry.value(u"timings").toObject();
    for (const auto *key : { "send", "wait", "receive" })
        QVERIFY2(timings.value(QLatin1StringView(key)).toDouble(-1) >= 0, key);

    const QJsonObject request = entry.value(u"request").toObject();
    QCOMPARE(request.value(u"method").toString(), u"GET"_s);
    QCOMPARE(request.value(u"url").toString(), m_record.url);
    QCOMPARE(request.value(u"httpVersion").toString(), u"HTTP/1.1"_s);
    QVERIFY(request.value(u"queryString").isArray());
    QVERIFY(request.value(u"cookies").isArray());
    QVERIFY(request.value(u"headersSize").toInt() > 0);
    QCOMPARE(request.value(u"bodySize").toInt(-1), 0);
    // The real request's headers, as the tap saw them.
    bool key = false;
    for (const QJsonValue &h : request.value(u"headers").toArray())
        key |= h[u"name"].toString().compare(u"Sec-WebSocket-Key", Qt::CaseInsensitive) == 0;
    QVERIFY(key);

    const QJsonObject response = entry.value(u"response").toObject();
    QCOMPARE(response.value(u"status").toInt(), 101);
    QVERIFY(!response.value(u"statusText").toString().isEmpty());
    QVERIFY(response.value(u"headers").toArray().size() >= 3);
    QVERIFY(response.value(u"content").toObject().value(u"size").isDouble());
    QVERIFY(response.value(u"content").toObject().value(u"mimeType").isString());
    QVERIFY(response.value(u"redirectURL").isString());

    // Chrome's messages: data only, text as text, binary as base64, epoch seconds.
    const QJsonArray messages = entry.value(u"_webSocketMessages").toArray();
    QCOMPARE(messages.size(), 4);
    QCOMPARE(messages[0][u"type"].toString(), u"send"_s);
    QCOMPARE(messages[0][u"opcode"].toInt(), 1);
    QCOMPARE(messages[0][u"data"].toString(), nonAscii);
    QCOMPARE(messages[1][u"type"].toString(), u"send"_s);
    QCOMPARE(messages[1][u"opcode"].toInt(), 2);
    QCOMPARE(QByteArray::fromBase64(messages[1][u"data"].toString().toLatin1()), allBytes());
    QCOMPARE(messages[2][u"type"].toString(), u"receive"_s);
    const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    QVERIFY(qAbs(messages[0][u"time"].toDouble() - now) < 600);
    for (const QJsonValue &m : messages)
        QCOMPARE(m.toObject().keys(),
                 QStringList({ u"data"_s, u"opcode"_s, u"time"_s, u"type"_s }));
}

void tst_SessionRecord::harPassesThePythonChecker()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile file(dir.filePath(u"session.har"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(sessionToHar(m_record));
    file.close();
    const QString checker = QStringLiteral(WSLAB_INTEROP_DIR "/harcheck.py");
    ProcessResult result
        = runProcess(debianPython(), { checker, file.fileName(), u"--min-messages"_s, u"4"_s });
    QVERIFY2(result.finished && result.exitCode == 0, result.err.constData());
    // The checker can fail: a HAR without its messages' opcode does not pass.
    QJsonDocument broken = QJsonDocument::fromJson(sessionToHar(m_record));
    QJsonObject root = broken.object();
    QJsonObject log = root[u"log"].toObject();
    QJsonArray entries = log[u"entries"].toArray();
    QJsonObject entry = entries[0].toObject();
    entry.remove(u"_resourceType"_s);
    entries[0] = entry;
    log[u"entries"] = entries;
    root[u"log"] = log;
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QJsonDocument(root).toJson());
    file.close();
    result = runProcess(debianPython(), { checker, file.fileName() });
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains("_resourceType"), result.err.constData());
}

void tst_SessionRecord::importsChromesHar()
{
    QFile file(QStringLiteral(WSLAB_TEST_DATA_DIR "/chrome-websocket.har"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QString error;
    const auto record = sessionFromHar(file.readAll(), &error);
    QVERIFY2(record, qPrintable(error));
    QCOMPARE(record->origin, u"har"_s);
    QCOMPARE(record->url, u"ws://127.0.0.1:8888/ws?room=a%20b&v=2"_s);
    QCOMPARE(record->startedUtc,
             QDateTime::fromString(u"2026-11-30T09:15:02.250Z"_s, Qt::ISODateWithMs));
    // The document entry is skipped; the WebSocket's 7 messages are its messages.
    QCOMPARE(record->messages.size(), 7);
    QCOMPARE(record->messages[2].payload, QStringLiteral("你好, 世界 🎉").toUtf8());
    QCOMPARE(record->messages[4].payload, QByteArray("\x00\x01\x02\xff", 4));
    QVERIFY(record->messages[4].binary);
    QCOMPARE(record->messages[4].direction, Direction::ClientToServer);
    QCOMPARE(record->messages[6].direction, Direction::ServerToClient);
    // Times: 51.245 ms after the start, to the microsecond the HAR wrote.
    QCOMPARE(record->messages[0].timeNs, 51'245'000);
    // The handshake as review shows it: start line and every header.
    const WireEvent &request = record->wire.at(0);
    QCOMPARE(request.kind, WireEvent::Kind::HandshakeRequest);
    QCOMPARE(request.startLine, QByteArray("GET /ws?room=a%20b&v=2 HTTP/1.1"));
    QCOMPARE(request.headers.size(), 13);
    QCOMPARE(request.headers[4].name, QByteArray("Cookie"));
    const WireEvent &response = record->wire.at(1);
    QCOMPARE(response.startLine, QByteArray("HTTP/1.1 101 Switching Protocols"));
    QCOMPARE(response.headers.size(), 3);
    // Messages became frames the Frames pane can show, with consistent offsets.
    const WireEvent &binary = record->wire.at(2 + 4);
    QCOMPARE(binary.kind, WireEvent::Kind::Frame);
    QCOMPARE(binary.frame.opcode, quint8(Frame::Binary));
    QCOMPARE(binary.frame.messageIndex, quint64(3)); // the third sent, counted from 1
    QCOMPARE(binary.frame.header.offset,
             request.byteCount + 2 + 5 + 2
                 + qint64(QStringLiteral("你好, 世界 🎉").toUtf8().size()));
    QCOMPARE(record->events.size(), record->wire.size());

    // Imported, it exports and re-imports byte-identically like a recorded session.
    const QByteArray json = sessionToJson(*record);
    const auto again = sessionFromJson(json, &error);
    QVERIFY2(again, qPrintable(error));
    QCOMPARE(sessionToJson(*again), json);
}

void tst_SessionRecord::harRoundTripKeepsMessages()
{
    // Ours → HAR → import → HAR: the same messages, headers and times.
    const QByteArray har = sessionToHar(m_record);
    QString error;
    const auto imported = sessionFromHar(har, &error);
    QVERIFY2(imported, qPrintable(error));
    QCOMPARE(imported->messages.size(), 4);
    QCOMPARE(imported->messages[1].payload, allBytes());
    const QJsonObject before = harEntry(har);
    const QJsonObject after = harEntry(sessionToHar(*imported));
    QCOMPARE(after.value(u"_webSocketMessages"), before.value(u"_webSocketMessages"));
    QCOMPARE(after[u"request"][u"headers"], before[u"request"][u"headers"]);
    QCOMPARE(after[u"response"][u"headers"], before[u"response"][u"headers"]);
    QCOMPARE(after[u"request"][u"url"], before[u"request"][u"url"]);
    QCOMPARE(after[u"startedDateTime"], before[u"startedDateTime"]);
}

void tst_SessionRecord::badFilesSayWhichField_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    QTest::newRow("not JSON") << QByteArray("{\"format\":") << u"not JSON"_s;
    QTest::newRow("a HAR, not ours") << QByteArray(R"({"log":{"entries":[]}})") << u"format"_s;
    QTest::newRow("a later version")
        << QByteArray(R"({"format":"wslab-session","version":99})") << u"version: 99"_s;
    QTest::newRow("payload not base64")
        << QByteArray(R"({"format":"wslab-session","version":1,"url":"ws://x/",
             "creator":{"version":""},"started":{"epochMs":0,"timeNs":0},"events":[],"wire":[],
             "messages":[{"timeNs":1,"direction":"clientToServer","binary":true,"payload":"!!"}]})")
        << u"messages[0].payload: is not base64"_s;
    QTest::newRow("unknown side") << QByteArray(
        R"({"format":"wslab-session","version":1,"url":"ws://x/",
             "creator":{"version":""},"started":{"epochMs":0,"timeNs":0},"wire":[],"messages":[],
             "events":[{"timeNs":1,"side":"moon","phase":"tcp","kind":"info","connection":0,
             "summary":""}]})") << u"events[0].side: unknown value \"moon\""_s;
    QTest::newRow("time is text") << QByteArray(
        R"({"format":"wslab-session","version":1,"url":"ws://x/",
             "creator":{"version":""},"started":{"epochMs":0,"timeNs":0},"events":[],"messages":[],
             "wire":[{"kind":"frame","timeNs":"soon","connection":1,"direction":"clientToServer",
             "phase":"websocket"}]})")
                                  << u"wire[0].timeNs: has the wrong type"_s;
}

void tst_SessionRecord::badFilesSayWhichField()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QString why;
    QVERIFY(!sessionFromJson(json, &why));
    QVERIFY2(why.contains(error), qPrintable(why));
    QVERIFY(!why.contains(u'\n'));
    QVERIFY(!sessionFromHar(json, &why) || json.contains("wslab-session"));
}

void tst_SessionRecord::recorderIsBounded()
{
    SessionRecorder recorder;
    QSignalSpy limit(&recorder, &SessionRecorder::limitReached);
    Event e = makeEvent(Event::Side::Client, Phase::WebSocket, Event::Kind::Info, 1, u"x"_s);
    for (int i = 0; i < SessionRecorder::maxItems + 5; ++i)
        recorder.addEvent(e);
    QCOMPARE(recorder.record().events.size(), SessionRecorder::maxItems);
    QCOMPARE(recorder.record().droppedEvents, 5);
    QCOMPARE(limit.count(), 1);
    // The byte budget: 65 messages of 1 MiB keep 64.
    const QByteArray mib(1024 * 1024, 'x');
    for (int i = 0; i < 65; ++i)
        recorder.addSent(mib, true, EventClock::nowNs());
    QVERIFY(recorder.payloadBytes() <= SessionRecorder::maxPayloadBytes);
    QCOMPARE(recorder.record().messages.size(), 64);
    QCOMPARE(recorder.record().droppedMessages, 1);
    // Exported, the file says how much is missing.
    const QJsonObject dropped
        = QJsonDocument::fromJson(sessionToJson(recorder.record())).object()[u"dropped"].toObject();
    QCOMPARE(dropped[u"events"].toInt(), 5);
    QCOMPARE(dropped[u"messages"].toInt(), 1);
    recorder.clear();
    QCOMPARE(recorder.droppedCount(), 0);
}

QTEST_GUILESS_MAIN(tst_SessionRecord)
#include "tst_sessionrecord.moc"
