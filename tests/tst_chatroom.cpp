// The /chat room's membership and what it says, without a socket.

#include "chatroom.h"
#include "language.h"

#include <QTest>

using namespace wslab;

class tst_ChatRoom : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void names_data();
    void names();
    void joinSayLeave();
    void strangersSayNothing();
    void wordsStayEnglishInAChineseWindow();
};

void tst_ChatRoom::names_data()
{
    QTest::addColumn<QString>("requested");
    QTest::addColumn<QString>("name");

    QTest::newRow("given") << u"ann"_qs << u"ann"_qs;
    QTest::newRow("none") << QString() << u"guest-7"_qs;
    QTest::newRow("blank") << u"  \t "_qs << u"guest-7"_qs;
    QTest::newRow("white space tidied") << u"  ann \n  lee "_qs << u"ann lee"_qs;
    QTest::newRow("Chinese") << u"小明"_qs << u"小明"_qs;
    QTest::newRow("too long") << QString(100, u'x') << QString(ChatRoom::maxNameLength, u'x');
}

void tst_ChatRoom::names()
{
    QFETCH(QString, requested);
    QFETCH(QString, name);
    QCOMPARE(ChatRoom::nameFor(requested, 7), name);
}

void tst_ChatRoom::joinSayLeave()
{
    ChatRoom room;
    QCOMPARE(room.join(1, u"ann"_qs), u"* ann joined (1 in the room)"_qs);
    QCOMPARE(room.join(2, u"lee"_qs), u"* lee joined (2 in the room)"_qs);
    QCOMPARE(room.size(), 2);
    QCOMPARE(room.say(1, u"hello"_qs), u"ann: hello"_qs);
    QCOMPARE(room.say(2, u"hi ann"_qs), u"lee: hi ann"_qs);
    QCOMPARE(room.leave(1), u"* ann left"_qs);
    QVERIFY(!room.contains(1));
    QCOMPARE(room.size(), 1);
    QCOMPARE(room.join(3, u"kim"_qs), u"* kim joined (2 in the room)"_qs);
}

void tst_ChatRoom::strangersSayNothing()
{
    ChatRoom room;
    room.join(1, u"ann"_qs);
    QVERIFY(room.say(9, u"hello"_qs).isEmpty());
    QVERIFY(room.leave(9).isEmpty());
    QCOMPARE(room.leave(1), u"* ann left"_qs);
    QVERIFY(room.leave(1).isEmpty()); // a second leave says nothing
    QVERIFY(!ChatRoom::binaryRefusal().isEmpty());
}

void tst_ChatRoom::wordsStayEnglishInAChineseWindow()
{
    // What the room says goes to every member's browser or program: English, like everything
    // the server sends, whatever language the host runs in.
    QVERIFY(Language::apply(u"zh_CN"_qs));
    ChatRoom room;
    QCOMPARE(room.join(1, u"小明"_qs), u"* 小明 joined (1 in the room)"_qs);
    QCOMPARE(room.leave(1), u"* 小明 left"_qs);
    QCOMPARE(ChatRoom::binaryRefusal(), u"the chat room takes text messages only"_qs);
    QVERIFY(Language::apply(u"en"_qs));
}

QTEST_GUILESS_MAIN(tst_ChatRoom)
#include "tst_chatroom.moc"
