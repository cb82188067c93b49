#include "closetracker.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QUrl>
#include <QWebSocket>

#include <initializer_list>

namespace wslab {

namespace {
// Qt's own text, as it reads in the language Qt's translators give it (or in English).
bool isQtText(const QString &text, std::initializer_list<const char *> contexts, const char *source)
{
    if (text == QLatin1StringView(source))
        return true;
    for (const char *context : contexts)
        if (text == QCoreApplication::translate(context, source))
            return true;
    return false;
}

bool endsWithQtText(const QString &text, std::initializer_list<const char *> contexts,
                    const char *source)
{
    if (text.endsWith(QLatin1StringView(source)))
        return true;
    for (const char *context : contexts)
        if (text.endsWith(QCoreApplication::translate(context, source)))
            return true;
    return false;
}

// "例子.测试 (xn--fsqu00a.xn--0zwm56d)", "[::1]", "127.0.0.1".
QString hostForPeople(const QUrl &url)
{
    const QString ace = url.host(QUrl::EncodeUnicode);
    if (ace.contains(u':'))
        return u'[' + ace + u']';
    const QString unicode = QUrl::fromAce(ace.toLatin1(), QUrl::IgnoreIDNWhitelist);
    return unicode == ace ? ace : QStringLiteral("%1 (%2)").arg(unicode, ace);
}

int portOf(const QUrl &url)
{
    return url.port(url.scheme() == u"wss" ? 443 : 80);
}
} // namespace

QString closeCodeMeaning(quint16 code)
{
    switch (code) {
    case 1000:
        return CloseTracker::tr("normal closure");
    case 1001:
        return CloseTracker::tr("going away");
    case 1002:
        return CloseTracker::tr("protocol error");
    case 1003:
        return CloseTracker::tr("unsupported data");
    case 1005:
        return CloseTracker::tr("no status code");
    case 1006:
        return CloseTracker::tr("abnormal closure");
    case 1007:
        return CloseTracker::tr("invalid data");
    case 1008:
        return CloseTracker::tr("policy violation");
    case 1009:
        return CloseTracker::tr("message too big");
    case 1010:
        return CloseTracker::tr("extension required");
    case 1011:
        return CloseTracker::tr("internal error");
    case 1012:
        return CloseTracker::tr("service restart");
    case 1013:
        return CloseTracker::tr("try again later");
    case 1015:
        return CloseTracker::tr("TLS handshake failed");
    default:
        return {};
    }
}

QString describeClose(const CloseInfo &info)
{
    const QString who = info.initiator == Initiator::Client ? CloseTracker::tr("closed by client")
        : info.initiator == Initiator::Server               ? CloseTracker::tr("closed by server")
                                              : CloseTracker::tr("dropped (nobody closed it)");
    const QString meaning = closeCodeMeaning(info.code);
    return CloseTracker::tr("%1: code %2%3%4, %5")
        .arg(who, QString::number(info.code),
             info.reason.isEmpty() ? QString() : u" \"" + info.reason + u'"',
             meaning.isEmpty() ? QString() : u" (" + meaning + u')',
             info.clean ? CloseTracker::tr("clean") : CloseTracker::tr("no Close frame"));
}

QString readableWebSocketError(const QString &qtError)
{
    static const QString prefix = QStringLiteral("QWebSocketPrivate::");
    if (!qtError.startsWith(prefix))
        return qtError;
    const qsizetype colon = qtError.indexOf(QStringLiteral(": "));
    return CloseTracker::tr("handshake failed: %1")
        .arg(colon < 0 ? qtError : qtError.mid(colon + 2));
}

QString openFailureMessage(QAbstractSocket::SocketError error, const QString &qtError,
                           const QUrl &url)
{
    // Handshake failures first: Qt reports them all as ConnectionRefusedError, told apart
    // from a refused TCP connection only by their text (QWebSocket's, which WsLab does not
    // translate).
    static const QRegularExpression status(
        QStringLiteral("^QWebSocketPrivate::processHandshake: Unhandled http status code: (\\d+) "
                       "\\((.*)\\)\\.?$"));
    if (const auto match = status.match(qtError); match.hasMatch())
        return CloseTracker::tr(
                   "handshake failed: the server answered \"%1 %2\" instead of \"101 Switching "
                   "Protocols\"")
            .arg(match.captured(1), match.captured(2));
    if (qtError.contains(QLatin1StringView("Unknown error condition encountered")))
        return CloseTracker::tr("handshake failed: the server answered \"400 Bad Request\"");
    for (const char *notHttp :
         { "Read handshake request status failed", "Read handshake request header failed",
           "Parsing handshake request header failed" })
        if (isQtText(qtError, { "QWebSocket" }, notHttp))
            return CloseTracker::tr("handshake failed: the server's answer is not HTTP");
    if (isQtText(qtError, { "QWebSocket" }, "Header is too large"))
        return CloseTracker::tr("handshake failed: the server's headers are too long");
    if (qtError.startsWith(QLatin1StringView("QWebSocketPrivate::")))
        return readableWebSocketError(qtError);

    const QString host = hostForPeople(url);
    switch (error) {
    case QAbstractSocket::HostNotFoundError:
        return CloseTracker::tr("cannot find the host %1: the name does not resolve (DNS)")
            .arg(host);
    case QAbstractSocket::ConnectionRefusedError:
        if (isQtText(qtError, { "QAbstractSocket", "QNativeSocketEngine" }, "Connection refused"))
            return CloseTracker::tr("%1 refused the connection: nothing is listening on port %2")
                .arg(host)
                .arg(portOf(url));
        return CloseTracker::tr("handshake failed: %1").arg(qtError);
    case QAbstractSocket::RemoteHostClosedError:
        return CloseTracker::tr("the server closed the connection before answering the handshake");
    case QAbstractSocket::SocketTimeoutError:
        return CloseTracker::tr("connecting to %1 timed out").arg(host);
    default:
        return CloseTracker::tr("cannot reach %1: %2").arg(host, qtError);
    }
}

QString tapFailureMessage(const QString &tapText, const QUrl &url)
{
    if (endsWithQtText(tapText, { "QAbstractSocket", "QHostInfoAgent" }, "Host not found"))
        return openFailureMessage(QAbstractSocket::HostNotFoundError, {}, url);
    if (endsWithQtText(tapText, { "QAbstractSocket", "QNativeSocketEngine" }, "Connection refused"))
        return openFailureMessage(QAbstractSocket::ConnectionRefusedError,
                                  QStringLiteral("Connection refused"), url);
    return tapText;
}

} // namespace wslab
