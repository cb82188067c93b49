// What the composer turns typed text into: bytes, or an error that says what and where.

#include "payloadinput.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace wslab;
using PayloadInput::Kind;

class tst_PayloadInput : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hex_data();
    void hex();
    void badHex_data();
    void badHex();
    void base64_data();
    void base64();
    void badBase64_data();
    void badBase64();
    void json_data();
    void json();
    void badJson_data();
    void badJson();
    void textIsUtf8();
    void reformat_data();
    void reformat();
    void reformatKeepsVariables();
    void file();
    void fileErrors();
    void kindNamesRoundTrip();
};

void tst_PayloadInput::hex_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("spaced") << QStringLiteral("48 65 6c 6C 6f") << QByteArray("Hello");
    QTest::newRow("run together") << QStringLiteral("48656c6c6f") << QByteArray("Hello");
    QTest::newRow("0x prefixes, commas") << QStringLiteral("0x48, 0X65,0x6c") << QByteArray("Hel");
    QTest::newRow("colons") << QStringLiteral("de:ad:be:ef") << QByteArray("\xde\xad\xbe\xef");
    QTest::newRow("newlines and tabs")
        << QStringLiteral("00\n01\t02\r\n03") << QByteArray("\x00\x01\x02\x03", 4);
    QTest::newRow("empty") << QString() << QByteArray();
    QTest::newRow("only separators") << QStringLiteral("  \n ") << QByteArray();
}

void tst_PayloadInput::hex()
{
    QFETCH(QString, input);
    QFETCH(QByteArray, bytes);
    const auto result = PayloadInput::fromHex(input);
    QVERIFY2(result.ok(), qPrintable(result.message()));
    QVERIFY(result.binary);
    QCOMPARE(result.bytes, bytes);
}

void tst_PayloadInput::badHex_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("says");
    QTest::newRow("odd digits") << QStringLiteral("48 656") << 1 << 4 << QStringLiteral("odd");
    QTest::newRow("one digit after 0x") << QStringLiteral("0x4") << 1 << 1 << QStringLiteral("odd");
    QTest::newRow("not a digit") << QStringLiteral("48 6g") << 1 << 5 << QStringLiteral("'g'");
    QTest::newRow("second line") << QStringLiteral("00 01\n02 zz") << 2 << 4
                                 << QStringLiteral("'z'");
    QTest::newRow("bare 0x") << QStringLiteral("00 0x") << 1 << 4 << QStringLiteral("0x");
    QTest::newRow("non-ASCII") << QStringLiteral("00 é1") << 1 << 4 << QStringLiteral("'é'");
}

void tst_PayloadInput::badHex()
{
    QFETCH(QString, input);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, says);
    const auto result = PayloadInput::fromHex(input);
    QVERIFY(!result.ok());
    QCOMPARE(result.line, line);
    QCOMPARE(result.column, column);
    QVERIFY2(result.message().contains(says), qPrintable(result.message()));
    QVERIFY2(
        result.message().startsWith(QStringLiteral("line %1, column %2: ").arg(line).arg(column)),
        qPrintable(result.message()));
    QVERIFY(result.bytes.isEmpty());
}

void tst_PayloadInput::base64_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("padded") << QStringLiteral("SGVsbG8=") << QByteArray("Hello");
    QTest::newRow("unpadded") << QStringLiteral("SGVsbG8") << QByteArray("Hello");
    QTest::newRow("standard +/") << QStringLiteral("+/8=") << QByteArray("\xfb\xff");
    QTest::newRow("URL-safe -_") << QStringLiteral("-_8") << QByteArray("\xfb\xff");
    QTest::newRow("wrapped lines") << QStringLiteral("SGVs\nbG8=\n") << QByteArray("Hello");
    QTest::newRow("empty") << QString() << QByteArray();
}

void tst_PayloadInput::base64()
{
    QFETCH(QString, input);
    QFETCH(QByteArray, bytes);
    const auto result = PayloadInput::fromBase64(input);
    QVERIFY2(result.ok(), qPrintable(result.message()));
    QVERIFY(result.binary);
    QCOMPARE(result.bytes, bytes);
}

void tst_PayloadInput::badBase64_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("column"); // 0: about the whole
    QTest::addColumn<QString>("says");
    QTest::newRow("bad character") << QStringLiteral("SGV*bG8=") << 4 << QStringLiteral("'*'");
    QTest::newRow("mixed alphabets")
        << QStringLiteral("ab+/cd-_") << 7 << QStringLiteral("URL-safe");
    QTest::newRow("padding inside") << QStringLiteral("SG=VsbG8") << 3 << QStringLiteral("'='");
    QTest::newRow("cut short") << QStringLiteral("SGVsb") << 0 << QStringLiteral("cut short");
}

void tst_PayloadInput::badBase64()
{
    QFETCH(QString, input);
    QFETCH(int, column);
    QFETCH(QString, says);
    const auto result = PayloadInput::fromBase64(input);
    QVERIFY(!result.ok());
    QCOMPARE(result.column, column);
    QVERIFY2(result.message().contains(says), qPrintable(result.message()));
}

void tst_PayloadInput::json_data()
{
    QTest::addColumn<QString>("input");
    QTest::newRow("object") << QStringLiteral("{\"a\": [1, 2, {\"b\": null}]}");
    QTest::newRow("array") << QStringLiteral("[true, false]");
    QTest::newRow("scalar") << QStringLiteral("42"); // RFC 8259: any value
    QTest::newRow("string") << QStringLiteral("\"你好\"");
    QTest::newRow("spaced scalar") << QStringLiteral(" null\n");
}

void tst_PayloadInput::json()
{
    QFETCH(QString, input);
    const auto result = PayloadInput::fromJson(input);
    QVERIFY2(result.ok(), qPrintable(result.message()));
    QVERIFY(!result.binary);
    QCOMPARE(result.bytes, input.toUtf8()); // sent as typed
}

void tst_PayloadInput::badJson_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::newRow("missing comma") << QStringLiteral("{\"a\": 1\n \"b\": 2}") << 2 << 2;
    QTest::newRow("trailing comma") << QStringLiteral("[1, 2,]") << 1 << 7;
    QTest::newRow("after non-ASCII") << QStringLiteral("[\"é\", x]") << 1 << 7;
    QTest::newRow("empty") << QString() << 1 << 1;
    QTest::newRow("two values") << QStringLiteral("1, 2") << 1 << 2;
    QTest::newRow("bad scalar") << QStringLiteral("  tru") << 1 << 3;
}

void tst_PayloadInput::badJson()
{
    QFETCH(QString, input);
    QFETCH(int, line);
    QFETCH(int, column);
    const auto result = PayloadInput::fromJson(input);
    QVERIFY(!result.ok());
    QVERIFY2(result.message().contains(u"not valid JSON"), qPrintable(result.message()));
    if (input.contains(u','))
        QVERIFY2(result.message().contains(u"more than one value") || input.startsWith(u'['),
                 qPrintable(result.message()));
    // Qt's parser points at or just past the offending character; the line is exact.
    QCOMPARE(result.line, line);
    QVERIFY2(qAbs(result.column - column) <= 1,
             qPrintable(QStringLiteral("column %1, expected about %2: %3")
                            .arg(result.column)
                            .arg(column)
                            .arg(result.message())));
}

void tst_PayloadInput::textIsUtf8()
{
    const auto result = PayloadInput::parse(Kind::Text, QStringLiteral("héllo {{x"));
    QVERIFY(result.ok());
    QVERIFY(!result.binary);
    QCOMPARE(result.bytes, QByteArray("h\xc3\xa9llo {{x"));
}

void tst_PayloadInput::reformat_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("pretty");
    QTest::addColumn<QString>("compact");
    QTest::newRow("object, order kept")
        << QStringLiteral("{ \"z\":1,\"a\" : [1.50, {}, []] }")
        << QStringLiteral("{\n  \"z\": 1,\n  \"a\": [\n    1.50,\n    {},\n    []\n  ]\n}")
        << QStringLiteral("{\"z\":1,\"a\":[1.50,{},[]]}");
    QTest::newRow("strings untouched") << QStringLiteral("[\"a, b: {c}\", \"q\\\"{\"]")
                                       << QStringLiteral("[\n  \"a, b: {c}\",\n  \"q\\\"{\"\n]")
                                       << QStringLiteral("[\"a, b: {c}\",\"q\\\"{\"]");
    QTest::newRow("scalar") << QStringLiteral(" 42 ") << QStringLiteral("42")
                            << QStringLiteral("42");
}

void tst_PayloadInput::reformat()
{
    QFETCH(QString, input);
    QFETCH(QString, pretty);
    QFETCH(QString, compact);
    QCOMPARE(PayloadInput::reformatJson(input, 2), pretty);
    QCOMPARE(PayloadInput::reformatJson(input, -1), compact);
    // Both are still the same JSON.
    QCOMPARE(QJsonDocument::fromJson(pretty.toUtf8()), QJsonDocument::fromJson(input.toUtf8()));
    QVERIFY(PayloadInput::fromJson(compact).ok());
}

void tst_PayloadInput::reformatKeepsVariables()
{
    QCOMPARE(
        PayloadInput::reformatJson(QStringLiteral("{\"n\":{{counter}},\"id\":\"{{uuid}}\"}"), 2),
        QStringLiteral("{\n  \"n\": {{counter}},\n  \"id\": \"{{uuid}}\"\n}"));
}

void tst_PayloadInput::file()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("blob.bin"));
    QByteArray bytes;
    for (int i = 0; i < 1000; ++i)
        bytes.append(char(i % 256));
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(bytes);
    out.close();
    const auto result = PayloadInput::fromFile(path);
    QVERIFY2(result.ok(), qPrintable(result.message()));
    QVERIFY(result.binary);
    QCOMPARE(result.bytes, bytes);
    // Exactly at the limit is fine; one byte over is not.
    QVERIFY(PayloadInput::fromFile(path, 1000).ok());
    const auto over = PayloadInput::fromFile(path, 999);
    QVERIFY(!over.ok());
    QVERIFY2(over.message().contains(QStringLiteral("1000 bytes, over the limit of 999")),
             qPrintable(over.message()));
    QVERIFY(over.message().contains(path));
}

void tst_PayloadInput::fileErrors()
{
    QTemporaryDir dir;
    const auto missing = PayloadInput::fromFile(dir.filePath(QStringLiteral("nope.bin")));
    QVERIFY(!missing.ok());
    QVERIFY2(missing.message().contains(u"no such file"), qPrintable(missing.message()));
    const auto folder = PayloadInput::fromFile(dir.path());
    QVERIFY(!folder.ok());
    QVERIFY2(folder.message().contains(u"folder"), qPrintable(folder.message()));
    const QString locked = dir.filePath(QStringLiteral("locked.bin"));
    QFile file(locked);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("x");
    file.close();
    QVERIFY(file.setPermissions(QFileDevice::WriteOwner));
    // Root reads it anyway; then there is nothing to refuse, and only the cases above count.
    if (!QFile(locked).open(QIODevice::ReadOnly)) {
        const auto unreadable = PayloadInput::fromFile(locked);
        QVERIFY(!unreadable.ok());
        QVERIFY2(unreadable.message().contains(u"cannot read"), qPrintable(unreadable.message()));
    }
}

void tst_PayloadInput::kindNamesRoundTrip()
{
    for (Kind kind : { Kind::Text, Kind::Json, Kind::Hex, Kind::Base64 })
        QCOMPARE(PayloadInput::kindFromName(PayloadInput::kindName(kind)), kind);
    QVERIFY(!PayloadInput::kindFromName(QStringLiteral("binary")));
}

QTEST_GUILESS_MAIN(tst_PayloadInput)
#include "tst_payloadinput.moc"
