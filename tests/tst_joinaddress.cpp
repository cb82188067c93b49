// Which of this machine's addresses a phone can join on, and in which order: made-up
// interfaces, table-driven, then the real machine's list.

#include "joinaddress.h"

#include <QNetworkInterface>
#include <QTest>

using namespace Qt::StringLiterals;

using namespace wslab;

Q_DECLARE_METATYPE(QList<wslab::NetworkEntry>)

class tst_JoinAddress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void usable_data();
    void usable();
    void label();
    void joinUrl();
    void thisMachine();
};

namespace {
NetworkEntry entry(const char *name, const char *address, bool up = true, bool running = true,
                   bool loopback = false)
{
    return { QLatin1StringView(name), QHostAddress(QLatin1StringView(address)), up, running,
             loopback };
}
} // namespace

void tst_JoinAddress::usable_data()
{
    QTest::addColumn<QList<NetworkEntry>>("entries");
    QTest::addColumn<QStringList>("expected"); // addresses, best first

    QTest::newRow("nothing") << QList<NetworkEntry> {} << QStringList {};
    QTest::newRow("loopback only")
        << QList { entry("lo", "127.0.0.1", true, true, true) } << QStringList {};
    QTest::newRow("127/8 without the loopback flag is still loopback")
        << QList { entry("odd", "127.0.1.1") } << QStringList {};
    QTest::newRow("one Wi-Fi address")
        << QList { entry("lo", "127.0.0.1", true, true, true), entry("wlan0", "192.168.1.20") }
        << QStringList { QStringLiteral("192.168.1.20") };
    QTest::newRow("link-local dropped")
        << QList { entry("eth0", "169.254.10.3"), entry("wlan0", "10.0.0.5") }
        << QStringList { QStringLiteral("10.0.0.5") };
    QTest::newRow("down or not running dropped")
        << QList { entry("eth0", "192.168.2.2", false, false),
                   entry("eth1", "192.168.3.3", true, false), entry("wlan0", "172.16.4.4") }
        << QStringList { QStringLiteral("172.16.4.4") };
    QTest::newRow("IPv6 dropped") << QList {
        entry("wlan0", "fe80::1"), entry("wlan0", "2001:db8::5"), entry("wlan0", "192.168.1.9")
    } << QStringList { QStringLiteral("192.168.1.9") };
    QTest::newRow("private before public, order kept within each")
        << QList { entry("eth0", "203.0.113.7"), entry("wlan0", "192.168.0.8"),
                   entry("tun0", "100.64.0.2"), entry("eth1", "10.1.2.3") }
        << QStringList { QStringLiteral("192.168.0.8"), QStringLiteral("10.1.2.3"),
                         QStringLiteral("203.0.113.7"), QStringLiteral("100.64.0.2") };
    QTest::newRow("172.16/12 is private, 172.32 is not")
        << QList { entry("a", "172.32.0.1"), entry("b", "172.31.255.1") }
        << QStringList { QStringLiteral("172.31.255.1"), QStringLiteral("172.32.0.1") };
    QTest::newRow("containers and VMs after the real network")
        << QList { entry("docker0", "172.17.0.1"), entry("virbr0", "192.168.122.1"),
                   entry("wlp2s0", "192.168.1.20"), entry("br-3f2a", "172.18.0.1") }
        << QStringList { QStringLiteral("192.168.1.20"), QStringLiteral("172.17.0.1"),
                         QStringLiteral("192.168.122.1"), QStringLiteral("172.18.0.1") };
    QTest::newRow("an address on two interfaces, once")
        << QList { entry("eth0", "192.168.5.5"), entry("eth0:1", "192.168.5.5") }
        << QStringList { QStringLiteral("192.168.5.5") };
    QTest::newRow("a TEST-NET address (this build machine's kind) is kept")
        << QList { entry("lo", "127.0.0.1", true, true, true), entry("eth0", "192.0.2.2") }
        << QStringList { QStringLiteral("192.0.2.2") };
}

void tst_JoinAddress::usable()
{
    QFETCH(QList<NetworkEntry>, entries);
    QFETCH(QStringList, expected);
    QStringList got;
    for (const JoinAddress &address : JoinAddress::usable(entries))
        got.append(address.address.toString());
    QCOMPARE(got, expected);
}

void tst_JoinAddress::label()
{
    const auto list = JoinAddress::usable({ entry("wlan0", "192.168.1.20") });
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.first().interfaceName, QStringLiteral("wlan0"));
    QCOMPARE(list.first().label(), QStringLiteral("192.168.1.20 (wlan0)"));
}

void tst_JoinAddress::joinUrl()
{
    const QHostAddress address(QStringLiteral("192.168.1.20"));
    QCOMPARE(JoinAddress::joinUrl(address, 8888, false).toString(),
             QStringLiteral("http://192.168.1.20:8888/"));
    QCOMPARE(JoinAddress::joinUrl(address, 8443, true).toString(),
             QStringLiteral("https://192.168.1.20:8443/"));
}

// The real list agrees with QNetworkInterface read here on its own (no `ip`: iproute2 is not on
// every machine, and its view of a down docker0 differs): every IPv4 address of an interface up
// and running, not loopback, not link-local, is offered once under its interface's name, and
// nothing else is.
void tst_JoinAddress::thisMachine()
{
    const QList<JoinAddress> list = JoinAddress::forThisMachine();
    QList<JoinAddress> expected;
    const QPair<QHostAddress, int> linkLocal
        = QHostAddress::parseSubnet(QStringLiteral("169.254.0.0/16"));
    const auto interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &interface : interfaces) {
        const auto flags = interface.flags();
        if (!flags.testFlag(QNetworkInterface::IsUp)
            || !flags.testFlag(QNetworkInterface::IsRunning)
            || flags.testFlag(QNetworkInterface::IsLoopBack))
            continue;
        const auto entries = interface.addressEntries();
        for (const QNetworkAddressEntry &entry : entries) {
            const QHostAddress a = entry.ip();
            if (a.protocol() != QAbstractSocket::IPv4Protocol || a.isLoopback()
                || a.isInSubnet(linkLocal) || a.isInSubnet(QHostAddress(0u), 8) // 0.0.0.0/8
                || a.isMulticast() || a.isBroadcast())
                continue;
            const bool seen = std::any_of(expected.cbegin(), expected.cend(),
                                          [&](const JoinAddress &j) { return j.address == a; });
            if (!seen)
                expected.append({ a, interface.humanReadableName() });
        }
    }
    const auto describe = [](const QList<JoinAddress> &addresses) {
        QStringList labels;
        for (const JoinAddress &address : addresses)
            labels.append(address.label());
        return labels.join(QStringLiteral(", "));
    };
    const QString both = u"offered: "_s + describe(list) + u"; usable: "_s + describe(expected);
    QCOMPARE(list.size(), expected.size());
    for (const JoinAddress &address : list) {
        QVERIFY2(address.address.protocol() == QAbstractSocket::IPv4Protocol, qPrintable(both));
        QVERIFY2(!address.address.isLoopback(), qPrintable(both));
        QVERIFY2(expected.contains(address),
                 qPrintable(u"unusable "_s + address.label() + u"; "_s + both));
    }
    for (const JoinAddress &address : std::as_const(expected))
        QVERIFY2(list.contains(address), qPrintable(address.label() + u" dropped; "_s + both));
}

QTEST_GUILESS_MAIN(tst_JoinAddress)
#include "tst_joinaddress.moc"
