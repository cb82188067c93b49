#pragma once

// Helpers for tests that talk to real servers over 127.0.0.1.

#include "embeddedserver.h"

#include <QJsonObject>
#include <QProcess>
#include <QTcpSocket>
#include <QWebSocket>

#include <memory>

namespace wslab::test {

// The widget (or other object) named `name` below `root`, as a user would find it; a warning
// naming it when there is none, so the test's failure says which.
template<typename T> T *findNamed(const QObject *root, const char *name)
{
    T *found = root->findChild<T *>(QLatin1StringView(name));
    if (!found)
        qWarning("no object named %s", name);
    return found;
}

// A config for tests: ephemeral port, no push unless asked, short deadlines.
ServerConfig testConfig(double pushInterval = 0);

// Starts an EmbeddedServer or fails the calling test.
std::unique_ptr<EmbeddedServer> startServer(const ServerConfig &config = testConfig());

// Opens `socket` to `url` and waits for the handshake (5 s). Attach spies before calling:
// the server may send its first message in the same packet as the handshake response.
bool openWebSocket(QWebSocket &socket, const QUrl &url);

// Opens a QWebSocket to `url` and waits for the handshake; nullptr (with a QTest failure
// message logged) when it does not connect within 5 s.
std::unique_ptr<QWebSocket> connectWebSocket(const QUrl &url);

// Sends raw bytes on a fresh TCP connection and returns everything the server wrote until it
// closed the connection (or `timeoutMs` passed, then "<timeout>" is appended).
QByteArray rawExchange(quint16 port, const QByteArray &request, int timeoutMs = 5000);

// The status code of the first HTTP response in `response`, or 0.
int statusOf(const QByteArray &response);

// A valid upgrade request for `path`, with `extraHeaders` (CRLF-terminated lines) added.
QByteArray upgradeRequest(const QByteArray &path, const QByteArray &extraHeaders = {},
                          const QByteArray &key = "dGhlIHNhbXBsZSBub25jZQ==");

// Reads the port from a line "listening: http://127.0.0.1:PORT/..." (wslab-server) or
// "listening PORT" (the Python fixtures) on the process's stdout; 0 on timeout. Waits in the
// event loop, so an in-process server keeps serving meanwhile.
quint16 waitForListeningPort(QProcess &process, int timeoutMs = 10000);

// Debian's python3, which sees python3-tornado and python3-websockets (the first python3 on
// PATH may not).
QString debianPython();

// A tool tip as Qt shows it (QToolTip, QLabel): as HTML when it looks like HTML, else as it is.
// Needs a QGuiApplication (QTEST_MAIN).
QString shownAsToolTip(const QString &tip);

} // namespace wslab::test

namespace wslab::test {

struct ProcessResult
{
    int exitCode = -1;
    bool finished = false;
    QByteArray out;
    QByteArray err;
    QStringList outLines() const;
};

// The environment the programs under test run in: this one, with the messages in English
// (LANG=C.UTF-8, whatever the machine's locale) unless `language` names another locale.
QProcessEnvironment programEnvironment(const QString &language = {});

// Runs a program to completion, waiting in the event loop (an in-process server keeps
// serving). A program still running after `timeoutMs` is killed and reported unfinished.
ProcessResult runProcess(const QString &program, const QStringList &arguments,
                         int timeoutMs = 20000, const QString &language = {});

// A started process that is killed when the test leaves its scope, pass or fail.
class ScopedProcess
{
public:
    ScopedProcess(const QString &program, const QStringList &arguments);
    ~ScopedProcess();
    QProcess &operator*() { return m_process; }
    QProcess *operator->() { return &m_process; }

private:
    QProcess m_process;
};

// tests/interop/handshake_echo_server.py (python-websockets), started with `arguments`; it
// sends each client, as its first message, a JSON report of the handshake it received.
class HandshakeEchoServer
{
public:
    explicit HandshakeEchoServer(const QStringList &arguments = {});
    quint16 port() const { return m_port; } // 0: it did not start
    QProcess &process() { return *m_process; }

private:
    ScopedProcess m_process;
    quint16 m_port = 0;
};

// A report's request headers as "Name: value", in order.
QStringList reportedHeaders(const QJsonObject &report);

} // namespace wslab::test
