#pragma once

#include "wiredecoder.h"
#include "wiretap.h"

#include <QObject>

namespace wslab {

// A WireTap and its decoder: raw chunks in, decoded WireEvents out, in the order they crossed.
class WireSession : public QObject
{
    Q_OBJECT

public:
    explicit WireSession(QObject *parent = nullptr);

    WireTap *tap() { return &m_tap; }
    // Sets the only target the tap relays to and starts listening on 127.0.0.1.
    bool start(const QString &host, quint16 port);

Q_SIGNALS:
    void event(const wslab::WireEvent &event);

private:
    void emitEvent(WireEvent::Kind kind, quint64 connection, Direction direction, Phase phase,
                   const QString &text, qint64 timeNs);

    WireTap m_tap;
    WireDecoder m_decoder;
};

} // namespace wslab

Q_DECLARE_METATYPE(wslab::WireEvent)
