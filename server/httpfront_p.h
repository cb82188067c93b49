#pragma once

// Internal to EmbeddedServer: the QtHttpServer side.

#include "httproutes.h"

#include <QAbstractHttpServer>
#include <QHttpServerResponder>

namespace wslab {

class EmbeddedServer;

// QHttpServer's router would also run a route's handler for an upgrade request; in Qt 6.4 the
// socket is handed to the internal QWebSocketServer only when handleRequest() returns true
// (and newWebSocketConnection is connected), so a bare QAbstractHttpServer that says "true"
// for accepted upgrades, without writing anything, is the clean way in.
class HttpFront : public QAbstractHttpServer
{
    Q_OBJECT

public:
    explicit HttpFront(EmbeddedServer *server);

    // Returns the bytes of the response, as they went to the socket.
    static qint64 respond(const QHttpServerRequest &request, QTcpSocket *socket,
                          const HttpResponse &response);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    EmbeddedServer *m_server;
};

} // namespace wslab
