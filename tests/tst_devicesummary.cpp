// deviceSummary(): real User-Agent headers, as phones, computers and programs send them, and
// what the class list says of each.

#include "devicesummary.h"

#include <QTest>

using namespace wslab;

class tst_DeviceSummary : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void summary_data();
    void summary();
    void boundedAndPrintable();
};

void tst_DeviceSummary::summary_data()
{
    QTest::addColumn<QString>("userAgent");
    QTest::addColumn<QString>("device");

    // Phones, as students open the join page.
    QTest::newRow("iPhone Safari")
        << u"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 "
           "(KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1"_qs
        << u"iPhone · Safari"_qs;
    QTest::newRow("iPhone Chrome")
        << u"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
           "(KHTML, like Gecko) CriOS/119.0.6045.169 Mobile/15E148 Safari/604.1"_qs
        << u"iPhone · Chrome"_qs;
    QTest::newRow("iPhone Firefox")
        << u"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
           "(KHTML, like Gecko) FxiOS/120.0 Mobile/15E148 Safari/605.1.15"_qs
        << u"iPhone · Firefox"_qs;
    QTest::newRow("iPhone Edge")
        << u"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
           "(KHTML, like Gecko) Version/17.0 EdgiOS/119.2151.96 Mobile/15E148 Safari/605.1.15"_qs
        << u"iPhone · Edge"_qs;
    QTest::newRow("iPhone WeChat")
        << u"Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 "
           "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.42(0x18002a2f) NetType/WIFI "
           "Language/zh_CN"_qs
        << u"iPhone · WeChat"_qs;
    QTest::newRow("iPhone in-app view")
        << u"Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 "
           "(KHTML, like Gecko) Mobile/15E148"_qs
        << u"iPhone · Safari"_qs;
    QTest::newRow("iPad Safari")
        << u"Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
           "Gecko) Version/16.6 Mobile/15E148 Safari/604.1"_qs
        << u"iPad · Safari"_qs;
    QTest::newRow("Android Chrome")
        << u"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/120.0.0.0 Mobile Safari/537.36"_qs
        << u"Android · Chrome"_qs;
    QTest::newRow("Android Samsung Internet")
        << u"Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like "
           "Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36"_qs
        << u"Android · Samsung Internet"_qs;
    QTest::newRow("Android Firefox")
        << u"Mozilla/5.0 (Android 14; Mobile; rv:120.0) Gecko/120.0 Firefox/120.0"_qs
        << u"Android · Firefox"_qs;
    QTest::newRow("Android Edge")
        << u"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/120.0.0.0 Mobile Safari/537.36 EdgA/120.0.0.0"_qs
        << u"Android · Edge"_qs;
    QTest::newRow("Android WeChat")
        << u"Mozilla/5.0 (Linux; Android 13; V2183A Build/TP1A.220624.014; wv) "
           "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/111.0.5563.116 Mobile "
           "Safari/537.36 XWEB/5307 MMWEBSDK/20230805 MMWEBID/2308 "
           "MicroMessenger/8.0.42.2460(0x28002A58) WeChat/arm64 Weixin NetType/WIFI "
           "Language/zh_CN ABI/arm64"_qs
        << u"Android · WeChat"_qs;
    QTest::newRow("Android MIUI Browser")
        << u"Mozilla/5.0 (Linux; U; Android 12; zh-cn; 2201123C Build/SKQ1.211006.001) "
           "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/100.0.4896.127 Mobile "
           "Safari/537.36 XiaoMi/MiuiBrowser/17.1.80613"_qs
        << u"Android · MIUI Browser"_qs;
    QTest::newRow("Android UC Browser")
        << u"Mozilla/5.0 (Linux; U; Android 10; zh-CN; V1938CA Build/QP1A.190711.020) "
           "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.108 "
           "UCBrowser/15.0.0.1060 Mobile Safari/537.36"_qs
        << u"Android · UC Browser"_qs;
    QTest::newRow("Android QQ Browser")
        << u"Mozilla/5.0 (Linux; U; Android 11; zh-cn; PDYM20 Build/RP1A.200720.011) "
           "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/89.0.4389.72 "
           "MQQBrowser/13.7 Mobile Safari/537.36"_qs
        << u"Android · QQ Browser"_qs;
    QTest::newRow("Android WebView")
        << u"Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230901.001; wv) "
           "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile "
           "Safari/537.36"_qs
        << u"Android · WebView"_qs;
    QTest::newRow("HarmonyOS Huawei Browser")
        << u"Mozilla/5.0 (Linux; Android 12; HarmonyOS; NOH-AN00; HMSCore 6.11.0.302) "
           "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 HuaweiBrowser/14.0.1.300 "
           "Mobile Safari/537.36"_qs
        << u"HarmonyOS · Huawei Browser"_qs;

    // Computers.
    QTest::newRow("Windows Edge")
        << u"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0"_qs
        << u"Windows · Edge"_qs;
    QTest::newRow("Windows Chrome")
        << u"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/120.0.0.0 Safari/537.36"_qs
        << u"Windows · Chrome"_qs;
    QTest::newRow("Windows Firefox")
        << u"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0"_qs
        << u"Windows · Firefox"_qs;
    QTest::newRow("Windows Opera")
        << u"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/119.0.0.0 Safari/537.36 OPR/105.0.0.0"_qs
        << u"Windows · Opera"_qs;
    QTest::newRow("Mac Firefox")
        << u"Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:120.0) Gecko/20100101 "
           "Firefox/120.0"_qs
        << u"Mac · Firefox"_qs;
    QTest::newRow("Mac Safari")
        << u"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
           "Gecko) Version/17.1 Safari/605.1.15"_qs
        << u"Mac · Safari"_qs;
    QTest::newRow("Mac Chrome")
        << u"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
           "Gecko) Chrome/120.0.0.0 Safari/537.36"_qs
        << u"Mac · Chrome"_qs;
    QTest::newRow("Linux Firefox")
        << u"Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0"_qs
        << u"Linux · Firefox"_qs;
    QTest::newRow("Linux Chromium")
        << u"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/120.0.6099.224 Safari/537.36"_qs
        << u"Linux · Chrome"_qs;
    QTest::newRow("headless Chromium")
        << u"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "HeadlessChrome/120.0.6099.224 Safari/537.36"_qs
        << u"Linux · Headless Chrome"_qs;
    QTest::newRow("ChromeOS")
        << u"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/120.0.0.0 Safari/537.36"_qs
        << u"ChromeOS · Chrome"_qs;
    QTest::newRow("Qt WebEngine")
        << u"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "QtWebEngine/6.4.2 Chrome/102.0.5005.177 Safari/537.36"_qs
        << u"Linux · Qt WebEngine"_qs;

    // Programs.
    QTest::newRow("python-websockets")
        << u"Python/3.11 websockets/10.4"_qs << u"Python websockets"_qs;
    QTest::newRow("aiohttp") << u"Python/3.11 aiohttp/3.8.4"_qs << u"Python aiohttp"_qs;
    QTest::newRow("Python alone") << u"Python/3.11"_qs << u"Python"_qs;
    QTest::newRow("Tornado") << u"Tornado/6.2"_qs << u"Tornado"_qs;
    QTest::newRow("WsLab") << u"WsLab/1.0 Qt/6.4.2"_qs << u"WsLab"_qs;
    QTest::newRow("Qt") << u"Qt/6.4.2"_qs << u"Qt"_qs;
    QTest::newRow("curl") << u"curl/7.88.1"_qs << u"curl"_qs;
    QTest::newRow("Go") << u"Go-http-client/1.1"_qs << u"Go-http-client"_qs;
    QTest::newRow("bare Mozilla") << u"Mozilla/5.0"_qs << u"Mozilla"_qs;
    QTest::newRow("no version") << u"my-bot"_qs << u"my-bot"_qs;

    // Nothing said.
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("blank") << u"   "_qs << QString();
}

void tst_DeviceSummary::summary()
{
    QFETCH(QString, userAgent);
    QFETCH(QString, device);
    QCOMPARE(deviceSummary(userAgent), device);
}

void tst_DeviceSummary::boundedAndPrintable()
{
    // A client chooses its header: whatever it sends, the list gets one short printable line.
    const QString huge = QString(5000, u'x') + u"/1.0";
    QCOMPARE(deviceSummary(huge).size(), 40);
    QCOMPARE(deviceSummary(u"bad\u0001\u007fbot/1"_qs), u"bad??bot"_qs);
    QCOMPARE(deviceSummary(QString(u"Python/3.11 " + QString(100, u'y'))).size(), 40);
}

QTEST_GUILESS_MAIN(tst_DeviceSummary)
#include "tst_devicesummary.moc"
