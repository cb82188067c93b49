#include "redisqtadapter.h"

#include <QSocketNotifier>

#include <hiredis/async.h>

namespace wslab {

RedisQtAdapter::RedisQtAdapter(redisAsyncContext *context, QObject *parent)
    : QObject(parent), m_context(context),
      m_read(new QSocketNotifier(context->c.fd, QSocketNotifier::Read, this)),
      m_write(new QSocketNotifier(context->c.fd, QSocketNotifier::Write, this))
{
    m_read->setEnabled(false);
    m_write->setEnabled(false);
    connect(m_read, &QSocketNotifier::activated, this, [this] {
        if (m_context)
            redisAsyncHandleRead(m_context);
    });
    connect(m_write, &QSocketNotifier::activated, this, [this] {
        if (m_context)
            redisAsyncHandleWrite(m_context);
    });
    context->ev.data = this;
    context->ev.addRead = &RedisQtAdapter::addRead;
    context->ev.delRead = &RedisQtAdapter::delRead;
    context->ev.addWrite = &RedisQtAdapter::addWrite;
    context->ev.delWrite = &RedisQtAdapter::delWrite;
    context->ev.cleanup = &RedisQtAdapter::cleanup;
}

RedisQtAdapter::~RedisQtAdapter()
{
    if (m_context) // deleted with its parent before hiredis let go: hiredis must not call us
        m_context->ev = {};
}

void RedisQtAdapter::addRead(void *adapter)
{
    static_cast<RedisQtAdapter *>(adapter)->m_read->setEnabled(true);
}

void RedisQtAdapter::delRead(void *adapter)
{
    static_cast<RedisQtAdapter *>(adapter)->m_read->setEnabled(false);
}

void RedisQtAdapter::addWrite(void *adapter)
{
    static_cast<RedisQtAdapter *>(adapter)->m_write->setEnabled(true);
}

void RedisQtAdapter::delWrite(void *adapter)
{
    static_cast<RedisQtAdapter *>(adapter)->m_write->setEnabled(false);
}

void RedisQtAdapter::cleanup(void *adapter)
{
    // The context is being freed and its socket closed: stop watching the descriptor now.
    auto *self = static_cast<RedisQtAdapter *>(adapter);
    self->m_read->setEnabled(false);
    self->m_write->setEnabled(false);
    self->m_context = nullptr;
    self->deleteLater();
}

} // namespace wslab
