#pragma once

#include "redisendpoint.h"
#include "text.h"

#include <QByteArray>
#include <QObject>
#include <QTimer>

#include <chrono>

struct redisAsyncContext;
struct redisReply;

namespace wslab {

// Joins several servers through Redis pub/sub: what one instance's /chat room hears, what it
// broadcasts and what it publishes on /news is published on a channel, and every other
// instance delivers it to its own clients. hiredis's asynchronous API on the thread's event
// loop (RedisQtAdapter): nothing here blocks, whatever Redis does.
//
// Two connections, because a subscribed Redis connection may not publish. When either goes
// away (Redis stopped, a refused password, no answer), both are dropped, the instance goes on
// serving its own clients, stateChanged() says so once, and the bus reconnects with growing
// delays until Redis answers again.
class RedisBus : public QObject
{
    Q_OBJECT

public:
    enum class Channel { Chat, Broadcast, News };
    enum class State {
        Connecting, // the first attempt
        Shared, // subscribed and able to publish
        Down, // unreachable; retrying
    };

    // `instance` is the name messages carry (shown to people); each bus also has a random
    // identity, so that an instance never delivers its own message twice even when two are
    // given the same name.
    RedisBus(const RedisEndpoint &endpoint, const QString &instance, QObject *parent = nullptr);
    ~RedisBus() override;

    // Connects; the outcome comes as stateChanged().
    void start();
    State state() const { return m_state; }
    bool isShared() const { return m_state == State::Shared; }
    const RedisEndpoint &endpoint() const { return m_endpoint; }

    // Publishes `text` for the other instances; false (the message stays local) when Redis is
    // not reachable now.
    bool publish(Channel channel, const QString &text);

    // Reconnection delays: the first, doubled after each failure up to `longest`.
    void setRetryDelays(std::chrono::milliseconds first, std::chrono::milliseconds longest);

    static QByteArray channelName(Channel channel);

Q_SIGNALS:
    // Another instance's message.
    void received(wslab::RedisBus::Channel channel, const QString &instance, const QString &text);
    // Connected, lost, back: `description` is the sentence for the log ("Redis at … unreachable
    // (…); serving this instance's clients only").
    void stateChanged(wslab::RedisBus::State state, const wslab::Text &description);

private:
    struct Link
    {
        redisAsyncContext *context = nullptr;
        bool ready = false;
    };

    void connectTo(const QString &address);
    redisAsyncContext *open(const QString &address, Link &link, QString *error);
    void linkReady();
    // Something went wrong: drop both connections (after hiredis's callbacks return) and
    // retry later.
    void fail(const QString &reason);
    void tearDown();
    void retry();
    void checkHealth();
    Link *linkOf(const redisAsyncContext *context);
    // The reply to a command sent on `expected` (any link when null), or null when it is
    // stale: the bus is stopping or tearing down, or the reply belongs to a dropped context.
    const redisReply *currentReply(const redisAsyncContext *context, void *reply,
                                   const Link *expected);

    static void onConnect(const redisAsyncContext *context, int status);
    static void onDisconnect(const redisAsyncContext *context, int status);
    static void onAuth(redisAsyncContext *context, void *reply, void *bus);
    static void onPong(redisAsyncContext *context, void *reply, void *bus);
    static void onSubscription(redisAsyncContext *context, void *reply, void *bus);

    RedisEndpoint m_endpoint;
    QString m_instance;
    QByteArray m_node; // this bus's identity in what it publishes
    State m_state = State::Connecting;
    bool m_wasShared = false;
    bool m_stopping = false; // being destroyed: hiredis's last callbacks are ignored
    bool m_tearDownQueued = false;
    bool m_tearingDown = false;
    Link m_publisher;
    Link m_subscriber;
    int m_subscribed = 0; // channels confirmed on m_subscriber
    quint64 m_attempt = 0; // a name lookup answers only the attempt that asked
    bool m_pingOutstanding = false;
    std::chrono::milliseconds m_firstDelay { 250 };
    std::chrono::milliseconds m_longestDelay { 5000 };
    std::chrono::milliseconds m_delay { 250 };
    QTimer m_retryTimer { this };
    QTimer m_deadline { this }; // a connection attempt that gets no answer
    QTimer m_healthTimer { this }; // PING while shared: a silent Redis is a lost one
};

} // namespace wslab

Q_DECLARE_METATYPE(wslab::RedisBus::Channel)
Q_DECLARE_METATYPE(wslab::RedisBus::State)
