// The Handshake pane with wss://: the TLS section comes first, says whether the tap verified the
// server, and names the certificate by its fingerprint.

#include "handshakepane.h"

#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QTest>
#include <QTreeWidget>

using namespace wslab;

namespace {
WireEvent tlsEvent(bool verified)
{
    WireEvent event;
    event.kind = WireEvent::Kind::TlsEstablished;
    event.direction = Direction::ServerToClient;
    event.tls.protocol = QStringLiteral("TLS 1.3");
    event.tls.cipher = QStringLiteral("TLS_AES_128_GCM_SHA256");
    event.tls.peerName = QStringLiteral("example.org");
    event.tls.verified = verified;
    if (!verified)
        event.tls.unverifiedProblem = QStringLiteral("TLS refused: it is self-signed.");
    TlsCertificateSummary leaf;
    leaf.subject = QStringLiteral("CN=example.org");
    leaf.issuer = QStringLiteral("CN=example.org");
    leaf.notBefore = QDateTime(QDate(2026, 1, 2), QTime(3, 4), Qt::UTC);
    leaf.notAfter = QDateTime(QDate(2026, 1, 3), QTime(3, 4), Qt::UTC);
    leaf.sha256 = QStringLiteral("AB:CD:EF");
    event.tls.chain = { leaf };
    return event;
}

WireEvent requestEvent()
{
    WireEvent event;
    event.kind = WireEvent::Kind::HandshakeRequest;
    event.startLine = "GET /ws HTTP/1.1";
    event.headers = { { "Host", "example.org" } };
    event.byteCount = 40;
    return event;
}
} // namespace

class tst_HandshakePane : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tlsComesFirst();
    void insecureIsAProblem();
    void clearForgetsTheTls();
    void findKeepsMatchingRowsAndTheirSections();
};

void tst_HandshakePane::tlsComesFirst()
{
    HandshakePane pane;
    pane.show();
    // The request may be filled first (retranslate refills): TLS stays on top.
    pane.addWireEvent(requestEvent());
    pane.addWireEvent(tlsEvent(true));
    auto *tree = pane.findChild<QTreeWidget *>(QStringLiteral("handshakeTree"));
    QCOMPARE(tree->topLevelItemCount(), 2);
    QCOMPARE(tree->topLevelItem(0)->text(0), QStringLiteral("TLS: tap ↔ server example.org"));
    QVERIFY(tree->topLevelItem(1)->text(0).startsWith(QStringLiteral("Request")));
    QStringList rows;
    for (int i = 0; i < tree->topLevelItem(0)->childCount(); ++i)
        rows.append(tree->topLevelItem(0)->child(i)->text(0));
    QVERIFY(rows.contains(QStringLiteral("Version: TLS 1.3")));
    QVERIFY(rows.contains(QStringLiteral("Cipher: TLS_AES_128_GCM_SHA256")));
    QVERIFY(rows.contains(QStringLiteral("Certificate 1: CN=example.org")));
    auto *verdict = pane.findChild<QLabel *>(QStringLiteral("tlsVerdictLabel"));
    QVERIFY(verdict->isVisible());
    QVERIFY2(verdict->text().contains(QStringLiteral("the tap verified the certificate of "
                                                     "example.org"))
                 && verdict->text().contains(QStringLiteral("SHA-256: AB:CD:EF")),
             qPrintable(verdict->text()));
    // Nothing says the bytes are hidden.
    QVERIFY(!pane.findChild<QLabel *>(QStringLiteral("handshakeNote"))->isVisible());
}

void tst_HandshakePane::insecureIsAProblem()
{
    HandshakePane pane;
    pane.show();
    pane.addWireEvent(tlsEvent(false));
    auto *verdict = pane.findChild<QLabel *>(QStringLiteral("tlsVerdictLabel"));
    QVERIFY2(verdict->text().contains(QStringLiteral("NOT verified (insecure)"))
                 && verdict->text().contains(QStringLiteral("it is self-signed")),
             qPrintable(verdict->text()));
    HandshakePane verifiedPane;
    verifiedPane.show();
    verifiedPane.addWireEvent(tlsEvent(true));
    // Told apart by colour as well as words.
    QVERIFY(verdict->palette().color(QPalette::WindowText)
            != verifiedPane.findChild<QLabel *>(QStringLiteral("tlsVerdictLabel"))
                   ->palette()
                   .color(QPalette::WindowText));
}

void tst_HandshakePane::clearForgetsTheTls()
{
    HandshakePane pane;
    pane.show();
    pane.addWireEvent(tlsEvent(true));
    pane.clear();
    QVERIFY(!pane.findChild<QLabel *>(QStringLiteral("tlsVerdictLabel"))->isVisible());
    QCOMPARE(pane.findChild<QTreeWidget *>(QStringLiteral("handshakeTree"))->topLevelItemCount(),
             0);
}

void tst_HandshakePane::findKeepsMatchingRowsAndTheirSections()
{
    HandshakePane pane;
    pane.show();
    pane.addWireEvent(tlsEvent(true));
    pane.addWireEvent(requestEvent());
    auto *tree = pane.findChild<QTreeWidget *>(QStringLiteral("handshakeTree"));
    auto *find = pane.findChild<QLineEdit *>(QStringLiteral("handshakeFindText"));
    QVERIFY(find);
    const auto shown = [&] {
        QStringList rows;
        for (QTreeWidgetItemIterator it(tree); *it; ++it)
            if (!(*it)->isHidden() && (*it)->parent() && !(*it)->parent()->isHidden())
                rows.append((*it)->text(0));
        return rows;
    };
    find->setText(QStringLiteral("host"));
    // The Host header stays, under its section; the TLS rows go, and so does their section.
    QVERIFY2(shown().contains(QStringLiteral("Host: example.org")), qPrintable(shown().join(u'|')));
    QVERIFY(!shown().contains(QStringLiteral("Version: TLS 1.3")));
    QVERIFY(tree->topLevelItem(0)->isHidden()); // TLS
    QVERIFY(!tree->topLevelItem(1)->isHidden()); // the request
    // A section that matches keeps all its rows.
    find->setText(QStringLiteral("TLS: tap"));
    QVERIFY(!tree->topLevelItem(0)->isHidden());
    QVERIFY(shown().contains(QStringLiteral("Cipher: TLS_AES_128_GCM_SHA256")));
    QVERIFY(tree->topLevelItem(1)->isHidden());
    // A regex, and a request that comes after the find was typed is filtered too.
    pane.findChild<QCheckBox *>(QStringLiteral("handshakeFindRegex"))->setChecked(true);
    find->setText(QStringLiteral("^GET "));
    pane.addWireEvent(requestEvent());
    QVERIFY2(shown().contains(QStringLiteral("GET /ws HTTP/1.1")), qPrintable(shown().join(u'|')));
    QVERIFY(!shown().contains(QStringLiteral("Host: example.org")));
    find->clear();
    for (QTreeWidgetItemIterator it(tree); *it; ++it)
        QVERIFY2(!(*it)->isHidden(), qPrintable((*it)->text(0)));
}

QTEST_MAIN(tst_HandshakePane)
#include "tst_handshakepane.moc"
