#pragma once

#include "clientsession.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QTextBrowser;
class QPlainTextEdit;
class QPushButton;

namespace wslab {

// Messages sent and received as a chat: time, direction, size; pushed Beijing time marked as
// such. Enter sends, Shift+Enter starts a new line, Up/Down walk the send history.
class ConversationView : public QWidget
{
    Q_OBJECT

public:
    explicit ConversationView(ClientSession *session, QWidget *parent = nullptr);

    static constexpr int maxItems = 2000;
    int messageCount() const { return m_count; }
    QString transcript() const; // the conversation as plain text

public Q_SLOTS:
    void send();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void addMessage(const QByteArray &payload, bool binary, bool outgoing, qint64 timeNs);
    void updateWidgets();
    void retranslate();
    // Bubble and caption colours from the view's palette; again for what is shown when it changes.
    void recolour();
    QString render(const QByteArray &payload, bool binary) const;

    ClientSession *m_session;
    QLabel *m_beijing;
    QTextBrowser *m_view;
    int m_count = 0;
    QPlainTextEdit *m_input;
    QComboBox *m_mode;
    QCheckBox *m_json;
    QPushButton *m_send;
    QPushButton *m_ping;
    QLabel *m_inputError;
    QStringList m_history;
    int m_historyIndex = -1;
    QString m_lastBeijing;
};

} // namespace wslab
