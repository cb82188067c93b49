#include "connectrequest.h"

#include <QCoreApplication>
#include <QList>

namespace wslab {

namespace {

// The refusals are the tap's words: they are translated in its context (wslab::WireTap).
ConnectRequest invalid(int status, const QString &error, const QString &target = {})
{
    ConnectRequest request;
    request.state = ConnectRequest::State::Invalid;
    request.status = status;
    request.error = error;
    request.target = target;
    return request;
}

} // namespace

ConnectRequest parseConnectRequest(QByteArrayView head, qsizetype maxHeadSize)
{
    static constexpr QByteArrayView method("CONNECT ");
    const qsizetype known = qMin(head.size(), method.size());
    if (head.first(known) != method.first(known)) {
        // Not a tunnel request at all (a plain request, TLS, noise).
        const qsizetype newline = head.indexOf('\n');
        const QString shown
            = QString::fromLatin1(newline < 0 ? head : head.first(newline)).left(40).simplified();
        return invalid(
            403,
            QCoreApplication::translate("wslab::WireTap", "not a CONNECT request: \"%1\"")
                .arg(shown));
    }
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0 || end + 4 > maxHeadSize) {
        if (head.size() > maxHeadSize || end >= 0)
            return invalid(
                431,
                QCoreApplication::translate("wslab::WireTap", "CONNECT request over %1 bytes")
                    .arg(maxHeadSize));
        return {};
    }
    const QByteArrayView line = head.first(head.indexOf("\r\n"));
    const QList<QByteArrayView> parts = [&] {
        QList<QByteArrayView> result;
        qsizetype from = 0;
        for (qsizetype space; (space = line.indexOf(' ', from)) >= 0; from = space + 1)
            result.append(line.sliced(from, space - from));
        result.append(line.sliced(from));
        return result;
    }();
    const QString target = parts.size() == 3 ? QString::fromLatin1(parts.at(1)) : QString();
    if (parts.size() != 3 || parts.at(0) != "CONNECT" || !parts.at(2).startsWith("HTTP/1."))
        return invalid(403, QCoreApplication::translate("wslab::WireTap", "not a CONNECT request"),
                       target);

    const qsizetype colon = target.lastIndexOf(u':');
    QString host = colon > 0 ? target.left(colon) : QString();
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    bool portOk = false;
    const uint port = colon > 0 ? target.mid(colon + 1).toUInt(&portOk) : 0;
    if (!portOk || port == 0 || port > 65535 || host.isEmpty())
        return invalid(403,
                       QCoreApplication::translate("wslab::WireTap", "bad target %1").arg(target),
                       target);

    ConnectRequest request;
    request.state = ConnectRequest::State::Complete;
    request.target = target;
    request.host = host;
    request.port = quint16(port);
    request.headSize = end + 4;
    return request;
}

} // namespace wslab
