#pragma once

#include "frameparser.h"
#include "handshakeparser.h"

#include <QDateTime>
#include <QList>

#include <map>
#include <memory>

namespace wslab {

// The three phases a student should see one after the other.
enum class Phase { Tcp, Http, WebSocket };

// One certificate of the chain a server sent, as a student compares it with a browser's view.
struct TlsCertificateSummary
{
    QString subject; // "CN=localhost, O=WsLab"
    QString issuer;
    QDateTime notBefore, notAfter; // UTC
    QString sha256; // "AB:CD:…", as browsers and openssl show it
};

// wss://: the tap's TLS with the server, as negotiated and verified.
struct TlsSummary
{
    QString protocol; // "TLS 1.3"
    QString cipher; // "TLS_AES_256_GCM_SHA384"
    QString peerName; // the name the certificate was checked against
    bool verified = false; // false: verification was turned off (insecure)
    // Insecure: what verification would have said of the certificate; empty if it passes.
    QString unverifiedProblem;
    bool clientCertificate = false; // the tap presented the user's client certificate
    QList<TlsCertificateSummary> chain; // the server's certificate first
};

// One thing the wire tap saw, decoded. The tap's part of DESIGN.md's event vocabulary
// (side "wire"); the window turns these into rows, the console client into lines.
struct WireEvent
{
    enum class Kind {
        TunnelRequested, // the client's CONNECT arrived
        TunnelRefused, // it asked for another target
        TcpConnected, // the tap reached the target
        HandshakeRequest, // the client's HTTP request, complete
        HandshakeResponse, // the server's HTTP response, complete
        Frame, // one WebSocket frame
        ProtocolError, // the bytes broke RFC 6455; decoding of that direction stops
        Tls, // wss://: encrypted records, frames not visible
        TlsEstablished, // wss://: the tap's TLS with the server is up (see `tls`)
        Warning, // something the user should know that does not stop the connection
        TcpClosed, // one side ended the TCP connection
        Error,
    };

    Kind kind = Kind::Error;
    quint64 connection = 0;
    Direction direction = Direction::ClientToServer;
    qint64 timeNs = 0; // monotonic, from the tap's clock
    Phase phase = Phase::Tcp;

    QString text; // target, reason, "EOF", ...
    QByteArray startLine; // handshake
    QList<HeaderLine> headers;
    AcceptCheck accept; // HandshakeResponse: the Sec-WebSocket-Accept check
    Frame frame;
    ProtocolError error;
    qint64 tlsRecords = 0; // Tls: records completed in this chunk
    qint64 byteCount = 0; // Tls / handshake: bytes
    quint16 localPort = 0; // TcpConnected: the port the server sees our client on
    QString localAddress; // TcpConnected: and the address (text: the parsers need no QtNetwork)
    TlsSummary tls; // TlsEstablished
};

// Turns the tap's raw chunks into WireEvents: per connection and direction, the handshake
// first, then frames (or TLS records, when the client opens with a TLS handshake).
class WireDecoder
{
public:
    QList<WireEvent> feed(quint64 connection, Direction direction, QByteArrayView bytes,
                          qint64 timeNs);
    void forget(quint64 connection);

private:
    struct Side
    {
        explicit Side(HandshakeParser::Kind kind) : handshake(kind) { }
        HandshakeParser handshake;
        std::unique_ptr<FrameParser> frames;
        bool stopped = false;
        qint64 offset = 0; // bytes seen in this direction
        // TLS record reader
        QByteArray tlsHeader;
        qint64 tlsRemaining = 0;
    };
    struct Connection
    {
        Side client { HandshakeParser::Kind::Request };
        Side server { HandshakeParser::Kind::Response };
        bool decided = false; // plain or TLS, from the client's first byte
        bool tls = false;
    };

    void feedTls(Side &side, const WireEvent &base, QByteArrayView bytes, QList<WireEvent> &events);

    std::map<quint64, Connection> m_connections;
};

} // namespace wslab
