#include "conversationview.h"

#include "findbar.h"

#include "keyboard.h"
#include "theme.h"

#include "messagecollections.h"
#include "palettecolours.h"
#include "problemline.h"
#include "templatevariables.h"

#include "beijingclock.h"
#include "textpreview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
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
    m_find = new FindBar(QStringLiteral("conversationFind"), this);
    connect(m_find, &FindBar::changed, this, &ConversationView::applyFind);
    m_input = new QPlainTextEdit(this);
    m_input->setObjectName(QStringLiteral("messageInput"));
    m_input->setTabChangesFocus(true);
    m_input->setMaximumHeight(fontMetrics().lineSpacing() * 6 + 12);
    m_input->installEventFilter(this);
    m_mode = new QComboBox(this);
    m_mode->setObjectName(QStringLiteral("inputMode"));
    for (PayloadInput::Kind kind : { PayloadInput::Kind::Text, PayloadInput::Kind::Json,
                                     PayloadInput::Kind::Hex, PayloadInput::Kind::Base64 })
        m_mode->addItem(QString(), int(kind));
    m_json = new QCheckBox(this);
    m_json->setObjectName(QStringLiteral("jsonPretty"));
    m_pretty = new QPushButton(this);
    m_pretty->setObjectName(QStringLiteral("prettyPrintButton"));
    m_compact = new QPushButton(this);
    m_compact->setObjectName(QStringLiteral("compactJsonButton"));
    m_file = new QPushButton(this);
    m_file->setObjectName(QStringLiteral("sendFileButton"));
    m_save = new QPushButton(this);
    m_save->setObjectName(QStringLiteral("saveMessageButton"));
    m_save->hide(); // until there are collections to save to
    m_every = new QCheckBox(this);
    m_every->setObjectName(QStringLiteral("sendPeriodically"));
    m_period = new QDoubleSpinBox(this);
    m_period->setObjectName(QStringLiteral("sendPeriod"));
    m_period->setRange(0.1, 3600);
    m_period->setDecimals(1);
    m_period->setValue(1);
    m_periodicLabel = new QLabel(this);
    m_periodicLabel->setObjectName(QStringLiteral("periodicSentLabel"));
    m_send = new QPushButton(this);
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_ping = new QPushButton(this);
    m_ping->setObjectName(QStringLiteral("clientPingButton"));
    m_inputError = new ProblemLine(QStringLiteral("inputError"), this);
    m_inputError->setBuddy(m_input);

    auto *format = new QHBoxLayout;
    format->addWidget(m_mode);
    format->addWidget(m_pretty);
    format->addWidget(m_compact);
    format->addWidget(m_json);
    format->addStretch();
    format->addWidget(m_file);
    format->addWidget(m_save);
    auto *controls = new QHBoxLayout;
    controls->addWidget(m_every);
    controls->addWidget(m_period);
    controls->addWidget(m_periodicLabel);
    controls->addStretch();
    controls->addWidget(m_ping);
    controls->addWidget(m_send);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 6);
    layout->addWidget(m_beijing);
    layout->addWidget(m_find);
    layout->addWidget(m_view, 1);
    layout->addLayout(format);
    layout->addWidget(m_input);
    layout->addWidget(m_inputError);
    layout->addLayout(controls);

    m_periodic.setTimerType(Qt::PreciseTimer);
    connect(&m_periodic, &QTimer::timeout, this, [this] {
        if (sendInput()) {
            ++m_periodicSent;
            updatePeriodicLabel();
        } else {
            setSendingPeriodically(false); // the reason stays under the input
        }
    });
    connect(m_every, &QCheckBox::toggled, this, &ConversationView::setSendingPeriodically);
    connect(m_period, &QDoubleSpinBox::valueChanged, this, &ConversationView::setPeriod);
    connect(m_send, &QPushButton::clicked, this, &ConversationView::send);
    connect(m_file, &QPushButton::clicked, this, &ConversationView::chooseFile);
    connect(m_save, &QPushButton::clicked, this, &ConversationView::askToSave);
    connect(m_pretty, &QPushButton::clicked, this, &ConversationView::prettyPrint);
    connect(m_compact, &QPushButton::clicked, this, &ConversationView::compact);
    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
        checkInput();
        updateWidgets();
    });
    connect(m_input, &QPlainTextEdit::textChanged, this, &ConversationView::checkInput);
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
    connect(session, &ClientSession::stateChanged, this, [this](ClientSession::State state) {
        if (state != ClientSession::State::Open)
            setSendingPeriodically(false); // stops with the connection
        updateWidgets();
    });
    retranslate();
    updateWidgets();
}

void ConversationView::setCollections(MessageCollections *collections)
{
    m_collections = collections;
    m_save->setVisible(collections != nullptr);
}

PayloadInput::Kind ConversationView::kind() const
{
    return PayloadInput::Kind(m_mode->currentData().toInt());
}

void ConversationView::setKind(PayloadInput::Kind kind)
{
    m_mode->setCurrentIndex(m_mode->findData(int(kind)));
}

bool ConversationView::sendInput()
{
    if (m_session->state() != ClientSession::State::Open)
        return false;
    TemplateVariables::Context context;
    context.counter = m_sendCounter + 1;
    const auto composed = TemplateVariables::compose(kind(), m_input->toPlainText(), context);
    if (!composed.payload.ok()) {
        m_inputError->showMessage(tr("Not sent: %1").arg(composed.payload.message()), true);
        return false;
    }
    ++m_sendCounter;
    if (composed.payload.binary)
        m_session->sendBinary(composed.payload.bytes);
    else
        m_session->sendText(QString::fromUtf8(composed.payload.bytes));
    return true;
}

void ConversationView::send()
{
    const QString text = m_input->toPlainText();
    if (!sendInput())
        return;
    if (!text.isEmpty() && (m_history.isEmpty() || m_history.last() != text))
        m_history.append(text);
    m_historyIndex = -1;
    // While it is being sent periodically, the input is what is sent: it stays.
    if (!m_periodic.isActive())
        m_input->clear();
}

bool ConversationView::sendFile(const QString &path)
{
    if (m_session->state() != ClientSession::State::Open)
        return false;
    const auto result = PayloadInput::fromFile(path);
    if (!result.ok()) {
        m_inputError->showMessage(tr("Not sent: %1").arg(result.message()), true);
        return false;
    }
    m_session->sendBinary(result.bytes);
    m_inputError->showMessage({}, false);
    return true;
}

void ConversationView::chooseFile()
{
    const QString path
        = QFileDialog::getOpenFileName(this, tr("Send a file as one binary message"));
    if (!path.isEmpty())
        sendFile(path);
}

void ConversationView::loadMessage(PayloadInput::Kind kind, const QString &body)
{
    setKind(kind);
    m_input->setPlainText(body);
    m_input->moveCursor(QTextCursor::End);
    m_input->setFocus();
}

bool ConversationView::saveToCollection(const QString &collection, const QString &name)
{
    if (!m_collections)
        return false;
    int row = m_collections->findCollection(collection);
    if (row < 0)
        row = m_collections->addCollection(collection);
    if (row < 0 || m_collections->addMessage(row, { name, kind(), m_input->toPlainText() }) < 0) {
        m_inputError->showMessage(tr("Not saved: %1").arg(m_collections->error()), true);
        return false;
    }
    return true;
}

void ConversationView::askToSave()
{
    if (!m_collections)
        return;
    QDialog dialog(this);
    dialog.setObjectName(QStringLiteral("saveMessageDialog"));
    dialog.setWindowTitle(tr("Save the message"));
    auto *collection = new QComboBox(&dialog);
    collection->setObjectName(QStringLiteral("saveCollection"));
    collection->setEditable(true);
    for (int row = 0; row < m_collections->collectionCount(); ++row)
        collection->addItem(m_collections->collection(row).name);
    if (collection->count() == 0)
        collection->setEditText(tr("My messages"));
    auto *name = new QLineEdit(&dialog);
    name->setObjectName(QStringLiteral("saveName"));
    const QString firstLine = m_input->toPlainText().section(u'\n', 0, 0).trimmed();
    name->setText(firstLine.isEmpty() ? tr("Message") : firstLine.left(40));
    name->selectAll();
    auto *buttons
        = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, &dialog);
    auto *form = new QFormLayout(&dialog);
    form->addRow(tr("&Collection:"), collection);
    form->addRow(tr("&Name:"), name);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() == QDialog::Accepted)
        saveToCollection(collection->currentText(), name->text());
}

void ConversationView::checkInput()
{
    const QString text = m_input->toPlainText();
    const PayloadInput::Kind kind = this->kind();
    QString problem, note;
    if (!text.trimmed().isEmpty()) {
        // Variables stand in at their length, so the place is the place in what was typed.
        const bool expands = kind == PayloadInput::Kind::Text || kind == PayloadInput::Kind::Json;
        const auto result
            = PayloadInput::parse(kind, expands ? TemplateVariables::standIns(text) : text);
        if (!result.ok())
            problem = result.message();
        const QStringList unknown
            = expands ? TemplateVariables::expand(text).unknown : QStringList();
        if (!unknown.isEmpty()) {
            QStringList shown;
            for (const QString &name : unknown)
                shown.append(QStringLiteral("{{") + name + QStringLiteral("}}"));
            QStringList known;
            for (const QString &name : TemplateVariables::names())
                known.append(QStringLiteral("{{") + name + QStringLiteral("}}"));
            note = tr("%1: not a variable, sent as typed (variables: %2).")
                       .arg(shown.join(QStringLiteral(", ")), known.join(QStringLiteral(", ")));
        }
    }
    if (!problem.isEmpty())
        m_inputError->showMessage(note.isEmpty() ? problem : problem + u' ' + note, true);
    else
        m_inputError->showMessage(note, false);
}

void ConversationView::reformat(int indent)
{
    const QString text = m_input->toPlainText();
    if (!PayloadInput::fromJson(TemplateVariables::standIns(text)).ok()) {
        checkInput(); // says where it is not JSON
        return;
    }
    // One undo step, so Ctrl+Z gives back what was typed.
    QTextCursor cursor(m_input->document());
    cursor.select(QTextCursor::Document);
    cursor.insertText(PayloadInput::reformatJson(text, indent));
}

void ConversationView::prettyPrint()
{
    reformat(2);
}

void ConversationView::compact()
{
    reformat(-1);
}

void ConversationView::setPeriod(double seconds)
{
    if (m_period->value() != seconds)
        m_period->setValue(seconds); // comes back here with the value in range
    m_periodic.setInterval(std::chrono::milliseconds(qRound64(m_period->value() * 1000)));
}

void ConversationView::setSendingPeriodically(bool on)
{
    on = on && m_session->state() == ClientSession::State::Open;
    if (on == m_periodic.isActive()) {
        m_every->setChecked(on);
        return;
    }
    if (on) {
        m_periodicSent = 0;
        m_periodic.setInterval(std::chrono::milliseconds(qRound64(m_period->value() * 1000)));
        m_periodic.start();
    } else {
        m_periodic.stop();
    }
    {
        const QSignalBlocker blocker(m_every);
        m_every->setChecked(on);
    }
    updatePeriodicLabel();
}

void ConversationView::updatePeriodicLabel()
{
    m_periodicLabel->setText(m_periodic.isActive() || m_periodicSent > 0
                                 ? tr("%n sent", nullptr, m_periodicSent)
                                 : QString());
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
    const QString text = QString::fromUtf8(payload);
    // Laid out with the keys in the order they came and the numbers as written.
    if (m_json->isChecked() && PayloadInput::fromJson(text).ok())
        return PayloadInput::reformatJson(text, 2);
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
    if (!m_find->matcher().isEmpty())
        showIfFound(cursor.block()); // a new message is found, or not, like the others
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
    const bool json = kind() == PayloadInput::Kind::Json;
    m_send->setEnabled(open);
    m_ping->setEnabled(open);
    m_input->setEnabled(open);
    m_file->setEnabled(open);
    m_every->setEnabled(open);
    m_pretty->setVisible(json);
    m_compact->setVisible(json);
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
    if (event->type() == QEvent::PaletteChange)
        recolour();
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
    m_mode->setItemText(1, tr("JSON"));
    m_mode->setItemText(2, tr("Binary (hex)"));
    m_mode->setItemText(3, tr("Binary (base64)"));
    m_mode->setToolTip(tr("How the input becomes a message. Text and JSON expand {{now}}, "
                          "{{beijing}} (UTC+8), {{uuid}} and {{counter}} when sent; \\{{ keeps "
                          "braces as typed. Hex: bytes such as 48 65 0x6c de:ad. Base64: "
                          "standard or URL-safe."));
    m_pretty->setText(tr("Pretty-print"));
    m_pretty->setToolTip(tr("Lay the JSON out on several lines, keys in their order."));
    m_compact->setText(tr("Compact"));
    m_compact->setToolTip(tr("The JSON on one line, without spaces."));
    m_file->setText(tr("File…"));
    m_file->setToolTip(tr("Send a file's bytes as one binary message."));
    m_save->setText(tr("Save…"));
    m_save->setToolTip(tr("Keep the input in a collection of saved messages."));
    m_every->setText(tr("Every"));
    m_every->setToolTip(tr("Send the input again every so many seconds while connected."));
    m_period->setSuffix(tr(" s"));
    m_period->setAccessibleName(tr("Send period in seconds"));
    updatePeriodicLabel();
    m_json->setText(tr("Indent JSON"));
    m_json->setToolTip(tr("Show JSON messages in the conversation indented, one field a line."));
    m_send->setText(tr("Send"));
    setShortcutAndTip(m_send, keys::send(), tr("Send the message, from anywhere in the window."));
    m_input->setAccessibleName(tr("Message to send"));
    m_mode->setAccessibleName(tr("Message type"));
    m_ping->setText(tr("Ping"));
    m_ping->setToolTip(
        tr("Send a ping frame; the server answers with a pong, and Events shows the round trip."));
}

void ConversationView::applyFind()
{
    // One block per message: a message that does not match is hidden, caption and all.
    QTextDocument *document = m_view->document();
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next())
        showIfFound(block);
    document->markContentsDirty(0, document->characterCount());
    m_view->viewport()->update();
}

void ConversationView::showIfFound(QTextBlock block)
{
    block.setVisible(m_find->matcher().matches(block.text()));
}

int ConversationView::shownCount() const
{
    int shown = 0;
    for (QTextBlock block = m_view->document()->begin(); block.isValid(); block = block.next())
        shown += block.isVisible() && !block.text().isEmpty();
    return shown;
}

} // namespace wslab
