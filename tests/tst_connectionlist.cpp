// The window's connections without the window: each Connection's models fed by its session,
// the embedded server's events shared out by the port the server sees each client on, what a
// tab saves to come back, and the preferences as the settings keep them.

#include "clientsession.h"
#include "connection.h"
#include "eventlog.h"
#include "framelistmodel.h"
#include "preferences.h"
#include "sequencemodel.h"
#include "serverhost.h"
#include "testutil.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace wslab;
using namespace std::chrono_literals;

class tst_ConnectionList : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void serverEventsGoToTheirConnection();
    void aNewAttemptStartsAFreshRecord();
    void removeClosesGracefully();
    void stateRoundTrips();
    void preferencesRoundTrip();
    void badPreferencesFallBackToDefaults();

private:
    static QStringList serverDetails(EventLog *log);
};

QStringList tst_ConnectionList::serverDetails(EventLog *log)
{
    log->flush();
    QStringList details;
    for (int row = 0; row < log->rowCount(); ++row)
        if (log->event(row).side == Event::Side::Server)
            details.append(log->index(row, EventLog::Detail).data().toString());
    return details;
}

void tst_ConnectionList::serverEventsGoToTheirConnection()
{
    ServerHost server;
    ServerConfig config = test::testConfig();
    QVERIFY(server.start(config));
    ConnectionList list;
    connect(&server, &ServerHost::events, &list, &ConnectionList::addServerEvents);
    Connection *tapped = list.create();
    Connection *direct = list.create(); // without the tap: the server sees the client's own port
    direct->session()->setViaTap(false);
    QUrl chat = server.webSocketUrl(Route::Chat);
    chat.setQuery(QStringLiteral("name=tapped"));
    QVERIFY(tapped->session()->connectTo(chat.toString()));
    chat.setQuery(QStringLiteral("name=direct"));
    QVERIFY(direct->session()->connectTo(chat.toString()));
    QTRY_COMPARE(tapped->session()->state(), ClientSession::State::Open);
    QTRY_COMPARE(direct->session()->state(), ClientSession::State::Open);
    // A client of no tab (a browser, the console client): every connection's log shows it.
    QWebSocket stranger;
    chat.setQuery(QStringLiteral("name=stranger"));
    QVERIFY(test::openWebSocket(stranger, chat));

    for (Connection *own : { tapped, direct }) {
        const QString name = own == tapped ? QStringLiteral("tapped") : QStringLiteral("direct");
        const QString other = own == tapped ? QStringLiteral("direct") : QStringLiteral("tapped");
        QTRY_VERIFY2(!serverDetails(own->eventLog()).filter(u"as " + name).isEmpty(),
                     qPrintable(serverDetails(own->eventLog()).join(u'\n')));
        QTRY_VERIFY(!serverDetails(own->eventLog()).filter(u"as stranger").isEmpty());
        QVERIFY(serverDetails(own->eventLog()).filter(u"as " + other).isEmpty());
        QVERIFY(list.ownerOf(0) == nullptr);
    }
    // The server-wide lines (listening) were before any connection: nobody to give them to.
    // The sequence models get everything: the other tab is another client to each.
    QTRY_VERIFY(tapped->sequenceModel()->hasOthers());
    QTRY_VERIFY(direct->sequenceModel()->hasOthers());

    // What the server says about a removed connection goes nowhere, not to the others.
    const int before = serverDetails(tapped->eventLog()).size();
    list.remove(direct, 1000, QStringLiteral("bye"));
    QTRY_COMPARE(server.clientCount(), 2);
    // The server's batches keep its order: once the stranger's next line is in, so is all the
    // server said about the removed connection.
    stranger.sendTextMessage(QStringLiteral("marker"));
    QTRY_VERIFY(!serverDetails(tapped->eventLog()).mid(before).filter(u"marker").isEmpty());
    const QStringList after = serverDetails(tapped->eventLog()).mid(before);
    QVERIFY2(after.filter(u"on_close").isEmpty(), qPrintable(after.join(u'\n')));
    server.stop();
}

void tst_ConnectionList::aNewAttemptStartsAFreshRecord()
{
    ServerHost server;
    QVERIFY(server.start(test::testConfig()));
    Connection connection;
    QSignalSpy started(&connection, &Connection::attemptStarted);
    QSignalSpy handshake(&connection, &Connection::handshakeEvent);
    QVERIFY(connection.session()->connectTo(server.webSocketUrl().toString()));
    QTRY_COMPARE(connection.session()->state(), ClientSession::State::Open);
    QCOMPARE(started.size(), 1);
    QCOMPARE(connection.attemptUrl(), server.webSocketUrl());
    QVERIFY(connection.attemptViaTap());
    const auto kinds = [&] {
        QList<WireEvent::Kind> list;
        for (const WireEvent &e : connection.handshakeEvents())
            list.append(e.kind);
        return list;
    };
    QTRY_VERIFY(kinds().contains(WireEvent::Kind::HandshakeResponse));
    QVERIFY(kinds().contains(WireEvent::Kind::HandshakeRequest));
    QCOMPARE(handshake.size(), connection.handshakeEvents().size());
    connection.session()->sendText(QStringLiteral("x"));
    QTRY_VERIFY(connection.frameModel()->rowCount() >= 2);
    QVERIFY(!kinds().contains(WireEvent::Kind::Frame)); // frames are the Frames pane's

    connection.session()->disconnectGracefully();
    QTRY_COMPARE(connection.session()->state(), ClientSession::State::Closed);
    connection.session()->setViaTap(false);
    QVERIFY(connection.session()->connectTo(server.webSocketUrl().toString()));
    QCOMPARE(started.size(), 2);
    QVERIFY(!connection.attemptViaTap());
    QCOMPARE(connection.frameModel()->rowCount(), 0);
    QCOMPARE(connection.sequenceModel()->count(), 0);
    QVERIFY(connection.handshakeEvents().isEmpty());
    QTRY_COMPARE(connection.session()->state(), ClientSession::State::Open);
    server.stop();
}

void tst_ConnectionList::removeClosesGracefully()
{
    ServerHost server;
    QVERIFY(server.start(test::testConfig()));
    ConnectionList list;
    QPointer<Connection> idle = list.create();
    QPointer<Connection> open = list.create();
    QVERIFY(open->session()->connectTo(server.webSocketUrl().toString()));
    QTRY_COMPARE(open->session()->state(), ClientSession::State::Open);
    QTRY_COMPARE(server.clientCount(), 1);
    QSignalSpy events(open->session(), &ClientSession::event);
    list.remove(idle, 1000, {});
    list.remove(open, 1000, QStringLiteral("tab closed"));
    QCOMPARE(list.count(), 0);
    QTRY_VERIFY(!idle);
    QTRY_VERIFY(!open); // deleted once closed
    QTRY_COMPARE(server.clientCount(), 0);
    QVERIFY(std::any_of(events.begin(), events.end(), [](const QList<QVariant> &a) {
        return a.at(0).value<Event>().kind == Event::Kind::CloseSent;
    }));
    server.stop();
}

void tst_ConnectionList::stateRoundTrips()
{
    Connection original;
    ConnectOptions options;
    options.headers = { { "Authorization", "Basic YTpi" }, { "X-Two", "2, 3 \"q\"" } };
    options.subprotocols = { QStringLiteral("a,b") }; // one, with a comma
    options.query = { { QStringLiteral("k"), QStringLiteral("v w") } };
    options.timeout = 1234ms;
    options.tls
        = { false, QStringLiteral("/ca.pem"), QStringLiteral("/c.pem"), QStringLiteral("/k.pem") };
    options.proxy = QUrl(QStringLiteral("http://u:p@127.0.0.1:3128"));
    options.reconnect = true;
    original.session()->setConnectOptions(options);
    original.session()->setViaTap(false);
    original.session()->setMaxIncomingMessageSize(999);
    original.session()->setHandshakeTimeout(4321ms); // the same as options.timeout
    options.timeout = 4321ms;

    // Through a settings file, as the window keeps its tabs: plain values, readable by hand.
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("s.ini"));
    {
        QSettings settings(file, QSettings::IniFormat);
        const QVariantMap state = original.saveState(QStringLiteral("ws://h:1/p?q"));
        for (auto value = state.cbegin(); value != state.cend(); ++value)
            settings.setValue(value.key(), value.value());
    }
    QFile ini(file);
    QVERIFY(ini.open(QIODevice::ReadOnly));
    const QByteArray text = ini.readAll();
    QVERIFY2(text.contains("Authorization: Basic YTpi") && text.contains("k=v%20w")
                 && !text.contains("@Variant"),
             text.constData());
    QSettings settings(file, QSettings::IniFormat);
    QVariantMap restored;
    for (const QString &key : settings.childKeys())
        restored.insert(key, settings.value(key));
    Connection copy;
    QCOMPARE(copy.restoreState(restored), QStringLiteral("ws://h:1/p?q"));
    QVERIFY(copy.session()->connectOptions() == options);
    QCOMPARE(copy.session()->viaTap(), false);
    QCOMPARE(copy.session()->maxIncomingMessageSize(), 999);
    QCOMPARE(copy.session()->handshakeTimeout(), 4321ms);

    // A state with only a URL (a new tab) keeps every default.
    Connection fresh;
    fresh.restoreState({ { QStringLiteral("url"), QStringLiteral("ws://x/") } });
    QVERIFY(fresh.session()->connectOptions() == ConnectOptions());
    QCOMPARE(fresh.session()->viaTap(), true);
}

void tst_ConnectionList::preferencesRoundTrip()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("p.ini")), QSettings::IniFormat);
    QVERIFY(Preferences::load(settings) == Preferences());
    Preferences p;
    p.language = QStringLiteral("zh_CN");
    p.theme = QStringLiteral("light");
    p.defaultUrl = QStringLiteral("wss://example.org/socket");
    p.viaTap = false;
    p.maxIncomingMessageSize = 1 << 20;
    p.handshakeTimeout = 1500ms;
    p.restoreTabs = true;
    p.save(settings);
    QVERIFY(Preferences::load(settings) == p);
}

void tst_ConnectionList::badPreferencesFallBackToDefaults()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("p.ini")), QSettings::IniFormat);
    settings.setValue(QStringLiteral("connection/maxIncomingMessageSize"), QStringLiteral("lots"));
    settings.setValue(QStringLiteral("connection/handshakeTimeoutMs"), -5);
    const Preferences p = Preferences::load(settings);
    QCOMPARE(p.maxIncomingMessageSize, Preferences().maxIncomingMessageSize);
    QCOMPARE(p.handshakeTimeout, Preferences().handshakeTimeout);
}

QTEST_GUILESS_MAIN(tst_ConnectionList)
#include "tst_connectionlist.moc"
