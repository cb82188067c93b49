#include "httpfront_p.h"

#include "embeddedserver.h"

#include <QHttpServerRequest>
#include <QTcpSocket>

namespace wslab {

HttpFront::HttpFront(EmbeddedServer *server) : QAbstractHttpServer(server), m_server(server) { }

bool HttpFront::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    return m_server->handleHttpRequest(request, socket);
}

void HttpFront::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // Only reached for upgrade requests handleRequest() declined.
    m_server->rejectRequest(request, socket);
}

qint64 HttpFront::respond(const QHttpServerRequest &request, QTcpSocket *socket,
                          const HttpResponse &response)
{
    const qint64 before = socket->bytesToWrite();
    auto responder = makeResponder(request, socket);
    const auto status = QHttpServerResponder::StatusCode(response.status);
    responder.writeStatusLine(status);
    responder.writeHeader("Content-Type", response.contentType);
    responder.writeHeader("Content-Length", QByteArray::number(response.body.size()));
    for (const auto &[name, value] : response.headers)
        responder.writeHeader(name, value);
    // QtHttpServer 6.4 keeps the connection open even when the client asks otherwise.
    const bool close = request.value("connection").toLower().contains("close");
    if (close)
        responder.writeHeader("Connection", "close");
    if (request.method() == QHttpServerRequest::Method::Head)
        responder.writeBody(QByteArray());
    else
        responder.writeBody(response.body);
    const qint64 written = socket->bytesToWrite() - before;
    if (close)
        socket->disconnectFromHost();
    return written;
}

} // namespace wslab
