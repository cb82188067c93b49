// Presentation mode on the real window, offscreen: every pane's text grows by the factor, the
// palette turns high contrast (7:1, WCAG), and turning it off gives back exactly the fonts, the
// palettes and the layout there were — with the light theme and the dark one, and after a
// language change.

#include "clientsession.h"
#include "eventlog.h"
#include "language.h"
#include "mainwindow.h"
#include "palettecolours.h"
#include "phaseindicator.h"
#include "presentationmode.h"
#include "sequencemodel.h"
#include "sequenceview.h"
#include "theme.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QDebug>
#include <QDockWidget>
#include <QFocusFrame>
#include <QHash>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QMenu>
#include <QSettings>
#include <QStyle>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace wslab;

namespace {
// Everything presentation mode may touch, to compare before and after.
struct Snapshot
{
    QFont applicationFont;
    QPalette applicationPalette;
    QByteArray state, geometry;
    QHash<QWidget *, QFont> fonts;
    QHash<QWidget *, QPalette> palettes;
    QHash<QHeaderView *, QList<int>> headers; // default section size, then each section's
};

Snapshot take(QMainWindow *window)
{
    Snapshot s { QApplication::font(),
                 QApplication::palette(),
                 window->saveState(),
                 window->saveGeometry(),
                 {},
                 {},
                 {} };
    for (QWidget *widget : window->findChildren<QWidget *>()) {
        s.fonts.insert(widget, widget->font());
        s.palettes.insert(widget, widget->palette());
    }
    for (QHeaderView *header : window->findChildren<QHeaderView *>()) {
        QList<int> sizes { header->defaultSectionSize() };
        // Columns given a width; not those the header works out from its own width or contents
        // (a stretched one, in a dock hidden behind another, is laid out when it is shown).
        for (int i = 0; i < header->count() && header->orientation() == Qt::Horizontal; ++i) {
            const auto mode = header->sectionResizeMode(i);
            const bool given = (mode == QHeaderView::Interactive || mode == QHeaderView::Fixed)
                && !(i == header->count() - 1 && header->stretchLastSection());
            sizes.append(given ? header->sectionSize(i) : -1);
        }
        s.headers.insert(header, sizes);
    }
    return s;
}

qreal sizeOf(const QFont &font)
{
    return font.pointSizeF() > 0 ? font.pointSizeF() : font.pixelSize();
}

// The WCAG 2 contrast ratio, computed here from the formula (not with the code under test).
double wcag(const QColor &a, const QColor &b)
{
    const auto channel = [](double c) {
        return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    const auto luminance = [&](const QColor &c) {
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
            + 0.0722 * channel(c.blueF());
    };
    const double la = luminance(a), lb = luminance(b);
    return (qMax(la, lb) + 0.05) / (qMin(la, lb) + 0.05);
}
} // namespace

class tst_PresentationMode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void growsEveryPaneAndComesBackExactly_data();
    void growsEveryPaneAndComesBackExactly();
    void survivesALanguageChange();
    void closingSavesTheUsersLayout();
    void focusIsRinged();
    void shortcutIsFreeAndListed();

private:
    void makeWindow();
    template<typename T> T *find(const char *name) const
    {
        T *widget = m_window->findChild<T *>(QLatin1StringView(name));
        if (!widget)
            qWarning("no widget named %s", name);
        return widget;
    }
    QAction *action() const { return find<QAction>("presentationModeAction"); }
    // Connected, with arrows in the sequence view and rows in Events.
    bool connectAndWait();
    // The snapshot's fonts and palettes and layout, compared with now; empty when all equal.
    QString differences(const Snapshot &before) const;

    QTemporaryDir m_dir;
    QPalette m_startPalette;
    std::unique_ptr<MainWindow> m_window;
};

void tst_PresentationMode::initTestCase()
{
    // Fusion, as --theme light/dark has it; each row below picks the palette.
    QApplication::setStyle(QStringLiteral("Fusion"));
    m_startPalette = QApplication::palette();
}

void tst_PresentationMode::init()
{
    Language::apply(QStringLiteral("en"));
}

void tst_PresentationMode::makeWindow()
{
    WindowOptions options;
    options.server.port = 0;
    options.server.pushInterval = 0;
    options.settingsFile = m_dir.filePath(QStringLiteral("settings.ini"));
    options.messagesFile = m_dir.filePath(QStringLiteral("saved-messages.json"));
    QFile::remove(options.settingsFile);
    m_window = std::make_unique<MainWindow>(options);
    m_window->resize(1500, 920);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    // The default dock sizes, set once the window has its size (a zero-time timer).
    QCoreApplication::processEvents();
}

void tst_PresentationMode::cleanup()
{
    m_window.reset();
    QApplication::setPalette(m_startPalette);
    Language::apply(QStringLiteral("en"));
}

bool tst_PresentationMode::connectAndWait()
{
    m_window->connectNow();
    if (!QTest::qWaitFor([&] { return m_window->session()->state() == ClientSession::State::Open; },
                         20000))
        return false;
    m_window->session()->sendText(QStringLiteral("Hello, back row!"));
    // Connect, request, 101, the message out and its echo.
    return QTest::qWaitFor([&] { return m_window->sequenceModel()->count() >= 5; }, 20000);
}

QString tst_PresentationMode::differences(const Snapshot &before) const
{
    const Snapshot now = take(m_window.get());
    QStringList problems;
    if (now.applicationFont != before.applicationFont)
        problems << QStringLiteral("the application font is %1, was %2")
                        .arg(now.applicationFont.toString(), before.applicationFont.toString());
    if (now.applicationPalette != before.applicationPalette)
        problems << QStringLiteral("the application palette differs");
    if (now.state != before.state)
        problems << QStringLiteral("saveState() differs");
    if (now.geometry != before.geometry)
        problems << QStringLiteral("saveGeometry() differs: %1 was %2 (minimum %3)")
                        .arg(QString::fromLatin1(now.geometry.toHex()),
                             QString::fromLatin1(before.geometry.toHex()),
                             QDebug::toString(m_window->minimumSize()));
    for (auto it = before.fonts.cbegin(); it != before.fonts.cend(); ++it) {
        if (!now.fonts.contains(it.key()))
            continue; // gone meanwhile (a tooltip, a popup)
        const QString name = it.key()->objectName() + u'/'
            + QString::fromLatin1(it.key()->metaObject()->className());
        if (now.fonts.value(it.key()) != it.value())
            problems << QStringLiteral("%1's font is %2, was %3")
                            .arg(name, now.fonts.value(it.key()).toString(), it.value().toString());
        if (now.palettes.value(it.key()) != before.palettes.value(it.key()))
            problems << QStringLiteral("%1's palette differs").arg(name);
    }
    for (auto it = before.headers.cbegin(); it != before.headers.cend(); ++it)
        if (now.headers.contains(it.key()) && now.headers.value(it.key()) != it.value())
            problems << QStringLiteral("%1's header sizes differ: %2, were %3")
                            .arg(it.key()->parentWidget()->objectName(),
                                 QDebug::toString(now.headers.value(it.key())),
                                 QDebug::toString(it.value()));
    problems = problems.mid(0, 10);
    return problems.join(u'\n');
}

void tst_PresentationMode::growsEveryPaneAndComesBackExactly_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light theme") << false;
    QTest::newRow("dark theme") << true;
}

void tst_PresentationMode::growsEveryPaneAndComesBackExactly()
{
    QFETCH(bool, dark);
    QApplication::setPalette(dark ? darkPalette() : lightPalette());
    makeWindow();
    QVERIFY(connectAndWait());
    QVERIFY(action());
    QVERIFY(action()->isCheckable());
    QVERIFY(!action()->isChecked());
    // The menu says where it is: View, after the panes.
    QVERIFY(find<QMenu>("viewMenu")->actions().contains(action()));

    auto *phase = find<PhaseIndicator>("phaseIndicator");
    auto *sequence = find<SequenceView>("sequenceView");
    auto *events = find<QTableView>("eventsTable");
    const QSize phaseHint = phase->sizeHint();
    const int sequenceRow = sequence->rowHeight();
    const int eventsRow = events->verticalHeader()->defaultSectionSize();
    const int kindColumn = events->columnWidth(EventLog::Kind);
    auto *counts = find<QWidget>("pollPushCounts"); // at most so wide: in lines of its text
    const int countsWidest = counts->maximumWidth();
    const Snapshot before = take(m_window.get());

    // On, from the keyboard.
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QTest::keyClick(m_window.get(), Qt::Key_P, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(m_window->presentationMode()->isOn());
    QVERIFY(action()->isChecked());
    const qreal factor = PresentationMode::fontFactor;
    QCOMPARE(sizeOf(QApplication::font()), sizeOf(before.applicationFont) * factor);

    // Each pane's main widgets, by name, and then every widget the window has.
    const char *named[] = { "eventsTable",   "framesList",       "frameFields",    "hexView",
                            "handshakeTree", "handshakePane",    "phaseIndicator", "phaseStep2",
                            "sequenceView",  "serverPane",       "clientsTable",   "lessonPanel",
                            "urlField",      "conversationList", "messageInput",   "pingPane",
                            "pollPushPanel", "savedMessagesTree" };
    for (const char *name : named) {
        QWidget *widget = find<QWidget>(name);
        QVERIFY2(widget, name);
        const qreal was = sizeOf(before.fonts.value(widget));
        QVERIFY2(qAbs(sizeOf(widget->font()) - was * factor) < 0.05,
                 qPrintable(QStringLiteral("%1: %2 → %3")
                                .arg(QLatin1StringView(name))
                                .arg(was)
                                .arg(sizeOf(widget->font()))));
    }
    QStringList notGrown;
    for (auto it = before.fonts.cbegin(); it != before.fonts.cend(); ++it)
        if (qAbs(sizeOf(it.key()->font()) - sizeOf(it.value()) * factor) >= 0.05)
            notGrown << it.key()->objectName() + u'/'
                    + QString::fromLatin1(it.key()->metaObject()->className());
    QVERIFY2(notGrown.isEmpty(), qPrintable(notGrown.join(u", ")));

    // Tables: rows one new line high, columns as much wider as the text.
    const QFontMetrics large(events->font());
    QVERIFY(events->verticalHeader()->defaultSectionSize() > eventsRow);
    QVERIFY(events->verticalHeader()->defaultSectionSize() >= large.height());
    QVERIFY(events->columnWidth(EventLog::Kind) > kindColumn);
    QVERIFY(events->columnWidth(EventLog::Kind)
            > large.horizontalAdvance(QStringLiteral("message received")));
    // The phase line and the diagram's text, as drawn: larger.
    QVERIFY2(
        phase->sizeHint().height() >= phaseHint.height() * 1.4,
        qPrintable(
            QStringLiteral("%1 → %2").arg(phaseHint.height()).arg(phase->sizeHint().height())));
    QVERIFY(phase->sizeHint().width() >= phaseHint.width() * 1.4);
    auto *lit = find<QLabel>("phaseStep2");
    QVERIFY(lit->font().bold()); // the open step, lit, in the larger font
    QVERIFY(sequence->rowHeight() >= sequenceRow * 1.4);
    QVERIFY(counts->maximumWidth() >= countsWidest * 1.4);
    // The left column's panes in the bottom row's tabs (three columns of large text are wider
    // than a projector's screen), Events still in front.
    for (const char *dock : { "serverDock", "lessonDock", "savedMessagesDock" })
        QCOMPARE(m_window->dockWidgetArea(find<QDockWidget>(dock)), Qt::BottomDockWidgetArea);
    QVERIFY(!find<QDockWidget>("eventsDock")->visibleRegion().isEmpty());
    QVERIFY(m_window->minimumSizeHint().width() < 1600);
    QVERIFY(sequence->exportImage().height()
            >= (sequence->headerHeight() + 5 * sequence->rowHeight()));

    // High contrast, of the theme's lightness: 7:1 for every text on its ground.
    const QPalette p = QApplication::palette();
    QCOMPARE(isDark(p), dark);
    const std::pair<QPalette::ColorRole, QPalette::ColorRole> pairs[]
        = { { QPalette::Text, QPalette::Base },
            { QPalette::WindowText, QPalette::Window },
            { QPalette::ButtonText, QPalette::Button },
            { QPalette::Text, QPalette::AlternateBase },
            { QPalette::HighlightedText, QPalette::Highlight },
            { QPalette::ToolTipText, QPalette::ToolTipBase } };
    for (const auto &[text, ground] : pairs)
        for (auto group : { QPalette::Active, QPalette::Inactive }) {
            const double ratio = wcag(p.color(group, text), p.color(group, ground));
            QVERIFY2(
                ratio >= 7.0,
                qPrintable(
                    QStringLiteral("%1 on %2: %3:1").arg(int(text)).arg(int(ground)).arg(ratio)));
        }
    QVERIFY(wcag(p.color(QPalette::Disabled, QPalette::Text), p.color(QPalette::Base)) >= 7.0);
    // What the panes show is in it.
    const QPalette shown = events->palette();
    QVERIFY(wcag(shown.color(QPalette::Text), shown.color(QPalette::Base)) >= 7.0);
    QCOMPARE(shown.color(QPalette::Base), p.color(QPalette::Base));

    // Off, from the menu: everything as it was.
    action()->trigger();
    QVERIFY(!m_window->presentationMode()->isOn());
    // The window system gives the window its size back when it gets to it.
    QString changed;
    QTRY_VERIFY2((changed = differences(before)).isEmpty(), qPrintable(changed));
    QCOMPARE(phase->sizeHint(), phaseHint);
    QCOMPARE(sequence->rowHeight(), sequenceRow);
    QCOMPARE(counts->maximumWidth(), countsWidest);
}

void tst_PresentationMode::survivesALanguageChange()
{
    // In Chinese, then into presentation mode, to English and back while in it, and out: as it
    // was (the Chinese texts' own widths are the reference, so the window starts in Chinese).
    QApplication::setPalette(lightPalette());
    makeWindow();
    auto *view = find<QMenu>("viewMenu");
    m_window->setLanguage(QStringLiteral("zh_CN"));
    QTRY_COMPARE(view->title(), QStringLiteral("视图(&V)"));
    QVERIFY(connectAndWait());
    QCoreApplication::processEvents(); // the layout after the new texts
    const Snapshot before = take(m_window.get());
    m_window->presentationMode()->setOn(true);
    const QFont large = QApplication::font();
    auto *phase = find<PhaseIndicator>("phaseIndicator");
    const QFont largePhase = find<QLabel>("phaseStep2")->font();

    m_window->setLanguage(QStringLiteral("en"));
    QTRY_COMPARE(view->title(), QStringLiteral("&View"));
    QCOMPARE(action()->text(), QStringLiteral("&Presentation mode"));
    QCOMPARE(phase->currentText(), QStringLiteral("open: frames over TCP"));
    // Still large and high contrast: the panes' retranslation set no font or palette of its own.
    QCOMPARE(QApplication::font(), large);
    QCOMPARE(find<QLabel>("phaseStep2")->font(), largePhase);
    QCOMPARE(find<QWidget>("eventsTable")->font().pointSizeF(), large.pointSizeF());
    QVERIFY(wcag(find<QWidget>("eventsTable")->palette().color(QPalette::Text),
                 find<QWidget>("eventsTable")->palette().color(QPalette::Base))
            >= 7.0);
    m_window->setLanguage(QStringLiteral("zh_CN"));
    QTRY_COMPARE(view->title(), QStringLiteral("视图(&V)"));
    // Its own text follows (its translation comes with the .ts).
    QCOMPARE(action()->text(), PresentationMode::tr("&Presentation mode"));
    QCOMPARE(QApplication::font(), large);

    action()->trigger();
    QVERIFY(!m_window->presentationMode()->isOn());
    // The window system gives the window its size back when it gets to it.
    QString changed;
    QTRY_VERIFY2((changed = differences(before)).isEmpty(), qPrintable(changed));
}

void tst_PresentationMode::closingSavesTheUsersLayout()
{
    // Closed in presentation mode, the window saves the layout the user had, so that the next
    // start (which is not in presentation mode) is not laid out for a projector.
    makeWindow();
    const QByteArray state = m_window->saveState();
    const QByteArray geometry = m_window->saveGeometry();
    const QFont font = QApplication::font();
    m_window->presentationMode()->setOn(true);
    QVERIFY(m_window->saveState() != state); // the left column's panes moved down
    m_window->close();
    const QSettings saved(m_dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    QCOMPARE(saved.value(QStringLiteral("window/state")).toByteArray(), state);
    QCOMPARE(saved.value(QStringLiteral("window/geometry")).toByteArray(), geometry);
    // And the window gone, the application has its font back.
    m_window.reset();
    QCOMPARE(QApplication::font(), font);
}

void tst_PresentationMode::focusIsRinged()
{
    makeWindow();
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QVERIFY(!m_window->findChild<QFocusFrame *>());
    m_window->presentationMode()->setOn(true);
    auto *url = find<QWidget>("urlField");
    url->setFocus(Qt::TabFocusReason);
    auto *ring = m_window->findChild<QFocusFrame *>();
    QVERIFY(ring);
    QTRY_COMPARE(ring->widget(), QApplication::focusWidget());
    QVERIFY(ring->widget() == url || url->isAncestorOf(ring->widget()));
    auto *events = find<QWidget>("eventsTable");
    events->setFocus(Qt::TabFocusReason);
    QTRY_COMPARE(ring->widget(), events);
    // A ring outside the table's own edge, drawn in the selection colour, shown.
    QTRY_VERIFY(ring->isVisible());
    const QRect around(ring->mapTo(m_window.get(), QPoint(0, 0)), ring->size());
    const QRect table(events->mapTo(m_window.get(), QPoint(0, 0)), events->size());
    QVERIFY2(around.contains(table) && around.width() >= table.width() + 4
                 && around.height() >= table.height() + 4,
             qPrintable(QDebug::toString(around) + u" around " + QDebug::toString(table)));
    const QImage painted = ring->grab().toImage();
    QCOMPARE(painted.pixelColor(0, painted.height() / 2),
             QApplication::palette().color(QPalette::Active, QPalette::Highlight));
    m_window->presentationMode()->setOn(false);
    QVERIFY(!m_window->findChild<QFocusFrame *>());
}

void tst_PresentationMode::shortcutIsFreeAndListed()
{
    makeWindow();
    const QKeySequence key(Qt::CTRL | Qt::SHIFT | Qt::Key_P);
    QCOMPARE(action()->shortcut(), key);
    int taken = 0;
    for (QAction *other : m_window->findChildren<QAction *>())
        taken += other->shortcuts().contains(key);
    QCOMPARE(taken, 1);
    QFile keyboard(QStringLiteral(WSLAB_SOURCE_DIR "/docs/keyboard.md"));
    QVERIFY(keyboard.open(QIODevice::ReadOnly));
    QVERIFY(keyboard.readAll().contains("**Ctrl+Shift+P**"));
}

QTEST_MAIN(tst_PresentationMode)
#include "tst_presentationmode.moc"
