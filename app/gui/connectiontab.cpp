#include "connectiontab.h"

#include "connection.h"
#include "connectionbar.h"
#include "conversationview.h"
#include "phasecolour.h"
#include "stepbar.h"

#include <QComboBox>
#include <QGuiApplication>
#include <QPainter>
#include <QPalette>
#include <QVBoxLayout>

namespace wslab {

ConnectionTab::ConnectionTab(Connection *connection, const QString &urlText, QWidget *parent)
    : QWidget(parent), m_connection(connection)
{
    setObjectName(QStringLiteral("connectionTab"));
    ClientSession *session = connection->session();
    m_bar = new ConnectionBar(session, this);
    m_bar->setUrlText(urlText);
    m_stepBar = new StepBar(session, this);
    m_conversation = new ConversationView(session, this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_bar);
    layout->addWidget(m_stepBar);
    layout->addWidget(m_conversation, 1);

    connect(session, &ClientSession::stateChanged, this, &ConnectionTab::labelChanged);
    // The bar says nothing when its text is edited; its field does.
    if (auto *field = m_bar->findChild<QComboBox *>(QStringLiteral("urlField")))
        connect(field, &QComboBox::editTextChanged, this, &ConnectionTab::labelChanged);
}

QString ConnectionTab::title() const
{
    // While connected, where it went; before, what is typed.
    const ClientSession *session = m_connection->session();
    const QString text = m_bar->urlText().trimmed();
    const QUrl url = session->isActive() ? session->url() : QUrl(text);
    if (!url.isValid() || url.host().isEmpty())
        return text.isEmpty() ? tr("New connection") : text;
    // What tells tabs apart first (three tabs on /chat differ by their ?name=), then the
    // server: a narrow tab keeps the start.
    QString where = url.path().isEmpty() ? QStringLiteral("/") : url.path();
    if (url.hasQuery())
        where += u'?' + url.query();
    QString server = url.host();
    if (url.port() != -1)
        server += u':' + QString::number(url.port());
    return tr("%1 — %2").arg(where, server);
}

QIcon ConnectionTab::phaseIcon() const
{
    using State = ClientSession::State;
    const State state = m_connection->session()->state();
    const Phase phase = state == State::TcpConnecting ? Phase::Tcp
        : state == State::HttpHandshake               ? Phase::Http
                                                      : Phase::WebSocket;
    const bool lit = state != State::Idle && state != State::Closed;
    const QColor ink = lit ? phaseHue(phase) : QGuiApplication::palette().color(QPalette::Mid);
    const int size = 16;
    const qreal ratio = devicePixelRatioF();
    QPixmap pixmap(QSize(size, size) * ratio);
    pixmap.setDevicePixelRatio(ratio);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF ring(3, 3, size - 6, size - 6);
    painter.setPen(QPen(ink, 1.6));
    painter.setBrush(Qt::NoBrush);
    painter.drawEllipse(ring);
    painter.setPen(Qt::NoPen);
    painter.setBrush(ink);
    if (state == State::Open)
        painter.drawEllipse(ring);
    else if (lit) // on its way in or out: half
        painter.drawPie(ring, 90 * 16, 180 * 16);
    return QIcon(pixmap);
}

QString ConnectionTab::toolTipText() const
{
    using State = ClientSession::State;
    const ClientSession *session = m_connection->session();
    QString phase;
    switch (session->state()) {
    case State::Idle:
        phase = tr("not connected yet");
        break;
    case State::TcpConnecting:
        phase = tr("TCP connecting");
        break;
    case State::HttpHandshake:
        phase = tr("HTTP handshake");
        break;
    case State::Open:
        phase = tr("open");
        break;
    case State::Closing:
        phase = tr("closing");
        break;
    case State::Closed:
        phase = tr("closed");
        break;
    }
    const QString url = session->isActive() ? session->url().toString() : m_bar->urlText();
    return tr("%1 — %2").arg(url, phase);
}

} // namespace wslab
