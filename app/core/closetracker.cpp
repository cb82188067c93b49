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

// The words of the free functions below, in CloseTracker's context (each source is marked
// with it for lupdate).
Text words(const char *source)
{
    return Text("wslab::CloseTracker", source);
}
} // namespace

Text closeCodeMeaning(quint16 code)
{
    switch (code) {
    case 1000:
        return words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "normal closure"));
    case 1001:
        return words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "going away"));
    case 1002:
        return words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "protocol error"));
    case 1003:
        return words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "unsupported data"));
    case 1005:
        return words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "no status code"));
    case 1006:
        return words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "abnormal closure"));
    case 1007:
        return words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "invalid data"));
    case 1008:
        return words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "policy violation"));
    case 1009:
        return words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "message too big"));
    case 1010:
        return words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "extension required"));
    case 1011:
        return words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "internal error"));
    case 1012:
        return words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "service restart"));
    case 1013:
        return words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "try again later"));
    case 1015:
        return words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "TLS handshake failed"));
    default:
        return {};
    }
}

Text closeSummary(const CloseInfo &info)
{
    const Text who = info.initiator == Initiator::Client
        ? words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "closed by client"))
        : info.initiator == Initiator::Server
        ? words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "closed by server"))
        : words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "dropped (nobody closed it)"));
    const Text meaning = closeCodeMeaning(info.code);
    // The reason is the peer's (or Qt's) words: shown as they are.
    return words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "%1: code %2%3%4, %5"))
        .arg(who)
        .arg(info.code)
        .arg(info.reason.isEmpty() ? QString() : u" \"" + info.reason + u'"')
        .arg(meaning.isEmpty() ? Text::verbatim(QString())
                               : Text::untranslated(" (%1)").arg(meaning))
        .arg(info.clean ? words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "clean"))
                        : words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "no Close frame")));
}

QString describeClose(const CloseInfo &info)
{
    return closeSummary(info).toString();
}

Text readableWebSocketError(const QString &qtError)
{
    static const QString prefix = QStringLiteral("QWebSocketPrivate::");
    if (!qtError.startsWith(prefix))
        return Text::verbatim(qtError);
    const qsizetype colon = qtError.indexOf(QStringLiteral(": "));
    return words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "handshake failed: %1"))
        .arg(colon < 0 ? qtError : qtError.mid(colon + 2));
}

Text openFailureMessage(QAbstractSocket::SocketError error, const QString &qtError, const QUrl &url)
{
    // Handshake failures first: Qt reports them all as ConnectionRefusedError, told apart
    // from a refused TCP connection only by their text (QWebSocket's, which WsLab does not
    // translate).
    static const QRegularExpression status(
        QStringLiteral("^QWebSocketPrivate::processHandshake: Unhandled http status code: (\\d+) "
                       "\\((.*)\\)\\.?$"));
    if (const auto match = status.match(qtError); match.hasMatch())
        return words(
                   QT_TRANSLATE_NOOP(
                       "wslab::CloseTracker",
                       "handshake failed: the server answered \"%1 %2\" instead of \"101 Switching "
                       "Protocols\""))
            .arg(match.captured(1))
            .arg(match.captured(2));
    if (qtError.contains(QLatin1StringView("Unknown error condition encountered")))
        return words(QT_TRANSLATE_NOOP(
            "wslab::CloseTracker", "handshake failed: the server answered \"400 Bad Request\""));
    for (const char *notHttp :
         { "Read handshake request status failed", "Read handshake request header failed",
           "Parsing handshake request header failed" })
        if (isQtText(qtError, { "QWebSocket" }, notHttp))
            return words(QT_TRANSLATE_NOOP("wslab::CloseTracker",
                                           "handshake failed: the server's answer is not HTTP"));
    if (isQtText(qtError, { "QWebSocket" }, "Header is too large"))
        return words(QT_TRANSLATE_NOOP("wslab::CloseTracker",
                                       "handshake failed: the server's headers are too long"));
    if (qtError.startsWith(QLatin1StringView("QWebSocketPrivate::")))
        return readableWebSocketError(qtError);

    const QString host = hostForPeople(url);
    switch (error) {
    case QAbstractSocket::HostNotFoundError:
        return words(QT_TRANSLATE_NOOP("wslab::CloseTracker",
                                       "cannot find the host %1: the name does not resolve (DNS)"))
            .arg(host);
    case QAbstractSocket::ConnectionRefusedError:
        if (isQtText(qtError, { "QAbstractSocket", "QNativeSocketEngine" }, "Connection refused"))
            return words(QT_TRANSLATE_NOOP(
                             "wslab::CloseTracker",
                             "%1 refused the connection: nothing is listening on port %2"))
                .arg(host)
                .arg(portOf(url));
        return words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "handshake failed: %1")).arg(qtError);
    case QAbstractSocket::RemoteHostClosedError:
        return words(
            QT_TRANSLATE_NOOP("wslab::CloseTracker",
                              "the server closed the connection before answering the handshake"));
    case QAbstractSocket::SocketTimeoutError:
        return words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "connecting to %1 timed out"))
            .arg(host);
    default:
        return words(QT_TRANSLATE_NOOP("wslab::CloseTracker", "cannot reach %1: %2"))
            .arg(host)
            .arg(qtError);
    }
}

Text tapFailureMessage(const QString &tapText, const QUrl &url)
{
    if (endsWithQtText(tapText, { "QAbstractSocket", "QHostInfoAgent" }, "Host not found"))
        return openFailureMessage(QAbstractSocket::HostNotFoundError, {}, url);
    if (endsWithQtText(tapText, { "QAbstractSocket", "QNativeSocketEngine" }, "Connection refused"))
        return openFailureMessage(QAbstractSocket::ConnectionRefusedError,
                                  QStringLiteral("Connection refused"), url);
    return Text::verbatim(tapText);
}

} // namespace wslab
