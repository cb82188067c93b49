#pragma once

#include "upgradecheck.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

#include <optional>

namespace wslab {

class OriginPolicy;

// One HTTP request as the router needs it: no socket, no Qt HTTP server.
struct HttpRequestHead
{
    QByteArray method; // "GET", ...; empty when the server does not know the method
    QString path;
    QUrlQuery query;
    HeaderList headers;
    // The address of this machine the client connected to (its socket's local address): on an
    // any-address, a page from there is one of the server's own. Null when not known.
    QHostAddress localAddress;
};

struct HttpResponse
{
    int status = 200;
    QByteArray contentType = QByteArrayLiteral("text/plain; charset=utf-8");
    QByteArray body;
    HeaderList headers;

    static HttpResponse text(int status, const QString &text);
};

// What the server knows when it answers: the time for /time, the headline for GET /news, the
// pages that may open WebSockets.
struct RoutingContext
{
    QDateTime now;
    QString news; // News::encode() of the latest headline
    const OriginPolicy *origins = nullptr; // null: every origin
};

// The router's decision for one request.
struct RouteDecision
{
    enum class Action {
        Respond, // answer with `response` (plain HTTP)
        Upgrade, // hand the connection to the WebSocket handshake, for `route`
        Reject, // an upgrade refused: answer with `response`; `rejection` says why
    };
    Action action = Action::Respond;
    HttpResponse response;
    Route route = Route::Echo;
    QString requestedName; // ?name= on /chat, as given (ChatRoom makes it a name)
    UpgradeVerdict rejection;
};

// The lesson's router, as a function (answers in English: they go to any client; a refused
// upgrade's reason is also a Text, for the user in the window's language): `/` the page, `/time`
// Beijing time, `/news` the latest headline (the polling side of the demo), `/ws` `/chat` `/news`
// as WebSocket endpoints. GET and HEAD only; a WebSocket endpoint asked over plain HTTP answers
// 426.
RouteDecision routeRequest(const HttpRequestHead &request, const RoutingContext &context);

// The WebSocket route at `path`, if there is one.
std::optional<Route> webSocketRoute(const QString &path);

} // namespace wslab
