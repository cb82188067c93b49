#pragma once

#include "payloadinput.h"

#include <QAbstractItemModel>
#include <QList>

namespace wslab {

struct SavedMessage
{
    QString name;
    PayloadInput::Kind kind = PayloadInput::Kind::Text;
    QString body; // as typed, variables unexpanded
    friend bool operator==(const SavedMessage &, const SavedMessage &) = default;
};

struct MessageCollection
{
    QString name;
    QList<SavedMessage> messages;
    qint64 counter = 0; // {{counter}} of its sends; counted for this run only, not saved
};

// The saved messages: named collections of named messages, a tree (collections, then their
// messages) for the Saved messages pane, kept in one JSON file that is written again, whole and
// atomically (QSaveFile), after every change. A file that cannot be read is never overwritten:
// it is moved aside under a name that says so and the error says where it went.
class MessageCollections : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column { Name, Kind, ColumnCount };
    enum Role {
        KindRole = Qt::UserRole + 1, // PayloadInput::Kind as int (messages)
        BodyRole, // QString (messages)
        IsCollectionRole, // bool
    };

    // `file` empty: saved-messages.json under QStandardPaths::AppDataLocation.
    explicit MessageCollections(const QString &file = {}, QObject *parent = nullptr);

    QString fileName() const { return m_file; }
    // Reads the file (none yet is fine: no collections). False when it was there but could not
    // be used: then error() says why and where it was kept, and the model starts empty.
    bool load();
    // The last load or save problem, empty when there was none.
    QString error() const { return m_error.toString(); }
    QString keptAside() const { return m_keptAside; }

    int collectionCount() const { return int(m_collections.size()); }
    const MessageCollection &collection(int row) const { return m_collections.at(row); }
    int findCollection(const QString &name) const; // -1 when there is none
    // Names are trimmed and must not be empty; false (and error()) otherwise.
    int addCollection(const QString &name); // its row, or -1
    bool renameCollection(int row, const QString &name);
    MessageCollection takeCollection(int row); // deleted; give it back with insertCollection
    void insertCollection(int row, const MessageCollection &collection);
    bool moveCollection(int from, int to); // `to`: the row it ends up at

    int addMessage(int collectionRow, const SavedMessage &message); // its row, or -1
    bool updateMessage(int collectionRow, int row, const SavedMessage &message);
    SavedMessage takeMessage(int collectionRow, int row);
    void insertMessage(int collectionRow, int row, const SavedMessage &message);
    // Within a collection or to another one; `toRow`: where it ends up in `toCollection`.
    bool moveMessage(int fromCollection, int fromRow, int toCollection, int toRow);

    // The collection's next {{counter}}: 1 for its first send.
    qint64 nextCounter(int collectionRow);

    // Index helpers for the view.
    QModelIndex collectionIndex(int row, int column = Name) const;
    QModelIndex messageIndex(int collectionRow, int row, int column = Name) const;
    bool isCollection(const QModelIndex &index) const;
    // (collection, message) of an index; message -1 for a collection's own row.
    std::pair<int, int> position(const QModelIndex &index) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void retranslate(); // the header and kind names

Q_SIGNALS:
    void errorChanged(const QString &error);

private:
    bool save();
    void setError(const Text &error);
    bool validName(const QString &name);
    QByteArray toJson() const;

    QString m_file;
    QList<MessageCollection> m_collections;
    Text m_error;
    QString m_keptAside;
    bool m_writable = true; // false when a bad file could not be moved aside
};

} // namespace wslab
