#include "clientlistmodel.h"

#include <algorithm>

namespace wslab {

ClientListModel::ClientListModel(ServerHost *host, QObject *parent) : QAbstractTableModel(parent)
{
    for (const ClientInfo &client : host->clients())
        m_clients.push_back(client);
    connect(host, &ServerHost::clientOpened, this, &ClientListModel::add);
    connect(host, &ServerHost::clientClosed, this, &ClientListModel::remove);
    connect(host, &ServerHost::countersChanged, this, &ClientListModel::updateCounters);
}

int ClientListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_clients.size());
}

int ClientListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ClientListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ClientInfo &c = m_clients[size_t(index.row())];
    if (role == IdRole)
        return c.id;
    if (role == Qt::TextAlignmentRole && (index.column() == In || index.column() == Out))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Client:
        return QStringLiteral("#%1").arg(c.id);
    case Peer:
        return QStringLiteral("%1:%2").arg(c.peerAddress.toString()).arg(c.peerPort);
    case Path:
        return QString(routePath(c.route)
                       + (c.route == Route::Chat ? u" (" + c.name + u')' : QString()));
    case Since:
        return c.since.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
    case In:
        return QVariant::fromValue(c.messagesIn);
    case Out:
        return QVariant::fromValue(c.messagesOut);
    }
    return {};
}

QVariant ClientListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Client:
        return tr("Client");
    case Peer:
        return tr("Peer");
    case Path:
        return tr("Path");
    case Since:
        return tr("Since");
    case In:
        return tr("In");
    case Out:
        return tr("Out");
    }
    return {};
}

quint64 ClientListModel::idAt(int row) const
{
    return row >= 0 && row < rowCount() ? m_clients[size_t(row)].id : 0;
}

int ClientListModel::rowOf(quint64 id) const
{
    const auto it = std::lower_bound(m_clients.begin(), m_clients.end(), id,
                                     [](const ClientInfo &c, quint64 id) { return c.id < id; });
    return it != m_clients.end() && it->id == id ? int(it - m_clients.begin()) : -1;
}

void ClientListModel::add(const ClientInfo &client)
{
    // Ids grow with age, so a new client almost always goes last.
    const auto it = std::lower_bound(
        m_clients.begin(), m_clients.end(), client.id,
        [](const ClientInfo &c, quint64 id) { return c.id < id; });
    if (it != m_clients.end() && it->id == client.id)
        return;
    const int row = int(it - m_clients.begin());
    beginInsertRows({}, row, row);
    m_clients.insert(it, client);
    endInsertRows();
}

void ClientListModel::remove(quint64 id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_clients.erase(m_clients.begin() + row);
    endRemoveRows();
}

void ClientListModel::updateCounters(const QList<ClientCounters> &counters)
{
    for (const ClientCounters &c : counters) {
        const int row = rowOf(c.id);
        if (row < 0)
            continue;
        m_clients[size_t(row)].messagesIn = c.messagesIn;
        m_clients[size_t(row)].messagesOut = c.messagesOut;
        Q_EMIT dataChanged(index(row, In), index(row, Out), { Qt::DisplayRole });
    }
}

void ClientListModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

} // namespace wslab
