#pragma once

#include "clientsession.h"
#include "payloadinput.h"

#include <QTimer>
#include <QTextBlock>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QTextBrowser;
class QPlainTextEdit;
class QPushButton;

namespace wslab {

class FindBar;

class MessageCollections;
class ProblemLine;

// Messages sent and received as a chat: time, direction, size; pushed Beijing time marked as
// such. The composer sends text, JSON (checked as it is typed), binary from hex or base64, or a
// file; variables ({{now}}, {{beijing}}, {{uuid}}, {{counter}}) are expanded when it is sent,
// and the conversation shows what went out. Enter sends, Shift+Enter starts a new line, Up/Down
// walk the send history. "Every N s" sends the input again and again while the connection is
// open. {{counter}} counts this composer's sends (1 for the first, periodic ones included).
class ConversationView : public QWidget
{
    Q_OBJECT

public:
    explicit ConversationView(ClientSession *session, QWidget *parent = nullptr);

    static constexpr int maxItems = 2000;
    int messageCount() const { return m_count; }
    QString transcript() const; // the conversation as plain text
    FindBar *findBar() const { return m_find; }
    int shownCount() const; // messages the find leaves visible

    // Where "Save…" puts the input; without it the button is hidden.
    void setCollections(MessageCollections *collections);

    PayloadInput::Kind kind() const;
    void setKind(PayloadInput::Kind kind);
    qint64 sentCount() const { return m_sendCounter; }
    int periodicSentCount() const { return m_periodicSent; }
    bool isSendingPeriodically() const { return m_periodic.isActive(); }

public Q_SLOTS:
    void send();
    // The file's bytes as one binary message; false (and the reason under the input) otherwise.
    bool sendFile(const QString &path);
    // A saved message into the input, to edit or send.
    void loadMessage(wslab::PayloadInput::Kind kind, const QString &body);
    // The input into `collection` (made when there is none of that name) as `name`.
    bool saveToCollection(const QString &collection, const QString &name);
    void prettyPrint();
    void compact();
    // Period of "Every N s", in seconds (the spin box's range: 0.1 … 3600).
    void setPeriod(double seconds);
    void setSendingPeriodically(bool on);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    // Expands, converts and sends the input; false (with the reason shown) when it is not sent.
    bool sendInput();
    void chooseFile();
    void askToSave();
    void checkInput(); // as the user types
    void reformat(int indent);
    void addMessage(const QByteArray &payload, bool binary, bool outgoing, qint64 timeNs);
    void updateWidgets();
    void updatePeriodicLabel();
    void retranslate();
    // Bubble and caption colours from the view's palette; again for what is shown when it changes.
    void recolour();
    QString render(const QByteArray &payload, bool binary) const;
    void applyFind();
    void showIfFound(QTextBlock block);

    ClientSession *m_session;
    MessageCollections *m_collections = nullptr;
    QLabel *m_beijing;
    QTextBrowser *m_view;
    FindBar *m_find;
    int m_count = 0;
    QPlainTextEdit *m_input;
    QComboBox *m_mode;
    QCheckBox *m_json;
    QPushButton *m_pretty;
    QPushButton *m_compact;
    QPushButton *m_file;
    QPushButton *m_save;
    QCheckBox *m_every;
    QDoubleSpinBox *m_period;
    QLabel *m_periodicLabel;
    QPushButton *m_send;
    QPushButton *m_ping;
    ProblemLine *m_inputError;
    QStringList m_history;
    int m_historyIndex = -1;
    QString m_lastBeijing;
    qint64 m_sendCounter = 0;
    int m_periodicSent = 0;
    QTimer m_periodic;
};

} // namespace wslab
