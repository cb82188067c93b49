#include "devicesummary.h"

#include <array>

namespace wslab {

namespace {

constexpr qsizetype maxSummaryLength = 40;

struct Match
{
    QStringView token; // found anywhere in the header
    QStringView name; // what the list says
};

// The system, first match wins: an iPhone says "like Mac OS X", Android and HarmonyOS say
// "Linux", so the specific ones come first.
constexpr std::array systems {
    Match { u"iPhone", u"iPhone" },   Match { u"iPad", u"iPad" },
    Match { u"iPod", u"iPod" },       Match { u"HarmonyOS", u"HarmonyOS" },
    Match { u"Android", u"Android" }, Match { u"Windows", u"Windows" },
    Match { u"CrOS", u"ChromeOS" },   Match { u"Macintosh", u"Mac" },
    Match { u"Mac OS X", u"Mac" },    Match { u"Linux", u"Linux" },
    Match { u"X11", u"Unix" },
};

// The browser, first match wins: every Chromium-based browser also says "Chrome/" and
// "Safari/", and Chrome says "Safari/", so the ones that add their own token come first.
constexpr std::array browsers {
    Match { u"MicroMessenger/", u"WeChat" },
    Match { u"DingTalk/", u"DingTalk" },
    Match { u"QQBrowser/", u"QQ Browser" },
    Match { u"UCBrowser/", u"UC Browser" },
    Match { u"MiuiBrowser/", u"MIUI Browser" },
    Match { u"HuaweiBrowser/", u"Huawei Browser" },
    Match { u"HeyTapBrowser/", u"HeyTap Browser" },
    Match { u"VivoBrowser/", u"vivo Browser" },
    Match { u"baiduboxapp/", u"Baidu" },
    Match { u"SamsungBrowser/", u"Samsung Internet" },
    Match { u"EdgA/", u"Edge" },
    Match { u"EdgiOS/", u"Edge" },
    Match { u"Edg/", u"Edge" },
    Match { u"Edge/", u"Edge" },
    Match { u"OPR/", u"Opera" },
    Match { u"OPiOS/", u"Opera" },
    Match { u"YaBrowser/", u"Yandex" },
    Match { u"Vivaldi/", u"Vivaldi" },
    Match { u"QtWebEngine/", u"Qt WebEngine" },
    Match { u"; wv)", u"WebView" }, // an app's Android WebView (it says "Chrome/" too)
    Match { u"FxiOS/", u"Firefox" },
    Match { u"Firefox/", u"Firefox" },
    Match { u"CriOS/", u"Chrome" },
    Match { u"HeadlessChrome/", u"Headless Chrome" },
    Match { u"Chromium/", u"Chromium" },
    Match { u"Chrome/", u"Chrome" },
    Match { u"Version/", u"Safari" }, // Safari's own version; other WebKit browsers lack it
};

// Programs that name themselves in their first token.
constexpr std::array programs {
    Match { u"Tornado", u"Tornado" }, Match { u"WsLab", u"WsLab" },
    Match { u"wslab", u"WsLab" },     Match { u"Qt", u"Qt" },
    Match { u"QtWebSockets", u"Qt" },
};

template<size_t N> QStringView find(QStringView text, const std::array<Match, N> &table)
{
    for (const Match &match : table) {
        if (text.contains(match.token))
            return match.name;
    }
    return {};
}

// "curl/8.4.0 (x86_64)" → "curl"; a product token ends at '/', white space or a comment.
QStringView productName(QStringView token)
{
    qsizetype end = 0;
    while (end < token.size() && token[end] != u'/' && token[end] != u'(' && !token[end].isSpace())
        ++end;
    return token.left(end);
}

QString printable(QStringView text)
{
    QString result;
    for (const QChar c : text.left(maxSummaryLength))
        result.append(c.isPrint() ? c : u'?');
    return result;
}

} // namespace

QString deviceSummary(QStringView userAgent)
{
    const QStringView ua = userAgent.left(maxUserAgentLength).trimmed();
    if (ua.isEmpty())
        return {};
    const QStringView first = productName(ua);

    // Python's HTTP and WebSocket libraries say "Python/3.11 websockets/12.0".
    if (first == u"Python") {
        const qsizetype space = ua.indexOf(u' ');
        const QStringView library = space < 0 ? QStringView() : productName(ua.mid(space + 1));
        return library.isEmpty() ? QStringLiteral("Python")
                                 : printable(QString(u"Python " + library.toString()));
    }
    for (const Match &program : programs) {
        if (first == program.token)
            return program.name.toString();
    }

    if (first == u"Mozilla" || first == u"Dalvik") {
        const QStringView system = find(ua, systems);
        QStringView browser = find(ua, browsers);
        // An iPhone's in-app view (no "Version/") is Safari's engine, and any browser on iOS is.
        if (browser.isEmpty() && (system == u"iPhone" || system == u"iPad" || system == u"iPod"))
            browser = u"Safari";
        if (browser.isEmpty() && system == u"Mac" && ua.contains(u"Safari/"))
            browser = u"Safari";
        if (!system.isEmpty() && !browser.isEmpty())
            return system.toString() + u" · " + browser.toString();
        if (!system.isEmpty() || !browser.isEmpty())
            return (system.isEmpty() ? browser : system).toString();
    }
    return printable(first.isEmpty() ? ua : first);
}

} // namespace wslab
