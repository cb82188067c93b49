// QR codes through libqrencode: what we encode is what a reader (zbarimg, Debian zbar-tools)
// decodes from the PNG we make of it.

#include "qrcode.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace wslab;

class tst_QrCode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shape();
    void tooLongIsNull();
    void decodesBack_data();
    void decodesBack();
};

void tst_QrCode::shape()
{
    const QrCode code = QrCode::encode(QStringLiteral("http://192.168.1.20:8888/"));
    QVERIFY(!code.isNull());
    // Version v has 17 + 4v modules a side, plus the quiet zone on both sides.
    const int inner = code.size() - 2 * QrCode::quietZone;
    QVERIFY2((inner - 17) % 4 == 0 && inner >= 21, qPrintable(QString::number(inner)));
    // The quiet zone is white, and the finder pattern's corner (top left) is dark.
    for (int i = 0; i < code.size(); ++i) {
        for (int q = 0; q < QrCode::quietZone; ++q) {
            QVERIFY(!code.isDark(i, q));
            QVERIFY(!code.isDark(q, i));
            QVERIFY(!code.isDark(i, code.size() - 1 - q));
            QVERIFY(!code.isDark(code.size() - 1 - q, i));
        }
    }
    QVERIFY(code.isDark(QrCode::quietZone, QrCode::quietZone));
    const QImage image = code.toImage(3);
    QCOMPARE(image.size(), QSize(code.size() * 3, code.size() * 3));
    QCOMPARE(image.pixelColor(0, 0), QColor(Qt::white));
    QCOMPARE(image.pixelColor(QrCode::quietZone * 3, QrCode::quietZone * 3), QColor(Qt::black));
}

void tst_QrCode::tooLongIsNull()
{
    QVERIFY(QrCode::encode(QString(4000, u'x')).isNull());
    QVERIFY(QrCode().isNull());
    QVERIFY(QrCode().toImage(4).isNull());
}

void tst_QrCode::decodesBack_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("join URL") << QStringLiteral("http://192.168.1.20:8888/");
    QTest::newRow("https, long port") << QStringLiteral("https://10.200.30.40:65535/");
    QTest::newRow("case kept") << QStringLiteral("http://Example.test:8888/Path?Q=1");
    QTest::newRow("Chinese (UTF-8)") << QStringLiteral("你好,成绩出来了吗?");
}

void tst_QrCode::decodesBack()
{
    QFETCH(QString, text);
    const QString zbarimg = QStandardPaths::findExecutable(QStringLiteral("zbarimg"));
    QVERIFY2(!zbarimg.isEmpty(), "zbarimg is missing: install zbar-tools (scripts/lib/setup.sh)");
    const QrCode code = QrCode::encode(text);
    QVERIFY(!code.isNull());
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("code.png"));
    QVERIFY(code.toImage(4).save(png, "PNG"));
    QProcess zbar;
    zbar.start(zbarimg, { QStringLiteral("--raw"), QStringLiteral("-q"), png });
    QVERIFY(zbar.waitForFinished(20000));
    QCOMPARE(zbar.exitCode(), 0);
    QCOMPARE(QString::fromUtf8(zbar.readAllStandardOutput()).trimmed(), text);
}

QTEST_GUILESS_MAIN(tst_QrCode)
#include "tst_qrcode.moc"
