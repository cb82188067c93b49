#include "httproutes.h"

#include "beijingclock.h"
#include "originpolicy.h"

#include <QFile>

namespace wslab {

namespace {

bool isReadOnly(const QByteArray &method)
{
    return method == "GET" || method == "HEAD";
}

QString originOf(const HeaderList &headers)
{
    for (const auto &[name, value] : headers)
        if (name.compare("origin", Qt::CaseInsensitive) == 0)
            return QString::fromLatin1(value);
    return {};
}

RouteDecision respond(HttpResponse response)
{
    RouteDecision decision;
    decision.response = std::move(response);
    return decision;
}

RouteDecision reject(UpgradeVerdict verdict)
{
    RouteDecision decision;
    decision.action = RouteDecision::Action::Reject;
    decision.response = HttpResponse::text(verdict.status, verdict.reason);
    if (verdict.status == 426)
        decision.response.headers.emplaceBack("Sec-WebSocket-Version", "13");
    if (verdict.status == 405)
        decision.response.headers.emplaceBack("Allow", "GET");
    decision.rejection = std::move(verdict);
    return decision;
}

RouteDecision routeUpgrade(const HttpRequestHead &request, const RoutingContext &context)
{
    const std::optional<Route> route = webSocketRoute(request.path);
    if (!route)
        return reject(UpgradeVerdict::refused(
            404,
            Text("wslab::HttpRoutes",
                 QT_TRANSLATE_NOOP("wslab::HttpRoutes",
                                   "no WebSocket endpoint at %1; use /ws or /chat"))
                .arg(request.path)));
    if (UpgradeVerdict verdict = checkUpgradeRequest(request.method, request.headers);
        !verdict.ok())
        return reject(std::move(verdict));
    const QString origin = originOf(request.headers);
    if (context.origins && !context.origins->allows(origin, request.localAddress))
        return reject(UpgradeVerdict::refused(
            403,
            Text("wslab::HttpRoutes",
                 QT_TRANSLATE_NOOP("wslab::HttpRoutes",
                                   "a page from %1 may not open WebSockets here (allowed: this "
                                   "server's own pages; add the origin with --allow-origin or in "
                                   "the server pane)"))
                .arg(origin.left(200))));
    RouteDecision decision;
    decision.action = RouteDecision::Action::Upgrade;
    decision.route = *route;
    decision.requestedName
        = request.query.queryItemValue(QStringLiteral("name"), QUrl::FullyDecoded);
    return decision;
}

HttpResponse page()
{
    QFile file(QStringLiteral(":/wslab/web/index.html"));
    if (!file.open(QIODevice::ReadOnly))
        return HttpResponse::text(500, QStringLiteral("The page is missing from this build."));
    HttpResponse response;
    response.contentType = QByteArrayLiteral("text/html; charset=utf-8");
    response.body = file.readAll();
    return response;
}

HttpResponse uncached(HttpResponse response)
{
    response.headers.emplaceBack("Cache-Control", "no-store");
    return response;
}

} // namespace

HttpResponse HttpResponse::text(int status, const QString &text)
{
    HttpResponse response;
    response.status = status;
    response.body = text.toUtf8() + '\n';
    return response;
}

std::optional<Route> webSocketRoute(const QString &path)
{
    for (Route route : { Route::Echo, Route::Chat, Route::News })
        if (path == routePath(route))
            return route;
    return std::nullopt;
}

RouteDecision routeRequest(const HttpRequestHead &request, const RoutingContext &context)
{
    if (isWebSocketUpgrade(request.headers))
        return routeUpgrade(request, context);

    const QString &path = request.path;
    if (request.method.isEmpty())
        return respond(HttpResponse::text(501, QStringLiteral("This method is not implemented.")));
    if (webSocketRoute(path)) {
        HttpResponse response = HttpResponse::text(
            426,
            QStringLiteral("%1 is a WebSocket endpoint: connect to it with a WebSocket client "
                           "(Upgrade: websocket).")
                .arg(path));
        response.headers.emplaceBack("Upgrade", "websocket");
        response.headers.emplaceBack("Sec-WebSocket-Version", "13");
        // GET /news without an upgrade is the polling side of the demo: it answers.
        if (path != routePath(Route::News))
            return respond(std::move(response));
    }

    std::optional<HttpResponse> found;
    if (path == u"/" || path == u"/index.html")
        found = page();
    else if (path == u"/time")
        found = uncached(HttpResponse::text(200, BeijingTime::format(context.now)));
    else if (path == routePath(Route::News))
        found = uncached(HttpResponse::text(200, context.news));
    if (!found)
        return respond(HttpResponse::text(
            404,
            QStringLiteral("Nothing at %1. Try / (page), /time (Beijing time), /ws (WebSocket "
                           "echo + time push) or /chat.")
                .arg(path)));
    if (!isReadOnly(request.method)) {
        HttpResponse response
            = HttpResponse::text(405,
                                 QStringLiteral("%1 takes GET or HEAD, not %2.")
                                     .arg(path, QString::fromLatin1(request.method)));
        response.headers.emplaceBack("Allow", "GET, HEAD");
        return respond(std::move(response));
    }
    return respond(std::move(*found));
}

} // namespace wslab
