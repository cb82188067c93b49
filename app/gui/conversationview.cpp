#include "conversationview.h"

#include "keyboard.h"
#include "theme.h"

#include "palettecolours.h"

#include "beijingclock.h"
#include "textpreview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace wslab {

namespace {
// Which bubble a block is, and which text is its caption: kept in the formats so that a palette
// change can colour what is already shown.
constexpr int kBubbleProperty = QTextFormat::UserProperty + 1;
constexpr int kCaptionProperty = QTextFormat::UserProperty + 2;
enum class Bubble { Sent = 1, Received, BeijingTime };

QColor bubbleColour(const QPalette &palette, Bubble bubble)
{
    switch (bubble) {
    case Bubble::Sent:
        return band(palette, sentHue());
    case Bubble::BeijingTime:
        return band(palette, receivedHue());
    case Bubble::Received:
        break;
    }
    return tintedBase(palette, palette.color(QPalette::Text), isDark(palette) ? 0.08 : 0.05);
}
} // namespace

ConversationView::ConversationView(ClientSession *session, QWidget *parent)
    : QWidget(parent), m_session(session)
{
    setObjectName(QStringLiteral("conversationView"));
    m_beijing = new QLabel(this);
    m_beijing->setObjectName(QStringLiteral("beijingTimeLabel"));
    m_view = new QTextBrowser(this);
    m_view->setObjectName(QStringLiteral("conversationList"));
    m_view->setOpenLinks(false);
    m_view->document()->setMaximumBlockCount(maxItems); // one block per message
    m_input = new QPlainTextEdit(this);
    m_input->setObjectName(QStringLiteral("messageInput"));
    m_input->setTabChangesFocus(true);
    m_input->setMaximumHeight(fontMetrics().lineSpacing() * 4 + 12);
    m_input->installEventFilter(this);
    m_mode = new QComboBox(this);
    m_mode->setObjectName(QStringLiteral("inputMode"));
    m_mode->addItems({ QString(), QString() });
    m_json = new QCheckBox(this);
    m_json->setObjectName(QStringLiteral("jsonPretty"));
    m_send = new QPushButton(this);
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_ping = new QPushButton(this);
    m_ping->setObjectName(QStringLiteral("clientPingButton"));
    m_inputError = new QLabel(this);
    m_inputError->setObjectName(QStringLiteral("inputError"));
    setTone(m_inputError, Tone::Problem);
    m_inputError->hide();

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_mode);
    controls->addWidget(m_json);
    controls->addStretch();
    controls->addWidget(m_ping);
    controls->addWidget(m_send);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 6);
    layout->addWidget(m_beijing);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_input);
    layout->addWidget(m_inputError);
    layout->addLayout(controls);

    connect(m_send, &QPushButton::clicked, this, &ConversationView::send);
    connect(m_ping, &QPushButton::clicked, session,
            [session] { session->ping(QByteArrayLiteral("wslab")); });
    connect(session, &ClientSession::messageReceived, this,
            [this](const QByteArray &payload, bool binary, qint64 t) {
                addMessage(payload, binary, false, t);
            });
    connect(session, &ClientSession::messageSent, this,
            [this](const QByteArray &payload, bool binary, qint64 t) {
                addMessage(payload, binary, true, t);
            });
    connect(session, &ClientSession::stateChanged, this, &ConversationView::updateWidgets);
    retranslate();
    updateWidgets();
}

void ConversationView::send()
{
    const QString text = m_input->toPlainText();
    m_inputError->hide();
    if (m_session->state() != ClientSession::State::Open)
        return;
    if (m_mode->currentIndex() == 1) {
        QString hex = text;
        hex.remove(QRegularExpression(QStringLiteral("\\s")));
        static const QRegularExpression hexDigits(QStringLiteral("^([0-9A-Fa-f]{2})*$"));
        if (!hexDigits.match(hex).hasMatch()) {
            m_inputError->setText(
                tr("Not sent: binary input is hex bytes, e.g. \"48 65 6c 6c 6f\"."));
            m_inputError->show();
            return;
        }
        m_session->sendBinary(QByteArray::fromHex(hex.toLatin1()));
    } else {
        m_session->sendText(text);
    }
    if (!text.isEmpty() && (m_history.isEmpty() || m_history.last() != text))
        m_history.append(text);
    m_historyIndex = -1;
    m_input->clear();
}

bool ConversationView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_input && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)
            && !(key->modifiers() & Qt::ShiftModifier)) {
            send();
            return true;
        }
        const bool up = key->key() == Qt::Key_Up;
        const bool down = key->key() == Qt::Key_Down;
        const QTextCursor cursor = m_input->textCursor();
        if ((up && cursor.block() == m_input->document()->firstBlock() && !m_history.isEmpty())
            || (down && cursor.block() == m_input->document()->lastBlock()
                && m_historyIndex >= 0)) {
            if (up)
                m_historyIndex
                    = m_historyIndex < 0 ? int(m_history.size()) - 1 : qMax(0, m_historyIndex - 1);
            else
                m_historyIndex = m_historyIndex + 1 < m_history.size() ? m_historyIndex + 1 : -1;
            m_input->setPlainText(m_historyIndex >= 0 ? m_history.at(m_historyIndex) : QString());
            m_input->moveCursor(QTextCursor::End);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

QString ConversationView::render(const QByteArray &payload, bool binary) const
{
    if (binary)
        return QString::fromLatin1(payload.left(4096).toHex(' '))
            + (payload.size() > 4096 ? QStringLiteral(" …") : QString());
    if (m_json->isChecked()) {
        QJsonParseError error;
        const QJsonDocument json = QJsonDocument::fromJson(payload, &error);
        if (error.error == QJsonParseError::NoError && !json.isNull())
            return QString::fromUtf8(json.toJson(QJsonDocument::Indented)).trimmed();
    }
    const QString text = QString::fromUtf8(payload);
    return text.size() > 8000 ? text.left(8000) + QStringLiteral(" …") : text;
}

QString ConversationView::transcript() const
{
    return m_view->toPlainText();
}

void ConversationView::addMessage(const QByteArray &payload, bool binary, bool outgoing, qint64)
{
    const QDateTime now = QDateTime::currentDateTime();
    const QString time = now.toString(QStringLiteral("HH:mm:ss.zzz"));
    const QString size = tr("%n byte(s)", nullptr, int(payload.size()));
    const bool beijing
        = !outgoing && !binary && BeijingTime::isFormatted(QString::fromUtf8(payload));
    QString header;
    if (outgoing)
        header = tr("→ sent · %1 · %2%3").arg(time, size, binary ? tr(" · binary") : QString());
    else if (beijing)
        header = tr("← Beijing time pushed by the server · %1").arg(time);
    else
        header = tr("← received · %1 · %2%3").arg(time, size, binary ? tr(" · binary") : QString());

    // One block per message (line separators inside), so the document's block limit bounds it.
    QTextBlockFormat block;
    block.setAlignment(outgoing ? Qt::AlignRight : Qt::AlignLeft);
    const Bubble bubble = outgoing ? Bubble::Sent
        : beijing                  ? Bubble::BeijingTime
                                   : Bubble::Received;
    const QColor ground = bubbleColour(palette(), bubble);
    block.setProperty(kBubbleProperty, int(bubble));
    block.setBackground(ground);
    block.setTopMargin(3);
    block.setLeftMargin(outgoing ? 80 : 2);
    block.setRightMargin(outgoing ? 2 : 80);
    QTextCharFormat meta;
    meta.setProperty(kCaptionProperty, true);
    meta.setForeground(secondaryTextColour(palette(), ground));
    meta.setToolTip(tr("Local time %1")
                        .arg(now.toOffsetFromUtc(now.offsetFromUtc()).toString(Qt::ISODateWithMs)));
    QTextCharFormat body;
    if (binary)
        body.setFontFamilies({ QStringLiteral("monospace") });

    QScrollBar *bar = m_view->verticalScrollBar();
    const bool atBottom = bar->value() >= bar->maximum() - 4;
    QTextCursor cursor(m_view->document());
    cursor.movePosition(QTextCursor::End);
    if (m_count == 0)
        cursor.setBlockFormat(block);
    else
        cursor.insertBlock(block);
    cursor.insertText(header, meta);
    cursor.insertText(QString(QChar::LineSeparator), meta);
    cursor.insertText(render(payload, binary).replace(u'\n', QChar::LineSeparator), body);
    ++m_count;
    if (atBottom)
        bar->setValue(bar->maximum());
    if (beijing) {
        m_lastBeijing = QString::fromUtf8(payload);
        retranslate();
    }
}

void ConversationView::updateWidgets()
{
    const bool open = m_session->state() == ClientSession::State::Open;
    m_send->setEnabled(open);
    m_ping->setEnabled(open);
    m_input->setEnabled(open);
}

void ConversationView::recolour()
{
    // This view's palette, not the browser's: a palette change reaches the parent first.
    const QPalette palette = this->palette();
    QTextCursor cursor(m_view->document());
    cursor.beginEditBlock();
    for (QTextBlock block = m_view->document()->begin(); block.isValid(); block = block.next()) {
        QTextBlockFormat format = block.blockFormat();
        if (!format.hasProperty(kBubbleProperty))
            continue;
        const QColor ground = bubbleColour(palette, Bubble(format.intProperty(kBubbleProperty)));
        format.setBackground(ground);
        cursor.setPosition(block.position());
        cursor.setBlockFormat(format);
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.charFormat().boolProperty(kCaptionProperty))
                continue;
            QTextCharFormat caption;
            caption.setForeground(secondaryTextColour(palette, ground));
            cursor.setPosition(fragment.position());
            cursor.setPosition(fragment.position() + fragment.length(), QTextCursor::KeepAnchor);
            cursor.mergeCharFormat(caption);
        }
    }
    cursor.endEditBlock();
}

void ConversationView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    if (event->type() == QEvent::PaletteChange) {
        setTone(m_inputError, Tone::Problem);
        recolour();
    }
    QWidget::changeEvent(event);
}

void ConversationView::retranslate()
{
    m_beijing->setText(m_lastBeijing.isEmpty()
                           ? tr("Beijing time from server: waiting for the first push")
                           : tr("Beijing time from server: %1 (UTC+8)")
                                 .arg(QString(m_lastBeijing).replace(u'T', u' ').left(19)));
    m_input->setPlaceholderText(tr("Type a message. Enter sends, Shift+Enter starts a new line, "
                                   "Up/Down recall what you sent."));
    m_mode->setItemText(0, tr("Text"));
    m_mode->setItemText(1, tr("Binary (hex)"));
    m_json->setText(tr("Pretty JSON"));
    m_send->setText(tr("Send"));
    setShortcutAndTip(m_send, keys::send(), tr("Send the message, from anywhere in the window."));
    m_input->setAccessibleName(tr("Message to send"));
    m_mode->setAccessibleName(tr("Message type"));
    m_ping->setText(tr("Ping"));
    m_ping->setToolTip(
        tr("Send a ping frame; the server answers with a pong, and Events shows the round trip."));
}

} // namespace wslab
