#include "upgradecheck.h"

#include <QTest>

using namespace wslab;

class tst_UpgradeCheck : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void verdict_data();
    void verdict();
    void isWebSocketUpgrade_data();
    void isWebSocketUpgrade();
};

namespace {
HeaderList validHeaders()
{
    return { { "Host", "127.0.0.1:8888" },
             { "Upgrade", "websocket" },
             { "Connection", "Upgrade" },
             { "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==" },
             { "Sec-WebSocket-Version", "13" } };
}

HeaderList with(HeaderList headers, const QByteArray &name, const QByteArray &value)
{
    headers.removeIf(
        [&](const auto &h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
    if (!value.isNull())
        headers.append({ name, value });
    return headers;
}
} // namespace

void tst_UpgradeCheck::verdict_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<HeaderList>("headers");
    QTest::addColumn<int>("status");

    QTest::newRow("RFC 6455 sample") << QByteArray("GET") << validHeaders() << 0;
    QTest::newRow("lower-case names, token lists")
        << QByteArray("GET")
        << HeaderList { { "upgrade", "WebSocket" },
                        { "connection", "keep-alive, Upgrade" },
                        { "sec-websocket-key", "AAAAAAAAAAAAAAAAAAAAAA==" },
                        { "sec-websocket-version", "13" } }
        << 0;
    QTest::newRow("POST") << QByteArray("POST") << validHeaders() << 405;
    QTest::newRow("no Connection: Upgrade")
        << QByteArray("GET") << with(validHeaders(), "Connection", "keep-alive") << 400;
    QTest::newRow("version 8") << QByteArray("GET")
                               << with(validHeaders(), "Sec-WebSocket-Version", "8") << 426;
    QTest::newRow("no version") << QByteArray("GET")
                                << with(validHeaders(), "Sec-WebSocket-Version", {}) << 426;
    QTest::newRow("no key") << QByteArray("GET") << with(validHeaders(), "Sec-WebSocket-Key", {})
                            << 400;
    QTest::newRow("key twice") << QByteArray("GET")
                               << (validHeaders()
                                   << qMakePair(QByteArray("Sec-WebSocket-Key"),
                                                QByteArray("dGhlIHNhbXBsZSBub25jZQ==")))
                               << 400;
    QTest::newRow("key not base64")
        << QByteArray("GET")
        << with(validHeaders(), "Sec-WebSocket-Key", "not base64 at all!!!!!==") << 400;
    QTest::newRow("key of 15 bytes")
        << QByteArray("GET")
        << with(validHeaders(), "Sec-WebSocket-Key", QByteArray(15, 'k').toBase64()) << 400;
    QTest::newRow("key of 17 bytes")
        << QByteArray("GET")
        << with(validHeaders(), "Sec-WebSocket-Key", QByteArray(17, 'k').toBase64()) << 400;
    QTest::newRow("key too short")
        << QByteArray("GET") << with(validHeaders(), "Sec-WebSocket-Key", "abc") << 400;
}

void tst_UpgradeCheck::verdict()
{
    QFETCH(QByteArray, method);
    QFETCH(HeaderList, headers);
    QFETCH(int, status);
    const UpgradeVerdict verdict = checkUpgradeRequest(method, headers);
    QCOMPARE(verdict.status, status);
    QCOMPARE(verdict.ok(), status == 0);
    QCOMPARE(verdict.reason.isEmpty(), status == 0);
    QCOMPARE(verdict.why.english(), verdict.reason); // the body in English, the same for the user
}

void tst_UpgradeCheck::isWebSocketUpgrade_data()
{
    QTest::addColumn<HeaderList>("headers");
    QTest::addColumn<bool>("upgrade");
    QTest::newRow("websocket") << HeaderList { { "Upgrade", "websocket" } } << true;
    QTest::newRow("case") << HeaderList { { "UPGRADE", "WebSocket" } } << true;
    QTest::newRow("list") << HeaderList { { "Upgrade", "h2c, websocket" } } << true;
    QTest::newRow("h2c") << HeaderList { { "Upgrade", "h2c" } } << false;
    QTest::newRow("none") << HeaderList { { "Host", "x" } } << false;
}

void tst_UpgradeCheck::isWebSocketUpgrade()
{
    QFETCH(HeaderList, headers);
    QFETCH(bool, upgrade);
    QCOMPARE(wslab::isWebSocketUpgrade(headers), upgrade);
}

QTEST_GUILESS_MAIN(tst_UpgradeCheck)
#include "tst_upgradecheck.moc"
