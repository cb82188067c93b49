// Events keep what happened and are put in words when shown: rows logged in English read in
// Chinese after a language switch (and back), in the log and in the Events pane, and no
// Chinese sentence has an English word (who closed, why a message was sent) spliced into it.

#include "clientsession.h"
#include "eventlog.h"
#include "eventspane.h"
#include "language.h"
#include "sequencemodel.h"
#include "serverhost.h"
#include "stepbar.h"
#include "upgradecheck.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
#include <QTcpSocket>
#include <QTest>

using namespace wslab;

class tst_EventLanguage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup() { Language::apply(QStringLiteral("en")); }
    void oldRowsReadInTheNewLanguage();
    void noEnglishWordsInChineseSentences();
    void theEventsPaneShowsTheNewLanguage();
    void rejectionsAreTranslatedButEnglishOnTheWire();
    void sequenceArrowsReadInTheNewLanguage();
    void stepCaptionFollowsTheLanguage();

private:
    // The rows of `side` and `kind`, as the log shows them now.
    QStringList details(Event::Side side, Event::Kind kind) const;
    QStringList detailsOf(Event::Side side) const;

    ServerHost m_server;
    EventLog m_log;
    SequenceModel m_sequence;
};

void tst_EventLanguage::initTestCase()
{
    QVERIFY(Language::apply(QStringLiteral("en")));
    ServerConfig config;
    config.port = 0;
    config.pushInterval = 0.05; // so that a push is among the messages
    QVERIFY2(m_server.start(config), qPrintable(m_server.errorString()));
    connect(&m_server, &ServerHost::events, &m_log, &EventLog::appendBatch);

    // One whole conversation, logged in English: connect through the tap, send, get the echo
    // and a push, close.
    ClientSession session;
    connect(&session, &ClientSession::event, &m_log, &EventLog::append);
    connect(&session, &ClientSession::wireEvent, &m_sequence, &SequenceModel::addWireEvent);
    QVERIFY(session.connectTo(m_server.webSocketUrl().toString()));
    QTRY_COMPARE(session.state(), ClientSession::State::Open);
    session.sendText(QStringLiteral("你好"));
    QTRY_VERIFY(!details(Event::Side::Server, Event::Kind::MessageReceived).isEmpty());
    QTRY_VERIFY(
        details(Event::Side::Server, Event::Kind::MessageSent).join(u'\n').contains(u"(push)"));
    session.disconnectGracefully(1000, QStringLiteral("再见"));
    QTRY_COMPARE(session.state(), ClientSession::State::Closed);
    QTRY_COMPARE(details(Event::Side::Server, Event::Kind::Closed).size(), 1);
    m_log.flush();
}

void tst_EventLanguage::cleanupTestCase()
{
    m_server.stop();
}

QStringList tst_EventLanguage::details(Event::Side side, Event::Kind kind) const
{
    const_cast<EventLog &>(m_log).flush();
    QStringList rows;
    for (int row = 0; row < m_log.rowCount(); ++row) {
        const Event &e = m_log.event(row);
        if (e.side == side && e.kind == kind)
            rows.append(m_log.index(row, EventLog::Detail).data().toString());
    }
    return rows;
}

QStringList tst_EventLanguage::detailsOf(Event::Side side) const
{
    QStringList rows;
    for (int row = 0; row < m_log.rowCount(); ++row) {
        if (m_log.event(row).side == side)
            rows.append(m_log.index(row, EventLog::Detail).data().toString());
    }
    return rows;
}

void tst_EventLanguage::oldRowsReadInTheNewLanguage()
{
    const QString url = m_server.webSocketUrl().toString();
    const auto open = [&] {
        return details(Event::Side::Client, Event::Kind::Open);
    };
    QCOMPARE(open(), { QStringLiteral("open: %1 (frames over the same TCP connection)").arg(url) });
    const QStringList wireBefore = detailsOf(Event::Side::Wire);
    const QString closedBefore = details(Event::Side::Server, Event::Kind::Closed).first();
    QVERIFY2(closedBefore.startsWith(u"on_close: code 1000 \"再见\", initiated by client, clean"),
             qPrintable(closedBefore));

    QSignalSpy changed(&m_log, &QAbstractItemModel::dataChanged);
    QVERIFY(Language::apply(QStringLiteral("zh_CN")));
    m_log.retranslate(); // what the window does on a language switch
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex().row(), 0);
    QCOMPARE(changed.first().at(1).toModelIndex().row(), m_log.rowCount() - 1);

    // The same rows, logged before the switch, now in Chinese.
    QCOMPARE(open(), { QStringLiteral("连接成功:%1(之后在同一个 TCP 连接上传帧)").arg(url) });
    QCOMPARE(details(Event::Side::Client, Event::Kind::MessageSent),
             { QStringLiteral("发送文本 \"你好\"") });
    QCOMPARE(details(Event::Side::Client, Event::Kind::Closed).first(),
             QStringLiteral("由客户端关闭:代码 1000 \"再见\" (正常关闭),干净"));
    const QString closed = details(Event::Side::Server, Event::Kind::Closed).first();
    QCOMPARE(closed, QStringLiteral("on_close:关闭码 1000 \"再见\",由客户端发起,正常关闭"));
    QVERIFY(details(Event::Side::Server, Event::Kind::MessageSent)
                .contains(QStringLiteral("write_message(回显)文本 6 字节:\"你好\"")));
    QCOMPARE(m_log.headerData(EventLog::Detail, Qt::Horizontal).toString(), QStringLiteral("详情"));
    // The tap's lines are notation (frame fields), the same in both languages.
    QCOMPARE(detailsOf(Event::Side::Wire), wireBefore);

    // And back.
    QVERIFY(Language::apply(QStringLiteral("en")));
    m_log.retranslate();
    QCOMPARE(details(Event::Side::Server, Event::Kind::Closed).first(), closedBefore);
}

void tst_EventLanguage::noEnglishWordsInChineseSentences()
{
    QVERIFY(Language::apply(QStringLiteral("zh_CN")));
    m_log.retranslate();
    // The words that used to be spliced into Chinese sentences: who closed, why a message
    // was sent. "/chat" is a path and stays.
    static const QRegularExpression english(
        QStringLiteral("(?<![/\\w])(client|server|nobody|echo|push|chat|direct|broadcast|clean)"
                       "(?!\\w)"),
        QRegularExpression::CaseInsensitiveOption);
    const QStringList rows = detailsOf(Event::Side::Client) + detailsOf(Event::Side::Server);
    QVERIFY(rows.size() > 10);
    for (const QString &row : rows)
        QVERIFY2(!english.match(row).hasMatch(), qPrintable(row));
    const QString sent = details(Event::Side::Server, Event::Kind::MessageSent).join(u'\n');
    QVERIFY2(sent.contains(u"(推送)") && sent.contains(u"(回显)"), qPrintable(sent));
}

void tst_EventLanguage::theEventsPaneShowsTheNewLanguage()
{
    EventsPane pane(&m_log);
    pane.show();
    auto *table = pane.findChild<QTableView *>(QStringLiteral("eventsTable"));
    QVERIFY(table);
    QAbstractItemModel *shown = table->model();
    const auto openRow = [&] {
        for (int row = 0; row < shown->rowCount(); ++row) {
            if (shown->index(row, EventLog::Kind).data(EventLog::KindRole).toInt()
                    == int(Event::Kind::Open)
                && shown->index(row, EventLog::Side).data(EventLog::SideRole).toInt()
                    == int(Event::Side::Client))
                return shown->index(row, EventLog::Detail).data().toString();
        }
        return QString();
    };
    QVERIFY(openRow().startsWith(u"open: "));
    QVERIFY(Language::apply(QStringLiteral("zh_CN")));
    m_log.retranslate();
    QVERIFY2(openRow().startsWith(u"连接成功:"), qPrintable(openRow()));
    QCOMPARE(shown->headerData(EventLog::Detail, Qt::Horizontal).toString(),
             QStringLiteral("详情"));
}

void tst_EventLanguage::rejectionsAreTranslatedButEnglishOnTheWire()
{
    QVERIFY(Language::apply(QStringLiteral("zh_CN")));
    const UpgradeVerdict verdict = checkUpgradeRequest("POST", {});
    QCOMPARE(verdict.status, 405);
    QCOMPARE(verdict.reason, QStringLiteral("a WebSocket handshake must use GET, not POST"));
    QCOMPARE(verdict.why.english(), verdict.reason);
    QCOMPARE(verdict.why.toString(), QStringLiteral("WebSocket 握手必须用 GET,不能用 POST"));

    // A malformed request to the running server: the peer is answered in English, the user
    // is told in Chinese.
    QTcpSocket socket;
    socket.connectToHost(m_server.address(), m_server.port());
    QTRY_COMPARE(socket.state(), QAbstractSocket::ConnectedState);
    socket.write("GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n");
    QByteArray response;
    QTRY_VERIFY((response += socket.readAll())
                    .endsWith("malformed header line \"no colon here\": expected Name: value\n"));
    QVERIFY2(response.startsWith("HTTP/1.1 400 "), response.constData());
    QTRY_VERIFY(!details(Event::Side::Server, Event::Kind::Error).isEmpty());
    QCOMPARE(details(Event::Side::Server, Event::Kind::Error).last(),
             QStringLiteral("HTTP 请求被拒绝,状态 400:头部行格式错误 \"no colon here\":应为 "
                            "Name: value"));
    // The server signals the reason as what happened, not as words: the row already logged
    // reads in English after a switch back.
    QVERIFY(Language::apply(QStringLiteral("en")));
    QCOMPARE(details(Event::Side::Server, Event::Kind::Error).last(),
             QStringLiteral("HTTP request rejected with 400: malformed header line \"no colon "
                            "here\": expected Name: value"));
}

void tst_EventLanguage::sequenceArrowsReadInTheNewLanguage()
{
    const auto labels = [this] {
        QStringList all;
        for (int i = 0; i < m_sequence.count(); ++i)
            all.append(m_sequence.arrow(i).label.toString());
        return all;
    };
    const QString connect = QStringLiteral("TCP connect (127.0.0.1:%1)").arg(m_server.port());
    const QString hello = QStringLiteral("text \"你好\" · 6 B · masked");
    QVERIFY2(labels().contains(connect) && labels().contains(hello),
             qPrintable(labels().join(u'\n')));
    QVERIFY(Language::apply(QStringLiteral("zh_CN")));
    QVERIFY2(labels().contains(QStringLiteral("TCP 连接(127.0.0.1:%1)").arg(m_server.port())),
             qPrintable(labels().join(u'\n')));
    // The frame's own words are notation; the rest is translated.
    QVERIFY(labels().contains(QStringLiteral("text \"你好\" · 6 字节 · 已掩码")));
}

void tst_EventLanguage::stepCaptionFollowsTheLanguage()
{
    ClientSession session;
    session.setStepping(true);
    StepBar bar(&session);
    WireEvent connected;
    connected.kind = WireEvent::Kind::TcpConnected;
    Q_EMIT session.wireEvent(connected); // what the tap says when TCP is up
    QCOMPARE(bar.caption(),
             QStringLiteral("TCP is connected, and nothing has crossed yet. Next: the client's "
                            "HTTP upgrade request."));
    QVERIFY(Language::apply(QStringLiteral("zh_CN")));
    // The widgets hear of it on the next turn of the event loop.
    QTRY_COMPARE(bar.caption(),
                 QStringLiteral("TCP 已连接,还没有任何数据经过。下一步:客户端的 HTTP 升级请求。"));
}

QTEST_MAIN(tst_EventLanguage)
#include "tst_eventlanguage.moc"
