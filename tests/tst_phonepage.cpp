// The page at / as a student's phone sees it: a real headless Chromium at phone size opens the
// page of a real EmbeddedServer and is driven over the Chrome DevTools Protocol (CDP), while a
// QWebSocket in the test sits in /chat as the teacher. Chromium is a Debian package the project
// installs (scripts/lib/setup.sh): when it is missing the test fails, it does not skip.

#include "testutil.h"
#include "tlscredentials.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <map>
#include <sys/types.h>
#include <unistd.h>

using namespace wslab;
using namespace wslab::test;
using namespace Qt::StringLiterals;

namespace {

const QString chromiumPath = u"/usr/bin/chromium"_s;
const QString phoneUserAgent
    = u"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
      u"Chrome/120.0.0.0 Mobile Safari/537.36"_s;
// Chromium starts slowly on a loaded two-core machine, and every step waits on it.
constexpr int slow = 30'000;

// The fixed instant the server's clock says: 06:31:13 UTC is 14:31:13 in Beijing.
const QDateTime fixedNow(QDate(2026, 12, 2), QTime(6, 31, 13), Qt::UTC);

// `text` as a JavaScript string literal.
QString js(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray { text }).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2));
}

// A headless Chromium, and one page in it reached over CDP (one WebSocket to the browser, the
// page's commands in its flattened session).
class Chromium
{
public:
    ~Chromium() { stop(); }

    // Starts the browser and attaches to its page; false with `error` set when it cannot.
    bool start(const QStringList &extraArguments, QString *error)
    {
        if (!m_profile.isValid()) {
            *error = u"no temporary directory for the profile"_s;
            return false;
        }
        QStringList arguments {
            u"--headless=new"_s,
            u"--window-size=390,844"_s,
            u"--user-agent="_s + phoneUserAgent,
            u"--user-data-dir="_s + m_profile.path(),
            u"--remote-debugging-port=0"_s,
            u"--no-first-run"_s,
            u"--no-default-browser-check"_s,
            u"--disable-background-networking"_s,
            u"--disable-component-update"_s,
            u"--disable-sync"_s,
            u"--disable-dev-shm-usage"_s,
            u"--mute-audio"_s,
        };
        if (::geteuid() == 0) // Chromium refuses to run its sandbox as root
            arguments << u"--no-sandbox"_s;
        arguments << extraArguments << u"about:blank"_s;

        // Its own process group, so that cleanup ends the renderers and helpers with it.
        m_process.setChildProcessModifier([] { ::setpgid(0, 0); });
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                         [this] { m_stderr += m_process.readAllStandardError(); });
        m_process.start(chromiumPath, arguments);
        if (!m_process.waitForStarted(slow)) {
            *error = u"Chromium did not start: "_s + m_process.errorString();
            return false;
        }
        static const QRegularExpression listening(u"DevTools listening on (ws://\\S+)"_s);
        QRegularExpressionMatch match;
        const bool found = QTest::qWaitFor(
            [&] {
                match = listening.match(QString::fromUtf8(m_stderr));
                return match.hasMatch() || m_process.state() == QProcess::NotRunning;
            },
            slow);
        if (!found || !match.hasMatch()) {
            *error = u"Chromium printed no \"DevTools listening on ws://…\" line; its stderr:\n"_s
                + QString::fromUtf8(m_stderr.right(4000));
            return false;
        }

        QObject::connect(&m_cdp, &QWebSocket::textMessageReceived, &m_cdp,
                         [this](const QString &text) { received(text); });
        if (!openWebSocket(m_cdp, QUrl(match.captured(1)))) {
            *error = u"could not open the DevTools WebSocket "_s + match.captured(1);
            return false;
        }
        const QJsonObject targets = call(u"Target.getTargets"_s, {}, {});
        QString targetId;
        for (const QJsonValue &target : targets.value(u"targetInfos"_s).toArray())
            if (target[u"type"_s].toString() == u"page")
                targetId = target[u"targetId"_s].toString();
        if (targetId.isEmpty()) {
            *error = u"Chromium has no page to drive"_s;
            return false;
        }
        m_session = call(u"Target.attachToTarget"_s,
                         { { u"targetId"_s, targetId }, { u"flatten"_s, true } }, {})
                        .value(u"sessionId"_s)
                        .toString();
        if (m_session.isEmpty()) {
            *error = u"could not attach to the page"_s;
            return false;
        }
        call(u"Runtime.enable"_s);
        call(u"Page.enable"_s);
        return true;
    }

    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        const qint64 group = m_process.processId();
        if (group > 0)
            ::kill(-pid_t(group), SIGKILL); // the group we gave it: only our Chromium
        m_process.kill();
        m_process.waitForFinished(10'000);
    }

    // Sends a CDP command to the page (`session` null: to the browser) and waits for its
    // result; an empty object, with a warning, on an error or when none comes.
    QJsonObject call(const QString &method, const QJsonObject &params = {},
                     std::optional<QString> session = std::nullopt)
    {
        const int id = ++m_lastId;
        QJsonObject command { { u"id"_s, id }, { u"method"_s, method }, { u"params"_s, params } };
        const QString target = session.value_or(m_session);
        if (!target.isEmpty())
            command.insert(u"sessionId"_s, target);
        m_cdp.sendTextMessage(QString::fromUtf8(QJsonDocument(command).toJson()));
        if (!QTest::qWaitFor([&] { return m_replies.count(id) != 0; }, slow)) {
            qWarning("no answer from Chromium to %s", qPrintable(method));
            return {};
        }
        const QJsonObject reply = m_replies.at(id);
        m_replies.erase(id);
        if (reply.contains(u"error"_s)) {
            qWarning("%s: %s", qPrintable(method),
                     QJsonDocument(reply[u"error"_s].toObject()).toJson().constData());
            return {};
        }
        return reply[u"result"_s].toObject();
    }

    // The value of a JavaScript expression in the page; invalid while the page is loading.
    QVariant evaluate(const QString &expression)
    {
        const QJsonObject result
            = call(u"Runtime.evaluate"_s,
                   { { u"expression"_s, expression }, { u"returnByValue"_s, true } });
        if (result.contains(u"exceptionDetails"_s))
            return {};
        return result[u"result"_s][u"value"_s].toVariant();
    }
    QString text(const QString &expression) { return evaluate(expression).toString(); }

    // Opens `url` and waits until it has loaded (a reload when it is the same URL).
    bool load(const QUrl &url)
    {
        evaluate(u"window.__wslabOld = true"_s);
        call(u"Page.navigate"_s, { { u"url"_s, url.toString() } });
        return QTest::qWaitFor(
            [&] {
                return evaluate(u"window.__wslabOld === undefined "
                                u"&& document.readyState === 'complete'"_s)
                    .toBool();
            },
            slow);
    }

    void setDevice(int width, int height, bool mobile)
    {
        call(u"Emulation.setDeviceMetricsOverride"_s,
             { { u"width"_s, width },
               { u"height"_s, height },
               { u"deviceScaleFactor"_s, mobile ? 3 : 1 },
               { u"mobile"_s, mobile } });
        call(u"Emulation.setTouchEmulationEnabled"_s, { { u"enabled"_s, mobile } });
    }

    // What the browser tells pages their languages are (navigator.languages, Accept-Language).
    void setLanguages(const QString &acceptLanguage)
    {
        call(u"Emulation.setUserAgentOverride"_s,
             { { u"userAgent"_s, phoneUserAgent }, { u"acceptLanguage"_s, acceptLanguage } });
    }

    // Types into the element with `id` as a user would: focus, then text input.
    bool type(const QString &id, const QString &text)
    {
        if (!evaluate(u"(() => { const e = document.getElementById(%1); if (!e) return false; "
                      u"e.value = ''; e.focus(); return document.activeElement === e; })()"_s.arg(
                          js(id)))
                 .toBool())
            return false;
        call(u"Input.insertText"_s, { { u"text"_s, text } });
        return true;
    }

    // Taps the element with `id` where it is on the screen: what is covered or off the
    // screen cannot be tapped.
    bool tap(const QString &id)
    {
        const QVariantMap box
            = evaluate(u"(() => { const e = document.getElementById(%1); if (!e) return null; "
                       u"e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                       u"const x = r.left + r.width / 2, y = r.top + r.height / 2;"
                       u"const hit = document.elementFromPoint(x, y);"
                       u"return {x, y, hit: hit === e || e.contains(hit)}; })()"_s.arg(js(id)))
                  .toMap();
        if (!box.value(u"hit"_s).toBool()) {
            qWarning("%s is not on the screen where it can be tapped", qPrintable(id));
            return false;
        }
        for (const QString &type : { u"mousePressed"_s, u"mouseReleased"_s })
            call(u"Input.dispatchMouseEvent"_s,
                 { { u"type"_s, type },
                   { u"x"_s, box.value(u"x"_s).toDouble() },
                   { u"y"_s, box.value(u"y"_s).toDouble() },
                   { u"button"_s, u"left"_s },
                   { u"clickCount"_s, 1 } });
        return true;
    }

    // Uncaught exceptions the page threw since the last call.
    QStringList takeExceptions() { return std::exchange(m_exceptions, {}); }

private:
    void received(const QString &text)
    {
        const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
        if (message.contains(u"id"_s)) {
            m_replies[message[u"id"_s].toInt()] = message;
        } else if (message[u"method"_s].toString() == u"Runtime.exceptionThrown") {
            const QJsonObject details = message[u"params"_s][u"exceptionDetails"_s].toObject();
            m_exceptions << details[u"exception"_s][u"description"_s].toString(
                details[u"text"_s].toString());
        }
    }

    QTemporaryDir m_profile;
    QProcess m_process;
    QByteArray m_stderr;
    QWebSocket m_cdp;
    QString m_session;
    int m_lastId = 0;
    std::map<int, QJsonObject> m_replies;
    QStringList m_exceptions;
};

} // namespace

class tst_PhonePage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void showsPushedBeijingTime();
    void chatsUnderTheStudentsName();
    void namePrefilledFromUrlAndRemembered();
    void echoRoundTrips();
    void usesWssOverHttps();
    void kickShowsCodeAndDoesNotReconnect();
    void reconnectsWhenTheServerComesBack();
    void chineseForAChineseBrowser();
    void chatLineIsShownAsText();
    void fitsThePhoneScreen_data();
    void fitsThePhoneScreen();

private:
    void startServer(quint16 port = 0);
    QUrl pageUrl(const QString &query = {}) const;
    QList<ClientInfo> clientsOn(Route route) const;
    QString state(const char *channel) { return attribute(channel, "state"); }
    QString attribute(const char *channel, const char *name);
    QString stateText(const char *channel);

    std::unique_ptr<EmbeddedServer> m_server;
    std::unique_ptr<Chromium> m_chromium;
};

void tst_PhonePage::initTestCase()
{
    QVERIFY2(QFileInfo(chromiumPath).isExecutable(),
             "Chromium is missing (/usr/bin/chromium, Debian package chromium): run scripts/test, "
             "which installs it");
    startServer();
    m_chromium = std::make_unique<Chromium>();
    QString error;
    QVERIFY2(m_chromium->start({ u"--accept-lang=en-US,en"_s }, &error), qPrintable(error));
}

void tst_PhonePage::init()
{
    QVERIFY(m_server && m_chromium);
    m_chromium->setDevice(390, 844, true);
    m_chromium->setLanguages(u"en-US,en"_s);
    m_chromium->load(pageUrl()); // an origin to clear the storage of
    m_chromium->evaluate(u"localStorage.clear()"_s);
}

void tst_PhonePage::cleanup()
{
    if (m_chromium) {
        const QStringList thrown = m_chromium->takeExceptions();
        QVERIFY2(thrown.isEmpty(), qPrintable(thrown.join(u'\n')));
    }
}

void tst_PhonePage::cleanupTestCase()
{
    m_chromium.reset(); // kills it
    m_server.reset();
}

void tst_PhonePage::startServer(quint16 port)
{
    ServerConfig config = testConfig(0.25);
    config.port = port;
    m_server = wslab::test::startServer(config);
    QVERIFY(m_server);
    m_server->setClock([] { return fixedNow; });
}

QUrl tst_PhonePage::pageUrl(const QString &query) const
{
    QUrl url = m_server->httpUrl();
    if (!query.isEmpty())
        url.setQuery(query);
    return url;
}

QList<ClientInfo> tst_PhonePage::clientsOn(Route route) const
{
    QList<ClientInfo> found;
    for (const ClientInfo &client : m_server->clients())
        if (client.route == route)
            found << client;
    return found;
}

QString tst_PhonePage::attribute(const char *channel, const char *name)
{
    return m_chromium->text(u"document.getElementById('%1State').dataset.%2"_s.arg(
        QLatin1StringView(channel), QLatin1StringView(name)));
}

QString tst_PhonePage::stateText(const char *channel)
{
    return m_chromium->text(
        u"document.querySelector('#%1State .text').textContent"_s.arg(QLatin1StringView(channel)));
}

void tst_PhonePage::showsPushedBeijingTime()
{
    Chromium &page = *m_chromium;
    QVERIFY(page.load(pageUrl()));
    // A phone: its user agent, and the page laid out for its width (the viewport meta).
    QVERIFY(page.text(u"navigator.userAgent"_s).contains(u"Mobile"_s));
    QCOMPARE(page.evaluate(u"innerWidth"_s).toInt(), 390);

    QTRY_COMPARE_WITH_TIMEOUT(state("echo"), u"open"_s, slow);
    QCOMPARE(stateText("echo"), u"open"_s);
    QTRY_COMPARE_WITH_TIMEOUT(page.text(u"document.getElementById('clock').textContent"_s),
                              u"14:31:13"_s, slow);
    QCOMPARE(page.text(u"document.getElementById('date').textContent"_s), u"2026-12-02"_s);
    QCOMPARE(page.text(u"document.getElementById('clockRaw').textContent"_s),
             u"2026-12-02T14:31:13+08:00"_s);
    QVERIFY(page.text(u"document.querySelector('#timeCard h2').textContent"_s)
                .contains(u"Beijing time"_s));
    QCOMPARE(page.text(u"document.getElementById('lesson').textContent"_s),
             u"This page is one more client of the same server: handshake over HTTP, then "
             u"frames."_s);
    // Nobody has picked a name yet: the page is not in the room.
    QCOMPARE(state("chat"), u"idle"_s);
    QVERIFY(clientsOn(Route::Chat).isEmpty());
}

void tst_PhonePage::chatsUnderTheStudentsName()
{
    Chromium &page = *m_chromium;
    QVERIFY(page.load(pageUrl()));
    QUrl chatUrl = m_server->webSocketUrl(Route::Chat);
    chatUrl.setQuery(u"name=teacher"_s);
    QWebSocket teacher;
    QSignalSpy heard(&teacher, &QWebSocket::textMessageReceived);
    QVERIFY(openWebSocket(teacher, chatUrl));
    QTRY_COMPARE(heard.count(), 1); // its own join notice

    QVERIFY(page.type(u"name"_s, u"Li Lei"_s));
    QVERIFY(page.tap(u"join"_s));
    QTRY_COMPARE_WITH_TIMEOUT(state("chat"), u"open"_s, slow);
    QTRY_COMPARE(heard.count(), 2);
    QCOMPARE(heard.at(1).at(0).toString(), u"* Li Lei joined (2 in the room)"_s);
    QCOMPARE(clientsOn(Route::Chat).constLast().name, u"Li Lei"_s);
    QTRY_VERIFY_WITH_TIMEOUT(page.text(u"document.getElementById('chatLog').textContent"_s)
                                 .contains(u"* Li Lei joined (2 in the room)"_s),
                             slow);

    QVERIFY(page.type(u"chatText"_s, u"Hello from my phone 你好"_s));
    QVERIFY(page.tap(u"chatSend"_s));
    QTRY_COMPARE_WITH_TIMEOUT(heard.count(), 3, slow);
    QCOMPARE(heard.at(2).at(0).toString(), u"Li Lei: Hello from my phone 你好"_s);
    QCOMPARE(page.text(u"document.getElementById('chatText').value"_s), QString());
    QTRY_COMPARE_WITH_TIMEOUT(
        page.text(u"document.querySelector('#chatLog li.mine').textContent"_s),
        u"Li Lei: Hello from my phone 你好"_s, slow);

    teacher.sendTextMessage(u"Welcome, class"_s);
    QTRY_VERIFY_WITH_TIMEOUT(page.text(u"document.querySelector('#chatLog li:last-child')"
                                       u".textContent"_s)
                                 == u"teacher: Welcome, class",
                             slow);
    QCOMPARE(page.text(u"localStorage.getItem('wslab.name')"_s), u"Li Lei"_s);

    // A blank name changes nothing; another name rejoins under it (the old one leaves).
    QVERIFY(page.type(u"name"_s, u"   "_s));
    QVERIFY(page.tap(u"join"_s));
    QCOMPARE(page.text(u"document.getElementById('name').value"_s), u"Li Lei"_s);
    QCOMPARE(state("chat"), u"open"_s);
    QVERIFY(page.type(u"name"_s, u"  Li   Lei  2 "_s));
    QVERIFY(page.tap(u"join"_s));
    QTRY_COMPARE_WITH_TIMEOUT(heard.count(), 6, slow);
    // In either order: the old socket's close and the new one's handshake race to the server.
    const QStringList notices { heard.at(4).at(0).toString(), heard.at(5).at(0).toString() };
    QVERIFY2(notices.contains(u"* Li Lei left"_s), qPrintable(notices.join(u" | ")));
    QVERIFY2(
        notices.filter(QRegularExpression(u"^\\* Li Lei 2 joined \\([23] in the room\\)$"_s)).size()
            == 1,
        qPrintable(notices.join(u" | ")));
    QCOMPARE(page.text(u"localStorage.getItem('wslab.name')"_s), u"Li Lei 2"_s);
}

void tst_PhonePage::namePrefilledFromUrlAndRemembered()
{
    Chromium &page = *m_chromium;
    QVERIFY(page.load(pageUrl(u"name=Han%20Meimei"_s)));
    QTRY_COMPARE_WITH_TIMEOUT(state("chat"), u"open"_s, slow);
    QCOMPARE(page.text(u"document.getElementById('name').value"_s), u"Han Meimei"_s);
    QTRY_COMPARE(clientsOn(Route::Chat).size(), 1);
    QCOMPARE(clientsOn(Route::Chat).constFirst().name, u"Han Meimei"_s);

    // Back without the parameter: the phone remembers the name and joins with it.
    QVERIFY(page.load(pageUrl()));
    QTRY_COMPARE_WITH_TIMEOUT(state("chat"), u"open"_s, slow);
    QCOMPARE(page.text(u"document.getElementById('name').value"_s), u"Han Meimei"_s);
    QTRY_COMPARE(clientsOn(Route::Chat).size(), 1);
    QCOMPARE(clientsOn(Route::Chat).constFirst().name, u"Han Meimei"_s);
    // ... and names its /ws socket too, so the teacher's class list shows one name on both.
    QTRY_COMPARE(clientsOn(Route::Echo).size(), 1);
    QCOMPARE(clientsOn(Route::Echo).constFirst().name, u"Han Meimei"_s);
}

void tst_PhonePage::echoRoundTrips()
{
    Chromium &page = *m_chromium;
    QVERIFY(page.load(pageUrl()));
    QTRY_COMPARE_WITH_TIMEOUT(state("echo"), u"open"_s, slow);
    QSignalSpy received(m_server.get(), &EmbeddedServer::messageReceived);
    QVERIFY(page.type(u"echoText"_s, u"ping 你好 123"_s));
    QVERIFY(page.tap(u"echoSend"_s));
    QTRY_COMPARE_WITH_TIMEOUT(received.count(), 1, slow);
    QCOMPARE(received.at(0).at(1).value<Message>().text, u"ping 你好 123"_s);
    QTRY_COMPARE_WITH_TIMEOUT(page.text(u"document.querySelector('#echoLog li.in').textContent"_s),
                              u"< ping 你好 123"_s, slow);
    QCOMPARE(page.text(u"document.querySelector('#echoLog li.out').textContent"_s),
             u"> ping 你好 123"_s);
}

void tst_PhonePage::usesWssOverHttps()
{
    QString error;
    const TlsCredentials credentials = makeSelfSignedCredentials(
        { u"localhost"_s }, { QHostAddress(QHostAddress::LocalHost) }, &error);
    QVERIFY2(!credentials.isNull(), qPrintable(error));
    ServerConfig config = testConfig(0.25);
    config.tls = credentials;
    auto tlsServer = wslab::test::startServer(config);
    QVERIFY(tlsServer);
    tlsServer->setClock([] { return fixedNow; });

    // The browser cannot know the test's certificate: it is told to accept it, for this test.
    Chromium &page = *m_chromium;
    page.call(u"Security.setIgnoreCertificateErrors"_s, { { u"ignore"_s, true } });
    const auto trustAgain = qScopeGuard([&] {
        page.call(u"Security.setIgnoreCertificateErrors"_s, { { u"ignore"_s, false } });
    });
    QUrl url = tlsServer->httpUrl();
    url.setQuery(u"name=Secure"_s);
    QVERIFY(page.load(url));
    QCOMPARE(page.text(u"location.protocol"_s), u"https:"_s);
    QTRY_COMPARE_WITH_TIMEOUT(state("echo"), u"open"_s, slow);
    QTRY_COMPARE_WITH_TIMEOUT(state("chat"), u"open"_s, slow);
    QCOMPARE(page.text(u"echo.ws.url"_s),
             tlsServer->webSocketUrl(Route::Echo).toString() + u"?name=Secure"_s);
    QVERIFY(page.text(u"chat.ws.url"_s).startsWith(u"wss://"_s));
    QTRY_COMPARE_WITH_TIMEOUT(page.text(u"document.getElementById('clock').textContent"_s),
                              u"14:31:13"_s, slow);
}

void tst_PhonePage::kickShowsCodeAndDoesNotReconnect()
{
    Chromium &page = *m_chromium;
    QVERIFY(page.load(pageUrl()));
    QTRY_COMPARE_WITH_TIMEOUT(state("echo"), u"open"_s, slow);
    QTRY_COMPARE(clientsOn(Route::Echo).size(), 1); // a previous page's socket has gone
    QSignalSpy opened(m_server.get(), &EmbeddedServer::opened);

    QVERIFY(m_server->kick(clientsOn(Route::Echo).constFirst().id, 4000, u"class is over"_s));
    QTRY_COMPARE_WITH_TIMEOUT(state("echo"), u"closed"_s, slow);
    QCOMPARE(attribute("echo", "code"), u"4000"_s);
    const QString shown = stateText("echo");
    QVERIFY2(shown.contains(u"closed"_s) && shown.contains(u"4000"_s)
                 && shown.contains(u"class is over"_s) && shown.contains(u"not reconnecting"_s),
             qPrintable(shown));
    // A kick was meant: no reconnection is planned; the student may reconnect by hand.
    QCOMPARE(attribute("echo", "retry"), u"none"_s);
    QCOMPARE(page.evaluate(u"document.getElementById('echoSend').disabled"_s).toBool(), true);
    QCOMPARE(opened.count(), 0);
    QVERIFY(page.evaluate(u"!document.querySelector('#echoState button').hidden"_s).toBool());
    QVERIFY(page.tap(u"echoReconnect"_s));
    QTRY_COMPARE_WITH_TIMEOUT(state("echo"), u"open"_s, slow);
    QCOMPARE(opened.count(), 1);
    QVERIFY(page.evaluate(u"document.querySelector('#echoState button').hidden"_s).toBool());
}

void tst_PhonePage::reconnectsWhenTheServerComesBack()
{
    Chromium &page = *m_chromium;
    QVERIFY(page.load(pageUrl(u"name=Wang"_s)));
    QTRY_COMPARE_WITH_TIMEOUT(state("echo"), u"open"_s, slow);
    QTRY_COMPARE_WITH_TIMEOUT(state("chat"), u"open"_s, slow);

    // The server goes away (1001 Going Away): the page waits, then tries again, slower each
    // time, until the server is back on the same port.
    const quint16 port = m_server->port();
    m_server.reset();
    QTRY_COMPARE_WITH_TIMEOUT(state("echo"), u"closed"_s, slow);
    // 1001 when the Close frame made it out before the socket went, 1006 when it did not.
    QVERIFY2(attribute("echo", "code") == u"1001" || attribute("echo", "code") == u"1006",
             qPrintable(attribute("echo", "code")));
    QCOMPARE(attribute("echo", "retry"), u"planned"_s);
    QVERIFY2(stateText("echo").contains(u"reconnecting"_s), qPrintable(stateText("echo")));
    // Screen readers hear the state when it changes, not the countdown every second: the
    // countdown is outside the live region, which holds the state alone.
    QCOMPARE(page.text(u"document.querySelector('#echoState .what').getAttribute('aria-live')"_s),
             u"polite"_s);
    QVERIFY(page.evaluate(u"document.querySelector('#echoState .retry')"
                          u".closest('[aria-live]:not([aria-live=off])') === null"_s)
                .toBool());
    QVERIFY2(page.text(u"document.querySelector('#echoState .retry').textContent"_s)
                 .contains(u"reconnecting"_s),
             qPrintable(stateText("echo")));
    QVERIFY2(!page.text(u"document.querySelector('#echoState .what').textContent"_s)
                  .contains(u"reconnecting"_s),
             qPrintable(stateText("echo")));
    // Failed attempts while the server is away keep it planned, a 1006 each.
    QTRY_VERIFY_WITH_TIMEOUT(page.evaluate(u"echo.attempts >= 2"_s).toBool(), slow);
    QCOMPARE(attribute("echo", "retry"), u"planned"_s);

    startServer(port);
    QTRY_COMPARE_WITH_TIMEOUT(state("echo"), u"open"_s, slow);
    QTRY_COMPARE_WITH_TIMEOUT(state("chat"), u"open"_s, slow);
    QCOMPARE(clientsOn(Route::Chat).constFirst().name, u"Wang"_s);
    QTRY_COMPARE_WITH_TIMEOUT(page.text(u"document.getElementById('clock').textContent"_s),
                              u"14:31:13"_s, slow);
}

void tst_PhonePage::chineseForAChineseBrowser()
{
    Chromium &page = *m_chromium;
    page.setLanguages(u"zh-CN,zh"_s);
    QVERIFY(page.load(pageUrl()));
    QCOMPARE(page.text(u"navigator.languages[0]"_s), u"zh-CN"_s);
    QCOMPARE(page.text(u"document.documentElement.lang"_s), u"zh-CN"_s);
    QVERIFY(
        page.text(u"document.querySelector('#timeCard h2').textContent"_s).contains(u"北京时间"_s));
    QCOMPARE(page.text(u"document.getElementById('lesson').textContent"_s),
             u"这个页面只是同一个服务器的又一个客户端:先用 HTTP 握手,然后收发帧。"_s);
    QCOMPARE(page.text(u"document.getElementById('join').textContent"_s), u"加入"_s);
    QCOMPARE(page.text(u"document.getElementById('chatText').getAttribute('aria-label')"_s),
             u"消息"_s);
    QCOMPARE(page.text(u"document.getElementById('echoText').getAttribute('aria-label')"_s),
             u"回显"_s);
    QTRY_COMPARE_WITH_TIMEOUT(stateText("echo"), u"已连接"_s, slow);
    QTRY_COMPARE_WITH_TIMEOUT(page.text(u"document.getElementById('clock').textContent"_s),
                              u"14:31:13"_s, slow);

    QTRY_COMPARE(clientsOn(Route::Echo).size(), 1);
    QVERIFY(m_server->kick(clientsOn(Route::Echo).constFirst().id, 4000, u"下课了"_s));
    QTRY_COMPARE_WITH_TIMEOUT(state("echo"), u"closed"_s, slow);
    QVERIFY2(stateText("echo").startsWith(u"已断开 · 代码 4000 · “下课了”"_s),
             qPrintable(stateText("echo")));

    // The switch: English on a Chinese phone, and remembered.
    QVERIFY(page.tap(u"langEn"_s));
    QCOMPARE(page.text(u"document.documentElement.lang"_s), u"en"_s);
    QVERIFY(stateText("echo").startsWith(u"closed · code 4000"_s));
    QVERIFY(page.load(pageUrl()));
    QCOMPARE(page.text(u"document.getElementById('join').textContent"_s), u"Join"_s);
    QVERIFY(page.tap(u"langZh"_s));
    QCOMPARE(page.text(u"document.getElementById('join').textContent"_s), u"加入"_s);
    QCOMPARE(page.text(u"document.getElementById('chatText').getAttribute('aria-label')"_s),
             u"消息"_s);
    QCOMPARE(page.text(u"document.getElementById('echoText').getAttribute('aria-label')"_s),
             u"回显"_s);
}

// What another student sends is text on the page, never markup: no element is made of it.
void tst_PhonePage::chatLineIsShownAsText()
{
    Chromium &page = *m_chromium;
    QVERIFY(page.load(pageUrl(u"name=Li"_s)));
    QTRY_COMPARE_WITH_TIMEOUT(state("chat"), u"open"_s, slow);
    QUrl chatUrl = m_server->webSocketUrl(Route::Chat);
    chatUrl.setQuery(u"name=mallory"_s);
    QWebSocket mallory;
    QVERIFY(openWebSocket(mallory, chatUrl));
    const QString line = u"<img src=x onerror=alert(1)>"_s;
    mallory.sendTextMessage(line);
    QTRY_COMPARE_WITH_TIMEOUT(
        page.text(u"document.querySelector('#chatLog li:last-child').textContent"_s),
        u"mallory: "_s + line, slow);
    QCOMPARE(page.text(u"document.querySelector('#chatLog li:last-child span:last-child')"
                       u".textContent"_s),
             u": "_s + line);
    QCOMPARE(page.evaluate(u"document.querySelectorAll('img').length"_s).toInt(), 0);
}

void tst_PhonePage::fitsThePhoneScreen_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<bool>("mobile");
    QTest::addColumn<QString>("languages");

    QTest::newRow("360×640 phone, English") << 360 << 640 << true << u"en-US,en"_s;
    QTest::newRow("360×640 phone, Chinese") << 360 << 640 << true << u"zh-CN,zh"_s;
    QTest::newRow("1280×800 desktop") << 1280 << 800 << false << u"en-US,en"_s;
}

void tst_PhonePage::fitsThePhoneScreen()
{
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(bool, mobile);
    QFETCH(QString, languages);
    Chromium &page = *m_chromium;
    page.setDevice(width, height, mobile);
    page.setLanguages(languages);
    QVERIFY(page.load(pageUrl(u"name=Zhang%20San"_s)));
    QTRY_COMPARE_WITH_TIMEOUT(state("chat"), u"open"_s, slow);
    QTRY_COMPARE_WITH_TIMEOUT(state("echo"), u"open"_s, slow);
    // The longest things a class sends: a word without a break, a long state line.
    QUrl chatUrl = m_server->webSocketUrl(Route::Chat);
    chatUrl.setQuery(u"name=a-rather-long-name-of-32-chars"_s);
    QWebSocket other;
    QVERIFY(openWebSocket(other, chatUrl));
    other.sendTextMessage(QString(120, u'W'));
    QTRY_VERIFY_WITH_TIMEOUT(
        page.text(u"document.getElementById('chatLog').textContent"_s).contains(QString(120, u'W')),
        slow);
    QVERIFY(m_server->kick(clientsOn(Route::Echo).constFirst().id, 4000,
                           u"the lesson has ended for today, see you next week"_s));
    QTRY_COMPARE_WITH_TIMEOUT(state("echo"), u"closed"_s, slow);

    QCOMPARE(page.evaluate(u"innerWidth"_s).toInt(), width);
    const int scrollWidth = page.evaluate(u"document.documentElement.scrollWidth"_s).toInt();
    QVERIFY2(scrollWidth <= width, qPrintable(u"scrolls sideways: %1 px"_s.arg(scrollWidth)));
    // Nor does anything in it: the lists wrap what they hold.
    const QString wide = page.text(
        u"[...document.querySelectorAll('main *')].filter(e => e.scrollWidth > e.clientWidth + 1"
        u" && getComputedStyle(e).overflowX !== 'visible').map(e => e.id || e.tagName)"
        u".join(', ')"_s);
    QVERIFY2(wide.isEmpty(), qPrintable(u"scrolls sideways inside: "_s + wide));
    // Touch targets: every visible button and text field at least 44 px high (and wide).
    const QString small = page.text(
        u"[...document.querySelectorAll('button, input')].filter(e => e.offsetParent !== null)"
        u".filter(e => { const r = e.getBoundingClientRect(); "
        u"return r.height < 44 || r.width < 44; }).map(e => e.id || e.textContent).join(', ')"_s);
    QVERIFY2(small.isEmpty(), qPrintable(u"too small to tap: "_s + small));
    if (!mobile) { // the desktop has room for the chat beside the time
        QVERIFY(page.evaluate(u"document.getElementById('chatCard').getBoundingClientRect().left"
                              u" > document.getElementById('timeCard')"
                              u".getBoundingClientRect().right"_s)
                    .toBool());
    }
}

QTEST_GUILESS_MAIN(tst_PhonePage)
#include "tst_phonepage.moc"
