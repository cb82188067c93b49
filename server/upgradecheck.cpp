#include "upgradecheck.h"

namespace wslab {

namespace {

QList<QByteArray> values(const HeaderList &headers, QByteArrayView name)
{
    QList<QByteArray> found;
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            found.append(value.trimmed());
    }
    return found;
}

// A comma-separated header (Connection: keep-alive, Upgrade) contains `token`.
bool hasToken(const QList<QByteArray> &headerValues, QByteArrayView token)
{
    for (const QByteArray &value : headerValues) {
        for (const QByteArray &part : value.split(',')) {
            if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
                return true;
        }
    }
    return false;
}

bool isBase64Of16Bytes(const QByteArray &key)
{
    // 16 bytes encode as 22 significant characters and "==".
    if (key.size() != 24 || !key.endsWith("=="))
        return false;
    const auto decoded = QByteArray::fromBase64Encoding(
        key, QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    return decoded && decoded.decoded.size() == 16;
}

// Why a handshake is refused: sent as the response body in English, shown translated.
Text words(const char *source)
{
    return Text("wslab::UpgradeVerdict", source);
}

} // namespace

bool isWebSocketUpgrade(const HeaderList &headers)
{
    return hasToken(values(headers, "upgrade"), "websocket");
}

UpgradeVerdict checkUpgradeRequest(const QByteArray &method, const HeaderList &headers)
{
    if (method != "GET")
        return UpgradeVerdict::refused(
            405,
            words(QT_TRANSLATE_NOOP("wslab::UpgradeVerdict",
                                    "a WebSocket handshake must use GET, not %1"))
                .arg(QString::fromLatin1(method)));
    if (!isWebSocketUpgrade(headers))
        return UpgradeVerdict::refused(
            426,
            words(QT_TRANSLATE_NOOP("wslab::UpgradeVerdict",
                                    "this path speaks WebSocket: send Upgrade: websocket")));
    if (!hasToken(values(headers, "connection"), "upgrade"))
        return UpgradeVerdict::refused(
            400,
            words(QT_TRANSLATE_NOOP("wslab::UpgradeVerdict",
                                    "Connection header must contain Upgrade")));

    const auto versions = values(headers, "sec-websocket-version");
    if (versions.size() != 1 || versions.constFirst() != "13")
        return UpgradeVerdict::refused(
            426,
            words(QT_TRANSLATE_NOOP("wslab::UpgradeVerdict",
                                    "only Sec-WebSocket-Version: 13 is supported")));

    const auto keys = values(headers, "sec-websocket-key");
    if (keys.isEmpty())
        return UpgradeVerdict::refused(
            400, words(QT_TRANSLATE_NOOP("wslab::UpgradeVerdict", "Sec-WebSocket-Key is missing")));
    if (keys.size() > 1)
        return UpgradeVerdict::refused(
            400,
            words(QT_TRANSLATE_NOOP("wslab::UpgradeVerdict",
                                    "Sec-WebSocket-Key appears %1 times; it must appear once"))
                .arg(keys.size()));
    if (!isBase64Of16Bytes(keys.constFirst()))
        return UpgradeVerdict::refused(
            400,
            words(QT_TRANSLATE_NOOP("wslab::UpgradeVerdict",
                                    "Sec-WebSocket-Key must be base64 of 16 bytes, got \"%1\""))
                .arg(QString::fromLatin1(keys.constFirst().left(64))));
    return {};
}

} // namespace wslab
