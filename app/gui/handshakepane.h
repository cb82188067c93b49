#pragma once

#include "wiredecoder.h"

#include <QWidget>

class QLabel;
class QTreeWidget;

namespace wslab {

class FindBar;

// The opening handshake as it crossed the wire: for wss://, the TLS the tap made with the server
// (version, cipher, the server's certificates, verified or not); then the request and the
// response, each header explained in a sentence, and the Sec-WebSocket-Accept recomputed and
// checked.
class HandshakePane : public QWidget
{
    Q_OBJECT

public:
    explicit HandshakePane(QWidget *parent = nullptr);
    // A sentence about what a header (or start line) does in the handshake; empty if unknown.
    static QString explain(const QByteArray &name, bool request);

public Q_SLOTS:
    void addWireEvent(const wslab::WireEvent &event);
    void clear();
    FindBar *findBar() const { return m_find; }
    // Without the wire tap, or over TLS, the bytes are not visible: say so.
    void showNotVisible(const QString &why);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void fill(const WireEvent &event);
    void fillTls(const WireEvent &event);
    void applyFind();

    QTreeWidget *m_tree;
    FindBar *m_find;
    QLabel *m_accept;
    QLabel *m_note;
    QLabel *m_tlsVerdict;
    std::optional<WireEvent> m_tls, m_request, m_response;
};

} // namespace wslab
