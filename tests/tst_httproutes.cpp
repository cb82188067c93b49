// The router as a function: every route's answer, without a socket.

#include "beijingclock.h"
#include "httproutes.h"
#include "originpolicy.h"

#include <QTest>
#include <QTimeZone>

using namespace wslab;

namespace {

HeaderList upgradeHeaders(const QByteArray &origin = {})
{
    HeaderList headers { { "Host", "127.0.0.1:8888" },
                         { "Upgrade", "websocket" },
                         { "Connection", "Upgrade" },
                         { "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==" },
                         { "Sec-WebSocket-Version", "13" } };
    if (!origin.isEmpty())
        headers.append({ "Origin", origin });
    return headers;
}

QByteArray header(const HttpResponse &response, const QByteArray &name)
{
    for (const auto &[key, value] : response.headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

} // namespace

class tst_HttpRoutes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void plainRequests_data();
    void plainRequests();
    void timeIsBeijingTimeOfTheContext();
    void newsAnswersThePoller();
    void upgrades_data();
    void upgrades();
    void originIsChecked();
    void originOfTheLocalAddress();
    void chatNameIsPassedOn();

private:
    RoutingContext m_context { QDateTime(QDate(2026, 12, 1), QTime(12, 0), Qt::UTC),
                               QStringLiteral("7 123 hello"), nullptr };
};

void tst_HttpRoutes::plainRequests_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("allow");
    QTest::addColumn<QByteArray>("upgrade");

    QTest::newRow("GET /") << QByteArray("GET") << u"/"_qs << 200 << QByteArray() << QByteArray();
    QTest::newRow("GET /index.html")
        << QByteArray("GET") << u"/index.html"_qs << 200 << QByteArray() << QByteArray();
    QTest::newRow("HEAD /time") << QByteArray("HEAD") << u"/time"_qs << 200 << QByteArray()
                                << QByteArray();
    QTest::newRow("POST /time") << QByteArray("POST") << u"/time"_qs << 405
                                << QByteArray("GET, HEAD") << QByteArray();
    QTest::newRow("PUT /") << QByteArray("PUT") << u"/"_qs << 405 << QByteArray("GET, HEAD")
                           << QByteArray();
    QTest::newRow("GET /nope") << QByteArray("GET") << u"/nope"_qs << 404 << QByteArray()
                               << QByteArray();
    QTest::newRow("POST /nope") << QByteArray("POST") << u"/nope"_qs << 404 << QByteArray()
                                << QByteArray();
    QTest::newRow("GET /ws") << QByteArray("GET") << u"/ws"_qs << 426 << QByteArray()
                             << QByteArray("websocket");
    QTest::newRow("GET /chat") << QByteArray("GET") << u"/chat"_qs << 426 << QByteArray()
                               << QByteArray("websocket");
    QTest::newRow("unknown method")
        << QByteArray() << u"/"_qs << 501 << QByteArray() << QByteArray();
}

void tst_HttpRoutes::plainRequests()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QByteArray, allow);
    QFETCH(QByteArray, upgrade);

    const RouteDecision decision = routeRequest({ method, path, {}, {}, {} }, m_context);
    QCOMPARE(decision.action, RouteDecision::Action::Respond);
    QCOMPARE(decision.response.status, status);
    QVERIFY2(!decision.response.body.isEmpty(), "every answer says something");
    QCOMPARE(header(decision.response, "Allow"), allow);
    QCOMPARE(header(decision.response, "Upgrade"), upgrade);
    if (status == 200 && (path == u"/" || path == u"/index.html"))
        QVERIFY(decision.response.contentType.startsWith("text/html"));
    if (status >= 400) // an error names what the user asked for
        QVERIFY2(status == 501 || decision.response.body.contains(path.toUtf8()),
                 decision.response.body);
}

void tst_HttpRoutes::timeIsBeijingTimeOfTheContext()
{
    const RouteDecision decision = routeRequest({ "GET", u"/time"_qs, {}, {}, {} }, m_context);
    QCOMPARE(decision.response.status, 200);
    QCOMPARE(decision.response.body, BeijingTime::format(m_context.now).toUtf8() + '\n');
    QCOMPARE(decision.response.body, QByteArray("2026-12-01T20:00:00+08:00\n")); // 12:00 UTC
    QCOMPARE(header(decision.response, "Cache-Control"), QByteArray("no-store"));
}

void tst_HttpRoutes::newsAnswersThePoller()
{
    // /news is both: the poller's GET is answered, an upgrade subscribes.
    const RouteDecision polled = routeRequest({ "GET", u"/news"_qs, {}, {}, {} }, m_context);
    QCOMPARE(polled.action, RouteDecision::Action::Respond);
    QCOMPARE(polled.response.status, 200);
    QCOMPARE(polled.response.body, QByteArray("7 123 hello\n"));
    const RouteDecision subscribed
        = routeRequest({ "GET", u"/news"_qs, {}, upgradeHeaders(), {} }, m_context);
    QCOMPARE(subscribed.action, RouteDecision::Action::Upgrade);
    QCOMPARE(subscribed.route, Route::News);
}

void tst_HttpRoutes::upgrades_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<HeaderList>("headers");
    QTest::addColumn<int>("rejection"); // 0: upgrade
    QTest::addColumn<int>("route");

    QTest::newRow("/ws") << QByteArray("GET") << u"/ws"_qs << upgradeHeaders() << 0
                         << int(Route::Echo);
    QTest::newRow("/chat") << QByteArray("GET") << u"/chat"_qs << upgradeHeaders() << 0
                           << int(Route::Chat);
    QTest::newRow("no endpoint") << QByteArray("GET") << u"/time"_qs << upgradeHeaders() << 404
                                 << 0;
    QTest::newRow("POST") << QByteArray("POST") << u"/ws"_qs << upgradeHeaders() << 405 << 0;
    HeaderList oldVersion = upgradeHeaders();
    oldVersion[4].second = "8";
    QTest::newRow("version 8") << QByteArray("GET") << u"/ws"_qs << oldVersion << 426 << 0;
    HeaderList badKey = upgradeHeaders();
    badKey[3].second = "short";
    QTest::newRow("bad key") << QByteArray("GET") << u"/ws"_qs << badKey << 400 << 0;
}

void tst_HttpRoutes::upgrades()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(HeaderList, headers);
    QFETCH(int, rejection);
    QFETCH(int, route);

    const RouteDecision decision = routeRequest({ method, path, {}, headers, {} }, m_context);
    if (rejection == 0) {
        QCOMPARE(decision.action, RouteDecision::Action::Upgrade);
        QCOMPARE(int(decision.route), route);
        return;
    }
    QCOMPARE(decision.action, RouteDecision::Action::Reject);
    QCOMPARE(decision.rejection.status, rejection);
    QCOMPARE(decision.response.status, rejection);
    QVERIFY(!decision.rejection.reason.isEmpty());
    QVERIFY(decision.response.body.contains(decision.rejection.reason.toUtf8()));
    QVERIFY(!decision.rejection.why.isEmpty()); // for the user, translated when shown
    if (rejection == 426)
        QCOMPARE(header(decision.response, "Sec-WebSocket-Version"), QByteArray("13"));
    if (rejection == 405)
        QCOMPARE(header(decision.response, "Allow"), QByteArray("GET"));
}

void tst_HttpRoutes::originIsChecked()
{
    OriginPolicy origins;
    origins.setOwnOrigins({ u"http://127.0.0.1:8888"_qs });
    RoutingContext context = m_context;
    context.origins = &origins;

    const auto decide = [&](const QByteArray &origin) {
        return routeRequest({ "GET", u"/ws"_qs, {}, upgradeHeaders(origin), {} }, context);
    };
    QCOMPARE(decide({}).action, RouteDecision::Action::Upgrade); // a program, not a page
    QCOMPARE(decide("http://127.0.0.1:8888").action, RouteDecision::Action::Upgrade);
    const RouteDecision foreign = decide("https://evil.example");
    QCOMPARE(foreign.action, RouteDecision::Action::Reject);
    QCOMPARE(foreign.rejection.status, 403);
    QVERIFY(foreign.rejection.reason.contains(u"https://evil.example"));
    QCOMPARE(foreign.rejection.why.english(), foreign.rejection.reason); // the body, in English
    QVERIFY(origins.allow(u"https://evil.example"_qs));
    QCOMPARE(decide("https://evil.example").action, RouteDecision::Action::Upgrade);
}

// Listening on an any-address, a page from the address the connection reached (one the machine
// got after the start, here made up) is the server's own; nothing else is added.
void tst_HttpRoutes::originOfTheLocalAddress()
{
    OriginPolicy lan;
    lan.setListening(QHostAddress(QHostAddress::AnyIPv4), 8888, false);
    QVERIFY(!lan.ownOrigins().contains(u"http://203.0.113.7:8888"_qs));
    QVERIFY(lan.ownOrigins().contains(u"http://127.0.0.1:8888"_qs));
    OriginPolicy loopback;
    loopback.setListening(QHostAddress(QHostAddress::LocalHost), 8888, false);
    OriginPolicy tls;
    tls.setListening(QHostAddress(QHostAddress::Any), 8443, true);
    RoutingContext context = m_context;

    const auto decide
        = [&](const OriginPolicy &origins, const QByteArray &origin, const QString &local) {
              context.origins = &origins;
              HttpRequestHead request { "GET", u"/ws"_qs, {}, upgradeHeaders(origin), {} };
              if (!local.isEmpty())
                  request.localAddress = QHostAddress(local);
              return routeRequest(request, context).action;
          };
    const auto upgrade = RouteDecision::Action::Upgrade;
    const auto reject = RouteDecision::Action::Reject;
    QCOMPARE(decide(lan, "http://127.0.0.1:8888", u"127.0.0.1"_qs), upgrade);
    QCOMPARE(decide(lan, "http://203.0.113.7:8888", u"203.0.113.7"_qs), upgrade);
    QCOMPARE(decide(lan, "HTTP://203.0.113.7:8888/", u"203.0.113.7"_qs), upgrade); // normalized
    // An IPv4 client of a dual-stack socket reached ::ffff:203.0.113.7.
    QCOMPARE(decide(lan, "http://203.0.113.7:8888", u"::ffff:203.0.113.7"_qs), upgrade);
    QCOMPARE(decide(tls, "https://[2001:db8::5]:8443", u"2001:db8::5"_qs), upgrade);
    // Another address, port or scheme, no known local address, another site: refused.
    QCOMPARE(decide(lan, "http://203.0.113.7:8888", u"203.0.113.8"_qs), reject);
    QCOMPARE(decide(lan, "http://203.0.113.7:8888", {}), reject);
    QCOMPARE(decide(lan, "http://203.0.113.7:8889", u"203.0.113.7"_qs), reject);
    QCOMPARE(decide(lan, "http://203.0.113.7", u"203.0.113.7"_qs), reject);
    QCOMPARE(decide(lan, "https://203.0.113.7:8888", u"203.0.113.7"_qs), reject);
    QCOMPARE(decide(tls, "http://[2001:db8::5]:8443", u"2001:db8::5"_qs), reject);
    QCOMPARE(decide(lan, "https://evil.example", u"203.0.113.7"_qs), reject);
    QCOMPARE(decide(lan, "null", u"203.0.113.7"_qs), reject);
    // On 127.0.0.1 only its own two names, whatever address the connection reached.
    QCOMPARE(decide(loopback, "http://127.0.0.1:8888", u"127.0.0.1"_qs), upgrade);
    QCOMPARE(decide(loopback, "http://localhost:8888", u"127.0.0.1"_qs), upgrade);
    QCOMPARE(decide(loopback, "http://203.0.113.7:8888", u"203.0.113.7"_qs), reject);
    QCOMPARE(decide(loopback, "http://127.0.0.2:8888", u"127.0.0.2"_qs), reject);
}

void tst_HttpRoutes::chatNameIsPassedOn()
{
    const RouteDecision decision = routeRequest(
        { "GET", u"/chat"_qs, QUrlQuery(u"name=%E5%B0%8F%E6%98%8E"_qs), upgradeHeaders(), {} },
        m_context);
    QCOMPARE(decision.action, RouteDecision::Action::Upgrade);
    QCOMPARE(decision.requestedName, u"小明"_qs);
}

QTEST_GUILESS_MAIN(tst_HttpRoutes)
#include "tst_httproutes.moc"
