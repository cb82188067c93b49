// wslab-client: the lesson's exercise 2 — connect, print what the server sends.
// Written like the lesson's Tornado client: await the connection, then await each message
// until "None" (here: nullopt) says the connection is closed.

#include "clientargs.h"
#include "cowebsocket.h"
#include "language.h"
#include "unixsignals.h"
#include "wirelines.h"
#include "wiresession.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QNetworkRequest>
#include <QTextStream>
#include <QTimer>

#include <QCoro/QCoroTask>

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
    QList<QPair<QByteArray, QByteArray>> headers;
    int timeoutMs = 10'000;
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
        "Exit status: 0 after --count messages, Ctrl+C, or a normal close by the server;\n"
        "1 when the connection or handshake fails; 2 for bad arguments; 3 when the\n"
        "server closes with another code, a message is over --max-message-size (1009),\n"
        "or the connection drops."));
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
    const QCommandLineOption header(
        QStringLiteral("header"),
        ClientMain::tr("Extra handshake header 'Name: value' (repeatable)."),
        QStringLiteral("header"));
    const QCommandLineOption timeout(
        QStringLiteral("timeout"),
        ClientMain::tr("Milliseconds to wait for the handshake (default 10000)."),
        QStringLiteral("ms"), QStringLiteral("10000"));
    const QCommandLineOption maxMessageSize(
        QStringLiteral("max-message-size"),
        ClientMain::tr("Largest message or frame accepted from the server, in bytes (default\n"
                       "16 MiB); a larger one closes the connection with 1009."),
        QStringLiteral("bytes"), QString::number(defaultClientMaxMessageSize));
    const QCommandLineOption wire(
        QStringLiteral("wire"),
        ClientMain::tr("Show the bytes on the wire: the handshake lines (\"> \" client to\n"
                       "server, \"< \" back) and one line per frame, decoded."));
    parser.addOptions({ send, count, header, timeout, maxMessageSize, wire });
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
    for (const QString &text : parser.values(header)) {
        const auto parsed = parseHeaderArgument(text, error);
        if (!parsed)
            return std::nullopt;
        options.headers.append(*parsed);
    }
    options.timeoutMs = parser.value(timeout).toInt(&ok);
    if (!ok || options.timeoutMs < 1) {
        *error = ClientMain::tr("--timeout: \"%1\" must be a positive number of milliseconds")
                     .arg(parser.value(timeout));
        return std::nullopt;
    }
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
    target.tlsConfiguration = ws.socket()->sslConfiguration();
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

// `ws` lives outside the coroutine: its signals may still be on the stack when we finish.
QCoro::Task<int> run(const Options &options, CoWebSocket &ws, UnixSignals &unixSignals,
                     const QString &tunnelFailure)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QObject::connect(&unixSignals, &UnixSignals::interrupted, &ws,
                     [&ws] { ws.close(1000, QStringLiteral("client interrupted")); });

    QNetworkRequest request(options.url);
    for (const auto &[name, value] : options.headers)
        request.setRawHeader(name, value);

    err << ClientMain::tr("connecting to %1").arg(options.url.toString()) << Qt::endl;
    if (!co_await ws.open(request, std::chrono::milliseconds(options.timeoutMs))) {
        err << "wslab-client: "
            << ClientMain::tr("cannot connect to %1: %2")
                   .arg(options.url.toString(),
                        tunnelFailure.isEmpty()
                            ? ws.errorString()
                            : tapFailureMessage(tunnelFailure, options.url).toString())
            << Qt::endl;
        co_return ConnectFailed;
    }
    err << ClientMain::tr("connected") << Qt::endl;

    for (const QString &text : options.sends)
        ws.sendText(text);

    qint64 received = 0;
    while (const auto message = co_await ws.readMessage()) {
        if (message->binary)
            out << "[binary " << message->payload.size() << " B] " << message->payload.toHex(' ');
        else
            out << QString::fromUtf8(message->payload);
        out << Qt::endl;
        if (options.count && ++received == options.count) {
            ws.close(1000, QStringLiteral("done"));
            co_await ws.waitClosed();
            co_return Ok;
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
    co_return normal ? Ok : ClosedAbnormally;
}

QCoro::Task<> runAndExit(const Options &options, CoWebSocket &ws, UnixSignals &unixSignals,
                         const QString &tunnelFailure)
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
    CoWebSocket ws;
    ws.setMaxIncomingMessageSize(options->maxMessageSize);
    WireSession wire;
    QString tunnelFailure;
    if (options->wire && !startWireTap(*options, ws, wire, &tunnelFailure)) {
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
