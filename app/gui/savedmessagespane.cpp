#include "savedmessagespane.h"

#include "problemline.h"

#include "clientsession.h"
#include "templatevariables.h"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace wslab {

SavedMessagesPane::SavedMessagesPane(MessageCollections *collections, QWidget *parent)
    : QWidget(parent), m_collections(collections)
{
    setObjectName(QStringLiteral("savedMessagesPane"));
    m_tree = new QTreeView(this);
    m_tree->setObjectName(QStringLiteral("savedMessagesTree"));
    m_tree->setModel(collections);
    m_tree->setEditTriggers(QAbstractItemView::EditKeyPressed);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(MessageCollections::Name, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(MessageCollections::Kind, QHeaderView::ResizeToContents);
    m_tree->expandAll();
    m_tree->installEventFilter(this);

    const auto button = [this](const char *name) {
        auto *b = new QPushButton(this);
        b->setObjectName(QLatin1StringView(name));
        return b;
    };
    m_new = button("newCollectionButton");
    m_rename = button("renameSavedButton");
    m_delete = button("deleteSavedButton");
    m_up = button("moveSavedUpButton");
    m_down = button("moveSavedDownButton");
    m_load = button("loadSavedButton");
    m_send = button("sendSavedButton");
    m_undo = button("undoDeleteButton");
    m_undoLabel = new QLabel(this);
    m_undoLabel->setObjectName(QStringLiteral("undoDeleteLabel"));
    m_hint = new QLabel(this);
    m_hint->setObjectName(QStringLiteral("savedMessagesHint"));
    m_hint->setWordWrap(true);
    m_problem = new ProblemLine(QStringLiteral("savedMessagesProblem"), this);

    auto *edit = new QHBoxLayout;
    edit->addWidget(m_new);
    edit->addWidget(m_rename);
    edit->addWidget(m_delete);
    edit->addWidget(m_up);
    edit->addWidget(m_down);
    edit->addStretch();
    auto *use = new QHBoxLayout;
    use->addWidget(m_load);
    use->addWidget(m_send);
    use->addStretch();
    auto *undo = new QHBoxLayout;
    undo->addWidget(m_undoLabel, 1);
    undo->addWidget(m_undo);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(edit);
    layout->addWidget(m_tree, 1);
    layout->addLayout(use);
    layout->addWidget(m_hint);
    layout->addLayout(undo);
    layout->addWidget(m_problem);
    m_undoLabel->hide();
    m_undo->hide();

    connect(m_new, &QPushButton::clicked, this, &SavedMessagesPane::newCollection);
    connect(m_rename, &QPushButton::clicked, this, &SavedMessagesPane::renameCurrent);
    connect(m_delete, &QPushButton::clicked, this, &SavedMessagesPane::deleteCurrent);
    connect(m_undo, &QPushButton::clicked, this, &SavedMessagesPane::undoDelete);
    connect(m_load, &QPushButton::clicked, this, &SavedMessagesPane::loadCurrent);
    connect(m_send, &QPushButton::clicked, this, &SavedMessagesPane::sendCurrent);
    connect(m_up, &QPushButton::clicked, this, [this] { moveCurrent(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { moveCurrent(+1); });
    connect(m_tree, &QTreeView::doubleClicked, this, [this](const QModelIndex &index) {
        if (!m_collections->isCollection(index))
            loadCurrent();
    });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &SavedMessagesPane::updateWidgets);
    // A collection that gets a message is opened, so the new message shows.
    connect(collections, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &parent, int first) {
                if (parent.isValid())
                    m_tree->expand(parent);
                else
                    m_tree->expand(m_collections->collectionIndex(first));
            });
    connect(collections, &QAbstractItemModel::modelReset, m_tree, &QTreeView::expandAll);
    connect(collections, &MessageCollections::errorChanged, this,
            [this](const QString &error) { m_problem->showMessage(error, !error.isEmpty()); });
    if (!collections->error().isEmpty())
        m_problem->showMessage(collections->error(), true);
    retranslate();
    updateWidgets();
}

void SavedMessagesPane::setSession(ClientSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    if (session)
        connect(session, &ClientSession::stateChanged, this, &SavedMessagesPane::updateWidgets);
    updateWidgets();
}

void SavedMessagesPane::newCollection()
{
    QString name = tr("New collection");
    for (int n = 2; m_collections->findCollection(name) >= 0; ++n)
        name = tr("New collection %1").arg(n);
    const int row = m_collections->addCollection(name);
    if (row < 0)
        return;
    const QModelIndex index = m_collections->collectionIndex(row);
    m_tree->setCurrentIndex(index);
    m_tree->setFocus();
    m_tree->edit(index); // named right away, as a file manager names a new folder
}

void SavedMessagesPane::renameCurrent()
{
    const QModelIndex current = m_tree->currentIndex();
    if (!current.isValid())
        return;
    m_tree->setFocus();
    m_tree->edit(current.siblingAtColumn(MessageCollections::Name));
}

void SavedMessagesPane::deleteCurrent()
{
    const auto [c, m] = m_collections->position(m_tree->currentIndex());
    if (c < 0)
        return;
    // No "are you sure?": it goes at once and Undo brings it back.
    if (m < 0) {
        m_deletedName = m_collections->collection(c).name;
        m_deleted = DeletedCollection { c, m_collections->takeCollection(c) };
        m_undoLabel->setText(tr("Collection \"%1\" deleted.").arg(m_deletedName));
    } else {
        m_deletedName = m_collections->collection(c).messages.at(m).name;
        m_deleted = DeletedMessage { c, m, m_collections->takeMessage(c, m) };
        m_undoLabel->setText(tr("Message \"%1\" deleted.").arg(m_deletedName));
    }
    m_undoLabel->show();
    m_undo->show();
    updateWidgets();
}

void SavedMessagesPane::undoDelete()
{
    QModelIndex restored;
    if (const auto *collection = std::get_if<DeletedCollection>(&m_deleted)) {
        m_collections->insertCollection(collection->row, collection->collection);
        restored = m_collections->collectionIndex(
            qMin(collection->row, m_collections->collectionCount() - 1));
    } else if (const auto *message = std::get_if<DeletedMessage>(&m_deleted)) {
        if (message->collectionRow < m_collections->collectionCount()) {
            m_collections->insertMessage(message->collectionRow, message->row, message->message);
            restored = m_collections->messageIndex(message->collectionRow, message->row);
        }
    }
    m_deleted = std::monostate();
    m_undoLabel->hide();
    m_undo->hide();
    if (restored.isValid())
        m_tree->setCurrentIndex(restored);
    m_tree->setFocus();
}

void SavedMessagesPane::loadCurrent()
{
    const auto [c, m] = m_collections->position(m_tree->currentIndex());
    if (c < 0 || m < 0)
        return;
    const SavedMessage &message = m_collections->collection(c).messages.at(m);
    Q_EMIT loadRequested(message.kind, message.body);
}

bool SavedMessagesPane::sendCurrent()
{
    const auto [c, m] = m_collections->position(m_tree->currentIndex());
    if (c < 0 || m < 0 || !m_session || m_session->state() != ClientSession::State::Open)
        return false;
    const SavedMessage message = m_collections->collection(c).messages.at(m);
    TemplateVariables::Context context;
    context.counter = m_collections->collection(c).counter + 1;
    const auto composed = TemplateVariables::compose(message.kind, message.body, context);
    if (!composed.payload.ok()) {
        m_problem->showMessage(
            tr("\"%1\" not sent: %2").arg(message.name, composed.payload.message()), true);
        return false;
    }
    m_collections->nextCounter(c);
    if (composed.payload.binary)
        m_session->sendBinary(composed.payload.bytes);
    else
        m_session->sendText(QString::fromUtf8(composed.payload.bytes));
    m_problem->showMessage(m_collections->error(), !m_collections->error().isEmpty());
    return true;
}

void SavedMessagesPane::moveCurrent(int delta)
{
    const auto [c, m] = m_collections->position(m_tree->currentIndex());
    if (c < 0)
        return;
    if (m < 0) {
        if (m_collections->moveCollection(c, c + delta))
            m_tree->setCurrentIndex(m_collections->collectionIndex(c + delta));
        return;
    }
    const int count = int(m_collections->collection(c).messages.size());
    if (m + delta >= 0 && m + delta < count) {
        if (m_collections->moveMessage(c, m, c, m + delta))
            m_tree->setCurrentIndex(m_collections->messageIndex(c, m + delta));
    } else if (m + delta < 0 && c > 0) {
        // Past the top of its collection: to the end of the one above.
        const int to = int(m_collections->collection(c - 1).messages.size());
        if (m_collections->moveMessage(c, m, c - 1, to))
            m_tree->setCurrentIndex(m_collections->messageIndex(c - 1, to));
    } else if (m + delta >= count && c + 1 < m_collections->collectionCount()) {
        if (m_collections->moveMessage(c, m, c + 1, 0))
            m_tree->setCurrentIndex(m_collections->messageIndex(c + 1, 0));
    }
}

bool SavedMessagesPane::eventFilter(QObject *watched, QEvent *event)
{
    // Ctrl+Enter is the window's Send (the input); in this tree it sends the saved message, so
    // the tree claims it before the window's shortcut does.
    if (watched == m_tree && event->type() == QEvent::ShortcutOverride) {
        auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)
            && (key->modifiers() & Qt::ControlModifier)) {
            event->accept();
            return true;
        }
    }
    // The tree's own keys; while a name is edited, the keys go to the editor, not here.
    if (watched == m_tree && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
        if (enter && (key->modifiers() & Qt::ControlModifier)) {
            sendCurrent();
            return true;
        }
        if (enter && !m_collections->isCollection(m_tree->currentIndex())) {
            loadCurrent();
            return true;
        }
        if (key->key() == Qt::Key_Delete) {
            deleteCurrent();
            return true;
        }
        if ((key->modifiers() & Qt::AltModifier)
            && (key->key() == Qt::Key_Up || key->key() == Qt::Key_Down)) {
            moveCurrent(key->key() == Qt::Key_Up ? -1 : +1);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void SavedMessagesPane::updateWidgets()
{
    const QModelIndex current = m_tree->currentIndex();
    const bool any = current.isValid();
    const bool message = any && !m_collections->isCollection(current);
    const bool open = m_session && m_session->state() == ClientSession::State::Open;
    m_rename->setEnabled(any);
    m_delete->setEnabled(any);
    m_up->setEnabled(any);
    m_down->setEnabled(any);
    m_load->setEnabled(message);
    m_send->setEnabled(message && open);
}

void SavedMessagesPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void SavedMessagesPane::retranslate()
{
    m_tree->setAccessibleName(tr("Saved messages by collection"));
    m_new->setText(tr("New collection"));
    m_rename->setText(tr("Rename"));
    m_rename->setToolTip(tr("Rename the collection or message (F2)."));
    m_delete->setText(tr("Delete"));
    m_delete->setToolTip(tr("Delete the collection or message (Delete); Undo brings it back."));
    m_up->setText(tr("Up"));
    m_up->setToolTip(tr("Move up (Alt+Up)."));
    m_down->setText(tr("Down"));
    m_down->setToolTip(tr("Move down (Alt+Down)."));
    m_load->setText(tr("Into the input"));
    m_load->setToolTip(tr("Put the message in the input, to look at or edit it (Enter or a "
                          "double click)."));
    m_send->setText(tr("Send"));
    m_send->setToolTip(tr("Send the message as saved, variables expanded (Ctrl+Enter)."));
    m_undo->setText(tr("Undo"));
    m_hint->setText(tr("Enter or a double click puts a message in the input; Ctrl+Enter sends "
                       "it. {{counter}} counts each collection's sends."));
    m_collections->retranslate();
}

} // namespace wslab
