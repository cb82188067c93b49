// bench-qt-echo: Qt's own WebSocket echo, the reference point of WsLab's server benchmarks.
// Kept as bare as Qt's echoserver example on purpose (default event dispatcher, no tuning):
// it shows what QWebSocketServer gives before any of wslab-server's work.
// Like the other peers: --port 0 prints "listening PORT"; --interval S pushes the Beijing
// time string (the format wslab-server pushes) to every client every S seconds.

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QHostAddress>
#include <QList>
#include <QTextStream>
#include <QTimeZone>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <utility>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("Port (0: any free)."),
                                  QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption interval(QStringLiteral("interval"),
                                      QStringLiteral("Seconds between time pushes (0: none)."),
                                      QStringLiteral("seconds"), QStringLiteral("0"));
    parser.addOptions({ port, interval });
    parser.process(app);

    QWebSocketServer server(QStringLiteral("bench-qt-echo"), QWebSocketServer::NonSecureMode);
    if (!server.listen(QHostAddress::LocalHost, quint16(parser.value(port).toUInt()))) {
        QTextStream(stderr) << "bench-qt-echo: " << server.errorString() << Qt::endl;
        return 1;
    }

    QList<QWebSocket *> clients;
    QObject::connect(&server, &QWebSocketServer::newConnection, &server, [&] {
        while (QWebSocket *socket = server.nextPendingConnection()) {
            QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                             [socket](const QString &message) { socket->sendTextMessage(message); });
            QObject::connect(socket, &QWebSocket::binaryMessageReceived, socket,
                             [socket](const QByteArray &message) {
                                 socket->sendBinaryMessage(message);
                             });
            QObject::connect(socket, &QWebSocket::disconnected, socket, [&clients, socket] {
                clients.removeOne(socket);
                socket->deleteLater();
            });
            clients.append(socket);
        }
    });

    QTimer push;
    const double seconds = parser.value(interval).toDouble();
    if (seconds > 0) {
        const QTimeZone beijing(QByteArrayLiteral("Asia/Shanghai"));
        QObject::connect(&push, &QTimer::timeout, &server, [&clients, beijing] {
            const QString now
                = QDateTime::currentDateTimeUtc().toTimeZone(beijing).toString(Qt::ISODate);
            for (QWebSocket *socket : std::as_const(clients))
                socket->sendTextMessage(now);
        });
        push.start(qMax(1, qRound(seconds * 1000)));
    }

    QTextStream(stdout) << "listening " << server.serverPort() << Qt::endl;
    return app.exec();
}
