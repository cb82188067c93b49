#pragma once

#include <QObject>

class QSocketNotifier;
struct redisAsyncContext;

namespace wslab {

// hiredis's asynchronous API on Qt's event loop: the context's event hooks (ev.addRead, ...)
// switch two QSocketNotifiers on and off, and their activations call redisAsyncHandleRead /
// redisAsyncHandleWrite. Like hiredis's own adapters/qt.h, but with Qt 6 connections, and the
// notifiers are only disabled, never deleted, while hiredis works (hiredis may free the
// context from inside a notifier's activation). When hiredis frees the context (its cleanup
// hook), the adapter deletes itself later: it lives exactly as long as its context.
class RedisQtAdapter : public QObject
{
    Q_OBJECT

public:
    // Attaches to `context`, which must have no event hooks yet.
    RedisQtAdapter(redisAsyncContext *context, QObject *parent);
    ~RedisQtAdapter() override;

private:
    static void addRead(void *adapter);
    static void delRead(void *adapter);
    static void addWrite(void *adapter);
    static void delWrite(void *adapter);
    static void cleanup(void *adapter);

    redisAsyncContext *m_context; // null once hiredis has cleaned up
    QSocketNotifier *m_read;
    QSocketNotifier *m_write;
};

} // namespace wslab
