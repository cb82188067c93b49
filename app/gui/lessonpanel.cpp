#include "lessonpanel.h"

#include "palettecolours.h"

#include <QEvent>
#include <QFontDatabase>
#include <QFrame>
#include <QLabel>
#include <QMetaEnum>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace wslab {

namespace {
struct LessonStep
{
    LessonPanel::Step step;
    const char *english;
    const char *chinese;
    const char *button;
};

// The lesson's own points, in both languages side by side: students read the Chinese
// original, developers the English.
const LessonStep kSteps[] = {
    { LessonPanel::Step::Polling,
      "<b>1. Why push?</b> With HTTP the client must ask, again and again: \"Is my result out?\" "
      "\"No.\" "
      "\"Is it out?\" \"No.\"… With WebSocket the server just says: \"Your result is out: 666.\"",
      "<b>1. 为什么要用 WebSocket?</b>HTTP 每次通信都必须由客户端发起:“成绩出来了吗?”“没有。”……"
      "WebSocket 则由服务器主动告诉你:“你的成绩出来了,考了 666 分。”",
      QT_TRANSLATE_NOOP("wslab::LessonPanel", "Compare polling and push") },
    { LessonPanel::Step::Handshake,
      "<b>2. The handshake is HTTP.</b> Connecting sends one HTTP request (GET with Upgrade: "
      "websocket); the "
      "server answers 101 Switching Protocols. See both in the Handshake pane.",
      "<b>2. 握手:HTTP。</b>既然是 HTTP,自然有 request/response:一个带 Upgrade: websocket 的 GET,"
      "服务器回应 101 Switching Protocols。在“握手”面板里看。",
      QT_TRANSLATE_NOOP("wslab::LessonPanel", "Connect") },
    { LessonPanel::Step::Send,
      "<b>3. Communication is TCP.</b> After the handshake the same connection carries frames: "
      "send a "
      "message (on_message), the server writes it back (write_message).",
      "<b>3. "
      "通信:TCP。</"
      "b>握手之后,同一个连接上传输帧:发送消息(on_message),服务器原样发回(write_message)。",
      QT_TRANSLATE_NOOP("wslab::LessonPanel", "Send \"Hello\"") },
    { LessonPanel::Step::Push,
      "<b>4. The server speaks first.</b> Every second the server pushes Beijing time, without "
      "being asked.",
      "<b>4. 服务器主动发送。</b>服务器每秒推送一次北京时间,不需要客户端来问。",
      QT_TRANSLATE_NOOP("wslab::LessonPanel", "Let the server push") },
    { LessonPanel::Step::Kick,
      "<b>5. The server closes.</b> The server may close a connection (close); the client then "
      "reads "
      "\"no more messages\" (Tornado's None).",
      "<b>5. 服务器主动断开。</b>服务器可以调用 close "
      "断开连接;客户端随后读到的是“没有更多消息”(Tornado 里的 None)。",
      QT_TRANSLATE_NOOP("wslab::LessonPanel", "Kick this client") },
    { LessonPanel::Step::Abort,
      "<b>6. TCP just drops.</b> Without a Close frame the other side only sees the connection "
      "vanish: code 1006.",
      "<b>6. TCP 直接断开。</b>没有关闭帧时,对方只看到连接消失:关闭码 1006。",
      QT_TRANSLATE_NOOP("wslab::LessonPanel", "Abort the connection") },
    { LessonPanel::Step::Browser,
      "<b>7. The browser is only one client.</b> The page at / is served over HTTP and its script "
      "connects to /ws.",
      "<b>7. 浏览器只是客户端之一。</b>/ 页面通过 HTTP 提供,页面里的脚本再连接 /ws。",
      QT_TRANSLATE_NOOP("wslab::LessonPanel", "Open the page") },
    { LessonPanel::Step::ScaleOut,
      "<b>8. Scale out.</b> One server is not enough for a whole school: run several behind "
      "nginx. nginx must pass the Upgrade and Connection headers on and wait long for a quiet "
      "WebSocket. A WebSocket stays on the server it landed on, so no sticky sessions are "
      "needed, but the chat room must be shared: Redis carries each instance's messages to the "
      "others. Stop Redis and the room splits in two; kill an instance and its clients "
      "reconnect through nginx to another. In a terminal:",
      "<b>8. 水平扩展。</b>一台服务器不够全校用:在 nginx 后面运行多台。nginx 必须转发 Upgrade 和 "
      "Connection 头,并为安静的 WebSocket 设置较长的读超时。WebSocket 连上哪台就一直在哪台,"
      "所以不需要粘性会话,但聊天室必须共享:Redis 把每个实例的消息转给其他实例。停掉 Redis,"
      "聊天室就分成两半;杀掉一个实例,它的客户端会通过 nginx 重连到另一台。在终端里运行:",
      QT_TRANSLATE_NOOP("wslab::LessonPanel", "Copy the command") },
    { LessonPanel::Step::Exercises,
      "<b>Exercises.</b> 1: a server that pushes Beijing time. 2: a client that prints it. In a "
      "terminal:",
      "<b>练习。</b>1:实现一个推送北京时间的服务端。2:实现一个客户端,连接练习 1 "
      "的服务端并打印时间。在终端里运行:",
      QT_TRANSLATE_NOOP("wslab::LessonPanel", "Copy the commands") },
};
} // namespace

QString LessonPanel::objectNameOf(Step step)
{
    return QStringLiteral("doIt")
        + QLatin1StringView(QMetaEnum::fromType<LessonController::Step>().valueToKey(int(step)));
}

LessonPanel::LessonPanel(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("lessonPanel"));
    auto *content = new QWidget;
    auto *steps = new QVBoxLayout(content);
    for (const LessonStep &step : kSteps) {
        auto *english = new QLabel(QString::fromUtf8(step.english), content);
        auto *chinese = new QLabel(QString::fromUtf8(step.chinese), content);
        for (QLabel *label : { english, chinese })
            label->setWordWrap(true);
        m_secondary.append(chinese);
        steps->addWidget(english);
        steps->addWidget(chinese);
        if (step.step == Step::Exercises || step.step == Step::ScaleOut) {
            const QString shown = step.step == Step::Exercises
                ? LessonController::exerciseCommands()
                : LessonController::clusterCommand();
            auto *commands = new QLabel(u"<pre>" + shown.toHtmlEscaped() + u"</pre>", content);
            commands->setTextInteractionFlags(Qt::TextSelectableByMouse);
            steps->addWidget(commands);
        }
        // The button is the same in both languages: it does, it does not explain.
        auto *button = new QPushButton(content);
        button->setObjectName(objectNameOf(step.step));
        connect(button, &QPushButton::clicked, this,
                [this, which = step.step] { Q_EMIT doIt(which); });
        steps->addWidget(button, 0, Qt::AlignLeft);
        m_buttons.append({ button, step.button });
        auto *line = new QFrame(content);
        line->setFrameShape(QFrame::HLine);
        steps->addWidget(line);
    }
    steps->addStretch();
    auto *scroll = new QScrollArea(this);
    m_content = content;
    scroll->viewport()->installEventFilter(this);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidget(content);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);
    retranslate();
    updateColours();
}

void LessonPanel::updateColours()
{
    // The second language a shade softer than the first, from the palette: readable on a
    // light theme and a dark one alike.
    const QColor softer = secondaryTextColour(palette(), palette().color(QPalette::Window));
    for (QLabel *label : std::as_const(m_secondary)) {
        QPalette own = label->palette();
        own.setColor(QPalette::WindowText, softer);
        label->setPalette(own);
    }
}

bool LessonPanel::eventFilter(QObject *watched, QEvent *event)
{
    // The text wraps to the dock's width: the content is exactly as wide as the viewport.
    if (event->type() == QEvent::Resize)
        m_content->setFixedWidth(static_cast<QWidget *>(watched)->width());
    return QWidget::eventFilter(watched, event);
}

void LessonPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        updateColours();
}

void LessonPanel::retranslate()
{
    for (const auto &[button, text] : std::as_const(m_buttons))
        button->setText(tr(text));
}

} // namespace wslab
