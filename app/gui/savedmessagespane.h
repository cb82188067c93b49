#pragma once

#include "messagecollections.h"

#include <QPointer>
#include <QWidget>

#include <variant>

class QLabel;
class QPushButton;
class QTreeView;

namespace wslab {

class ClientSession;
class ProblemLine;

// The saved messages, by collection: make, rename (F2), delete (Delete, with Undo), move
// (Alt+Up/Down). A message goes into the composer with Enter or a double click, to be looked at
// or edited; Ctrl+Enter (or Send) sends it as it is, variables expanded, {{counter}} counted
// per collection. Follows one session, the window's current one (setSession).
class SavedMessagesPane : public QWidget
{
    Q_OBJECT

public:
    explicit SavedMessagesPane(MessageCollections *collections, QWidget *parent = nullptr);

    void setSession(ClientSession *session);
    QTreeView *tree() const { return m_tree; }

public Q_SLOTS:
    void newCollection();
    void renameCurrent();
    void deleteCurrent();
    void undoDelete();
    void loadCurrent();
    bool sendCurrent();
    void moveCurrent(int delta);

Q_SIGNALS:
    // Enter, a double click or "Into the input": the composer takes it.
    void loadRequested(wslab::PayloadInput::Kind kind, const QString &body);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateWidgets();
    void retranslate();

    struct DeletedCollection
    {
        int row;
        MessageCollection collection;
    };
    struct DeletedMessage
    {
        int collectionRow;
        int row;
        SavedMessage message;
    };

    MessageCollections *m_collections;
    QPointer<ClientSession> m_session;
    QTreeView *m_tree;
    QPushButton *m_new, *m_rename, *m_delete, *m_load, *m_send, *m_up, *m_down;
    QPushButton *m_undo;
    QLabel *m_hint;
    QLabel *m_undoLabel;
    ProblemLine *m_problem;
    std::variant<std::monostate, DeletedCollection, DeletedMessage> m_deleted;
    QString m_deletedName;
};

} // namespace wslab
