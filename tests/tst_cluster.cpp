// Several EmbeddedServers joined through a real redis-server, and behind a real nginx: what
// scripts/cluster runs, checked with real WebSocket clients.

#include "embeddedserver.h"
#include "redisbus.h"
#include "redisendpoint.h"
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <set>

#include <cerrno>
#include <csignal>

using namespace wslab;
using namespace wslab::test;

namespace {

const QString redisProgram = QStringLiteral("/usr/bin/redis-server");
const QString nginxProgram = QStringLiteral("/usr/sbin/nginx");
constexpr int reconnectTimeoutMs = 20'000; // the bus retries after at most 5 s

// A port nobody listens on now: bound, read, released.
quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

// A process ended when the test leaves its scope, pass or fail: asked to stop (SIGTERM, so
// nginx takes its workers with it), killed if it does not.
class GuardedProcess
{
public:
    GuardedProcess() { m_process.setProcessChannelMode(QProcess::MergedChannels); }
    ~GuardedProcess() { stop(); }
    QProcess &process() { return m_process; }
    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    // A crash: SIGKILL, no goodbye.
    void crash()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.kill();
        m_process.waitForFinished(5000);
    }

private:
    QProcess m_process;
};

// redis-server on 127.0.0.1:port, nothing saved, its folder private.
class RedisServer
{
public:
    RedisServer(quint16 port, const QString &folder, const QStringList &extra = {})
        : m_port(port), m_folder(folder), m_extra(extra)
    {
    }

    // Starts it and waits until it accepts connections; false (with a warning) otherwise.
    bool start()
    {
        QProcess &process = m_guard.process();
        const QStringList arguments { QStringLiteral("--port"),       QString::number(m_port),
                                      QStringLiteral("--bind"),       QStringLiteral("127.0.0.1"),
                                      QStringLiteral("--save"),       QString(),
                                      QStringLiteral("--appendonly"), QStringLiteral("no"),
                                      QStringLiteral("--dir"),        m_folder };
        process.start(redisProgram, arguments + m_extra);
        QByteArray output;
        const bool ready = QTest::qWaitFor(
            [&] {
                output += process.readAll();
                return output.contains("Ready to accept connections")
                    || process.state() == QProcess::NotRunning;
            },
            10'000);
        if (!ready || process.state() == QProcess::NotRunning) {
            qWarning("redis-server did not start on port %u: %s", m_port, output.constData());
            return false;
        }
        return true;
    }
    void crash() { m_guard.crash(); }
    quint16 port() const { return m_port; }

private:
    quint16 m_port;
    QString m_folder;
    QStringList m_extra;
    GuardedProcess m_guard;
};

// A WebSocket client that keeps every text message it heard, from the handshake on.
struct Client
{
    Client()
    {
        QObject::connect(&socket, &QWebSocket::textMessageReceived,
                         [this](const QString &text) { heard.append(text); });
    }
    bool open(const QUrl &url) { return openWebSocket(socket, url); }
    QWebSocket socket;
    QStringList heard;
};

std::unique_ptr<Client> connectClient(const QUrl &url)
{
    auto client = std::make_unique<Client>();
    if (!client->open(url))
        return nullptr;
    return client;
}

QUrl chatUrl(const EmbeddedServer &server, const QString &name)
{
    QUrl url = server.webSocketUrl(Route::Chat);
    url.setQuery(QStringLiteral("name=") + name);
    return url;
}

QUrl viaPort(quint16 port, const QString &path, const QString &query = {})
{
    QUrl url;
    url.setScheme(QStringLiteral("ws"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port);
    url.setPath(path);
    if (!query.isEmpty())
        url.setQuery(query);
    return url;
}

// The head of the first response to `request` (up to the blank line); the connection may
// stay open (an upgrade), so this does not wait for its end.
QByteArray responseHead(quint16 port, const QByteArray &request)
{
    QTcpSocket socket;
    QByteArray bytes;
    QObject::connect(&socket, &QIODevice::readyRead, [&] { bytes += socket.readAll(); });
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000))
        return "<no connection>";
    socket.write(request);
    if (!QTest::qWaitFor([&] { return bytes.contains("\r\n\r\n"); }, 5000))
        return "<no complete head>: " + bytes;
    return bytes.left(bytes.indexOf("\r\n\r\n") + 4);
}

QByteArray getRequest(const QByteArray &path)
{
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
}

// The instance named by X-WsLab-Instance in a response head, or empty.
QString instanceIn(const QByteArray &head)
{
    static const QRegularExpression header(QStringLiteral("\r\nX-WsLab-Instance: ([^\r]*)\r\n"),
                                           QRegularExpression::CaseInsensitiveOption);
    return header.match(QString::fromLatin1(head)).captured(1);
}

// The instance a chat member's own join notice names ("* ann joined on instance a (1 on a)").
QString joinedOn(const QStringList &heard)
{
    static const QRegularExpression joined(QStringLiteral("joined on instance (\\S+) "));
    return heard.isEmpty() ? QString() : joined.match(heard.constFirst()).captured(1);
}

ServerConfig clusterConfig(const QString &instance, quint16 redisPort)
{
    ServerConfig config = testConfig();
    config.instance = instance;
    config.redis = RedisEndpoint { QStringLiteral("127.0.0.1"), redisPort, {}, {} };
    return config;
}

// The last clusterChanged() of `spy`, as (shared, sentence in English).
std::pair<bool, QString> lastClusterChange(const QSignalSpy &spy)
{
    if (spy.isEmpty())
        return { false, QString() };
    return { spy.constLast().at(0).toBool(), spy.constLast().at(1).value<Text>().english() };
}

} // namespace

class tst_Cluster : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void redisUrls_data();
    void redisUrls();
    void instanceNames_data();
    void instanceNames();
    void httpResponsesNameTheInstance_data();
    void httpResponsesNameTheInstance();
    void noInstanceNoHeader();
    void chatCrossesInstances();
    void broadcastAndNewsCrossInstances();
    void redisGoesAwayAndComesBack();
    void redisUnreachableFromTheStart();
    void throughNginx();
    void clusterScript();
    void redisPassword();
    void serverOptions_data();
    void serverOptions();
    void serverProgramJoinsTheCluster();

private:
    // Two instances, "a" and "b", sharing through m_redis; fails the test unless both are.
    bool startPair();

    std::unique_ptr<QTemporaryDir> m_folder;
    std::unique_ptr<RedisServer> m_redis;
    std::unique_ptr<EmbeddedServer> m_a;
    std::unique_ptr<EmbeddedServer> m_b;
};

void tst_Cluster::initTestCase()
{
    QVERIFY2(QFile::exists(redisProgram),
             "/usr/bin/redis-server is missing: scripts/test installs it "
             "(apt-get install redis-server)");
    qRegisterMetaType<Text>();
    // Qt 6.4 warns each time an upgrade is declined, which is how a refused one is answered.
    QLoggingCategory::setFilterRules(QStringLiteral("qt.httpserver.warning=false"));
}

void tst_Cluster::init()
{
    m_folder = std::make_unique<QTemporaryDir>();
    QVERIFY(m_folder->isValid());
    const quint16 port = freePort();
    QVERIFY(port != 0);
    m_redis = std::make_unique<RedisServer>(port, m_folder->path());
}

void tst_Cluster::cleanup()
{
    m_a.reset();
    m_b.reset();
    m_redis.reset(); // stops redis-server
    m_folder.reset();
}

bool tst_Cluster::startPair()
{
    if (!m_redis->start())
        return false;
    m_a = startServer(clusterConfig(QStringLiteral("a"), m_redis->port()));
    m_b = startServer(clusterConfig(QStringLiteral("b"), m_redis->port()));
    if (!m_a || !m_b)
        return false;
    // Subscribed and able to publish, both: from here a message on one reaches the other.
    return QTest::qWaitFor([&] { return m_a->isShared() && m_b->isShared(); }, 10'000);
}

void tst_Cluster::redisUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("host"); // empty: refused
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("problem"); // part of the error

    QTest::newRow("host and port") << "redis://127.0.0.1:6380"
                                   << "127.0.0.1" << 6380 << ""
                                   << "";
    QTest::newRow("default port") << "redis://localhost"
                                  << "localhost" << 6379 << ""
                                  << "";
    QTest::newRow("database number ignored") << "redis://10.0.0.2:7000/3"
                                             << "10.0.0.2" << 7000 << ""
                                             << "";
    QTest::newRow("password") << "redis://:s3cret@127.0.0.1"
                              << "127.0.0.1" << 6379 << "s3cret"
                              << "";
    QTest::newRow("IPv6") << "redis://[::1]:6379"
                          << "::1" << 6379 << ""
                          << "";
    QTest::newRow("no scheme") << "127.0.0.1:6379"
                               << "" << 0 << ""
                               << "redis://";
    QTest::newRow("http") << "http://127.0.0.1:6379"
                          << "" << 0 << ""
                          << "redis://";
    QTest::newRow("no host") << "redis://:6379"
                             << "" << 0 << ""
                             << "no host";
    QTest::newRow("port 0") << "redis://127.0.0.1:0"
                            << "" << 0 << ""
                            << "1 to 65535";
    QTest::newRow("path") << "redis://127.0.0.1/abc"
                          << "" << 0 << ""
                          << "database number";
    QTest::newRow("query") << "redis://127.0.0.1?x=1"
                           << "" << 0 << ""
                           << "query";
    QTest::newRow("user without password") << "redis://ann@127.0.0.1"
                                           << "" << 0 << ""
                                           << "password";
    QTest::newRow("garbage") << "redis://127.0.0.1:port"
                             << "" << 0 << ""
                             << "URL";
}

void tst_Cluster::redisUrls()
{
    QFETCH(QString, url);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, password);
    QFETCH(QString, problem);
    QString error;
    const auto endpoint = RedisEndpoint::fromUrl(url, &error);
    if (host.isEmpty()) {
        QVERIFY2(!endpoint, qPrintable(url));
        QVERIFY2(error.contains(problem), qPrintable(error));
        return;
    }
    QVERIFY2(endpoint, qPrintable(error));
    QCOMPARE(endpoint->host, host);
    QCOMPARE(int(endpoint->port), port);
    QCOMPARE(endpoint->password, password);
    QVERIFY(!endpoint->displayUrl().contains(u"s3cret")); // logs never show the password
}

void tst_Cluster::instanceNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("ok");
    QTest::newRow("letter") << "a" << true;
    QTest::newRow("dotted") << "web-1.eu_west" << true;
    QTest::newRow("empty") << "" << false;
    QTest::newRow("space") << "a b" << false;
    QTest::newRow("header injection") << "a\r\nSet-Cookie: x" << false;
    QTest::newRow("non-ASCII") << "实例" << false;
    QTest::newRow("too long") << QString(65, u'x') << false;
}

void tst_Cluster::instanceNames()
{
    QFETCH(QString, name);
    QFETCH(bool, ok);
    QCOMPARE(instanceNameProblem(name).isEmpty(), ok);
}

void tst_Cluster::httpResponsesNameTheInstance_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::newRow("page") << getRequest("/") << 200;
    QTest::newRow("time") << getRequest("/time") << 200;
    QTest::newRow("news") << getRequest("/news") << 200;
    QTest::newRow("not found") << getRequest("/nothing") << 404;
    QTest::newRow("WebSocket endpoint over plain HTTP") << getRequest("/ws") << 426;
    QTest::newRow("upgrade: 101") << upgradeRequest("/ws") << 101;
    QTest::newRow("chat upgrade: 101") << upgradeRequest("/chat?name=ann") << 101;
    QTest::newRow("upgrade refused") << upgradeRequest("/nowhere") << 404;
}

void tst_Cluster::httpResponsesNameTheInstance()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    ServerConfig config = testConfig();
    config.instance = QStringLiteral("web-1");
    const auto server = startServer(config);
    QVERIFY(server);
    const QByteArray head = responseHead(server->port(), request);
    QCOMPARE(statusOf(head), status);
    QCOMPARE(instanceIn(head), QStringLiteral("web-1"));
    QCOMPARE(head.count("X-WsLab-Instance"), 1);
}

void tst_Cluster::noInstanceNoHeader()
{
    const auto server = startServer();
    QVERIFY(server);
    for (const QByteArray &request : { getRequest("/"), upgradeRequest("/ws") }) {
        const QByteArray head = responseHead(server->port(), request);
        QVERIFY2(statusOf(head) == 200 || statusOf(head) == 101, head.constData());
        QVERIFY2(!head.contains("X-WsLab-Instance"), head.constData());
    }
}

void tst_Cluster::chatCrossesInstances()
{
    QVERIFY(startPair());
    const auto bob = connectClient(chatUrl(*m_b, QStringLiteral("bob")));
    QVERIFY(bob);
    QTRY_COMPARE(bob->heard, QStringList { QStringLiteral("* bob joined on instance b (1 on b)") });

    const auto alice = connectClient(chatUrl(*m_a, QStringLiteral("alice")));
    QVERIFY(alice);
    // The join notice says where alice landed, on both instances. (Bob's notice may still be
    // on its way through Redis when alice joins: she may hear it too, after her own.)
    const QString aliceJoined = QStringLiteral("* alice joined on instance a (1 on a)");
    QTRY_COMPARE(alice->heard.value(0), aliceJoined);
    QTRY_COMPARE(bob->heard.value(1), aliceJoined);

    alice->socket.sendTextMessage(QStringLiteral("hello from a"));
    QTRY_COMPARE(bob->heard.value(2), QStringLiteral("alice: hello from a"));
    bob->socket.sendTextMessage(QStringLiteral("hi alice"));
    QTRY_COMPARE(alice->heard.constLast(), QStringLiteral("bob: hi alice"));
    // Each line once: an instance does not deliver its own message again when Redis echoes it
    // back. Bob's line went through Redis after alice's, so a second copy of hers would be here.
    QCOMPARE(alice->heard.count(QStringLiteral("alice: hello from a")), 1);
    QCOMPARE(alice->heard.count(aliceJoined), 1);
    QCOMPARE(bob->heard.value(3), QStringLiteral("bob: hi alice"));

    alice->socket.close();
    QTRY_COMPARE(bob->heard.value(4), QStringLiteral("* alice left instance a"));
    QCOMPARE(bob->heard.size(), 5);
}

void tst_Cluster::broadcastAndNewsCrossInstances()
{
    QVERIFY(startPair());
    const auto onA = connectClient(m_a->webSocketUrl(Route::Echo));
    const auto onB = connectClient(m_b->webSocketUrl(Route::Echo));
    const auto newsOnB = connectClient(m_b->webSocketUrl(Route::News));
    QVERIFY(onA && onB && newsOnB);

    m_a->broadcast(QStringLiteral("class ends at ten"));
    QTRY_COMPARE(onB->heard, QStringList { QStringLiteral("class ends at ten") });
    QTRY_COMPARE(newsOnB->heard, QStringList { QStringLiteral("class ends at ten") });
    m_b->broadcast(QStringLiteral("from b"));
    QTRY_COMPARE(onA->heard.value(1), QStringLiteral("from b"));
    QCOMPARE(onA->heard,
             (QStringList { QStringLiteral("class ends at ten"),
                            QStringLiteral("from b") })); // its own once

    m_a->publishNews(QStringLiteral("exam moved to Friday"));
    QTRY_COMPARE(newsOnB->heard.size(), 3);
    QVERIFY2(newsOnB->heard.constLast().endsWith(u" exam moved to Friday"),
             qPrintable(newsOnB->heard.constLast()));
    // A poller on b reads it too.
    const QByteArray polled = rawExchange(m_b->port(), getRequest("/news"));
    QCOMPARE(statusOf(polled), 200);
    QVERIFY2(polled.contains("exam moved to Friday"), polled.constData());
}

void tst_Cluster::redisGoesAwayAndComesBack()
{
    QVERIFY(startPair());
    QSignalSpy changesA(m_a.get(), &EmbeddedServer::clusterChanged);
    QSignalSpy changesB(m_b.get(), &EmbeddedServer::clusterChanged);
    const auto bob = connectClient(chatUrl(*m_b, QStringLiteral("bob")));
    const auto alice = connectClient(chatUrl(*m_a, QStringLiteral("alice")));
    const auto carol = connectClient(chatUrl(*m_a, QStringLiteral("carol")));
    QVERIFY(alice && carol && bob);
    QTRY_VERIFY(bob->heard.contains(QStringLiteral("* carol joined on instance a (2 on a)")));

    m_redis->crash();
    for (QSignalSpy *spy : { &changesA, &changesB }) {
        QTRY_VERIFY(!spy->isEmpty());
        const auto [shared, said] = lastClusterChange(*spy);
        QVERIFY(!shared);
        QVERIFY2(said.contains(u"unreachable")
                     && said.contains(u"serving this instance's clients only"),
                 qPrintable(said));
    }
    QVERIFY(!m_a->isShared());
    QVERIFY(!m_b->isShared());

    // The room is split in two, and each half still talks.
    alice->socket.sendTextMessage(QStringLiteral("anyone there?"));
    QTRY_COMPARE(carol->heard.constLast(), QStringLiteral("alice: anyone there?"));
    bob->socket.sendTextMessage(QStringLiteral("only me here"));
    QTRY_COMPARE(bob->heard.constLast(), QStringLiteral("bob: only me here"));

    QVERIFY(m_redis->start()); // on the same port
    QTRY_VERIFY_WITH_TIMEOUT(m_a->isShared() && m_b->isShared(), reconnectTimeoutMs);
    for (QSignalSpy *spy : { &changesA, &changesB }) {
        const auto [shared, said] = lastClusterChange(*spy);
        QVERIFY(shared);
        QVERIFY2(said.contains(u"Redis back") && said.contains(u"rooms shared again"),
                 qPrintable(said));
    }
    alice->socket.sendTextMessage(QStringLiteral("we are one room again"));
    QTRY_COMPARE(bob->heard.constLast(), QStringLiteral("alice: we are one room again"));
    // What was said while Redis was away stayed on its instance.
    QVERIFY(!bob->heard.contains(QStringLiteral("alice: anyone there?")));
    QVERIFY(!carol->heard.contains(QStringLiteral("bob: only me here")));
}

void tst_Cluster::redisUnreachableFromTheStart()
{
    // m_redis is not started: nothing listens on its port.
    const auto server = std::make_unique<EmbeddedServer>(
        clusterConfig(QStringLiteral("lonely"), m_redis->port()));
    QSignalSpy changes(server.get(), &EmbeddedServer::clusterChanged);
    QVERIFY2(server->start(), qPrintable(server->errorString()));
    QTRY_VERIFY(!changes.isEmpty());
    const auto [shared, said] = lastClusterChange(changes);
    QVERIFY(!shared);
    QVERIFY2(said.contains(u"unreachable"), qPrintable(said));

    // It serves its own clients meanwhile.
    const auto ann = connectClient(chatUrl(*server, QStringLiteral("ann")));
    const auto ben = connectClient(chatUrl(*server, QStringLiteral("ben")));
    QVERIFY(ann && ben);
    ann->socket.sendTextMessage(QStringLiteral("hi"));
    QTRY_COMPARE(ben->heard.constLast(), QStringLiteral("ann: hi"));
    QCOMPARE(statusOf(rawExchange(server->port(), getRequest("/time"))), 200);

    // And joins when Redis turns up.
    QVERIFY(m_redis->start());
    QTRY_VERIFY_WITH_TIMEOUT(server->isShared(), reconnectTimeoutMs);
}

void tst_Cluster::throughNginx()
{
    QVERIFY2(QFile::exists(nginxProgram),
             "/usr/sbin/nginx is missing: scripts/test installs it (apt-get install nginx)");
    QVERIFY(startPair());

    // deploy/nginx-wslab.conf, as scripts/cluster fills it in.
    QFile templateFile(QStringLiteral(WSLAB_DEPLOY_DIR "/nginx-wslab.conf"));
    QVERIFY2(templateFile.open(QIODevice::ReadOnly), qPrintable(templateFile.fileName()));
    const quint16 port = freePort();
    QVERIFY(port != 0);
    const QString prefix = m_folder->filePath(QStringLiteral("nginx"));
    QVERIFY(QDir().mkpath(prefix));
    QString config = QString::fromUtf8(templateFile.readAll());
    config.replace(QStringLiteral("@PREFIX@"), prefix)
        .replace(QStringLiteral("@LISTEN@"), QStringLiteral("127.0.0.1:%1").arg(port))
        .replace(QStringLiteral("@UPSTREAMS@"),
                 QStringLiteral("server 127.0.0.1:%1;\n        server 127.0.0.1:%2;")
                     .arg(m_a->port())
                     .arg(m_b->port()));
    QVERIFY(!config.contains(u'@'));
    const QString configPath = prefix + u"/nginx.conf";
    QFile configFile(configPath);
    QVERIFY(configFile.open(QIODevice::WriteOnly));
    configFile.write(config.toUtf8());
    configFile.close();

    GuardedProcess nginx;
    const QString errorLog = prefix + u"/error.log";
    nginx.process().start(nginxProgram,
                          { QStringLiteral("-p"), prefix, QStringLiteral("-c"), configPath,
                            QStringLiteral("-e"), errorLog });
    QVERIFY2(nginx.process().waitForStarted(5000), qPrintable(nginx.process().errorString()));
    const auto logText = [&] {
        QFile log(errorLog);
        return log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll()) : QString();
    };
    // The master listens before it starts its worker, and logs that it does.
    QTRY_VERIFY2_WITH_TIMEOUT(logText().contains(u"start worker process")
                                  || nginx.process().state() == QProcess::NotRunning,
                              qPrintable(logText()), 10'000);
    QVERIFY2(nginx.process().state() == QProcess::Running,
             qPrintable(QString::fromUtf8(nginx.process().readAll()) + logText()));

    // Plain HTTP through nginx: round robin, and each response says which instance answered.
    std::set<QString> answered;
    for (int i = 0; i < 2; ++i) {
        const QByteArray head = responseHead(port, getRequest("/"));
        QCOMPARE(statusOf(head), 200);
        answered.insert(instanceIn(head));
    }
    QCOMPARE(answered, (std::set<QString> { QStringLiteral("a"), QStringLiteral("b") }));

    // The upgrade passes through (Upgrade and Connection forwarded), with the instance named.
    const QByteArray upgraded = responseHead(port, upgradeRequest("/ws"));
    QCOMPARE(statusOf(upgraded), 101);
    QVERIFY2(!instanceIn(upgraded).isEmpty(), upgraded.constData());
    QVERIFY2(upgraded.toLower().contains("upgrade: websocket"), upgraded.constData());

    const auto echo = connectClient(viaPort(port, QStringLiteral("/ws")));
    QVERIFY(echo);
    echo->socket.sendTextMessage(QStringLiteral("through nginx"));
    QTRY_COMPARE(echo->heard, QStringList { QStringLiteral("through nginx") });

    // Two chat members through the same nginx land on both instances, and still talk.
    const auto n1
        = connectClient(viaPort(port, QStringLiteral("/chat"), QStringLiteral("name=n1")));
    QVERIFY(n1);
    QTRY_VERIFY(!joinedOn(n1->heard).isEmpty());
    const auto n2
        = connectClient(viaPort(port, QStringLiteral("/chat"), QStringLiteral("name=n2")));
    QVERIFY(n2);
    QTRY_VERIFY(!joinedOn(n2->heard).isEmpty());
    QCOMPARE((std::set<QString> { joinedOn(n1->heard), joinedOn(n2->heard) }),
             (std::set<QString> { QStringLiteral("a"), QStringLiteral("b") }));
    n1->socket.sendTextMessage(QStringLiteral("hi n2"));
    QTRY_COMPARE(n2->heard.constLast(), QStringLiteral("n1: hi n2"));
    n2->socket.sendTextMessage(QStringLiteral("hi n1"));
    QTRY_COMPARE(n1->heard.constLast(), QStringLiteral("n2: hi n1"));

    // An instance dies: its clients are disconnected, reconnect through nginx, and land on the
    // one that is left.
    Client *onA = joinedOn(n1->heard) == u"a" ? n1.get() : n2.get();
    QSignalSpy dropped(&onA->socket, &QWebSocket::disconnected);
    m_a.reset();
    QTRY_COMPARE(dropped.size(), 1);
    for (int i = 0; i < 2; ++i) {
        const auto again
            = connectClient(viaPort(port, QStringLiteral("/chat"), QStringLiteral("name=again")));
        QVERIFY(again);
        QTRY_COMPARE(joinedOn(again->heard), QStringLiteral("b"));
    }
    nginx.stop();
    QCOMPARE(nginx.process().exitStatus(), QProcess::NormalExit);
}

void tst_Cluster::clusterScript()
{
    QVERIFY2(QFile::exists(nginxProgram),
             "/usr/sbin/nginx is missing: scripts/test installs it (apt-get install nginx)");
    const quint16 port = freePort();
    QVERIFY(port != 0);
    GuardedProcess script; // SIGTERM on the way out: the script stops its children too
    QProcessEnvironment environment = programEnvironment();
    environment.insert(QStringLiteral("WSLAB_BUILD"), QStringLiteral(WSLAB_BINARY_DIR));
    script.process().setProcessEnvironment(environment);
    // As from a terminal, where Ctrl+C reaches it, whatever this process was started with.
    script.process().setChildProcessModifier([] { std::signal(SIGINT, SIG_DFL); });
    script.process().start(QStringLiteral(WSLAB_SOURCE_DIR "/scripts/cluster"),
                           { QStringLiteral("--no-build"), QStringLiteral("--port"),
                             QString::number(port), QStringLiteral("--instances"),
                             QStringLiteral("2") });
    QVERIFY2(script.process().waitForStarted(5000), qPrintable(script.process().errorString()));
    QByteArray output;
    QTRY_VERIFY2_WITH_TIMEOUT((output += script.process().readAll()).contains("WsLab cluster on")
                                  || script.process().state() == QProcess::NotRunning,
                              output.constData(), 60'000);
    QVERIFY2(script.process().state() == QProcess::Running, output.constData());

    // Redis, a, b and nginx, each with its pid in the output.
    QList<qint64> pids;
    static const QRegularExpression pid(QStringLiteral("pid (\\d+)"));
    for (const auto &match : pid.globalMatch(QString::fromUtf8(output)))
        pids.append(match.captured(1).toLongLong());
    QCOMPARE(pids.size(), 4);

    std::set<QString> answered;
    for (int i = 0; i < 2; ++i)
        answered.insert(instanceIn(responseHead(port, getRequest("/"))));
    QCOMPARE(answered, (std::set<QString> { QStringLiteral("a"), QStringLiteral("b") }));

    // Ctrl+C: everything stops, nothing is left.
    QVERIFY(::kill(pid_t(script.process().processId()), SIGINT) == 0);
    QTRY_VERIFY_WITH_TIMEOUT(script.process().state() == QProcess::NotRunning, 30'000);
    output += script.process().readAll();
    QVERIFY2(output.contains("Cluster stopped"), output.constData());
    QCOMPARE(script.process().exitCode(), 130);
    for (const qint64 child : std::as_const(pids))
        QVERIFY2(::kill(pid_t(child), 0) != 0 && errno == ESRCH,
                 qPrintable(QStringLiteral("pid %1 is still there").arg(child)));
    QCOMPARE(statusOf(responseHead(port, getRequest("/"))), 0); // nginx is gone
}

void tst_Cluster::redisPassword()
{
    RedisServer redis(freePort(), m_folder->path(),
                      { QStringLiteral("--requirepass"), QStringLiteral("s3cret") });
    QVERIFY(redis.start());
    ServerConfig right = clusterConfig(QStringLiteral("a"), redis.port());
    right.redis->password = QStringLiteral("s3cret");
    right.redis->host = QStringLiteral("localhost"); // a name: looked up without blocking
    const auto withPassword = startServer(right);
    QVERIFY(withPassword);
    QTRY_VERIFY(withPassword->isShared());

    ServerConfig wrong = clusterConfig(QStringLiteral("b"), redis.port());
    wrong.redis->password = QStringLiteral("guess");
    const auto withoutIt = std::make_unique<EmbeddedServer>(wrong);
    QSignalSpy changes(withoutIt.get(), &EmbeddedServer::clusterChanged);
    QVERIFY(withoutIt->start());
    QTRY_VERIFY(!changes.isEmpty());
    const auto [shared, said] = lastClusterChange(changes);
    QVERIFY(!shared);
    QVERIFY2(said.contains(u"refused the password"), qPrintable(said));
    QVERIFY(!said.contains(u"guess")); // the password is not shown
}

void tst_Cluster::serverOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("not a URL") << QStringList { QStringLiteral("--redis"), QStringLiteral("6379"),
                                                QStringLiteral("--instance"), QStringLiteral("a") }
                               << QStringLiteral("--redis: \"6379\" is not a URL");
    QTest::newRow("http URL") << QStringList { QStringLiteral("--redis"),
                                               QStringLiteral("http://127.0.0.1:6379"),
                                               QStringLiteral("--instance"), QStringLiteral("a") }
                              << QStringLiteral("the scheme must be redis://");
    QTest::newRow("no instance") << QStringList { QStringLiteral("--redis"),
                                                  QStringLiteral("redis://127.0.0.1") }
                                 << QStringLiteral("--redis needs --instance NAME");
    QTest::newRow("bad instance name")
        << QStringList { QStringLiteral("--instance"), QStringLiteral("a/b") }
        << QStringLiteral("--instance: \"a/b\"");
}

void tst_Cluster::serverOptions()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    const QString program = QStringLiteral(WSLAB_BINARY_DIR "/server/wslab-server");
    const auto result = runProcess(
        program, arguments + QStringList { QStringLiteral("--port"), QStringLiteral("0") }, 10'000);
    QVERIFY(result.finished);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(QString::fromUtf8(result.err).contains(mentions), result.err.constData());

    const auto help = runProcess(program, { QStringLiteral("--help") });
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains("--redis <url>"));
    QVERIFY(help.out.contains("--instance <name>"));
    QVERIFY(help.out.contains("X-WsLab-Instance"));
}

void tst_Cluster::serverProgramJoinsTheCluster()
{
    QVERIFY(m_redis->start());
    const auto inProcess = startServer(clusterConfig(QStringLiteral("a"), m_redis->port()));
    QVERIFY(inProcess);
    QTRY_VERIFY(inProcess->isShared());

    ScopedProcess program(QStringLiteral(WSLAB_BINARY_DIR "/server/wslab-server"),
                          { QStringLiteral("--port"), QStringLiteral("0"),
                            QStringLiteral("--instance"), QStringLiteral("b"),
                            QStringLiteral("--redis"),
                            QStringLiteral("redis://127.0.0.1:%1").arg(m_redis->port()) });
    // Read here rather than by waitForListeningPort(): the lines after "listening" matter too.
    QByteArray log;
    QTRY_VERIFY2((log += program->readAllStandardOutput()).contains("cluster: connected to Redis")
                     || program->state() == QProcess::NotRunning,
                 log.constData());
    QVERIFY2(log.contains("this is instance b; sharing through redis://127.0.0.1:"),
             log.constData());
    static const QRegularExpression listening(
        QStringLiteral("listening: http://127.0.0.1:(\\d+)/"));
    const quint16 port = quint16(listening.match(QString::fromUtf8(log)).captured(1).toUInt());
    QVERIFY2(port != 0, log.constData());

    const auto bob
        = connectClient(viaPort(port, QStringLiteral("/chat"), QStringLiteral("name=bob")));
    QVERIFY(bob);
    QTRY_COMPARE(bob->heard.value(0), QStringLiteral("* bob joined on instance b (1 on b)"));
    QTRY_VERIFY2((log += program->readAllStandardOutput())
                     .contains("open (101 sent): /chat from 127.0.0.1:"),
                 log.constData());
    QVERIFY2(log.contains(" as bob on instance b"), log.constData());
    const auto ann = connectClient(chatUrl(*inProcess, QStringLiteral("ann")));
    QVERIFY(ann);
    ann->socket.sendTextMessage(QStringLiteral("hello, other process"));
    QTRY_COMPARE(bob->heard.constLast(), QStringLiteral("ann: hello, other process"));
}

QTEST_GUILESS_MAIN(tst_Cluster)
#include "tst_cluster.moc"
