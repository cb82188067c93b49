#include "messagecollections.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace wslab {

namespace {
constexpr char kFormat[] = "wslab-saved-messages";
constexpr int kVersion = 1;
// Collections have internal id 0; a message's is its collection's row + 1.
constexpr quintptr kCollectionId = 0;

QString kindLabel(PayloadInput::Kind kind)
{
    switch (kind) {
    case PayloadInput::Kind::Text:
        return MessageCollections::tr("Text");
    case PayloadInput::Kind::Json:
        return MessageCollections::tr("JSON");
    case PayloadInput::Kind::Hex:
        return MessageCollections::tr("Binary (hex)");
    case PayloadInput::Kind::Base64:
        return MessageCollections::tr("Binary (base64)");
    }
    return {};
}

// What is wrong with the file's shape, or an empty string and the collections.
QString parseCollections(const QByteArray &bytes, QList<MessageCollection> &out)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return QStringLiteral("%1 at byte %2").arg(parseError.errorString()).arg(parseError.offset);
    const QJsonObject root = document.object();
    if (!document.isObject() || root.value(u"format").toString() != QLatin1StringView(kFormat))
        return QStringLiteral("not a saved-messages file (no \"format\": \"%1\")")
            .arg(QLatin1StringView(kFormat));
    if (root.value(u"version").toInt() != kVersion)
        return QStringLiteral("version %1, this WsLab reads version %2")
            .arg(root.value(u"version").toVariant().toString())
            .arg(kVersion);
    const QJsonValue collections = root.value(u"collections");
    if (!collections.isArray())
        return QStringLiteral("\"collections\" is not a list");
    for (const QJsonValue &c : collections.toArray()) {
        const QJsonObject object = c.toObject();
        MessageCollection collection;
        collection.name = object.value(u"name").toString();
        if (collection.name.trimmed().isEmpty() || !object.value(u"messages").isArray())
            return QStringLiteral("collection %1 has no name or no \"messages\" list")
                .arg(out.size() + 1);
        for (const QJsonValue &m : object.value(u"messages").toArray()) {
            const QJsonObject message = m.toObject();
            const auto kind = PayloadInput::kindFromName(message.value(u"kind").toString());
            if (!kind || !message.value(u"body").isString())
                return QStringLiteral("collection \"%1\", message %2: unknown kind or no body")
                    .arg(collection.name)
                    .arg(collection.messages.size() + 1);
            collection.messages.append(
                { message.value(u"name").toString(), *kind, message.value(u"body").toString() });
        }
        out.append(collection);
    }
    return {};
}
} // namespace

MessageCollections::MessageCollections(const QString &file, QObject *parent)
    : QAbstractItemModel(parent), m_file(file)
{
    if (m_file.isEmpty())
        m_file = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
            + QStringLiteral("/saved-messages.json");
}

bool MessageCollections::load()
{
    beginResetModel();
    m_collections.clear();
    m_keptAside.clear();
    m_writable = true;
    m_error = {};
    QFile file(m_file);
    bool ok = true;
    if (file.exists()) {
        QString why;
        if (!file.open(QIODevice::ReadOnly)) {
            why = file.errorString();
        } else {
            QList<MessageCollection> read;
            why = parseCollections(file.readAll(), read);
            file.close();
            if (why.isEmpty())
                m_collections = read;
        }
        if (!why.isEmpty()) {
            ok = false;
            // Never lost: the unreadable file moves aside, and the next save starts a new one.
            const QString aside = m_file + QStringLiteral(".unreadable-")
                + QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
            if (QFile::rename(m_file, aside)) {
                m_keptAside = aside;
                m_error = Text::of<MessageCollections>(
                              QT_TR_NOOP("The saved messages in %1 could not be read (%2); the "
                                         "file is kept as %3 and the list starts empty."))
                              .arg(m_file)
                              .arg(why)
                              .arg(aside);
            } else {
                m_writable = false;
                m_error = Text::of<MessageCollections>(
                              QT_TR_NOOP("The saved messages in %1 could not be read (%2) nor "
                                         "moved aside; nothing is saved until it is fixed."))
                              .arg(m_file)
                              .arg(why);
            }
        }
    }
    endResetModel();
    Q_EMIT errorChanged(error());
    return ok;
}

void MessageCollections::setError(const Text &error)
{
    m_error = error;
    Q_EMIT errorChanged(this->error());
}

bool MessageCollections::validName(const QString &name)
{
    if (!name.trimmed().isEmpty())
        return true;
    setError(Text::of<MessageCollections>(QT_TR_NOOP("A name cannot be empty.")));
    return false;
}

QByteArray MessageCollections::toJson() const
{
    QJsonArray collections;
    for (const MessageCollection &collection : m_collections) {
        QJsonArray messages;
        for (const SavedMessage &message : collection.messages)
            messages.append(
                QJsonObject { { QStringLiteral("name"), message.name },
                              { QStringLiteral("kind"), PayloadInput::kindName(message.kind) },
                              { QStringLiteral("body"), message.body } });
        collections.append(QJsonObject { { QStringLiteral("name"), collection.name },
                                         { QStringLiteral("messages"), messages } });
    }
    const QJsonObject root { { QStringLiteral("format"), QLatin1StringView(kFormat) },
                             { QStringLiteral("version"), kVersion },
                             { QStringLiteral("collections"), collections } };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

bool MessageCollections::save()
{
    if (!m_writable)
        return false;
    QDir().mkpath(QFileInfo(m_file).absolutePath());
    QSaveFile file(m_file);
    if (!file.open(QIODevice::WriteOnly) || file.write(toJson()) < 0 || !file.commit()) {
        setError(Text::of<MessageCollections>(QT_TR_NOOP("Could not save %1: %2"))
                     .arg(m_file)
                     .arg(file.errorString()));
        return false;
    }
    if (!m_error.isEmpty() && m_keptAside.isEmpty())
        setError({});
    return true;
}

int MessageCollections::findCollection(const QString &name) const
{
    for (int row = 0; row < m_collections.size(); ++row)
        if (m_collections.at(row).name == name.trimmed())
            return row;
    return -1;
}

int MessageCollections::addCollection(const QString &name)
{
    if (!validName(name))
        return -1;
    const int row = int(m_collections.size());
    insertCollection(row, { name.trimmed(), {}, 0 });
    return row;
}

bool MessageCollections::renameCollection(int row, const QString &name)
{
    if (row < 0 || row >= m_collections.size() || !validName(name))
        return false;
    m_collections[row].name = name.trimmed();
    const QModelIndex changed = collectionIndex(row);
    Q_EMIT dataChanged(changed, changed);
    save();
    return true;
}

MessageCollection MessageCollections::takeCollection(int row)
{
    if (row < 0 || row >= m_collections.size())
        return {};
    beginRemoveRows({}, row, row);
    MessageCollection taken = m_collections.takeAt(row);
    endRemoveRows();
    save();
    return taken;
}

void MessageCollections::insertCollection(int row, const MessageCollection &collection)
{
    row = qBound(0, row, int(m_collections.size()));
    beginInsertRows({}, row, row);
    m_collections.insert(row, collection);
    endInsertRows();
    save();
}

bool MessageCollections::moveCollection(int from, int to)
{
    const int count = int(m_collections.size());
    if (from < 0 || from >= count || to < 0 || to >= count || from == to)
        return false;
    // beginMoveRows counts the destination before the move.
    if (!beginMoveRows({}, from, from, {}, to > from ? to + 1 : to))
        return false;
    m_collections.move(from, to);
    endMoveRows();
    save();
    return true;
}

int MessageCollections::addMessage(int collectionRow, const SavedMessage &message)
{
    if (collectionRow < 0 || collectionRow >= m_collections.size() || !validName(message.name))
        return -1;
    const int row = int(m_collections.at(collectionRow).messages.size());
    insertMessage(collectionRow, row, message);
    return row;
}

bool MessageCollections::updateMessage(int collectionRow, int row, const SavedMessage &message)
{
    if (collectionRow < 0 || collectionRow >= m_collections.size() || row < 0
        || row >= m_collections.at(collectionRow).messages.size() || !validName(message.name))
        return false;
    SavedMessage &stored = m_collections[collectionRow].messages[row];
    stored = message;
    stored.name = message.name.trimmed();
    Q_EMIT dataChanged(messageIndex(collectionRow, row, Name),
                       messageIndex(collectionRow, row, Kind));
    save();
    return true;
}

SavedMessage MessageCollections::takeMessage(int collectionRow, int row)
{
    if (collectionRow < 0 || collectionRow >= m_collections.size() || row < 0
        || row >= m_collections.at(collectionRow).messages.size())
        return {};
    beginRemoveRows(collectionIndex(collectionRow), row, row);
    SavedMessage taken = m_collections[collectionRow].messages.takeAt(row);
    endRemoveRows();
    save();
    return taken;
}

void MessageCollections::insertMessage(int collectionRow, int row, const SavedMessage &message)
{
    if (collectionRow < 0 || collectionRow >= m_collections.size())
        return;
    auto &messages = m_collections[collectionRow].messages;
    row = qBound(0, row, int(messages.size()));
    beginInsertRows(collectionIndex(collectionRow), row, row);
    SavedMessage stored = message;
    stored.name = message.name.trimmed();
    messages.insert(row, stored);
    endInsertRows();
    save();
}

bool MessageCollections::moveMessage(int fromCollection, int fromRow, int toCollection, int toRow)
{
    const int count = int(m_collections.size());
    if (fromCollection < 0 || fromCollection >= count || toCollection < 0 || toCollection >= count)
        return false;
    auto &source = m_collections[fromCollection].messages;
    if (fromRow < 0 || fromRow >= source.size())
        return false;
    const int targetSize = int(m_collections.at(toCollection).messages.size());
    const bool same = fromCollection == toCollection;
    if (toRow < 0 || toRow > (same ? targetSize - 1 : targetSize) || (same && toRow == fromRow))
        return false;
    const int destination = same && toRow > fromRow ? toRow + 1 : toRow;
    if (!beginMoveRows(collectionIndex(fromCollection), fromRow, fromRow,
                       collectionIndex(toCollection), destination))
        return false;
    if (same) {
        source.move(fromRow, toRow);
    } else {
        const SavedMessage moved = source.takeAt(fromRow);
        m_collections[toCollection].messages.insert(toRow, moved);
    }
    endMoveRows();
    save();
    return true;
}

qint64 MessageCollections::nextCounter(int collectionRow)
{
    if (collectionRow < 0 || collectionRow >= m_collections.size())
        return 0;
    return ++m_collections[collectionRow].counter;
}

QModelIndex MessageCollections::collectionIndex(int row, int column) const
{
    return index(row, column);
}

QModelIndex MessageCollections::messageIndex(int collectionRow, int row, int column) const
{
    return index(row, column, collectionIndex(collectionRow));
}

bool MessageCollections::isCollection(const QModelIndex &index) const
{
    return index.isValid() && index.internalId() == kCollectionId;
}

std::pair<int, int> MessageCollections::position(const QModelIndex &index) const
{
    if (!index.isValid())
        return { -1, -1 };
    if (isCollection(index))
        return { index.row(), -1 };
    return { int(index.internalId() - 1), index.row() };
}

QModelIndex MessageCollections::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < m_collections.size() ? createIndex(row, column, kCollectionId) : QModelIndex();
    if (!isCollection(parent) || parent.row() >= m_collections.size()
        || row >= m_collections.at(parent.row()).messages.size())
        return {};
    return createIndex(row, column, quintptr(parent.row()) + 1);
}

QModelIndex MessageCollections::parent(const QModelIndex &child) const
{
    if (!child.isValid() || isCollection(child))
        return {};
    return createIndex(int(child.internalId() - 1), 0, kCollectionId);
}

int MessageCollections::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_collections.size());
    if (parent.column() != 0 || !isCollection(parent) || parent.row() >= m_collections.size())
        return 0;
    return int(m_collections.at(parent.row()).messages.size());
}

int MessageCollections::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant MessageCollections::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const auto [c, m] = position(index);
    if (c < 0 || c >= m_collections.size())
        return {};
    const MessageCollection &collection = m_collections.at(c);
    if (role == IsCollectionRole)
        return m < 0;
    if (m < 0) {
        if (role == Qt::DisplayRole || role == Qt::EditRole)
            return index.column() == Name
                ? collection.name
                : tr("%n message(s)", nullptr, int(collection.messages.size()));
        return {};
    }
    if (m >= collection.messages.size())
        return {};
    const SavedMessage &message = collection.messages.at(m);
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return index.column() == Name ? message.name : kindLabel(message.kind);
    case Qt::ToolTipRole:
        return message.body.size() > 500 ? message.body.left(500) + QStringLiteral(" …")
                                         : message.body;
    case KindRole:
        return int(message.kind);
    case BodyRole:
        return message.body;
    default:
        return {};
    }
}

bool MessageCollections::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || index.column() != Name)
        return false;
    const auto [c, m] = position(index);
    if (m < 0)
        return renameCollection(c, value.toString());
    SavedMessage message = collection(c).messages.at(m);
    message.name = value.toString();
    return updateMessage(c, m, message);
}

Qt::ItemFlags MessageCollections::flags(const QModelIndex &index) const
{
    Qt::ItemFlags flags = QAbstractItemModel::flags(index);
    if (index.isValid() && index.column() == Name)
        flags |= Qt::ItemIsEditable;
    return flags;
}

QVariant MessageCollections::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == Name ? tr("Name") : section == Kind ? tr("Kind") : QVariant();
}

void MessageCollections::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    for (int c = 0; c < m_collections.size(); ++c) {
        Q_EMIT dataChanged(collectionIndex(c, Kind), collectionIndex(c, Kind));
        if (!m_collections.at(c).messages.isEmpty())
            Q_EMIT dataChanged(messageIndex(c, 0, Kind),
                               messageIndex(c, int(m_collections.at(c).messages.size()) - 1, Kind));
    }
    Q_EMIT errorChanged(error());
}

} // namespace wslab
