// wslab-client: the lesson's exercise 2 — connect, print what the server sends.
// Written like the lesson's Tornado client: await the connection, then await each message
// until "None" (here: nullopt) says the connection is closed.

#include "clientargs.h"
#include "cowebsocket.h"
#include "language.h"
#include "reconnectbackoff.h"
#include "unixsignals.h"
#include "wirelines.h"
#include "wiresession.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QNetworkRequest>
#include <QTextStream>
#include <QTimer>

#include <QCoro/QCoroSignal>
#include <QCoro/QCoroTask>

#include <memory>
#include <optional>

using namespace wslab;

namespace {

enum ExitCode {
    Ok = 0, // N messages received, Ctrl+C, or the server closed with 1000/1001
    ConnectFailed = 1, // refused, unreachable, handshake rejected, timed out
    Usage = 2, // bad arguments
    ClosedAbnormally = 3, // the server closed with another code, or TCP dropped (1006)
};

struct Options
{
    QUrl url;
    QStringList sends;
    qint64 count = 0; // 0: until closed
    ConnectOptions connect; // --header, --subprotocol, --query, --timeout, TLS, proxy, …
    Handshake handshake; // the request (URL with --query, headers) and subprotocols offered
    QSslConfiguration serverTls; // how the server is verified, the client certificate
    QNetworkProxy proxy; // --proxy, or none
    qint64 maxMessageSize = defaultClientMaxMessageSize;
    bool wire = false;
};

struct ClientMain
{
    Q_DECLARE_TR_FUNCTIONS(wslab::ClientMain)
};

std::optional<Options> parseArguments(const QCoreApplication &app, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(ClientMain::tr(
        "Connects to a WebSocket server, sends each --send, and prints every message it\n"
        "receives on its own line (binary as hex). Status goes to stderr.\n"
        "The subprotocol the server chose is reported on stderr (\"subprotocol: chat\" or\n"
        "\"no subprotocol\").\n"
        "Exit status: 0 after --count messages, Ctrl+C, or a normal close by the server;\n"
        "1 when the connection or handshake fails; 2 for bad arguments; 3 when the\n"
        "server closes with another code, a message is over --max-message-size (1009),\n"
        "or the connection drops.\n"
        "With --reconnect a close by the server or a drop is followed by a new attempt\n"
        "after 1, 2, 4 … 30 s (failed attempts too), until --count messages or Ctrl+C\n"
        "(exit status 0); only a failure of the very first connection exits (1)."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("url"), ClientMain::tr("ws:// or wss:// URL, e.g. ws://127.0.0.1:8888/ws"));
    const QCommandLineOption send(
        QStringLiteral("send"),
        ClientMain::tr("Text message to send after connecting (repeatable)."),
        QStringLiteral("text"));
    const QCommandLineOption count(QStringLiteral("count"),
                                   ClientMain::tr("Exit after this many received messages."),
                                   QStringLiteral("n"));
    const QCommandLineOption maxMessageSize(
        QStringLiteral("max-message-size"),
        ClientMain::tr("Largest message or frame accepted from the server, in bytes (default\n"
                       "16 MiB); a larger one closes the connection with 1009."),
        QStringLiteral("bytes"), QString::number(defaultClientMaxMessageSize));
    const QCommandLineOption wire(
        QStringLiteral("wire"),
        ClientMain::tr("Show the bytes on the wire: the handshake lines (\"> \" client to\n"
                       "server, \"< \" back) and one line per frame, decoded."));
    parser.addOptions({ send, count, maxMessageSize, wire });
    const ConnectionArguments connection;
    connection.addTo(parser);
    parser.process(app);

    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        *error = positional.isEmpty()
            ? ClientMain::tr("a URL is required")
            : ClientMain::tr("one URL only, got %1").arg(positional.size());
        return std::nullopt;
    }
    Options options;
    const auto url = parseWebSocketUrl(positional.constFirst(), error);
    if (!url)
        return std::nullopt;
    options.url = *url;
    options.sends = parser.values(send);
    bool ok = true;
    if (parser.isSet(count)) {
        options.count = parser.value(count).toLongLong(&ok);
        if (!ok || options.count < 1) {
            *error = ClientMain::tr("--count: \"%1\" must be a whole number of at least 1")
                         .arg(parser.value(count));
            return std::nullopt;
        }
    }
    const auto connect = connection.read(parser, error);
    if (!connect)
        return std::nullopt;
    options.connect = *connect;
    // ConnectionArguments::read() checked each of them: these cannot fail now.
    options.handshake = *makeHandshake(options.url, options.connect, error);
    options.serverTls = *makeTlsConfiguration(options.connect.tls, {}, error);
    options.proxy = *makeProxy(options.connect.proxy, error);
    options.maxMessageSize = parser.value(maxMessageSize).toLongLong(&ok);
    if (!ok || options.maxMessageSize < 1) {
        *error = ClientMain::tr("--max-message-size: \"%1\" must be a positive number of bytes")
                     .arg(parser.value(maxMessageSize));
        return std::nullopt;
    }
    options.wire = parser.isSet(wire);
    return options;
}

// Routes the connection through a local wire tap and prints what it decodes. When the tap
// cannot open the tunnel, `tunnelFailure` says why (Qt only reports a proxy error).
bool startWireTap(const Options &options, CoWebSocket &ws, WireSession &wire,
                  QString *tunnelFailure)
{
    const bool secure = options.url.scheme() == u"wss";
    WireTarget target;
    // The name as Qt asks the proxy for it: punycode for an internationalized one.
    target.host = options.url.host(QUrl::EncodeUnicode);
    target.port = quint16(options.url.port(secure ? 443 : 80));
    target.tls = secure;
    target.tlsConfiguration = options.serverTls; // the tap verifies the server as asked
    target.proxy = options.proxy; // and reaches it through --proxy
    if (!wire.start(target))
        return false;
    ws.socket()->setProxy(wire.tap()->proxy());
    if (const QList<QSslCertificate> tapTrust = wire.clientTrust(); !tapTrust.isEmpty()) {
        // TLS to the tap, which verifies the server: trust the tap's certificate, made for this
        // run, and nothing else.
        QSslConfiguration toTap = QSslConfiguration::defaultConfiguration();
        toTap.setCaCertificates(tapTrust);
        ws.socket()->setSslConfiguration(toTap);
    }
    QObject::connect(&wire, &WireSession::event, &wire,
                     [tunnelFailure, tunnelOpen = false](const WireEvent &event) mutable {
                         using Kind = WireEvent::Kind;
                         // Open once the request crossed (wss://: after TCP, the server's
                         // certificate may still refuse it). The tap's own errors are in the
                         // TCP phase.
                         tunnelOpen = tunnelOpen || event.kind == Kind::HandshakeRequest;
                         if (!tunnelOpen && tunnelFailure->isEmpty()
                             && ((event.kind == Kind::Error && event.phase == Phase::Tcp)
                                 || event.kind == Kind::TunnelRefused))
                             *tunnelFailure = event.text;
                         QTextStream out(stdout);
                         for (const QString &line : wireLines(event))
                             out << line << Qt::endl;
                     });
    return true;
}

struct Attempt
{
    bool opened = false;
    int exitCode = Ok;
};

// One connection, from open to close. `received` counts across reconnections.
QCoro::Task<Attempt> runOnce(const Options &options, CoWebSocket &ws, const QString &tunnelFailure,
                             qint64 &received)
{
    QTextStream out(stdout);
    QTextStream err(stderr);

    err << ClientMain::tr("connecting to %1").arg(options.handshake.request.url().toString())
        << Qt::endl;
    if (!co_await ws.open(options.handshake.request, options.handshake.options,
                          options.connect.timeout)) {
        err << "wslab-client: "
            << ClientMain::tr("cannot connect to %1: %2")
                   .arg(options.url.toString(),
                        tunnelFailure.isEmpty()
                            ? ws.errorString()
                            : tapFailureMessage(tunnelFailure, options.url).toString())
            << Qt::endl;
        co_return Attempt { false, ConnectFailed };
    }
    err << ClientMain::tr("connected") << Qt::endl;
    if (!options.connect.subprotocols.isEmpty())
        err << (ws.subprotocol().isEmpty()
                    ? ClientMain::tr("no subprotocol")
                    : ClientMain::tr("subprotocol: %1").arg(ws.subprotocol()))
            << Qt::endl;

    for (const QString &text : options.sends)
        ws.sendText(text);

    while (const auto message = co_await ws.readMessage()) {
        if (message->binary)
            out << "[binary " << message->payload.size() << " B] " << message->payload.toHex(' ');
        else
            out << QString::fromUtf8(message->payload);
        out << Qt::endl;
        if (options.count && ++received == options.count) {
            ws.close(1000, QStringLiteral("done"));
            co_await ws.waitClosed();
            co_return Attempt { true, Ok };
        }
    }

    const CloseInfo info = ws.closeInfo();
    err << ClientMain::tr("connection closed by %1: code %2")
               .arg(initiatorName(info.initiator).toString())
               .arg(info.code);
    if (!info.reason.isEmpty())
        err << " \"" << info.reason << '"';
    if (const QString meaning = closeCodeMeaning(info.code).toString(); !meaning.isEmpty())
        err << " (" << meaning << ')';
    err << Qt::endl;
    // Ctrl+C closes with 1000; anything else from our side is Qt refusing what the server sent
    // (1009 for a message over --max-message-size).
    const bool normal = info.code == 1000 || info.code == 1001;
    co_return Attempt { true, normal ? Ok : ClosedAbnormally };
}

// `ws` lives outside the coroutine: its signals may still be on the stack when we finish. With
// --reconnect each attempt gets a new CoWebSocket (one open() each), configured as the first.
QCoro::Task<int> run(const Options &options, std::unique_ptr<CoWebSocket> &ws,
                     UnixSignals &unixSignals, const QString &tunnelFailure)
{
    QTextStream err(stderr);
    bool interrupted = false;
    ReconnectBackoff backoff;
    QObject::connect(&unixSignals, &UnixSignals::interrupted, &backoff, [&] {
        interrupted = true;
        backoff.cancel();
        ws->close(1000, QStringLiteral("client interrupted"));
    });

    qint64 received = 0;
    bool everOpened = false;
    for (;;) {
        const Attempt attempt = co_await runOnce(options, *ws, tunnelFailure, received);
        everOpened = everOpened || attempt.opened;
        const bool done = options.count && received >= options.count;
        if (!options.connect.reconnect || interrupted || done || !everOpened)
            co_return interrupted ? int(Ok) : attempt.exitCode;
        if (attempt.opened)
            backoff.reset();
        backoff.schedule();
        err << ClientMain::tr("reconnecting in %1 s").arg(backoff.stepsLeft()) << Qt::endl;
        while (backoff.isPending())
            co_await qCoro(&backoff, &ReconnectBackoff::countdown);
        if (interrupted)
            co_return Ok;
        auto next = std::make_unique<CoWebSocket>();
        next->setMaxIncomingMessageSize(options.maxMessageSize);
        // Through the tap, or directly: as startWireTap() or main() set up the first one.
        next->socket()->setProxy(ws->socket()->proxy());
        next->socket()->setSslConfiguration(ws->socket()->sslConfiguration());
        ws.release()->deleteLater();
        ws = std::move(next);
    }
}

QCoro::Task<> runAndExit(const Options &options, std::unique_ptr<CoWebSocket> &ws,
                         UnixSignals &unixSignals, const QString &tunnelFailure)
{
    QCoreApplication::exit(co_await run(options, ws, unixSignals, tunnelFailure));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("wslab-client"));
    QCoreApplication::setApplicationVersion(QStringLiteral(WSLAB_VERSION));
    Language::apply(Language::systemDefault()); // LANG=zh_CN.UTF-8: help and status in Chinese

    QString error;
    const auto options = parseArguments(app, &error);
    if (!options) {
        QTextStream(stderr) << "wslab-client: " << error << Qt::endl
                            << ClientMain::tr("Try wslab-client --help.") << Qt::endl;
        return Usage;
    }

    UnixSignals unixSignals;
    auto ws = std::make_unique<CoWebSocket>();
    ws->setMaxIncomingMessageSize(options->maxMessageSize);
    ws->socket()->setSslConfiguration(options->serverTls);
    ws->socket()->setProxy(options->proxy);
    if (!options->connect.tls.verify && options->url.scheme() == u"wss")
        QTextStream(stderr) << "wslab-client: "
                            << ClientMain::tr("warning: --insecure: the server's certificate is "
                                              "NOT verified")
                            << Qt::endl;
    WireSession wire;
    QString tunnelFailure;
    if (options->wire && !startWireTap(*options, *ws, wire, &tunnelFailure)) {
        QTextStream(stderr)
            << "wslab-client: "
            << (wire.errorString().isEmpty()
                    ? ClientMain::tr("cannot start the wire tap on 127.0.0.1")
                    : ClientMain::tr("cannot start the wire tap: %1").arg(wire.errorString()))
            << Qt::endl;
        return ConnectFailed;
    }
    // Started from the event loop, so that exit() always lands in a running loop.
    QTimer::singleShot(0, &app, [&] { runAndExit(*options, ws, unixSignals, tunnelFailure); });
    return app.exec();
}
