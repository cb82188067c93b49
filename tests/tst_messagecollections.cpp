// The saved messages: a tree model, written to one JSON file after each change, and a file that
// cannot be read kept aside rather than lost.

#include "messagecollections.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace wslab;
using PayloadInput::Kind;

class tst_MessageCollections : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void fileIsUnderAppData();
    void persistAndReload();
    void modelRows();
    void renameAndEmptyNames();
    void deleteAndUndo();
    void move();
    void corruptFileIsKeptAside_data();
    void corruptFileIsKeptAside();
    void countersArePerCollection();

private:
    QString m_file;
};

void tst_MessageCollections::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void tst_MessageCollections::init()
{
    // A fresh folder per test, under the test-mode data location (~/.qttest/share/…).
    const QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir(base).removeRecursively();
    QVERIFY(QDir().mkpath(base));
    m_file = base + QStringLiteral("/saved-messages.json");
}

void tst_MessageCollections::fileIsUnderAppData()
{
    MessageCollections collections;
    QCOMPARE(collections.fileName(), m_file);
    QVERIFY(collections.fileName().contains(u".qttest")); // the test's, not the user's
    QVERIFY(collections.load()); // no file yet: fine, empty
    QCOMPARE(collections.collectionCount(), 0);
    QVERIFY(collections.error().isEmpty());
}

void tst_MessageCollections::persistAndReload()
{
    {
        MessageCollections collections;
        QVERIFY(collections.load());
        const int api = collections.addCollection(QStringLiteral("  API  "));
        QCOMPARE(api, 0);
        QCOMPARE(
            collections.addMessage(
                api, { QStringLiteral("hello"), Kind::Text, QStringLiteral("hi {{counter}}") }),
            0);
        QCOMPARE(
            collections.addMessage(
                api, { QStringLiteral("login"), Kind::Json, QStringLiteral("{\"user\": \"李\"}") }),
            1);
        const int bin = collections.addCollection(QStringLiteral("Binary"));
        collections.addMessage(bin,
                               { QStringLiteral("magic"), Kind::Hex, QStringLiteral("de ad") });
        collections.addMessage(bin,
                               { QStringLiteral("b64"), Kind::Base64, QStringLiteral("3q0=") });
        QVERIFY(QFile::exists(m_file)); // saved without being asked
    }
    MessageCollections reloaded;
    QVERIFY2(reloaded.load(), qPrintable(reloaded.error()));
    QCOMPARE(reloaded.collectionCount(), 2);
    QCOMPARE(reloaded.collection(0).name, QStringLiteral("API"));
    QCOMPARE(
        reloaded.collection(0).messages,
        QList<SavedMessage>(
            { { QStringLiteral("hello"), Kind::Text, QStringLiteral("hi {{counter}}") },
              { QStringLiteral("login"), Kind::Json, QStringLiteral("{\"user\": \"李\"}") } }));
    QCOMPARE(reloaded.collection(1).messages.at(0).kind, Kind::Hex);
    QCOMPARE(reloaded.collection(1).messages.at(1).kind, Kind::Base64);
    // No leftovers of the atomic save.
    QCOMPARE(QDir(QFileInfo(m_file).absolutePath()).entryList(QDir::Files),
             QStringList { QStringLiteral("saved-messages.json") });
}

void tst_MessageCollections::modelRows()
{
    MessageCollections collections;
    QAbstractItemModelTester tester(&collections,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(collections.load());
    const int c = collections.addCollection(QStringLiteral("Chat"));
    collections.addMessage(c, { QStringLiteral("join"), Kind::Json, QStringLiteral("{}") });
    collections.addMessage(c, { QStringLiteral("ping"), Kind::Text, QStringLiteral("ping") });
    QCOMPARE(collections.rowCount(), 1);
    const QModelIndex chat = collections.collectionIndex(0);
    QCOMPARE(chat.data().toString(), QStringLiteral("Chat"));
    QVERIFY(chat.data(MessageCollections::IsCollectionRole).toBool());
    QCOMPARE(collections.index(0, MessageCollections::Kind).data().toString(),
             QStringLiteral("2 message(s)")); // English plurals come untranslated
    QCOMPARE(collections.rowCount(chat), 2);
    const QModelIndex join = collections.index(0, 0, chat);
    QCOMPARE(join.data().toString(), QStringLiteral("join"));
    QCOMPARE(join.parent(), chat);
    QCOMPARE(join.siblingAtColumn(MessageCollections::Kind).data().toString(),
             QStringLiteral("JSON"));
    QCOMPARE(join.data(MessageCollections::KindRole).toInt(), int(Kind::Json));
    QCOMPARE(join.data(MessageCollections::BodyRole).toString(), QStringLiteral("{}"));
    QCOMPARE(collections.position(join), std::make_pair(0, 0));
    QCOMPARE(collections.position(chat), std::make_pair(0, -1));
    QCOMPARE(collections.rowCount(join), 0);
    // Renamed in place, as the view's editor does.
    QVERIFY(collections.setData(join, QStringLiteral("enter")));
    QCOMPARE(collections.collection(0).messages.at(0).name, QStringLiteral("enter"));
}

void tst_MessageCollections::renameAndEmptyNames()
{
    MessageCollections collections;
    QVERIFY(collections.load());
    QSignalSpy errors(&collections, &MessageCollections::errorChanged);
    QCOMPARE(collections.addCollection(QStringLiteral("   ")), -1);
    QVERIFY(collections.error().contains(u"empty"));
    QCOMPARE(errors.size(), 1);
    const int c = collections.addCollection(QStringLiteral("A"));
    QVERIFY(collections.renameCollection(c, QStringLiteral("B")));
    QVERIFY(!collections.renameCollection(c, QString()));
    QCOMPARE(collections.collection(c).name, QStringLiteral("B"));
    QCOMPARE(collections.findCollection(QStringLiteral("B")), c);
    QCOMPARE(collections.addMessage(c, { QString(), Kind::Text, QStringLiteral("x") }), -1);
    MessageCollections reloaded;
    QVERIFY(reloaded.load());
    QCOMPARE(reloaded.collection(0).name, QStringLiteral("B"));
}

void tst_MessageCollections::deleteAndUndo()
{
    MessageCollections collections;
    QAbstractItemModelTester tester(&collections,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(collections.load());
    collections.addCollection(QStringLiteral("one"));
    collections.addCollection(QStringLiteral("two"));
    collections.addMessage(1, { QStringLiteral("m1"), Kind::Text, QStringLiteral("1") });
    collections.addMessage(1, { QStringLiteral("m2"), Kind::Text, QStringLiteral("2") });
    const SavedMessage m1 = collections.takeMessage(1, 0);
    QCOMPARE(m1.name, QStringLiteral("m1"));
    QCOMPARE(collections.collection(1).messages.size(), 1);
    collections.insertMessage(1, 0, m1); // undo
    QCOMPARE(collections.collection(1).messages.at(0).name, QStringLiteral("m1"));
    const MessageCollection two = collections.takeCollection(1);
    QCOMPARE(collections.collectionCount(), 1);
    {
        MessageCollections reloaded;
        QVERIFY(reloaded.load());
        QCOMPARE(reloaded.collectionCount(), 1); // the deletion was saved
    }
    collections.insertCollection(1, two); // undo
    MessageCollections reloaded;
    QVERIFY(reloaded.load());
    QCOMPARE(reloaded.collectionCount(), 2);
    QCOMPARE(reloaded.collection(1).messages.size(), 2);
}

void tst_MessageCollections::move()
{
    MessageCollections collections;
    QAbstractItemModelTester tester(&collections,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(collections.load());
    for (const char *name : { "a", "b", "c" })
        collections.addCollection(QLatin1StringView(name));
    QVERIFY(collections.moveCollection(0, 2));
    QCOMPARE(collections.collection(2).name, QStringLiteral("a"));
    QVERIFY(collections.moveCollection(2, 0));
    QCOMPARE(collections.collection(0).name, QStringLiteral("a"));
    QVERIFY(!collections.moveCollection(0, 3));
    for (const char *name : { "x", "y", "z" })
        collections.addMessage(0, { QLatin1StringView(name), Kind::Text, QString() });
    QVERIFY(collections.moveMessage(0, 0, 0, 2)); // y z x
    QCOMPARE(collections.collection(0).messages.at(2).name, QStringLiteral("x"));
    QVERIFY(collections.moveMessage(0, 2, 0, 0)); // x y z
    QCOMPARE(collections.collection(0).messages.at(0).name, QStringLiteral("x"));
    QVERIFY(collections.moveMessage(0, 1, 1, 0)); // y to b
    QCOMPARE(collections.collection(1).messages.at(0).name, QStringLiteral("y"));
    QCOMPARE(collections.collection(0).messages.size(), 2);
    QVERIFY(!collections.moveMessage(0, 5, 1, 0));
    MessageCollections reloaded;
    QVERIFY(reloaded.load());
    QCOMPARE(reloaded.collection(1).messages.at(0).name, QStringLiteral("y"));
}

void tst_MessageCollections::corruptFileIsKeptAside_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("not JSON") << QByteArray("{\"format\": \"wslab-saved-mess");
    QTest::newRow("other JSON") << QByteArray("[1, 2, 3]");
    QTest::newRow("newer version") << QByteArray(
        "{\"format\": \"wslab-saved-messages\", \"version\": 9, \"collections\": []}");
    QTest::newRow("unknown kind") << QByteArray(
        "{\"format\": \"wslab-saved-messages\", \"version\": 1, \"collections\": "
        "[{\"name\": \"c\", \"messages\": [{\"name\": \"m\", \"kind\": \"morse\", "
        "\"body\": \"...\"}]}]}");
}

void tst_MessageCollections::corruptFileIsKeptAside()
{
    QFETCH(QByteArray, content);
    QFile file(m_file);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
    file.close();
    MessageCollections collections;
    QVERIFY(!collections.load());
    QCOMPARE(collections.collectionCount(), 0);
    const QString aside = collections.keptAside();
    QVERIFY(!aside.isEmpty());
    QVERIFY2(collections.error().contains(aside), qPrintable(collections.error()));
    QVERIFY(collections.error().contains(m_file));
    QFile kept(aside);
    QVERIFY(kept.open(QIODevice::ReadOnly));
    QCOMPARE(kept.readAll(), content); // byte for byte
    // Working on saves a new file; the kept one stays.
    collections.addCollection(QStringLiteral("new"));
    MessageCollections reloaded;
    QVERIFY(reloaded.load());
    QCOMPARE(reloaded.collectionCount(), 1);
    QVERIFY(QFile::exists(aside));
}

void tst_MessageCollections::countersArePerCollection()
{
    MessageCollections collections;
    QVERIFY(collections.load());
    collections.addCollection(QStringLiteral("a"));
    collections.addCollection(QStringLiteral("b"));
    QCOMPARE(collections.nextCounter(0), 1);
    QCOMPARE(collections.nextCounter(0), 2);
    QCOMPARE(collections.nextCounter(1), 1);
    QCOMPARE(collections.nextCounter(5), 0);
}

QTEST_GUILESS_MAIN(tst_MessageCollections)
#include "tst_messagecollections.moc"
