#include "payloadformat.h"

#include <QTest>

using namespace wslab;

class tst_PayloadFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void formats_data();
    void formats();
    void cArrayWrapsTwelveALine();
};

void tst_PayloadFormat::formats_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("format");
    QTest::addColumn<QString>("expected");
    const QByteArray hello("Hello");
    const QByteArray odd("\x00\x01\x7f\x80\xff", 5);
    QTest::newRow("hex") << hello << int(PayloadFormat::Hex) << QStringLiteral("48 65 6c 6c 6f");
    QTest::newRow("hex, high bytes")
        << odd << int(PayloadFormat::Hex) << QStringLiteral("00 01 7f 80 ff");
    QTest::newRow("hex, empty") << QByteArray() << int(PayloadFormat::Hex) << QString();
    QTest::newRow("base64") << odd << int(PayloadFormat::Base64) << QStringLiteral("AAF/gP8=");
    QTest::newRow("C array") << odd << int(PayloadFormat::CArray)
                             << QStringLiteral("const unsigned char payload[5] = {\n"
                                               "    0x00, 0x01, 0x7f, 0x80, 0xff,\n"
                                               "};\n"
                                               "const unsigned int payload_len = 5;\n");
    QTest::newRow("C array, empty") << QByteArray() << int(PayloadFormat::CArray)
                                    << QStringLiteral("const unsigned char payload[0] = {\n"
                                                      "};\n"
                                                      "const unsigned int payload_len = 0;\n");
    QTest::newRow("text, UTF-8") << QStringLiteral("你好 🎉").toUtf8() << int(PayloadFormat::Text)
                                 << QStringLiteral("你好 🎉");
    QTest::newRow("text, not UTF-8") << QByteArray("a\xff"
                                                   "b")
                                     << int(PayloadFormat::Text) << QStringLiteral("a\uFFFDb");
}

void tst_PayloadFormat::formats()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, format);
    QFETCH(QString, expected);
    QCOMPARE(formatPayload(bytes, PayloadFormat(format)), expected);
}

void tst_PayloadFormat::cArrayWrapsTwelveALine()
{
    QByteArray bytes;
    for (int i = 0; i < 256; ++i)
        bytes.append(char(i));
    const QString c = payloadAsCArray(bytes, QStringLiteral("frame"));
    const QStringList lines = c.split(u'\n');
    QCOMPARE(lines.first(), QStringLiteral("const unsigned char frame[256] = {"));
    QCOMPARE(lines.at(1),
             QStringLiteral("    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, "
                            "0x0a, 0x0b,"));
    QCOMPARE(lines.size(), 1 + 22 + 3); // 256 = 21 × 12 + 4, then "};", the length, ""
    QCOMPARE(lines.at(22), QStringLiteral("    0xfc, 0xfd, 0xfe, 0xff,"));
    QCOMPARE(lines.at(24), QStringLiteral("const unsigned int frame_len = 256;"));
    QCOMPARE(c.count(QStringLiteral("0x")), 256);
}

QTEST_GUILESS_MAIN(tst_PayloadFormat)
#include "tst_payloadformat.moc"
