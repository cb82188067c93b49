#include "wirelines.h"

#include "textpreview.h"

#include <QStringDecoder>

namespace wslab {

namespace {

constexpr int kMaxTextChars = 60;
constexpr int kMaxHexBytes = 32;

QString arrow(Direction direction)
{
    return direction == Direction::ClientToServer ? QStringLiteral("> ") : QStringLiteral("< ");
}

QString side(Direction direction)
{
    return direction == Direction::ClientToServer ? QStringLiteral("client")
                                                  : QStringLiteral("server");
}

bool isPrintableUtf8(QByteArrayView bytes)
{
    auto decoder = QStringDecoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder(bytes);
    return !decoder.hasError() && std::none_of(text.begin(), text.end(), [](QChar c) {
        return c.category() == QChar::Other_Control;
    });
}

QString payloadField(const Frame &frame)
{
    const bool textual = frame.messageOpcode == Frame::Text && !frame.isControl();
    const bool readable = textual
        || ((frame.opcode == Frame::Ping || frame.opcode == Frame::Pong)
            && isPrintableUtf8(frame.payload));
    QString shown = readable ? QString(u'"' + escapedText(frame.payload, kMaxTextChars) + u'"')
                             : QString(u"hex:" + shortHex(frame.payload, kMaxHexBytes, 0));
    if (frame.payloadTruncated && !shown.endsWith(QStringLiteral("…"))
        && !shown.endsWith(QStringLiteral("…\"")))
        shown += QStringLiteral("…");
    return u" payload=" + shown;
}

QString utc(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}

QStringList tlsLines(const TlsSummary &tls)
{
    QStringList lines { QStringLiteral("* TLS to %1: %2 %3, %4")
                            .arg(tls.peerName, tls.protocol, tls.cipher,
                                 tls.verified ? QStringLiteral("certificate verified")
                                              : QStringLiteral("certificate NOT verified "
                                                               "(insecure)")) };
    for (qsizetype i = 0; i < tls.chain.size(); ++i) {
        const TlsCertificateSummary &c = tls.chain.at(i);
        lines.append(QStringLiteral("*   certificate %1: %2, issued by %3")
                         .arg(i + 1)
                         .arg(c.subject, c.issuer));
        lines.append(QStringLiteral("*     valid %1 to %2").arg(utc(c.notBefore), utc(c.notAfter)));
        lines.append(QStringLiteral("*     SHA-256 %1").arg(c.sha256));
    }
    if (tls.clientCertificate)
        lines.append(QStringLiteral("*   the tap presented the client certificate"));
    return lines;
}

} // namespace

QString frameLine(const Frame &frame, Direction direction)
{
    QString line = arrow(direction)
        + QStringLiteral("frame fin=%1 rsv=%2 opcode=%3 %4 mask=%5")
              .arg(frame.fin ? 1 : 0)
              .arg(frame.rsv)
              .arg(frame.opcode)
              .arg(opcodeName(frame.opcode))
              .arg(frame.masked ? 1 : 0);
    if (frame.masked)
        line += u" key=" + QString::fromLatin1(frame.maskingKey.toHex());
    line += QStringLiteral(" len=%1").arg(frame.payloadLength);
    if (frame.opcode == Frame::Close) {
        if (frame.closeCode)
            line += QStringLiteral(" code=%1 reason=\"%2\"")
                        .arg(*frame.closeCode)
                        .arg(escapedText(frame.closeReason.toUtf8(), kMaxTextChars));
    } else if (frame.payloadLength > 0) {
        line += payloadField(frame);
    }
    return line;
}

QStringList wireLines(const WireEvent &event)
{
    using Kind = WireEvent::Kind;
    switch (event.kind) {
    case Kind::TunnelRequested:
        return { QStringLiteral("* tap: CONNECT %1").arg(event.text) };
    case Kind::TunnelRefused:
        return { QStringLiteral("* tap refused CONNECT: %1").arg(event.text) };
    case Kind::TcpConnected:
        return { QStringLiteral("* TCP connected to %1").arg(event.text) };
    case Kind::HandshakeRequest:
    case Kind::HandshakeResponse: {
        QStringList lines { arrow(event.direction) + QString::fromLatin1(event.startLine) };
        for (const HeaderLine &header : event.headers)
            lines.append(arrow(event.direction) + QString::fromLatin1(header.name) + u": "
                         + QString::fromLatin1(header.value));
        if (event.kind == Kind::HandshakeResponse && !event.accept.expected.isEmpty()) {
            lines.append(event.accept.ok()
                             ? QStringLiteral("* Sec-WebSocket-Accept ok: base64(SHA-1(key + "
                                              "258EAFA5-E914-47DA-95CA-C5AB0DC85B11)) = %1")
                                   .arg(QString::fromLatin1(event.accept.expected))
                             : QStringLiteral(
                                   "* Sec-WebSocket-Accept MISMATCH: expected %1, received \"%2\"")
                                   .arg(QString::fromLatin1(event.accept.expected),
                                        QString::fromLatin1(event.accept.received)));
        }
        return lines;
    }
    case Kind::Frame:
        return { frameLine(event.frame, event.direction) };
    case Kind::ProtocolError:
        return { arrow(event.direction)
                 + QStringLiteral("error %1 \"%2\" at byte %3")
                       .arg(event.error.closeCode)
                       .arg(event.error.reason)
                       .arg(event.error.offset) };
    case Kind::Tls:
        return { arrow(event.direction)
                 + QStringLiteral("tls records=%1 bytes=%2 (%3)")
                       .arg(event.tlsRecords)
                       .arg(event.byteCount)
                       .arg(event.text) };
    case Kind::TlsEstablished:
        return tlsLines(event.tls);
    case Kind::Warning:
        return { QStringLiteral("* warning: %1").arg(event.text) };
    case Kind::TcpClosed:
        return { QStringLiteral("* TCP closed by %1: %2").arg(side(event.direction), event.text) };
    case Kind::Error:
        return { QStringLiteral("* error: %1").arg(event.text) };
    }
    return {};
}

} // namespace wslab
