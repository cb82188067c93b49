// The window in the dark: Fusion with a dark palette (or, in tst_theme_light, a light one), and
// every colour the views draw text or marks with checked against what it is drawn on, as WCAG 2
// asks: 4.5:1 for text, 3:1 for lines, marks and indicators.

#include "clientsession.h"
#include "conversationview.h"
#include "eventlog.h"
#include "framelistmodel.h"
#include "hexview.h"
#include "language.h"
#include "mainwindow.h"
#include "palettecolours.h"
#include "phaseindicator.h"
#include "sequencemodel.h"
#include "sequenceview.h"
#include "serverhost.h"
#include "theme.h"

#include <QAbstractButton>
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QLineSeries>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScatterSeries>
#include <QStyle>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTreeWidget>

using namespace wslab;

namespace {
QString describe(const QColor &a, const QColor &b)
{
    return QStringLiteral("%1 on %2: %3:1")
        .arg(a.name(), b.name())
        .arg(contrastRatio(a, b), 0, 'f', 2);
}
} // namespace

// QVERIFY2 with the colours and the ratio in the message.
#define VERIFY_CONTRAST(ink, ground, ratio, what)                                                  \
    QVERIFY2(contrastRatio(ink, ground) >= (ratio),                                                \
             qPrintable(QStringLiteral("%1: %2").arg(what, describe(ink, ground))))

class tst_Theme : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void contrastIsMeasuredAsWcagSays();
    void eventRowsRead();
    void framesAndBytesRead();
    void conversationBubblesRead();
    void sequenceDiagramReads();
    void phaseIndicatorReads();
    void problemsAndCaptionsRead();
    void chartMarksStandOut();
    void aThemeSwitchRecoloursWhatIsShown();

private:
    template<typename T> T *find(const char *name) const
    {
        T *widget = m_window->findChild<T *>(QLatin1StringView(name));
        if (!widget)
            qWarning("no widget named %s", name);
        return widget;
    }
    // A failed connection (an Error row and a problem message), then an open one with a text
    // and a binary message and their echoes.
    bool exchange();
    QColor windowColour() const { return m_window->palette().color(QPalette::Window); }

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void tst_Theme::initTestCase()
{
    const QString name = qEnvironmentVariable("WSLAB_TEST_THEME", QStringLiteral("dark"));
    const auto theme = themeFromName(name);
    QVERIFY2(theme && *theme != Theme::System, qPrintable(name));
    applyTheme(*theme);
    QCOMPARE(QApplication::style()->name(), QStringLiteral("fusion"));
    // The palette is what it says: light text on dark ground, or the other way round.
    QCOMPARE(isDark(QApplication::palette()), *theme == Theme::Dark);
}

void tst_Theme::init()
{
    Language::apply(QStringLiteral("en"));
    WindowOptions options;
    options.server.port = 0;
    options.server.pushInterval = 0;
    options.settingsFile = m_dir.filePath(QStringLiteral("settings.ini"));
    m_window = std::make_unique<MainWindow>(options);
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void tst_Theme::cleanup()
{
    m_window.reset();
}

bool tst_Theme::exchange()
{
    auto *url = find<QComboBox>("urlField");
    const QString good = url->currentText();
    url->setEditText(QStringLiteral("http://127.0.0.1:1/ws"));
    QTest::mouseClick(find<QPushButton>("connectButton"), Qt::LeftButton);
    url->setEditText(good);
    QTest::mouseClick(find<QPushButton>("connectButton"), Qt::LeftButton);
    if (!QTest::qWaitFor([&] { return m_window->session()->state() == ClientSession::State::Open; },
                         5000))
        return false;
    m_window->session()->sendText(QStringLiteral("Hello, dark"));
    m_window->session()->sendBinary(QByteArray::fromHex("00ff10"));
    m_window->session()->ping("rtt");
    auto *conversation = find<ConversationView>("conversationView");
    return QTest::qWaitFor([&] { return conversation->messageCount() == 4; }, 5000)
        && QTest::qWaitFor([&] { return m_window->frameModel()->rowCount() >= 6; }, 5000);
}

void tst_Theme::contrastIsMeasuredAsWcagSays()
{
    // The figures WCAG's own examples give.
    QCOMPARE(qRound(contrastRatio(Qt::black, Qt::white) * 100), 2100);
    QCOMPARE(qRound(contrastRatio(QColor(0x77, 0x77, 0x77), Qt::white) * 100), 448);
    QCOMPARE(contrastRatio(Qt::red, Qt::red), 1.0);
    // A hue pushed until it reads: on black it gets lighter, on white darker, hue kept.
    const QColor red(0xb0, 0x00, 0x20);
    const QColor onBlack = withContrast(red, { Qt::black }, contrast::text);
    QVERIFY(contrastRatio(onBlack, Qt::black) >= contrast::text);
    QVERIFY(onBlack.lightness() > red.lightness());
    QVERIFY(qAbs(onBlack.hslHue() - red.hslHue()) <= 2);
    QCOMPARE(withContrast(red, { Qt::white }, contrast::text), red); // already reads
}

void tst_Theme::eventRowsRead()
{
    QVERIFY(exchange());
    auto *table = find<QTableView>("eventsTable");
    m_window->eventLog()->flush();
    QAbstractItemModel *model = table->model();
    QVERIFY(model->rowCount() > 10);
    const QColor text = table->palette().color(QPalette::Text);
    const QColor base = table->palette().color(QPalette::Base);
    int errors = 0;
    QSet<QRgb> bands;
    for (int row = 0; row < model->rowCount(); ++row) {
        for (int column = 0; column < model->columnCount(); ++column) {
            const QModelIndex index = model->index(row, column);
            const QVariant fg = index.data(Qt::ForegroundRole);
            const QVariant bg = index.data(Qt::BackgroundRole);
            const QColor ink = fg.isValid() ? fg.value<QBrush>().color() : text;
            const QColor ground = bg.isValid() ? bg.value<QBrush>().color() : base;
            errors += fg.isValid() && column == 0;
            bands.insert(ground.rgb());
            VERIFY_CONTRAST(ink, ground, contrast::text,
                            QStringLiteral("event row %1 \"%2\"")
                                .arg(row)
                                .arg(model->index(row, EventLog::Detail).data().toString()));
        }
    }
    QVERIFY(errors > 0); // the bad URL's row, in the error colour
    QCOMPARE(bands.size(), 3); // one band per phase, still told apart
}

void tst_Theme::framesAndBytesRead()
{
    QVERIFY(exchange());
    auto *list = find<QTableView>("framesList");
    const QColor text = list->palette().color(QPalette::Text);
    FrameListModel *frames = m_window->frameModel();
    for (int row = 0; row < frames->rowCount(); ++row) {
        const QColor ground
            = frames->index(row, 0).data(Qt::BackgroundRole).value<QBrush>().color();
        VERIFY_CONTRAST(text, ground, contrast::text, QStringLiteral("frame row %1").arg(row));
    }
    // A field's bytes, highlighted in the hex view: they stand out and stay readable.
    find<QDockWidget>("framesDock")->raise();
    list->selectRow(0);
    auto *fields = find<QTreeWidget>("frameFields");
    QTRY_VERIFY(fields->topLevelItemCount() > 2);
    fields->setCurrentItem(fields->topLevelItem(1));
    auto *hex = find<HexView>("hexView");
    QTRY_VERIFY(!hex->extraSelections().isEmpty());
    const QColor hexBase = hex->palette().color(QPalette::Base);
    for (const QTextEdit::ExtraSelection &selection : hex->extraSelections()) {
        const QColor ground = selection.format.background().color();
        VERIFY_CONTRAST(selection.format.foreground().color(), ground, contrast::text,
                        QStringLiteral("highlighted byte"));
        VERIFY_CONTRAST(ground, hexBase, contrast::graphics, QStringLiteral("highlight mark"));
    }
}

void tst_Theme::conversationBubblesRead()
{
    QVERIFY(exchange());
    auto *view = find<QTextBrowser>("conversationList");
    const QColor text = view->palette().color(QPalette::Text);
    int bubbles = 0;
    for (QTextBlock block = view->document()->begin(); block.isValid(); block = block.next()) {
        const QBrush background = block.blockFormat().background();
        QVERIFY(background.style() != Qt::NoBrush);
        ++bubbles;
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat format = it.fragment().charFormat();
            const QColor ink
                = format.foreground().style() == Qt::NoBrush ? text : format.foreground().color();
            VERIFY_CONTRAST(ink, background.color(), contrast::text,
                            QStringLiteral("\"%1\"").arg(it.fragment().text()));
        }
    }
    QCOMPARE(bubbles, 4);
}

void tst_Theme::sequenceDiagramReads()
{
    QVERIFY(exchange());
    auto *view = find<SequenceView>("sequenceView");
    find<QDockWidget>("sequenceDock")->raise();
    view->selectArrow(1);
    const SequenceView::Colours c = view->colours();
    QList<QColor> grounds(std::begin(c.band), std::end(c.band));
    grounds.append(c.selected);
    for (const QColor &ground : std::as_const(grounds)) {
        VERIFY_CONTRAST(c.text, ground, contrast::text, QStringLiteral("arrow label"));
        VERIFY_CONTRAST(c.time, ground, contrast::text, QStringLiteral("time"));
        VERIFY_CONTRAST(c.toServer, ground, contrast::graphics, QStringLiteral("arrow to server"));
        VERIFY_CONTRAST(c.toClient, ground, contrast::graphics, QStringLiteral("arrow to client"));
        VERIFY_CONTRAST(c.error, ground, contrast::graphics, QStringLiteral("protocol error"));
        VERIFY_CONTRAST(c.lifeline, ground, contrast::graphics, QStringLiteral("lifeline"));
    }
    VERIFY_CONTRAST(c.headerText, c.header, contrast::text, QStringLiteral("lifeline names"));
    // And these are what is drawn: the bands at the right edge, in their phase's colour.
    const QImage image = view->exportImage();
    const qreal ratio = image.devicePixelRatio();
    SequenceModel *model = m_window->sequenceModel();
    for (int row : { 0, 1, 2, model->count() - 1 }) {
        const int y = view->headerHeight() + row * view->rowHeight() + view->rowHeight() / 3;
        const QColor drawn
            = image.pixelColor(int((image.width() / ratio - 2) * ratio), int(y * ratio));
        const QColor expected = row == 1 ? c.selected : c.band[int(model->arrow(row).phase)];
        QCOMPARE(drawn.name(), expected.name());
    }
}

void tst_Theme::phaseIndicatorReads()
{
    QVERIFY(exchange());
    auto *indicator = find<PhaseIndicator>("phaseIndicator");
    QCOMPARE(indicator->currentText(), QStringLiteral("open: frames over TCP"));
    const QColor window = indicator->palette().color(QPalette::Window);
    for (int i = 0; i < 5; ++i) {
        auto *step = find<QLabel>(qPrintable(QStringLiteral("phaseStep%1").arg(i)));
        const QColor ground
            = step->autoFillBackground() ? step->palette().color(QPalette::Window) : window;
        VERIFY_CONTRAST(step->palette().color(QPalette::WindowText), ground, contrast::text,
                        step->text());
        if (step->text() == indicator->currentText()) // the lit step stands out
            VERIFY_CONTRAST(ground, window, contrast::graphics, QStringLiteral("lit step"));
    }
    QCOMPARE(indicator->accessibleDescription(), QStringLiteral("open: frames over TCP"));
}

void tst_Theme::problemsAndCaptionsRead()
{
    // A problem in words, in a colour that reads on the window.
    auto *url = find<QComboBox>("urlField");
    url->setEditText(QStringLiteral("http://127.0.0.1:1/ws"));
    QTest::mouseClick(find<QPushButton>("connectButton"), Qt::LeftButton);
    auto *message = find<QLabel>("connectionMessage");
    QVERIFY(message->isVisible());
    VERIFY_CONTRAST(message->palette().color(QPalette::WindowText), windowColour(), contrast::text,
                    message->text());
    VERIFY_CONTRAST(message->palette().color(QPalette::WindowText),
                    m_window->palette().color(QPalette::Base), contrast::text, message->text());

    // The Accept check, ticked in the ok colour; the step-through caption on its amber wash.
    url->setEditText(QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_window->server()->port()));
    find<QAbstractButton>("stepCheck")->click();
    QTest::mouseClick(find<QPushButton>("connectButton"), Qt::LeftButton);
    auto *caption = find<QLabel>("stepCaption");
    QTRY_VERIFY(caption->isVisible());
    VERIFY_CONTRAST(caption->palette().color(QPalette::WindowText),
                    caption->palette().color(QPalette::Window), contrast::text, caption->text());
    find<QPushButton>("runButton")->click();
    QTRY_COMPARE(m_window->session()->state(), ClientSession::State::Open);
    auto *accept = find<QLabel>("acceptLabel");
    QTRY_VERIFY(accept->text().startsWith(QStringLiteral("✔")));
    VERIFY_CONTRAST(accept->palette().color(QPalette::WindowText), windowColour(), contrast::text,
                    accept->text());
}

void tst_Theme::chartMarksStandOut()
{
    auto *chart = find<QChartView>("pollPushChart");
    const QColor ground = chart->chart()->backgroundBrush().color();
    // A dark window gets a dark chart, not a white one.
    QCOMPARE(isDark(QApplication::palette()),
             relativeLuminance(ground) < relativeLuminance(QColor(0x80, 0x80, 0x80)));
    const auto series = chart->chart()->series();
    QCOMPARE(series.size(), 2);
    for (QAbstractSeries *s : series)
        VERIFY_CONTRAST(static_cast<QScatterSeries *>(s)->color(), ground, contrast::graphics,
                        s->name());
    // The Ping pane's round trips: the same rules.
    auto *ping = find<QChartView>("pingChart");
    const QColor pingGround = ping->chart()->backgroundBrush().color();
    QCOMPARE(isDark(QApplication::palette()),
             relativeLuminance(pingGround) < relativeLuminance(QColor(0x80, 0x80, 0x80)));
    const auto pingSeries = ping->chart()->series();
    QCOMPARE(pingSeries.size(), 1);
    VERIFY_CONTRAST(static_cast<QLineSeries *>(pingSeries.at(0))->pen().color(), pingGround,
                    contrast::graphics, QStringLiteral("round trip line"));
}

void tst_Theme::aThemeSwitchRecoloursWhatIsShown()
{
    // The desktop switches between light and dark while the window is open: what is already
    // shown (bubbles, rows, the phase line, a problem) takes the new palette's colours.
    QVERIFY(exchange());
    const QPalette before = QApplication::palette();
    const bool wasDark = isDark(before);
    QApplication::setPalette(wasDark ? lightPalette() : darkPalette());
    QTRY_COMPARE(isDark(m_window->palette()), !wasDark);

    auto *view = find<QTextBrowser>("conversationList");
    const QColor text = view->palette().color(QPalette::Text);
    for (QTextBlock block = view->document()->begin(); block.isValid(); block = block.next()) {
        const QColor ground = block.blockFormat().background().color();
        QCOMPARE(relativeLuminance(ground) < 0.18, !wasDark); // dark bubbles in a dark window
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat format = it.fragment().charFormat();
            const QColor ink
                = format.foreground().style() == Qt::NoBrush ? text : format.foreground().color();
            VERIFY_CONTRAST(ink, ground, contrast::text,
                            QStringLiteral("after the switch: \"%1\"").arg(it.fragment().text()));
        }
    }
    QAbstractItemModel *events = find<QTableView>("eventsTable")->model();
    for (int row = 0; row < events->rowCount(); ++row) {
        const QModelIndex index = events->index(row, 0);
        const QVariant fg = index.data(Qt::ForegroundRole);
        VERIFY_CONTRAST(fg.isValid() ? fg.value<QBrush>().color() : text,
                        index.data(Qt::BackgroundRole).value<QBrush>().color(), contrast::text,
                        QStringLiteral("event row %1 after the switch").arg(row));
    }
    auto *indicator = find<PhaseIndicator>("phaseIndicator");
    const QColor window = indicator->palette().color(QPalette::Window);
    for (int i = 0; i < 5; ++i) {
        auto *step = find<QLabel>(qPrintable(QStringLiteral("phaseStep%1").arg(i)));
        const QColor ground
            = step->autoFillBackground() ? step->palette().color(QPalette::Window) : window;
        VERIFY_CONTRAST(step->palette().color(QPalette::WindowText), ground, contrast::text,
                        step->text());
    }
    auto *message = find<QLabel>("connectionMessage");
    find<QPushButton>("abortButton")->click(); // a problem: no Close frame
    QTRY_VERIFY(message->isVisible());
    QApplication::setPalette(before);
    VERIFY_CONTRAST(message->palette().color(QPalette::WindowText), windowColour(), contrast::text,
                    QStringLiteral("problem after switching back"));
}

QTEST_MAIN(tst_Theme)
#include "tst_theme.moc"
