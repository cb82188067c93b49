#include "testutil.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QTextDocument>

#include <tuple>

using namespace std::chrono_literals;

namespace wslab::test {

ServerConfig testConfig(double pushInterval)
{
    ServerConfig config;
    config.port = 0;
    config.pushInterval = pushInterval;
    return config;
}

std::unique_ptr<EmbeddedServer> startServer(const ServerConfig &config)
{
    auto server = std::make_unique<EmbeddedServer>(config);
    if (!server->start()) {
        qWarning("server did not start: %s", qPrintable(server->errorString()));
        return nullptr;
    }
    return server;
}

bool openWebSocket(QWebSocket &socket, const QUrl &url)
{
    QSignalSpy connected(&socket, &QWebSocket::connected);
    socket.open(url);
    if (!connected.wait(5000)) {
        qWarning("could not connect to %s: %s", qPrintable(url.toString()),
                 qPrintable(socket.errorString()));
        return false;
    }
    return true;
}

std::unique_ptr<QWebSocket> connectWebSocket(const QUrl &url)
{
    auto socket = std::make_unique<QWebSocket>();
    return openWebSocket(*socket, url) ? std::move(socket) : nullptr;
}

QByteArray rawExchange(quint16 port, const QByteArray &request, int timeoutMs)
{
    // Event-loop waits only: the server under test usually runs in this thread.
    QTcpSocket socket;
    QByteArray response;
    QObject::connect(&socket, &QIODevice::readyRead, [&] { response += socket.readAll(); });
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000))
        return "<no connection>";
    socket.write(request);
    const bool closed = QTest::qWaitFor(
        [&] { return socket.state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
    response += socket.readAll();
    if (!closed)
        response += "<timeout>";
    return response;
}

int statusOf(const QByteArray &response)
{
    static const QRegularExpression statusLine(QStringLiteral("^HTTP/1\\.[01] (\\d{3}) "));
    const auto match = statusLine.match(QString::fromLatin1(response));
    return match.hasMatch() ? match.captured(1).toInt() : 0;
}

QByteArray upgradeRequest(const QByteArray &path, const QByteArray &extraHeaders,
                          const QByteArray &key)
{
    return "GET " + path
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Version: 13\r\n"
        + (key.isEmpty() ? QByteArray() : "Sec-WebSocket-Key: " + key + "\r\n") + extraHeaders
        + "\r\n";
}

quint16 waitForListeningPort(QProcess &process, int timeoutMs)
{
    static const QRegularExpression pattern(
        QStringLiteral("listening(?::\\s+https?://[^:/]+:| )(\\d+)"));
    QByteArray seen;
    quint16 port = 0;
    std::ignore = QTest::qWaitFor(
        [&] {
            seen += process.readAllStandardOutput();
            const auto match = pattern.match(QString::fromUtf8(seen));
            if (match.hasMatch())
                port = quint16(match.captured(1).toUInt());
            return port != 0 || process.state() == QProcess::NotRunning;
        },
        timeoutMs);
    if (port == 0)
        qWarning("no listening port in output: %s / stderr: %s", seen.constData(),
                 process.readAllStandardError().constData());
    return port;
}

QString debianPython()
{
    return QStringLiteral("/usr/bin/python3");
}

QString shownAsToolTip(const QString &tip)
{
    if (!Qt::mightBeRichText(tip))
        return tip;
    QTextDocument document;
    document.setHtml(tip);
    return document.toPlainText();
}

} // namespace wslab::test

namespace wslab::test {

QStringList ProcessResult::outLines() const
{
    return QString::fromUtf8(out).split(u'\n', Qt::SkipEmptyParts);
}

QProcessEnvironment programEnvironment(const QString &language)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : { "LC_ALL", "LC_MESSAGES", "LANGUAGE" })
        environment.remove(QLatin1StringView(name));
    environment.insert(QStringLiteral("LANG"),
                       language.isEmpty() ? QStringLiteral("C.UTF-8") : language);
    return environment;
}

ProcessResult runProcess(const QString &program, const QStringList &arguments, int timeoutMs,
                         const QString &language)
{
    ProcessResult result;
    QProcess process;
    process.setProcessEnvironment(programEnvironment(language));
    process.start(program, arguments);
    if (!process.waitForStarted(5000)) {
        result.err = "could not start " + program.toUtf8() + ": " + process.errorString().toUtf8();
        return result;
    }
    result.finished
        = QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, timeoutMs);
    if (!result.finished) {
        process.kill();
        process.waitForFinished(2000);
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

ScopedProcess::ScopedProcess(const QString &program, const QStringList &arguments)
{
    m_process.setProcessEnvironment(programEnvironment());
    m_process.start(program, arguments);
    m_process.waitForStarted(5000);
}

ScopedProcess::~ScopedProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(2000);
    }
}

HandshakeEchoServer::HandshakeEchoServer(const QStringList &arguments)
    : m_process(debianPython(),
                QStringList { QStringLiteral(WSLAB_INTEROP_DIR "/handshake_echo_server.py") }
                    + arguments)
{
    m_port = waitForListeningPort(*m_process);
}

QStringList reportedHeaders(const QJsonObject &report)
{
    QStringList headers;
    for (const QJsonValue &header : report.value(QStringLiteral("headers")).toArray())
        headers << header.toArray().at(0).toString() + QStringLiteral(": ")
                + header.toArray().at(1).toString();
    return headers;
}

} // namespace wslab::test
