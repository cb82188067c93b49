#pragma once

#include "event.h"
#include "wiredecoder.h"

#include <QObject>
#include <QString>

#include <map>
#include <vector>

namespace wslab {

// The wire as a sequence diagram: one arrow per thing that crossed, in time order, between the
// Client and Server lifelines. Arrows carry their phase, so the view can band them: the HTTP
// handshake, then the WebSocket frames over the same TCP connection.
struct SequenceArrow
{
    enum class Kind {
        TcpConnect,
        HandshakeRequest,
        HandshakeResponse,
        Frame,
        Tls,
        ProtocolError,
        TcpClose
    };
    Kind kind = Kind::Frame;
    Direction direction = Direction::ClientToServer;
    Phase phase = Phase::Tcp;
    qint64 timeNs = 0;
    // "GET /ws (Upgrade: websocket)", "text \"Hello\" · 5 B · masked", ...: in the language
    // of when it is shown.
    Text label;
    // Frame arrows: the frame's number in the Frames pane (FrameListModel::rowOfFrame), counted
    // from the connection's first frame; -1 for other arrows.
    qint64 frameNumber = -1;
    bool other = false; // between the Server and the other clients (a browser, a console client)
};

class SequenceModel : public QObject
{
    Q_OBJECT

public:
    explicit SequenceModel(QObject *parent = nullptr);

    int count() const { return int(m_arrows.size()); }
    const SequenceArrow &arrow(int index) const { return m_arrows.at(size_t(index)); }
    static constexpr int maxArrows = 100'000;
    // True once another client (not this window's) talked to the embedded server.
    bool hasOthers() const { return m_hasOthers; }
    // The server's connections whose client port is known (to tell this window's own from the
    // others'): only the open ones, however many came and went.
    int trackedConnections() const { return int(m_peerPorts.size()); }

public Q_SLOTS:
    void addWireEvent(const wslab::WireEvent &event);
    // The embedded server's events: those of other clients become arrows on a third lifeline.
    void addServerEvents(const QList<wslab::Event> &events);
    void clear();

Q_SIGNALS:
    void arrowsAdded(int first, int last);
    void cleared();

private:
    void append(SequenceArrow arrow);

    std::vector<SequenceArrow> m_arrows;
    quint16 m_ourPort = 0; // how the server sees this window's client
    std::map<quint64, quint16> m_peerPorts; // server connection → client port
    bool m_hasOthers = false;
    qint64 m_frames = 0; // frames seen since clear(), to number them as the Frames pane does
};

Text arrowLabel(const WireEvent &event);
// Step-through's one-line caption: what just crossed, and what comes next.
Text stepCaption(const WireEvent &event);

} // namespace wslab
