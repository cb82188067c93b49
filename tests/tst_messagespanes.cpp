// The composer, Saved messages and Ping as a user drives them: the whole window offscreen, its
// embedded echo server on port 0, what comes back from /ws compared with what was meant to go.

#include "clientsession.h"
#include "conversationview.h"
#include "language.h"
#include "mainwindow.h"
#include "messagecollections.h"
#include "pingpane.h"
#include "savedmessagespane.h"
#include "serverhost.h"
#include "testutil.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QTimer>
#include <QTreeView>

using namespace wslab;
using PayloadInput::Kind;

class tst_MessagesPanes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void binaryAndJsonArriveExactly_data();
    void binaryAndJsonArriveExactly();
    void fileArrivesExactly();
    void badInputIsNotSent();
    void jsonIsCheckedAsYouType();
    void prettyPrintKeepsWhatIsSent();
    void variablesAreExpandedInWhatIsSent();
    void periodicSendSendsOnePerPeriod();
    void saveAndSendFromTheSavedMessagesPane();
    void saveDialogPutsTheInputInACollection();
    void deleteCanBeUndone();
    void pingTimerPlotsRoundTrips();
    void panesFollowTheSessionTheyAreGiven();
    void findShowsOnlyMatchingMessages();

private:
    template<typename T> T *find(const char *name) const
    {
        return test::findNamed<T>(m_window.get(), name);
    }
    bool connectAndWait();
    void type(Kind kind, const QString &text);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MainWindow> m_window;
    ConversationView *m_conversation = nullptr;
};

void tst_MessagesPanes::init()
{
    Language::apply(QStringLiteral("en"));
    m_dir = std::make_unique<QTemporaryDir>();
    WindowOptions options;
    options.server.port = 0;
    options.server.pushInterval = 0; // only echoes come back
    options.settingsFile = m_dir->filePath(QStringLiteral("settings.ini"));
    options.messagesFile = m_dir->filePath(QStringLiteral("saved-messages.json"));
    m_window = std::make_unique<MainWindow>(options);
    m_window->show();
    m_conversation = m_window->findChild<ConversationView *>();
    QVERIFY(m_conversation);
}

void tst_MessagesPanes::cleanup()
{
    m_window.reset();
    m_dir.reset();
}

bool tst_MessagesPanes::connectAndWait()
{
    QTest::mouseClick(find<QPushButton>("connectButton"), Qt::LeftButton);
    return QTest::qWaitFor(
        [&] { return m_window->session()->state() == ClientSession::State::Open; }, 5000);
}

void tst_MessagesPanes::type(Kind kind, const QString &text)
{
    auto *mode = find<QComboBox>("inputMode");
    mode->setCurrentIndex(mode->findData(int(kind)));
    auto *input = find<QPlainTextEdit>("messageInput");
    input->clear();
    input->setFocus();
    input->insertPlainText(text);
}

void tst_MessagesPanes::binaryAndJsonArriveExactly_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("binary");
    QTest::newRow("hex") << int(Kind::Hex) << QStringLiteral("00 ff 0x10, de:ad\n7f")
                         << QByteArray("\x00\xff\x10\xde\xad\x7f", 6) << true;
    QTest::newRow("base64") << int(Kind::Base64) << QStringLiteral("AP8Q3q1/")
                            << QByteArray("\x00\xff\x10\xde\xad\x7f", 6) << true;
    QTest::newRow("base64 URL-safe")
        << int(Kind::Base64) << QStringLiteral("-_8") << QByteArray("\xfb\xff") << true;
    QTest::newRow("JSON as typed")
        << int(Kind::Json) << QStringLiteral("{\"z\": 1.50, \"名\": [true]}")
        << QStringLiteral("{\"z\": 1.50, \"名\": [true]}").toUtf8() << false;
}

void tst_MessagesPanes::binaryAndJsonArriveExactly()
{
    QFETCH(int, kind);
    QFETCH(QString, typed);
    QFETCH(QByteArray, bytes);
    QFETCH(bool, binary);
    QVERIFY(connectAndWait());
    QSignalSpy echoes(m_window->session(), &ClientSession::messageReceived);
    type(Kind(kind), typed);
    QTest::keyClick(find<QPlainTextEdit>("messageInput"), Qt::Key_Return);
    QTRY_COMPARE(echoes.size(), 1);
    QCOMPARE(echoes.at(0).at(0).toByteArray(), bytes);
    QCOMPARE(echoes.at(0).at(1).toBool(), binary);
    QVERIFY(find<QPlainTextEdit>("messageInput")->toPlainText().isEmpty());
}

void tst_MessagesPanes::fileArrivesExactly()
{
    QVERIFY(connectAndWait());
    QByteArray bytes(70'000, Qt::Uninitialized);
    QRandomGenerator generator(11);
    for (char &byte : bytes)
        byte = char(generator.bounded(256));
    const QString path = m_dir->filePath(QStringLiteral("random.bin"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
    file.close();
    QSignalSpy echoes(m_window->session(), &ClientSession::messageReceived);
    QVERIFY(m_conversation->sendFile(path));
    QTRY_COMPARE(echoes.size(), 1);
    QCOMPARE(echoes.at(0).at(0).toByteArray(), bytes);
    QVERIFY(echoes.at(0).at(1).toBool());
    // A file that is not there: said, not sent.
    QVERIFY(!m_conversation->sendFile(m_dir->filePath(QStringLiteral("missing.bin"))));
    auto *error = find<QLabel>("inputError");
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(u"no such file"), qPrintable(error->text()));
    QVERIFY(find<QPushButton>("sendFileButton")->isEnabled());
}

void tst_MessagesPanes::badInputIsNotSent()
{
    QVERIFY(connectAndWait());
    QSignalSpy sent(m_window->session(), &ClientSession::messageSent);
    type(Kind::Hex, QStringLiteral("48 6"));
    QTest::mouseClick(find<QPushButton>("sendButton"), Qt::LeftButton);
    auto *error = find<QLabel>("inputError");
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().startsWith(QStringLiteral("Not sent: line 1, column 4:")),
             qPrintable(error->text()));
    type(Kind::Base64, QStringLiteral("SGV*"));
    QTest::mouseClick(find<QPushButton>("sendButton"), Qt::LeftButton);
    QVERIFY2(error->text().contains(u"'*' is not a base64 character"), qPrintable(error->text()));
    QCOMPARE(sent.size(), 0);
    QCOMPARE(find<QPlainTextEdit>("messageInput")->toPlainText(), QStringLiteral("SGV*"));
    // Nothing was in flight either: the first echo back is that of a good message sent after.
    QSignalSpy echoes(m_window->session(), &ClientSession::messageReceived);
    type(Kind::Text, QStringLiteral("marker"));
    QTest::mouseClick(find<QPushButton>("sendButton"), Qt::LeftButton);
    QTRY_COMPARE(echoes.size(), 1);
    QCOMPARE(echoes.at(0).at(0).toByteArray(), QByteArray("marker"));
    QCOMPARE(sent.size(), 1);
}

void tst_MessagesPanes::jsonIsCheckedAsYouType()
{
    QVERIFY(connectAndWait());
    type(Kind::Json, QString());
    auto *input = find<QPlainTextEdit>("messageInput");
    auto *error = find<QLabel>("inputError");
    QTest::keyClicks(input, QStringLiteral("{\"a\": 1,"));
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().startsWith(QStringLiteral("line 1, column")), qPrintable(error->text()));
    QVERIFY(error->text().contains(u"not valid JSON"));
    QVERIFY(!find<QLabel>("inputErrorWord")->isHidden()); // "Problem:"
    // Shift+Enter: a new line, not a send; the place follows.
    QTest::keyClick(input, Qt::Key_Return, Qt::ShiftModifier);
    QTest::keyClicks(input, QStringLiteral(" \"b\": x}"));
    QVERIFY2(error->text().startsWith(QStringLiteral("line 2, column")), qPrintable(error->text()));
    QVERIFY(input->accessibleDescription().contains(u"not valid JSON"));
    // A variable where a number goes is fine before it is expanded.
    type(Kind::Json, QStringLiteral("{\"n\": {{counter}}, \"id\": \"{{uuid}}\"}"));
    QVERIFY(!error->isVisible());
    // A typo in a variable's name is said (but is not a problem that stops the send).
    type(Kind::Json, QStringLiteral("{\"t\": \"{{nwo}}\"}"));
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(u"{{nwo}}: not a variable"), qPrintable(error->text()));
    QVERIFY(find<QLabel>("inputErrorWord")->isHidden());
}

void tst_MessagesPanes::prettyPrintKeepsWhatIsSent()
{
    QVERIFY(connectAndWait());
    auto *pretty = find<QPushButton>("prettyPrintButton");
    type(Kind::Text, QStringLiteral("x"));
    QVERIFY(pretty->isHidden()); // JSON mode only
    type(Kind::Json, QStringLiteral("{\"b\":[1,{\"n\":{{counter}}}],\"a\":\"x\"}"));
    QVERIFY(pretty->isVisible());
    QTest::mouseClick(pretty, Qt::LeftButton);
    auto *input = find<QPlainTextEdit>("messageInput");
    QCOMPARE(input->toPlainText(),
             QStringLiteral("{\n  \"b\": [\n    1,\n    {\n      \"n\": {{counter}}\n    }\n  ],\n"
                            "  \"a\": \"x\"\n}"));
    input->undo(); // one step back to what was typed
    QCOMPARE(input->toPlainText(), QStringLiteral("{\"b\":[1,{\"n\":{{counter}}}],\"a\":\"x\"}"));
    QTest::mouseClick(pretty, Qt::LeftButton);
    QTest::mouseClick(find<QPushButton>("compactJsonButton"), Qt::LeftButton);
    QCOMPARE(input->toPlainText(), QStringLiteral("{\"b\":[1,{\"n\":{{counter}}}],\"a\":\"x\"}"));
    QSignalSpy echoes(m_window->session(), &ClientSession::messageReceived);
    QTest::mouseClick(find<QPushButton>("sendButton"), Qt::LeftButton);
    QTRY_COMPARE(echoes.size(), 1);
    QCOMPARE(echoes.at(0).at(0).toByteArray(), QByteArray("{\"b\":[1,{\"n\":1}],\"a\":\"x\"}"));
    // "Indent JSON" lays out what the conversation shows, keys in the order they came.
    find<QCheckBox>("jsonPretty")->setChecked(true);
    type(Kind::Json, QStringLiteral("{\"z\":1,\"a\":[2.50]}"));
    QTest::mouseClick(find<QPushButton>("sendButton"), Qt::LeftButton);
    QTRY_COMPARE(echoes.size(), 2);
    QCOMPARE(echoes.at(1).at(0).toByteArray(), QByteArray("{\"z\":1,\"a\":[2.50]}"));
    QTRY_VERIFY(m_conversation->transcript().contains(u"2.50"));
    const QString shown = m_conversation->transcript();
    QVERIFY2(shown.indexOf(u"\"z\": 1") >= 0
                 && shown.indexOf(u"\"z\": 1") < shown.indexOf(u"\"a\": ["),
             qPrintable(shown));
    // Invalid JSON is not laid out: it says where instead.
    type(Kind::Json, QStringLiteral("[1,,2]"));
    QTest::mouseClick(pretty, Qt::LeftButton);
    QCOMPARE(input->toPlainText(), QStringLiteral("[1,,2]"));
    QVERIFY(find<QLabel>("inputError")->text().contains(u"column"));
}

void tst_MessagesPanes::variablesAreExpandedInWhatIsSent()
{
    QVERIFY(connectAndWait());
    QSignalSpy echoes(m_window->session(), &ClientSession::messageReceived);
    type(Kind::Text, QStringLiteral("id={{uuid}} bj={{beijing}} n={{counter}} now={{now}}"));
    QTest::keyClick(find<QPlainTextEdit>("messageInput"), Qt::Key_Return);
    QTRY_COMPARE(echoes.size(), 1);
    const QString echoed = QString::fromUtf8(echoes.at(0).at(0).toByteArray());
    static const QRegularExpression shape(
        QStringLiteral("^id=[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12} "
                       "bj=(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d) n=1 now=(\\S+)$"));
    const auto match = shape.match(echoed);
    QVERIFY2(match.hasMatch(), qPrintable(echoed));
    // Beijing time, not the machine's (the test runs in New York: 13 hours apart in December).
    QDateTime beijing
        = QDateTime::fromString(match.captured(1), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    beijing.setTimeZone(QTimeZone(8 * 3600));
    QVERIFY2(qAbs(beijing.secsTo(QDateTime::currentDateTimeUtc())) < 60, qPrintable(echoed));
    const QDateTime now = QDateTime::fromString(match.captured(2), Qt::ISODateWithMs);
    QVERIFY2(now.isValid() && qAbs(now.msecsTo(QDateTime::currentDateTime())) < 60'000,
             qPrintable(echoed));
    // The conversation shows what went out, expanded.
    QTRY_VERIFY(m_conversation->transcript().contains(echoed.left(20)));
    QVERIFY(!m_conversation->transcript().contains(u"{{uuid}}"));
    // The next send counts on.
    type(Kind::Text, QStringLiteral("{{counter}}"));
    QTest::keyClick(find<QPlainTextEdit>("messageInput"), Qt::Key_Return);
    QTRY_COMPARE(echoes.size(), 2);
    QCOMPARE(echoes.at(1).at(0).toByteArray(), QByteArray("2"));
}

void tst_MessagesPanes::periodicSendSendsOnePerPeriod()
{
    QVERIFY(connectAndWait());
    QSignalSpy echoes(m_window->session(), &ClientSession::messageReceived);
    type(Kind::Text, QStringLiteral("tick {{counter}}"));
    auto *period = find<QDoubleSpinBox>("sendPeriod");
    period->setValue(0.1);
    auto *every = find<QCheckBox>("sendPeriodically");
    QElapsedTimer clock;
    clock.start();
    QTest::mouseClick(every, Qt::LeftButton);
    QVERIFY(every->isChecked());
    QVERIFY(m_conversation->isSendingPeriodically());
    QTRY_VERIFY_WITH_TIMEOUT(echoes.size() >= 5, 10'000);
    const qint64 elapsed = clock.elapsed();
    // Five sends take about five periods: not fewer, and not many more even on a busy machine.
    QVERIFY2(elapsed >= 450 && elapsed < 5000, qPrintable(QString::number(elapsed)));
    for (int i = 0; i < 5; ++i)
        QCOMPARE(echoes.at(i).at(0).toByteArray(), QByteArray("tick ") + QByteArray::number(i + 1));
    QVERIFY(find<QLabel>("periodicSentLabel")->text().endsWith(u"sent"));
    // The input stays: it is what is sent.
    QCOMPARE(find<QPlainTextEdit>("messageInput")->toPlainText(),
             QStringLiteral("tick {{counter}}"));
    // Closing stops it.
    QTest::mouseClick(find<QPushButton>("disconnectButton"), Qt::LeftButton);
    QTRY_COMPARE(m_window->session()->state(), ClientSession::State::Closed);
    QVERIFY(!m_conversation->isSendingPeriodically());
    QVERIFY(!every->isChecked());
    const int sent = m_conversation->periodicSentCount();
    QVERIFY(sent >= 5);
    // Its timer is stopped (isSendingPeriodically above): the count stays.
    QCOMPARE(m_conversation->periodicSentCount(), sent);
    QCOMPARE(find<QLabel>("periodicSentLabel")->text(), QStringLiteral("%1 sent").arg(sent));
}

void tst_MessagesPanes::saveAndSendFromTheSavedMessagesPane()
{
    QVERIFY(connectAndWait());
    auto *tree = find<QTreeView>("savedMessagesTree");
    auto *collections = qobject_cast<MessageCollections *>(tree->model());
    QVERIFY(collections);
    QVERIFY(find<QPushButton>("saveMessageButton")->isVisible());
    type(Kind::Json, QStringLiteral("{\"join\": \"{{counter}}\"}"));
    QVERIFY(m_conversation->saveToCollection(QStringLiteral("Chat"), QStringLiteral("join")));
    type(Kind::Hex, QStringLiteral("de ad be ef"));
    QVERIFY(m_conversation->saveToCollection(QStringLiteral("Chat"), QStringLiteral("magic")));
    QCOMPARE(collections->collectionCount(), 1);
    QCOMPARE(collections->rowCount(collections->collectionIndex(0)), 2);
    // Persisted: another model on the same file reads it back.
    MessageCollections reread(collections->fileName());
    QVERIFY(reread.load());
    QCOMPARE(reread.collection(0).messages.at(1),
             SavedMessage({ QStringLiteral("magic"), Kind::Hex, QStringLiteral("de ad be ef") }));

    // From the keyboard: the pane's tree, a message, Ctrl+Enter sends it as saved.
    QSignalSpy echoes(m_window->session(), &ClientSession::messageReceived);
    find<QPlainTextEdit>("messageInput")->clear();
    tree->setFocus();
    tree->setCurrentIndex(collections->messageIndex(0, 0));
    QTest::keyClick(tree, Qt::Key_Return, Qt::ControlModifier);
    QTRY_COMPARE(echoes.size(), 1);
    QCOMPARE(echoes.at(0).at(0).toByteArray(), QByteArray("{\"join\": \"1\"}"));
    QTest::keyClick(tree, Qt::Key_Return, Qt::ControlModifier);
    QTRY_COMPARE(echoes.size(), 2);
    QCOMPARE(echoes.at(1).at(0).toByteArray(), QByteArray("{\"join\": \"2\"}")); // per collection
    QVERIFY(find<QPlainTextEdit>("messageInput")->toPlainText().isEmpty()); // sent, not loaded
    // The Send button does the same for the binary one.
    tree->setCurrentIndex(collections->messageIndex(0, 1));
    QTest::mouseClick(find<QPushButton>("sendSavedButton"), Qt::LeftButton);
    QTRY_COMPARE(echoes.size(), 3);
    QCOMPARE(echoes.at(2).at(0).toByteArray(), QByteArray("\xde\xad\xbe\xef"));
    QVERIFY(echoes.at(2).at(1).toBool());
    // Enter puts it in the input instead, in its kind.
    tree->setFocus();
    QTest::keyClick(tree, Qt::Key_Return);
    QCOMPARE(m_conversation->kind(), Kind::Hex);
    QCOMPARE(find<QPlainTextEdit>("messageInput")->toPlainText(), QStringLiteral("de ad be ef"));
    QCOMPARE(echoes.size(), 3);
    QVERIFY(find<QPlainTextEdit>("messageInput")->hasFocus());
}

void tst_MessagesPanes::saveDialogPutsTheInputInACollection()
{
    auto *collections
        = qobject_cast<MessageCollections *>(find<QTreeView>("savedMessagesTree")->model());
    collections->addCollection(QStringLiteral("Existing"));
    type(Kind::Base64, QStringLiteral("3q2+7w=="));
    bool filled = false;
    // The dialog is modal: filled in and accepted from inside its own event loop.
    QTimer::singleShot(0, this, [&] {
        auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        auto *collection = dialog->findChild<QComboBox *>(QStringLiteral("saveCollection"));
        auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("saveName"));
        QVERIFY(collection && name);
        QCOMPARE(collection->currentText(), QStringLiteral("Existing")); // offered first
        QCOMPARE(name->text(), QStringLiteral("3q2+7w==")); // the first line, to start from
        collection->setEditText(QStringLiteral("Fresh"));
        name->setText(QStringLiteral("deadbeef"));
        filled = true;
        QTest::keyClick(name, Qt::Key_Return); // Save is the default button
    });
    QTest::mouseClick(find<QPushButton>("saveMessageButton"), Qt::LeftButton);
    QVERIFY(filled);
    QCOMPARE(collections->collectionCount(), 2);
    QCOMPARE(collections->collection(1).name, QStringLiteral("Fresh"));
    QCOMPARE(collections->collection(1).messages,
             QList<SavedMessage>(
                 { { QStringLiteral("deadbeef"), Kind::Base64, QStringLiteral("3q2+7w==") } }));
}

void tst_MessagesPanes::deleteCanBeUndone()
{
    auto *tree = find<QTreeView>("savedMessagesTree");
    auto *collections = qobject_cast<MessageCollections *>(tree->model());
    QTest::mouseClick(find<QPushButton>("newCollectionButton"), Qt::LeftButton);
    QCOMPARE(collections->collectionCount(), 1);
    QCOMPARE(collections->collection(0).name, QStringLiteral("New collection"));
    // Named right away: the focus is in the name's editor, on the tree.
    QTRY_VERIFY(qobject_cast<QLineEdit *>(QApplication::focusWidget()));
    QCOMPARE(QApplication::focusWidget()->parentWidget(), tree->viewport());
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("Renamed"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
    QTRY_COMPARE(collections->collection(0).name, QStringLiteral("Renamed"));
    collections->addMessage(0, { QStringLiteral("m"), Kind::Text, QStringLiteral("body") });
    tree->setFocus();
    tree->setCurrentIndex(collections->messageIndex(0, 0));
    QTest::keyClick(tree, Qt::Key_Delete);
    QCOMPARE(collections->rowCount(collections->collectionIndex(0)), 0);
    auto *undo = find<QPushButton>("undoDeleteButton");
    QVERIFY(undo->isVisible());
    QVERIFY(find<QLabel>("undoDeleteLabel")->text().contains(u"\"m\""));
    QTest::mouseClick(undo, Qt::LeftButton);
    QCOMPARE(collections->collection(0).messages.size(), 1);
    QVERIFY(!undo->isVisible());
    // A whole collection, and back.
    tree->setCurrentIndex(collections->collectionIndex(0));
    QTest::mouseClick(find<QPushButton>("deleteSavedButton"), Qt::LeftButton);
    QCOMPARE(collections->collectionCount(), 0);
    QTest::mouseClick(undo, Qt::LeftButton);
    QCOMPARE(collections->collectionCount(), 1);
    QCOMPARE(collections->collection(0).messages.at(0).body, QStringLiteral("body"));
    MessageCollections reread(collections->fileName());
    QVERIFY(reread.load());
    QCOMPARE(reread.collection(0).name, QStringLiteral("Renamed"));
}

void tst_MessagesPanes::pingTimerPlotsRoundTrips()
{
    auto *pane = m_window->findChild<PingPane *>();
    QVERIFY(pane);
    auto *every = find<QCheckBox>("pingPeriodically");
    QVERIFY(!every->isEnabled()); // nothing to ping yet
    QVERIFY(connectAndWait());
    QTest::mouseClick(find<QPushButton>("pingNowButton"), Qt::LeftButton);
    QTRY_COMPARE(pane->series()->count(), 1);
    find<QDoubleSpinBox>("pingPeriod")->setValue(0.1);
    QTest::mouseClick(every, Qt::LeftButton);
    QVERIFY(every->isChecked());
    QTRY_VERIFY_WITH_TIMEOUT(pane->series()->count() >= 6, 10'000);
    const auto points = pane->series()->points();
    for (int i = 1; i < points.size(); ++i)
        QVERIFY(points.at(i).x() >= points.at(i - 1).x()); // over time
    for (const QPointF &point : points)
        QVERIFY(point.y() >= 0 && point.y() < 5000);
    const QString figures = find<QLabel>("pingFigures")->text();
    QVERIFY2(figures.contains(u"min") && figures.contains(u"max") && figures.contains(u"mean"),
             qPrintable(figures));
    // Closing stops the timer.
    QTest::mouseClick(find<QPushButton>("disconnectButton"), Qt::LeftButton);
    QTRY_COMPARE(m_window->session()->state(), ClientSession::State::Closed);
    QVERIFY(!every->isChecked());
    QVERIFY(!pane->isPingingPeriodically()); // no more points: its timer is stopped
}

void tst_MessagesPanes::panesFollowTheSessionTheyAreGiven()
{
    // What a tabbed window does when the current tab changes.
    auto *pane = m_window->findChild<PingPane *>();
    auto *saved = m_window->findChild<SavedMessagesPane *>();
    ClientSession other;
    QSignalSpy opened(&other, &ClientSession::stateChanged);
    QVERIFY(other.connectTo(m_window->server()->webSocketUrl().toString()));
    QTRY_COMPARE(other.state(), ClientSession::State::Open);
    pane->setSession(&other);
    saved->setSession(&other);
    QVERIFY(find<QPushButton>("pingNowButton")->isEnabled()); // the window's own is not open
    QSignalSpy pongs(&other, &ClientSession::pongReceived);
    QTest::mouseClick(find<QPushButton>("pingNowButton"), Qt::LeftButton);
    QTRY_COMPARE(pongs.size(), 1);
    QTRY_COMPARE(pane->series()->count(), 1);
    // A message sent from Saved messages goes on that session.
    auto *collections = qobject_cast<MessageCollections *>(saved->tree()->model());
    collections->addCollection(QStringLiteral("c"));
    collections->addMessage(0, { QStringLiteral("m"), Kind::Text, QStringLiteral("to other") });
    saved->tree()->setCurrentIndex(collections->messageIndex(0, 0));
    QSignalSpy echoes(&other, &ClientSession::messageReceived);
    QVERIFY(saved->sendCurrent());
    QTRY_COMPARE(echoes.size(), 1);
    QCOMPARE(echoes.at(0).at(0).toByteArray(), QByteArray("to other"));
    // Back to the window's session, before `other` goes.
    pane->setSession(m_window->session());
    saved->setSession(m_window->session());
    QCOMPARE(pane->series()->count(), 0);
    QVERIFY(!find<QPushButton>("pingNowButton")->isEnabled());
}

void tst_MessagesPanes::findShowsOnlyMatchingMessages()
{
    QVERIFY(connectAndWait());
    QSignalSpy echoes(m_window->session(), &ClientSession::messageReceived);
    for (const QString &text : { QStringLiteral("apple pie"), QStringLiteral("banana split"),
                                 QStringLiteral("cherry 42") }) {
        type(Kind::Text, text);
        QTest::keyClick(find<QPlainTextEdit>("messageInput"), Qt::Key_Return);
    }
    QTRY_COMPARE(echoes.size(), 3);
    QCOMPARE(m_conversation->shownCount(), 6); // three sent, three echoed

    // Ctrl+F in the conversation goes to its find box.
    m_conversation->setFocus();
    QTest::keySequence(m_conversation, QKeySequence::Find);
    auto *text = find<QLineEdit>("conversationFindText");
    QTRY_VERIFY(text->hasFocus());
    QTest::keyClicks(text, QStringLiteral("BANANA"));
    QCOMPARE(m_conversation->shownCount(), 2); // case-insensitive: sent and echoed
    // A message arriving while a find is on is shown only if it matches.
    type(Kind::Text, QStringLiteral("date"));
    QTest::keyClick(find<QPlainTextEdit>("messageInput"), Qt::Key_Return);
    QTRY_COMPARE(echoes.size(), 4);
    QCOMPARE(m_conversation->shownCount(), 2);

    find<QCheckBox>("conversationFindRegex")->setChecked(true);
    text->setText(QStringLiteral("^(apple|cherry \\d+)"));
    QCOMPARE(m_conversation->shownCount(), 0); // each block starts with its caption
    text->setText(QStringLiteral("(apple pie|cherry \\d+)$"));
    QCOMPARE(m_conversation->shownCount(), 4);
    // A broken pattern says so and hides nothing it cannot judge.
    text->setText(QStringLiteral("(unclosed"));
    auto *problem = find<QLabel>("conversationFindProblemText");
    QVERIFY(problem->isVisibleTo(m_window.get()));
    QVERIFY2(!problem->text().isEmpty(), "no error for a broken regex");
    text->clear();
    QCOMPARE(m_conversation->shownCount(), 8);
}

QTEST_MAIN(tst_MessagesPanes)
#include "tst_messagespanes.moc"
