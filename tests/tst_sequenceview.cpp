#include "clientsession.h"
#include "sequencemodel.h"
#include "sequenceview.h"
#include "serverhost.h"
#include "syntheticframe.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace wslab;
using namespace wslab::test;
using Kind = SequenceArrow::Kind;

class tst_SequenceView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aFullConnectionInOrder();
    void thousandsOfArrowsPaintOnlyWhatIsVisible();
    void exportsPngAndSvg();
    void clickSelectsAnArrow();
    void rowsGrowWithTheFont();
    void otherClientsGetTheirOwnLifeline();
};

void tst_SequenceView::aFullConnectionInOrder()
{
    auto server = startServer();
    QVERIFY(server);
    ClientSession session;
    SequenceModel model;
    connect(&session, &ClientSession::wireEvent, &model, &SequenceModel::addWireEvent);
    QVERIFY(session.connectTo(server->webSocketUrl().toString()));
    QTRY_COMPARE(session.state(), ClientSession::State::Open);
    session.sendText(QStringLiteral("Hello"));
    QTRY_VERIFY(model.count() >= 5);
    session.disconnectGracefully();
    QTRY_COMPARE(session.state(), ClientSession::State::Closed);
    QTRY_VERIFY(model.count() >= 7 && model.arrow(model.count() - 1).kind == Kind::TcpClose);

    struct Expected
    {
        Kind kind;
        Direction direction;
        Phase phase;
        QString label;
    };
    const QList<Expected> expected {
        { Kind::TcpConnect, Direction::ClientToServer, Phase::Tcp,
          QStringLiteral("TCP connect (127.0.0.1:%1)").arg(server->port()) },
        { Kind::HandshakeRequest, Direction::ClientToServer, Phase::Http,
          QStringLiteral("GET /ws HTTP/1.1 — Upgrade: websocket") },
        { Kind::HandshakeResponse, Direction::ServerToClient, Phase::Http,
          QStringLiteral("101 Switching Protocols") },
        { Kind::Frame, Direction::ClientToServer, Phase::WebSocket,
          QStringLiteral("text \"Hello\" · 5 B · masked") },
        { Kind::Frame, Direction::ServerToClient, Phase::WebSocket,
          QStringLiteral("text \"Hello\" · 5 B") },
        { Kind::Frame, Direction::ClientToServer, Phase::WebSocket,
          QStringLiteral("close 1000 · 2 B · masked") },
    };
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const SequenceArrow &arrow = model.arrow(int(i));
        QCOMPARE(arrow.kind, expected[i].kind);
        QCOMPARE(arrow.direction, expected[i].direction);
        QCOMPARE(arrow.phase, expected[i].phase);
        QCOMPARE(arrow.label.toString(), expected[i].label);
        if (i > 0)
            QVERIFY(arrow.timeNs >= model.arrow(int(i) - 1).timeNs); // time order
    }
    QCOMPARE(model.arrow(3).frameNumber, qint64(0));
    QCOMPARE(model.arrow(4).frameNumber, qint64(1));
    QCOMPARE(model.arrow(model.count() - 1).phase, Phase::Tcp);
}

void tst_SequenceView::thousandsOfArrowsPaintOnlyWhatIsVisible()
{
    SequenceModel model;
    SequenceView view(&model);
    view.resize(700, 420);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    for (int i = 0; i < 5000; ++i)
        model.addWireEvent(syntheticFrame(i));
    QCOMPARE(model.count(), 5000);
    // It followed the newest arrow to the bottom.
    QCOMPARE(view.verticalScrollBar()->value(), view.verticalScrollBar()->maximum());
    view.viewport()->repaint();
    const auto [first, last] = view.visibleRows();
    QCOMPARE(last, 4999);
    QVERIFY(last - first < 20);
    QCOMPARE(view.paintedRowsLastTime(), last - first + 1);
    // Scrolling through all of it stays cheap.
    QElapsedTimer timer;
    timer.start();
    for (int step = 0; step < 200; ++step) {
        view.verticalScrollBar()->setValue(step * view.verticalScrollBar()->maximum() / 199);
        view.viewport()->repaint();
    }
    QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
}

void tst_SequenceView::exportsPngAndSvg()
{
    SequenceModel model;
    SequenceView view(&model);
    WireEvent request;
    request.kind = WireEvent::Kind::HandshakeRequest;
    request.phase = Phase::Http;
    request.startLine = "GET /ws HTTP/1.1";
    model.addWireEvent(request);
    WireEvent response;
    response.kind = WireEvent::Kind::HandshakeResponse;
    response.phase = Phase::Http;
    response.direction = Direction::ServerToClient;
    response.startLine = "HTTP/1.1 101 Switching Protocols";
    model.addWireEvent(response);
    for (int i = 0; i < 3; ++i)
        model.addWireEvent(syntheticFrame(i));

    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("sequence.png"));
    const QString svg = dir.filePath(QStringLiteral("sequence.svg"));
    QVERIFY(view.exportPng(png));
    QVERIFY(view.exportSvg(svg));
    const QImage image(png);
    QVERIFY(!image.isNull());
    // At the screen's device pixel ratio: 2 in tst_sequenceview_hidpi (QT_SCALE_FACTOR=2), so a
    // HiDPI screen's export is as sharp as what it shows.
    const double ratio = qEnvironmentVariableIsSet("QT_SCALE_FACTOR")
        ? qEnvironmentVariable("QT_SCALE_FACTOR").toDouble()
        : 1.0;
    QCOMPARE(view.devicePixelRatioF(), ratio);
    const QSize logical(qMax(view.width(), 900), view.headerHeight() + 5 * view.rowHeight());
    QCOMPARE(image.size(), logical * ratio);
    QCOMPARE(view.exportImage().devicePixelRatio(), ratio);
    QFile file(svg);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString drawing = QString::fromUtf8(file.readAll());
    QVERIFY(drawing.contains(QStringLiteral("<svg")));
    // The two phases, labelled in the lesson's words, and the handshake's answer. (SVG text is
    // split into runs where the font changes, so the Chinese words stand on their own.)
    for (const QString &text :
         { QStringLiteral("HTTP ("), QStringLiteral("握手"), QStringLiteral("TCP frames ("),
           QStringLiteral("通信"), QStringLiteral("101 Switching Protocols") })
        QVERIFY2(drawing.contains(text), qPrintable(text));
}

void tst_SequenceView::rowsGrowWithTheFont()
{
    // A row holds a label above its arrow: two lines of the view's font, whatever its size.
    SequenceModel model;
    SequenceView view(&model);
    view.resize(600, 400);
    view.show();
    for (int i = 0; i < 50; ++i)
        model.addWireEvent(syntheticFrame(i));
    const int small = view.rowHeight();
    QVERIFY(small >= 2 * view.fontMetrics().height());
    QFont large = view.font();
    large.setPointSizeF(large.pointSizeF() * 2);
    view.setFont(large);
    QVERIFY2(view.rowHeight() >= 2 * QFontMetrics(large).height(),
             qPrintable(QString::number(view.rowHeight())));
    QVERIFY(view.rowHeight() > small);
    // Fewer rows fit, and the scroll range says so.
    QCOMPARE(view.verticalScrollBar()->maximum(),
             view.headerHeight() + 50 * view.rowHeight() - view.viewport()->height());
}

void tst_SequenceView::clickSelectsAnArrow()
{
    SequenceModel model;
    SequenceView view(&model);
    view.resize(600, 400);
    view.show();
    for (int i = 0; i < 5; ++i)
        model.addWireEvent(syntheticFrame(i));
    QSignalSpy clicked(&view, &SequenceView::arrowClicked);
    const int y = view.headerHeight() + 2 * view.rowHeight() + view.rowHeight() / 2
        - view.verticalScrollBar()->value();
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(300, y));
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.at(0).at(0).toInt(), 2);
    QCOMPARE(view.selectedArrow(), 2);
}

void tst_SequenceView::otherClientsGetTheirOwnLifeline()
{
    ServerHost server;
    QVERIFY(server.start(testConfig()));
    ClientSession session;
    SequenceModel model;
    connect(&session, &ClientSession::wireEvent, &model, &SequenceModel::addWireEvent);
    connect(&server, &ServerHost::events, &model, &SequenceModel::addServerEvents);
    QVERIFY(session.connectTo(server.webSocketUrl().toString()));
    QTRY_COMPARE(session.state(), ClientSession::State::Open);
    session.sendText(QStringLiteral("mine"));

    // Someone else (a browser, say) talks to the same server.
    QWebSocket browser;
    QSignalSpy echoed(&browser, &QWebSocket::textMessageReceived);
    QVERIFY(openWebSocket(browser, server.webSocketUrl()));
    browser.sendTextMessage(QStringLiteral("from the browser"));
    QTRY_COMPARE(echoed.count(), 1);
    QTRY_VERIFY(model.hasOthers());
    const auto others = [&] {
        QStringList labels;
        for (int i = 0; i < model.count(); ++i)
            if (model.arrow(i).other)
                labels.append(model.arrow(i).label.toString());
        return labels;
    };
    QTRY_VERIFY(others()
                    .filter(QStringLiteral("write_message (echo) text 16 B: \"from the browser\""))
                    .size()
                == 1);
    QCOMPARE(others().filter(QStringLiteral("on_message text 16 B: \"from the browser\"")).size(),
             1);
    QVERIFY(!others().filter(QStringLiteral("open (101 sent)")).isEmpty());
    // This window's own connection stays on the Client lifeline, shown from the wire.
    QVERIFY(others().filter(QStringLiteral("mine")).isEmpty());
    int mine = 0;
    for (int i = 0; i < model.count(); ++i)
        mine += !model.arrow(i).other
            && model.arrow(i).label.toString().contains(QStringLiteral("\"mine\""));
    QCOMPARE(mine, 2); // out and back, as frames

    SequenceView view(&model);
    QTemporaryDir dir;
    QVERIFY(view.exportSvg(dir.filePath(QStringLiteral("three.svg"))));
    QFile file(dir.filePath(QStringLiteral("three.svg")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("Other clients"));
}

QTEST_MAIN(tst_SequenceView)
#include "tst_sequenceview.moc"
