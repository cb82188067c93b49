// Real third-party peers from Debian packages: the lesson's Tornado client and server, and
// python3-websockets. A missing package is a failure, not a skip: scripts/test installs them.

#include "testutil.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace wslab;
using namespace wslab::test;

namespace {
const QString serverBin = QStringLiteral(WSLAB_SERVER_BIN);
const QString clientBin = QStringLiteral(WSLAB_CLIENT_BIN);
const QString fixtures = QStringLiteral(WSLAB_INTEROP_DIR);
const QRegularExpression
    beijingIso(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+08:00$"));

QString fixture(const char *name)
{
    return fixtures + u'/' + QLatin1StringView(name);
}

int countBeijingTimes(const QStringList &lines)
{
    return int(std::count_if(lines.begin(), lines.end(), [](const QString &line) {
        return beijingIso.match(line).hasMatch();
    }));
}
} // namespace

class tst_Interop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void tornadoClientAgainstWslabServer();
    void tornadoClientSeesServerClose();
    void wslabClientAgainstTornadoServer();
    void websocketsClientAgainstWslabServer();
    void wslabClientAgainstWebsocketsServer();
    void websocketsClientOverTls();
};

void tst_Interop::initTestCase()
{
    QVERIFY2(QFileInfo(debianPython()).isExecutable(),
             "Debian's /usr/bin/python3 is missing; run scripts/test");
    const auto probe = runProcess(
        debianPython(), { QStringLiteral("-c"), QStringLiteral("import tornado, websockets") });
    QVERIFY2(probe.exitCode == 0,
             qPrintable(u"python3-tornado / python3-websockets missing (run scripts/test): "
                        + QString::fromUtf8(probe.err)));
}

void tst_Interop::tornadoClientAgainstWslabServer()
{
    ScopedProcess server(serverBin,
                         { QStringLiteral("--port"), QStringLiteral("0"),
                           QStringLiteral("--interval"), QStringLiteral("0.2") });
    const quint16 port = waitForListeningPort(*server);
    QVERIFY(port);
    const auto client = runProcess(debianPython(),
                                   { fixture("tornado_client.py"),
                                     QStringLiteral("ws://127.0.0.1:%1/ws").arg(port),
                                     QStringLiteral("4"), QStringLiteral("你好 from Tornado") });
    QVERIFY2(client.exitCode == 0, client.err.constData());
    const QStringList lines = client.outLines();
    QCOMPARE(lines.size(), 4);
    QVERIFY2(lines.contains(QStringLiteral("你好 from Tornado")), client.out.constData());
    QCOMPARE(countBeijingTimes(lines), 3);
    QByteArray log;
    QTRY_VERIFY((log += server->readAllStandardOutput())
                    .contains("on_close: code 1000 \"enough\", initiated by client, clean"));
}

void tst_Interop::tornadoClientSeesServerClose()
{
    // The lesson: "if the server closes the connection, the client receives None".
    ScopedProcess server(serverBin,
                         { QStringLiteral("--port"), QStringLiteral("0"),
                           QStringLiteral("--interval"), QStringLiteral("0"),
                           QStringLiteral("--max-message-size"), QStringLiteral("16") });
    const quint16 port = waitForListeningPort(*server);
    QVERIFY(port);
    const auto client = runProcess(
        debianPython(),
        { fixture("tornado_client.py"), QStringLiteral("ws://127.0.0.1:%1/ws").arg(port),
          QStringLiteral("1"), QStringLiteral("this message is longer than sixteen bytes") });
    QVERIFY2(client.exitCode == 0, client.err.constData());
    QVERIFY2(client.out.startsWith("closed 1009"), client.out.constData());
}

void tst_Interop::wslabClientAgainstTornadoServer()
{
    ScopedProcess tornado(debianPython(),
                          { fixture("tornado_time_server.py"), QStringLiteral("0.2") });
    const quint16 port = waitForListeningPort(*tornado);
    QVERIFY(port);
    const auto result
        = runProcess(clientBin,
                     { QStringLiteral("ws://127.0.0.1:%1/ws").arg(port), QStringLiteral("--send"),
                       QStringLiteral("练习二"), QStringLiteral("--count"), QStringLiteral("3") });
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QStringList lines = result.outLines();
    QCOMPARE(lines.size(), 3);
    QVERIFY2(lines.contains(QStringLiteral("练习二")), result.out.constData());
    QCOMPARE(countBeijingTimes(lines), 2);
}

void tst_Interop::websocketsClientAgainstWslabServer()
{
    ScopedProcess server(serverBin,
                         { QStringLiteral("--port"), QStringLiteral("0"),
                           QStringLiteral("--interval"), QStringLiteral("0.05") });
    const quint16 port = waitForListeningPort(*server);
    QVERIFY(port);
    const auto client = runProcess(debianPython(),
                                   { fixture("websockets_peer.py"), QStringLiteral("client"),
                                     QStringLiteral("ws://127.0.0.1:%1/ws").arg(port) });
    QVERIFY2(client.exitCode == 0, QByteArray(client.out + client.err).constData());
    QCOMPARE(client.out.trimmed(), QByteArray("ok"));
}

void tst_Interop::wslabClientAgainstWebsocketsServer()
{
    ScopedProcess peer(debianPython(), { fixture("websockets_peer.py"), QStringLiteral("server") });
    const quint16 port = waitForListeningPort(*peer);
    QVERIFY(port);
    const auto result
        = runProcess(clientBin,
                     { QStringLiteral("ws://127.0.0.1:%1/").arg(port), QStringLiteral("--send"),
                       QStringLiteral("你好 🌏"), QStringLiteral("--count"), QStringLiteral("1") });
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QCOMPARE(result.outLines(), QStringList { QStringLiteral("你好 🌏") });
}

void tst_Interop::websocketsClientOverTls()
{
    // A certificate made by Debian's openssl, not by us: the server must take what users have.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString cert = dir.filePath(QStringLiteral("cert.pem"));
    const QString key = dir.filePath(QStringLiteral("key.pem"));
    const auto made = runProcess(
        QStringLiteral("openssl"),
        { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
          QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"), key,
          QStringLiteral("-out"), cert, QStringLiteral("-days"), QStringLiteral("2"),
          QStringLiteral("-subj"), QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
          QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1") });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    ScopedProcess server(serverBin,
                         { QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--tls-cert"),
                           cert, QStringLiteral("--tls-key"), key });
    const quint16 port = waitForListeningPort(*server);
    QVERIFY(port);
    const auto client = runProcess(debianPython(),
                                   { fixture("websockets_peer.py"), QStringLiteral("client"),
                                     QStringLiteral("wss://127.0.0.1:%1/ws").arg(port), cert });
    QVERIFY2(client.exitCode == 0, QByteArray(client.out + client.err).constData());
    QCOMPARE(client.out.trimmed(), QByteArray("ok"));
    // A plain ws:// client on the TLS port is told what is wrong, not left hanging.
    const auto plain = runProcess(debianPython(),
                                  { fixture("websockets_peer.py"), QStringLiteral("client"),
                                    QStringLiteral("ws://127.0.0.1:%1/ws").arg(port) });
    QVERIFY(plain.exitCode != 0);
    QVERIFY2(plain.err.contains("400"), plain.err.constData());
}

QTEST_GUILESS_MAIN(tst_Interop)
#include "tst_interop.moc"
