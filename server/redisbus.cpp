#include "redisbus.h"

#include "redisqtadapter.h"

#include <QHostAddress>
#include <QHostInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include <hiredis/async.h>

#include <array>
#include <signal.h>
#include <vector>

using namespace std::chrono_literals;

namespace wslab {

namespace {

constexpr std::array channels { RedisBus::Channel::Chat, RedisBus::Channel::Broadcast,
                                RedisBus::Channel::News };
constexpr auto connectDeadline = 3s;
constexpr auto healthInterval = 5s;

// hiredis writes with write(2): on a socket Redis has closed that raises SIGPIPE, which by
// default ends the process. A server must live through Redis going away, so SIGPIPE is ignored
// unless the program already handles it (then write fails with EPIPE, which hiredis reports).
void ignoreSigpipe()
{
    struct sigaction current = {};
    if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL)
        signal(SIGPIPE, SIG_IGN);
}

const redisReply *asReply(void *reply)
{
    return static_cast<const redisReply *>(reply);
}

QString replyText(const redisReply *reply)
{
    return reply && reply->str ? QString::fromUtf8(reply->str, qsizetype(reply->len)) : QString();
}

} // namespace

RedisBus::RedisBus(const RedisEndpoint &endpoint, const QString &instance, QObject *parent)
    : QObject(parent), m_endpoint(endpoint), m_instance(instance),
      m_node(QUuid::createUuid().toByteArray(QUuid::WithoutBraces))
{
    ignoreSigpipe();
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &RedisBus::retry);
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        fail(tr("no answer within %1 s").arg(std::chrono::seconds(connectDeadline).count()));
    });
    m_healthTimer.setInterval(healthInterval);
    connect(&m_healthTimer, &QTimer::timeout, this, &RedisBus::checkHealth);
}

RedisBus::~RedisBus()
{
    m_stopping = true;
    // Frees both contexts now; hiredis calls back once more (null replies, disconnect) and
    // the callbacks see m_stopping.
    for (Link *link : { &m_publisher, &m_subscriber }) {
        if (redisAsyncContext *context = std::exchange(link->context, nullptr))
            redisAsyncFree(context);
    }
}

QByteArray RedisBus::channelName(Channel channel)
{
    switch (channel) {
    case Channel::Chat:
        return QByteArrayLiteral("wslab:chat");
    case Channel::Broadcast:
        return QByteArrayLiteral("wslab:broadcast");
    case Channel::News:
        return QByteArrayLiteral("wslab:news");
    }
    Q_UNREACHABLE();
}

void RedisBus::setRetryDelays(std::chrono::milliseconds first, std::chrono::milliseconds longest)
{
    m_firstDelay = qMax(first, 1ms);
    m_longestDelay = qMax(longest, m_firstDelay);
    m_delay = m_firstDelay;
}

void RedisBus::start()
{
    if (m_publisher.context || m_subscriber.context || m_deadline.isActive())
        return;
    m_deadline.start(connectDeadline);
    ++m_attempt;
    const QHostAddress address(m_endpoint.host);
    if (!address.isNull()) {
        connectTo(address.toString());
        return;
    }
    // hiredis would resolve the name with a blocking getaddrinfo(): Qt resolves it on its
    // own thread, and hiredis gets an address.
    QHostInfo::lookupHost(
        m_endpoint.host, this, [this, attempt = m_attempt](const QHostInfo &info) {
            if (attempt != m_attempt || !m_deadline.isActive())
                return; // this attempt has already failed
            QHostAddress chosen;
            for (const QHostAddress &candidate : info.addresses()) {
                if (chosen.isNull()
                    || (candidate.protocol() == QAbstractSocket::IPv4Protocol
                        && chosen.protocol() != QAbstractSocket::IPv4Protocol))
                    chosen = candidate;
            }
            if (chosen.isNull())
                fail(tr("cannot resolve %1: %2").arg(m_endpoint.host, info.errorString()));
            else
                connectTo(chosen.toString());
        });
}

redisAsyncContext *RedisBus::open(const QString &address, Link &link, QString *error)
{
    link = {};
    redisAsyncContext *context = redisAsyncConnect(address.toLatin1().constData(), m_endpoint.port);
    if (!context) {
        *error = tr("out of memory");
        return nullptr;
    }
    if (context->err) {
        *error = QString::fromLocal8Bit(context->errstr);
        redisAsyncFree(context);
        return nullptr;
    }
    context->data = this;
    new RedisQtAdapter(context, this);
    redisAsyncSetConnectCallback(context, &RedisBus::onConnect);
    redisAsyncSetDisconnectCallback(context, &RedisBus::onDisconnect);
    if (!m_endpoint.password.isEmpty()) {
        QList<QByteArray> words { QByteArrayLiteral("AUTH") };
        if (!m_endpoint.user.isEmpty())
            words.append(m_endpoint.user.toUtf8());
        words.append(m_endpoint.password.toUtf8());
        std::vector<const char *> argv;
        std::vector<size_t> lengths;
        for (const QByteArray &word : std::as_const(words)) {
            argv.push_back(word.constData());
            lengths.push_back(size_t(word.size()));
        }
        redisAsyncCommandArgv(context, &RedisBus::onAuth, this, int(argv.size()), argv.data(),
                              lengths.data());
    }
    link.context = context;
    return context;
}

void RedisBus::connectTo(const QString &address)
{
    QString error;
    redisAsyncContext *publisher = open(address, m_publisher, &error);
    if (!publisher) {
        fail(error);
        return;
    }
    redisAsyncCommand(publisher, &RedisBus::onPong, this, "PING");
    redisAsyncContext *subscriber = open(address, m_subscriber, &error);
    if (!subscriber) {
        fail(error);
        return;
    }
    m_subscribed = 0;
    redisAsyncCommand(subscriber, &RedisBus::onSubscription, this, "SUBSCRIBE %s %s %s",
                      channelName(Channel::Chat).constData(),
                      channelName(Channel::Broadcast).constData(),
                      channelName(Channel::News).constData());
}

RedisBus::Link *RedisBus::linkOf(const redisAsyncContext *context)
{
    if (context && context == m_publisher.context)
        return &m_publisher;
    if (context && context == m_subscriber.context)
        return &m_subscriber;
    return nullptr;
}

const redisReply *RedisBus::currentReply(const redisAsyncContext *context, void *reply,
                                         const Link *expected)
{
    // A null reply: the context is going away, and its callbacks say why. A reply on a link
    // being dropped, or on another link than the command's, is stale.
    const redisReply *r = asReply(reply);
    const Link *link = linkOf(context);
    if (m_stopping || m_tearingDown || !r || !link || (expected && link != expected))
        return nullptr;
    return r;
}

void RedisBus::onConnect(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisBus *>(context->data);
    if (self->m_stopping || status == REDIS_OK)
        return; // ready once Redis has answered, not when TCP is up
    // hiredis frees the context when this returns.
    if (Link *link = self->linkOf(context))
        link->context = nullptr;
    if (!self->m_tearingDown)
        self->fail(QString::fromLocal8Bit(context->errstr));
}

void RedisBus::onDisconnect(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisBus *>(context->data);
    if (self->m_stopping)
        return;
    if (Link *link = self->linkOf(context))
        link->context = nullptr; // hiredis frees it when this returns
    if (!self->m_tearingDown)
        self->fail(status == REDIS_OK || !context->errstr
                       ? tr("the connection was closed")
                       : QString::fromLocal8Bit(context->errstr));
}

void RedisBus::onAuth(redisAsyncContext *context, void *reply, void *bus)
{
    auto *self = static_cast<RedisBus *>(bus);
    const redisReply *r = self->currentReply(context, reply, nullptr);
    if (r && r->type == REDIS_REPLY_ERROR)
        self->fail(tr("Redis refused the password: %1").arg(replyText(r)));
}

void RedisBus::onPong(redisAsyncContext *context, void *reply, void *bus)
{
    auto *self = static_cast<RedisBus *>(bus);
    const redisReply *r = self->currentReply(context, reply, &self->m_publisher);
    if (!r)
        return;
    if (r->type == REDIS_REPLY_ERROR) {
        self->fail(replyText(r));
        return;
    }
    self->m_pingOutstanding = false;
    if (!self->m_publisher.ready) {
        self->m_publisher.ready = true;
        self->linkReady();
    }
}

void RedisBus::onSubscription(redisAsyncContext *context, void *reply, void *bus)
{
    auto *self = static_cast<RedisBus *>(bus);
    const redisReply *r = self->currentReply(context, reply, &self->m_subscriber);
    if (!r)
        return;
    if (r->type == REDIS_REPLY_ERROR) {
        self->fail(replyText(r));
        return;
    }
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 3)
        return;
    const QString kind = replyText(r->element[0]);
    if (kind == u"subscribe") {
        if (++self->m_subscribed == int(channels.size())) {
            self->m_subscriber.ready = true;
            self->linkReady();
        }
        return;
    }
    if (kind != u"message")
        return;
    const QByteArray channelBytes(r->element[1]->str, qsizetype(r->element[1]->len));
    const QByteArray payload(r->element[2]->str, qsizetype(r->element[2]->len));
    const QJsonObject message = QJsonDocument::fromJson(payload).object();
    if (message.value(u"node").toString().toLatin1() == self->m_node)
        return; // ours, already delivered here
    const QJsonValue text = message.value(u"text");
    if (!text.isString())
        return; // not a WsLab message: somebody else's use of the channel
    for (const Channel channel : channels) {
        if (channelName(channel) == channelBytes)
            Q_EMIT self->received(channel, message.value(u"instance").toString(), text.toString());
    }
}

void RedisBus::linkReady()
{
    if (!m_publisher.ready || !m_subscriber.ready)
        return;
    m_deadline.stop();
    m_delay = m_firstDelay;
    m_pingOutstanding = false;
    m_healthTimer.start();
    m_state = State::Shared;
    const Text description = m_wasShared
        ? Text::of<RedisBus>(QT_TR_NOOP("Redis back at %1; rooms shared again"))
        : Text::of<RedisBus>(QT_TR_NOOP("connected to Redis at %1; chat, broadcasts and news "
                                        "shared with the other instances"));
    m_wasShared = true;
    Q_EMIT stateChanged(m_state, Text(description).arg(m_endpoint.displayUrl()));
}

bool RedisBus::publish(Channel channel, const QString &text)
{
    if (m_state != State::Shared || !m_publisher.context)
        return false;
    const QByteArray name = channelName(channel);
    const QByteArray payload
        = QJsonDocument(QJsonObject {
                            { QStringLiteral("node"), QString::fromLatin1(m_node) },
                            { QStringLiteral("instance"), m_instance },
                            { QStringLiteral("text"), text },
                        })
              .toJson(QJsonDocument::Compact);
    return redisAsyncCommand(m_publisher.context, nullptr, nullptr, "PUBLISH %b %b",
                             name.constData(), size_t(name.size()), payload.constData(),
                             size_t(payload.size()))
        == REDIS_OK;
}

void RedisBus::checkHealth()
{
    if (m_pingOutstanding) {
        fail(tr("no answer to PING within %1 s").arg(std::chrono::seconds(healthInterval).count()));
        return;
    }
    if (m_publisher.context) {
        m_pingOutstanding = true;
        redisAsyncCommand(m_publisher.context, &RedisBus::onPong, this, "PING");
    }
}

void RedisBus::fail(const QString &reason)
{
    if (m_stopping)
        return;
    if (m_state != State::Down) {
        m_state = State::Down;
        Q_EMIT stateChanged(
            m_state,
            Text::of<RedisBus>(QT_TR_NOOP("Redis at %1 unreachable (%2); serving this "
                                          "instance's clients only, retrying"))
                .arg(m_endpoint.displayUrl())
                .arg(reason));
    }
    m_deadline.stop();
    m_healthTimer.stop();
    // hiredis may be inside one of our callbacks: the contexts are freed from the event loop.
    if (!m_tearDownQueued) {
        m_tearDownQueued = true;
        QMetaObject::invokeMethod(this, &RedisBus::tearDown, Qt::QueuedConnection);
    }
}

void RedisBus::tearDown()
{
    m_tearDownQueued = false;
    m_tearingDown = true;
    for (Link *link : { &m_publisher, &m_subscriber }) {
        if (redisAsyncContext *context = std::exchange(link->context, nullptr))
            redisAsyncFree(context);
        *link = {};
    }
    m_tearingDown = false;
    m_retryTimer.start(m_delay);
    m_delay = qMin(m_delay * 2, m_longestDelay);
}

void RedisBus::retry()
{
    if (m_state == State::Down)
        start();
}

} // namespace wslab
