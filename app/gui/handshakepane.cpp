#include "handshakepane.h"

#include "findbar.h"
#include "theme.h"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace wslab {

HandshakePane::HandshakePane(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("handshakePane"));
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("handshakeNote"));
    m_note->setWordWrap(true);
    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("handshakeTree"));
    m_tree->setColumnCount(2);
    m_tree->setRootIsDecorated(true);
    m_tree->setWordWrap(true);
    m_tree->header()->setStretchLastSection(true);
    // From the font, so that a larger one still fits (and room for the tree's indentation).
    m_tree->setColumnWidth(
        0,
        fontMetrics().horizontalAdvance(QStringLiteral("Sec-WebSocket-Key: 0123456789abcdef"))
            + 2 * m_tree->indentation());
    m_tlsVerdict = new QLabel(this);
    m_tlsVerdict->setObjectName(QStringLiteral("tlsVerdictLabel"));
    m_tlsVerdict->setWordWrap(true);
    m_tlsVerdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tlsVerdict->hide();
    m_accept = new QLabel(this);
    m_accept->setObjectName(QStringLiteral("acceptLabel"));
    m_accept->setWordWrap(true);
    m_accept->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_find = new FindBar(QStringLiteral("handshakeFind"), this);
    connect(m_find, &FindBar::changed, this, &HandshakePane::applyFind);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_note);
    layout->addWidget(m_find);
    layout->addWidget(m_tlsVerdict);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_accept);
    retranslate();
}

QString HandshakePane::explain(const QByteArray &rawName, bool request)
{
    const QByteArray name = rawName.toLower();
    if (name.isEmpty())
        return request ? tr("One HTTP request: a GET for the WebSocket's path. Everything before "
                            "the blank line is plain HTTP.")
                       : tr("The server agrees: status 101 Switching Protocols. After this blank "
                            "line the same TCP connection carries WebSocket frames.");
    if (name == "host")
        return tr("Which server and port the client asked for, as typed in the URL.");
    if (name == "upgrade")
        return tr("Asks to switch this HTTP connection to the WebSocket protocol.");
    if (name == "connection")
        return tr("Says that this request is an upgrade, not an ordinary keep-alive request.");
    if (name == "sec-websocket-key")
        return tr("16 random bytes in base64, new for every connection; the server must prove it "
                  "read them.");
    if (name == "sec-websocket-version")
        return tr("The WebSocket protocol version: 13 is RFC 6455.");
    if (name == "sec-websocket-accept")
        return tr("The server's proof: base64(SHA-1(key + 258EAFA5-E914-47DA-95CA-C5AB0DC85B11)).");
    if (name == "sec-websocket-protocol")
        return tr("Application subprotocols the client offers, or the one the server picked.");
    if (name == "sec-websocket-extensions")
        return tr("Extensions such as permessage-deflate (compression), offered or accepted.");
    if (name == "origin")
        return tr(
            "The page that opened the connection; browsers always send it, servers may check it.");
    if (name == "user-agent")
        return tr("The client program.");
    if (name == "server")
        return tr("The server program.");
    if (name == "date")
        return tr("When the server answered (GMT).");
    if (name.startsWith("access-control-"))
        return tr(
            "Cross-origin (CORS) permissions; browsers read them, WebSocket does not need them.");
    if (name == "content-length" || name == "content-type")
        return tr("Describes a response body; a 101 has none, an error response explains itself.");
    if (name == "cookie" || name == "authorization")
        return tr("Credentials sent with the handshake, as with any HTTP request.");
    return {};
}

void HandshakePane::addWireEvent(const WireEvent &event)
{
    if (event.kind == WireEvent::Kind::TunnelRequested) {
        clear();
    } else if (event.kind == WireEvent::Kind::TlsEstablished) {
        m_tls = event;
        fillTls(event);
    } else if (event.kind == WireEvent::Kind::HandshakeRequest) {
        m_request = event;
        fill(event);
    } else if (event.kind == WireEvent::Kind::HandshakeResponse) {
        m_response = event;
        fill(event);
    } else if (event.kind == WireEvent::Kind::Tls && !m_request) {
        showNotVisible(
            tr("wss://: the handshake is encrypted by TLS; the tap sees only TLS records."));
    }
    applyFind();
}

namespace {
// Shows the rows that match, with the sections and parents that lead to them; all of a row's
// children when the row itself matches. True when something of `item` stays visible.
bool showMatching(QTreeWidgetItem *item, const TextMatcher &matcher, bool parentMatches)
{
    const bool matches = parentMatches
        || matcher.matches(QString(item->text(0) + QLatin1Char(' ') + item->text(1)));
    bool childVisible = false;
    for (int i = 0; i < item->childCount(); ++i)
        childVisible |= showMatching(item->child(i), matcher, matches);
    item->setHidden(!matches && !childVisible);
    return matches || childVisible;
}
} // namespace

void HandshakePane::applyFind()
{
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
        showMatching(m_tree->topLevelItem(i), m_find->matcher(), false);
}

void HandshakePane::fillTls(const WireEvent &event)
{
    const TlsSummary &tls = event.tls;
    const QString negotiated = tls.protocol + QStringLiteral(" · ") + tls.cipher;
    QString verdict;
    if (tls.verified)
        verdict = tr("✔ %1: the tap verified the certificate of %2.").arg(negotiated, tls.peerName);
    else if (tls.unverifiedProblem.isEmpty())
        verdict = tr("✘ %1: the certificate of %2 was NOT verified (insecure): anyone in between "
                     "could read and change this connection.")
                      .arg(negotiated, tls.peerName);
    else
        verdict = tr("✘ %1: the certificate of %2 was NOT verified (insecure); verification "
                     "would have said: %3")
                      .arg(negotiated, tls.peerName, tls.unverifiedProblem);
    // In full, to compare with what the server pane or a browser shows.
    if (!tls.chain.isEmpty())
        verdict += u'\n' + tr("Server certificate SHA-256: %1").arg(tls.chain.first().sha256);
    m_tlsVerdict->setText(verdict);
    setTone(m_tlsVerdict, tls.verified ? Tone::Ok : Tone::Problem);
    m_tlsVerdict->show();

    // Above the request and the response: TLS comes first on the wire.
    auto *top = new QTreeWidgetItem;
    m_tree->insertTopLevelItem(0, top);
    top->setText(0, tr("TLS: tap ↔ server %1").arg(tls.peerName));
    top->setFirstColumnSpanned(true);
    QFont bold = top->font(0);
    bold.setBold(true);
    top->setFont(0, bold);
    const auto row = [](QTreeWidgetItem *parent, const QString &field, const QString &meaning) {
        auto *item = new QTreeWidgetItem(parent, { field, meaning });
        item->setToolTip(0, field);
        item->setToolTip(1, meaning);
        return item;
    };
    row(top, tr("How wss:// is decoded"),
        tr("The tap ended your client's TLS with a certificate made for this run, which only your "
           "client trusts, and opened its own TLS to the server: below is the plaintext."));
    row(top, tr("Version: %1").arg(tls.protocol),
        tr("The TLS version the tap and the server agreed on."));
    row(top, tr("Cipher: %1").arg(tls.cipher),
        tr("How the records are encrypted and protected from changes."));
    for (qsizetype i = 0; i < tls.chain.size(); ++i) {
        const TlsCertificateSummary &c = tls.chain.at(i);
        auto *certificate = row(top, tr("Certificate %1: %2").arg(i + 1).arg(c.subject),
                                i == 0 ? tr("The server's own certificate: who it says it is.")
                                       : tr("A certificate that vouches for the one above."));
        row(certificate, tr("Issued by %1").arg(c.issuer),
            c.issuer == c.subject ? tr("Itself: a self-signed certificate, trusted only where it "
                                       "was added by hand.")
                                  : tr("The authority that vouches for it."));
        const QString format = QStringLiteral("yyyy-MM-dd HH:mm");
        row(certificate,
            tr("Valid %1 to %2 UTC").arg(c.notBefore.toString(format), c.notAfter.toString(format)),
            tr("Outside these dates a client refuses it."));
        row(certificate, tr("SHA-256 %1").arg(c.sha256),
            tr("The certificate's fingerprint: compare it with what a browser shows for this "
               "server; the same fingerprint is the same certificate."));
        certificate->setExpanded(false); // its fingerprint is in full above the tree
    }
    row(top, tr("Verification"),
        tls.verified
            ? tr("Checked: issued by a trusted authority (or trusted itself), valid now, and for "
                 "the name %1.")
                  .arg(tls.peerName)
            : tr("Turned off (insecure): the connection is encrypted, but to whom is not known."));
    if (tls.clientCertificate)
        row(top, tr("Client certificate"),
            tr("The tap presented your client certificate to the server (mutual TLS)."));
    top->setExpanded(true);
}

void HandshakePane::fill(const WireEvent &event)
{
    const bool request = event.kind == WireEvent::Kind::HandshakeRequest;
    auto *top = new QTreeWidgetItem(m_tree);
    top->setText(0,
                 request
                     ? tr("Request: client → server (%n byte(s))", nullptr, int(event.byteCount))
                     : tr("Response: server → client (%n byte(s))", nullptr, int(event.byteCount)));
    top->setFirstColumnSpanned(true);
    QFont bold = top->font(0);
    bold.setBold(true);
    top->setFont(0, bold);
    auto *start
        = new QTreeWidgetItem(top, { QString::fromLatin1(event.startLine), explain({}, request) });
    start->setToolTip(1, start->text(1));
    for (const HeaderLine &header : event.headers) {
        auto *item = new QTreeWidgetItem(top,
                                         { QString::fromLatin1(header.name + ": " + header.value),
                                           explain(header.name, request) });
        item->setToolTip(0, item->text(0));
        item->setToolTip(1, item->text(1));
    }
    top->setExpanded(true);
    if (!request) {
        const AcceptCheck &check = event.accept;
        if (check.expected.isEmpty())
            m_accept->setText(tr("No Sec-WebSocket-Key in the request: nothing to check."));
        else if (check.ok())
            m_accept->setText(
                tr("✔ Sec-WebSocket-Accept checked: base64(SHA-1(\"%1\" + GUID)) = %2, as "
                   "received.")
                    .arg(QString::fromLatin1(check.key), QString::fromLatin1(check.expected)));
        else
            m_accept->setText(
                tr("✘ Sec-WebSocket-Accept wrong: expected %1, received \"%2\".")
                    .arg(QString::fromLatin1(check.expected), QString::fromLatin1(check.received)));
        setTone(m_accept, check.ok() ? Tone::Ok : Tone::Problem);
    }
}

void HandshakePane::clear()
{
    m_tree->clear();
    m_tls.reset();
    m_tlsVerdict->clear();
    m_tlsVerdict->hide();
    m_request.reset();
    m_response.reset();
    m_accept->clear();
    m_note->hide();
}

void HandshakePane::showNotVisible(const QString &why)
{
    m_note->setText(why);
    m_note->show();
}

void HandshakePane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange || event->type() == QEvent::PaletteChange)
        retranslate();
    QWidget::changeEvent(event);
}

void HandshakePane::retranslate()
{
    m_tree->setHeaderLabels({ tr("As sent on the wire"), tr("What it means") });
    m_tree->setAccessibleName(tr("Handshake request and response"));
    const auto tls = m_tls;
    const auto request = m_request;
    const auto response = m_response;
    m_tree->clear();
    if (tls)
        fillTls(*tls);
    if (request)
        fill(*request);
    if (response)
        fill(*response);
    if (m_note->text().isEmpty())
        m_note->hide();
}

} // namespace wslab
