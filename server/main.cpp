// wslab-server: the lesson's exercise 1 — a WebSocket server that pushes Beijing time.

#include "embeddedserver.h"
#include "language.h"
#include "nonblockingoutput.h"
#include "originpolicy.h"
#include "serverdispatcher.h"
#include "serverlog.h"
#include "unixsignals.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTextStream>

#include <optional>

#include <unistd.h>

using namespace wslab;

namespace {

struct ServerMain
{
    Q_DECLARE_TR_FUNCTIONS(wslab::ServerMain)
};

struct Options
{
    ServerConfig config;
    ServerLog::Detail detail = ServerLog::Detail::Everything;
    QString warning; // said before starting (an expired certificate, ...)
};

std::optional<Options> parseArguments(const QCoreApplication &app, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        ServerMain::tr(
            "WsLab's WebSocket server, headless: serves / (a page) and /time over HTTP,\n"
            "/ws (echo + Beijing-time push) and /chat over WebSocket, on one port.")
        + u'\n'
        + ServerMain::tr("Several of them behind nginx share chat, broadcasts and news through "
                         "Redis\n(--redis, --instance; scripts/cluster starts such a cluster)."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption host(QStringLiteral("host"),
                                  ServerMain::tr("Address to listen on (default 127.0.0.1; "
                                                 "0.0.0.0 to accept the LAN)."),
                                  QStringLiteral("address"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption port(QStringLiteral("port"),
                                  ServerMain::tr("Port (default 8888; 0 for any free port)."),
                                  QStringLiteral("port"), QStringLiteral("8888"));
    const QCommandLineOption nextFree(
        QStringLiteral("next-free-port"),
        ServerMain::tr("If the port is taken, use the next free one."));
    const QCommandLineOption interval(
        QStringLiteral("interval"),
        ServerMain::tr("Seconds between Beijing-time pushes on /ws "
                       "(default 1; fractions allowed; 0 = no push)."),
        QStringLiteral("seconds"), QStringLiteral("1"));
    const QCommandLineOption maxConnections(
        QStringLiteral("max-connections"),
        ServerMain::tr("Most TCP connections at once (default 1000)."), QStringLiteral("n"),
        QStringLiteral("1000"));
    const QCommandLineOption maxMessage(QStringLiteral("max-message-size"),
                                        ServerMain::tr("Largest message or frame in bytes; "
                                                       "larger ones close the client with 1009 "
                                                       "(default 16777216)."),
                                        QStringLiteral("bytes"), QStringLiteral("16777216"));
    const QCommandLineOption handshakeTimeout(QStringLiteral("handshake-timeout"),
                                              ServerMain::tr("Milliseconds a client has to send a "
                                                             "complete request (default 10000)."),
                                              QStringLiteral("ms"), QStringLiteral("10000"));
    const QCommandLineOption quiet(QStringLiteral("quiet"),
                                   ServerMain::tr("Log connections only, no messages. (Without "
                                                  "it, messages are logged one by one up to a "
                                                  "rate a person can read, then summarized "
                                                  "once a second.)"));
    const QCommandLineOption maxPerAddress(
        QStringLiteral("max-per-address"),
        ServerMain::tr("Most connections from one address (default 256; 0 = no limit)."),
        QStringLiteral("n"), QStringLiteral("256"));
    const QCommandLineOption maxChat(
        QStringLiteral("max-chat-message-size"),
        ServerMain::tr("Largest /chat message in bytes, which goes to every member; larger ones "
                       "close the sender with 1009 (default 65536)."),
        QStringLiteral("bytes"), QStringLiteral("65536"));
    const QCommandLineOption allowOrigin(
        QStringLiteral("allow-origin"),
        ServerMain::tr("Let web pages from ORIGIN (e.g. http://192.168.1.20:8000) open "
                       "WebSockets; repeatable; * allows any page. By default only this "
                       "server's own pages and programs that send no Origin may."),
        QStringLiteral("origin"));
    const QCommandLineOption idleTimeout(
        QStringLiteral("idle-timeout"),
        ServerMain::tr("Seconds a WebSocket may stay silent before it is pinged, and closed "
                       "if it does not answer within as long again (default 0 = never)."),
        QStringLiteral("seconds"), QStringLiteral("0"));
    const QCommandLineOption tlsCert(
        QStringLiteral("tls-cert"),
        ServerMain::tr("PEM certificate (chain) file: serve https:// and wss:// on the port."),
        QStringLiteral("file"));
    const QCommandLineOption tlsKey(QStringLiteral("tls-key"),
                                    ServerMain::tr("PEM private key for --tls-cert."),
                                    QStringLiteral("file"));
    const QCommandLineOption redis(
        QStringLiteral("redis"),
        ServerMain::tr("Share /chat rooms, broadcasts and /news with the other instances "
                       "through the Redis at URL (redis://[:password@]host[:port], e.g. "
                       "redis://127.0.0.1:6379; see scripts/cluster). While Redis is "
                       "unreachable this instance serves its own clients and retries. Needs "
                       "--instance."),
        QStringLiteral("url"));
    const QCommandLineOption instance(
        QStringLiteral("instance"),
        ServerMain::tr("This server's name among several behind a proxy (letters, digits, '.', "
                       "'_', '-'): every HTTP response carries X-WsLab-Instance: NAME, and the "
                       "log and the chat's join notices say which instance a client landed on."),
        QStringLiteral("name"));
    parser.addOptions({ host, port, nextFree, interval, maxConnections, maxPerAddress, maxMessage,
                        maxChat, handshakeTimeout, idleTimeout, allowOrigin, tlsCert, tlsKey, quiet,
                        redis, instance });
    parser.process(app); // --help, --version and unknown options exit here

    if (!parser.positionalArguments().isEmpty()) {
        *error = ServerMain::tr("unexpected argument \"%1\"")
                     .arg(parser.positionalArguments().constFirst());
        return std::nullopt;
    }

    Options options;
    ServerConfig &config = options.config;
    if (!config.host.setAddress(parser.value(host))) {
        *error = ServerMain::tr("--host: \"%1\" is not an IP address").arg(parser.value(host));
        return std::nullopt;
    }
    bool ok = false;
    const uint portValue = parser.value(port).toUInt(&ok);
    if (!ok || portValue > 65535) {
        *error = ServerMain::tr("--port: \"%1\" is not a port number (0 to 65535)")
                     .arg(parser.value(port));
        return std::nullopt;
    }
    config.port = quint16(portValue);
    config.useNextFreePort = parser.isSet(nextFree);

    const double seconds = parser.value(interval).toDouble(&ok);
    if (!ok || !qIsFinite(seconds) || seconds < 0 || seconds > 86400) {
        *error = ServerMain::tr("--interval: \"%1\" must be a number of seconds from 0 to 86400")
                     .arg(parser.value(interval));
        return std::nullopt;
    }
    config.pushInterval = seconds;

    const int connections = parser.value(maxConnections).toInt(&ok);
    if (!ok || connections < 1) {
        *error = ServerMain::tr("--max-connections: \"%1\" must be a whole number of at least 1")
                     .arg(parser.value(maxConnections));
        return std::nullopt;
    }
    config.limits.maxConnections = connections;

    const qint64 bytes = parser.value(maxMessage).toLongLong(&ok);
    if (!ok || bytes < 1 || bytes > qint64(1) << 30) {
        *error = ServerMain::tr("--max-message-size: \"%1\" must be from 1 to 1073741824 bytes")
                     .arg(parser.value(maxMessage));
        return std::nullopt;
    }
    config.limits.maxMessageSize = bytes;
    config.limits.maxFrameSize = bytes;
    config.limits.maxSendBuffer = qMax(config.limits.maxSendBuffer, 2 * bytes);

    const int ms = parser.value(handshakeTimeout).toInt(&ok);
    if (!ok || ms < 1) {
        *error = ServerMain::tr(
                     "--handshake-timeout: \"%1\" must be a positive number of milliseconds")
                     .arg(parser.value(handshakeTimeout));
        return std::nullopt;
    }
    config.limits.handshakeTimeout = std::chrono::milliseconds(ms);

    const int perAddress = parser.value(maxPerAddress).toInt(&ok);
    if (!ok || perAddress < 0) {
        *error = ServerMain::tr("--max-per-address: \"%1\" must be a whole number (0 = no limit)")
                     .arg(parser.value(maxPerAddress));
        return std::nullopt;
    }
    config.limits.maxPerAddress = perAddress;

    const qint64 chatBytes = parser.value(maxChat).toLongLong(&ok);
    if (!ok || chatBytes < 1 || chatBytes > qint64(1) << 30) {
        *error = ServerMain::tr("--max-chat-message-size: \"%1\" must be from 1 to 1073741824 "
                                "bytes")
                     .arg(parser.value(maxChat));
        return std::nullopt;
    }
    config.limits.maxChatMessageSize = chatBytes;

    const double idle = parser.value(idleTimeout).toDouble(&ok);
    if (!ok || !qIsFinite(idle) || idle < 0 || idle > 86400) {
        *error = ServerMain::tr("--idle-timeout: \"%1\" must be a number of seconds from 0 to "
                                "86400")
                     .arg(parser.value(idleTimeout));
        return std::nullopt;
    }
    config.limits.idleTimeout = std::chrono::milliseconds(qRound64(idle * 1000));

    for (const QString &origin : parser.values(allowOrigin)) {
        QString problem;
        if (!OriginPolicy::normalize(origin, &problem)) {
            *error = ServerMain::tr("--allow-origin: %1").arg(problem);
            return std::nullopt;
        }
        config.allowedOrigins.append(origin);
    }

    if (parser.isSet(tlsCert) != parser.isSet(tlsKey)) {
        *error = ServerMain::tr("--tls-cert and --tls-key go together");
        return std::nullopt;
    }
    if (parser.isSet(tlsCert)) {
        QString problem, warning;
        config.tls
            = loadTlsCredentials(parser.value(tlsCert), parser.value(tlsKey), &problem, &warning);
        if (!config.tls) {
            *error = problem;
            return std::nullopt;
        }
        options.warning = warning;
    }
    if (parser.isSet(instance)) {
        if (const QString problem = instanceNameProblem(parser.value(instance));
            !problem.isEmpty()) {
            *error = ServerMain::tr("--instance: %1").arg(problem);
            return std::nullopt;
        }
        config.instance = parser.value(instance);
    }
    if (parser.isSet(redis)) {
        QString problem;
        config.redis = RedisEndpoint::fromUrl(parser.value(redis), &problem);
        if (!config.redis) {
            *error = ServerMain::tr("--redis: %1").arg(problem);
            return std::nullopt;
        }
        if (config.instance.isEmpty()) {
            *error = ServerMain::tr("--redis needs --instance NAME, a different name for each "
                                    "instance");
            return std::nullopt;
        }
    }
    options.detail
        = parser.isSet(quiet) ? ServerLog::Detail::Connections : ServerLog::Detail::Everything;
    return options;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setEventDispatcher(createServerEventDispatcher());
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("wslab-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(WSLAB_VERSION));
    Language::apply(Language::systemDefault()); // LANG=zh_CN.UTF-8: the help and log in Chinese

    // The log goes through a buffer its own thread writes out, so a terminal or pipe that does
    // not keep up loses log lines (counted) instead of stalling the server.
    NonBlockingOutput stdoutDevice(STDOUT_FILENO);
    QTextStream out(&stdoutDevice);
    QTextStream err(stderr);
    QString error;
    const auto options = parseArguments(app, &error);
    if (!options) {
        err << "wslab-server: " << error << Qt::endl
            << ServerMain::tr("Try wslab-server --help.") << Qt::endl;
        return 2;
    }

    // Qt 6.4 warns each time an upgrade request is declined, which is how a bad handshake is
    // rejected; the log below already says so, with the reason.
    QLoggingCategory::setFilterRules(QStringLiteral("qt.httpserver.warning=false"));

    if (!options->warning.isEmpty())
        err << "wslab-server: " << ServerMain::tr("warning: %1").arg(options->warning) << Qt::endl;
    EmbeddedServer server(options->config);
    ServerLog log(&server, &out, options->detail);
    if (!server.start()) {
        err << "wslab-server: " << server.errorString() << Qt::endl;
        if (options->config.port != 0)
            err << ServerMain::tr("Choose another port with --port N, --port 0 for any free port, "
                                  "or add --next-free-port.")
                << Qt::endl;
        return 1;
    }
    if (options->config.tls)
        out << ServerMain::tr("TLS certificate SHA-256 fingerprint: %1 (clients that do not "
                              "know the certificate should check it)")
                   .arg(sha256Fingerprint(options->config.tls->certificate))
            << Qt::endl;
    if (server.port() != options->config.port && options->config.port != 0)
        out << ServerMain::tr("Port %1 was taken; using %2 instead.")
                   .arg(options->config.port)
                   .arg(server.port())
            << Qt::endl;

    // Ctrl+C: close every client with 1001 Going Away, then exit.
    UnixSignals unixSignals;
    QObject::connect(&unixSignals, &UnixSignals::interrupted, &app,
                     [] { QCoreApplication::quit(); });
    const int status = app.exec();
    server.stop();
    out << ServerMain::tr("stopped") << Qt::endl;
    return status;
}
