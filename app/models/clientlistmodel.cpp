#include "clientlistmodel.h"

#include <QTextDocument>

#include <algorithm>

namespace wslab {

ClientListModel::ClientListModel(ServerHost *host, QObject *parent) : QAbstractTableModel(parent)
{
    for (const ClientInfo &client : host->clients()) {
        m_clients.push_back(client);
        countName(client, +1);
    }
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

QString ClientListModel::oneLine(const QString &preview, qsizetype length)
{
    QString line = preview;
    for (QChar &c : line) {
        if (c.category() == QChar::Other_Control || c == QChar::LineSeparator
            || c == QChar::ParagraphSeparator)
            c = u' ';
    }
    if (length > preview.size())
        line += u'…';
    return line;
}

QVariant ClientListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ClientInfo &c = m_clients[size_t(index.row())];
    if (role == IdRole)
        return c.id;
    if (role == Qt::TextAlignmentRole
        && (index.column() == In || index.column() == Out || index.column() == Ping))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole)
        return toolTip(c, index.column());
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Client:
        return QStringLiteral("#%1").arg(c.id);
    case Name:
        return c.name;
    case Device:
        return c.device.isEmpty() ? QStringLiteral("—") : c.device;
    case Peer:
        return QStringLiteral("%1:%2").arg(c.peerAddress.toString()).arg(c.peerPort);
    case Path:
        return routePath(c.route);
    case Since:
        return c.since.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
    case In:
        return QVariant::fromValue(c.messagesIn);
    case Out:
        return QVariant::fromValue(c.messagesOut);
    case Ping:
        return c.lastPingMs >= 0 ? QVariant::fromValue(c.lastPingMs) : QVariant();
    case LastMessage:
        if (!c.lastMessageAt.isValid())
            return {};
        if (c.lastMessageBinary)
            return tr("(binary, %1 bytes)").arg(c.lastMessageLength);
        return oneLine(c.lastMessage, c.lastMessageLength);
    }
    return {};
}

namespace {
// A tool tip holding what a client sent (its User-Agent, its chat line). Qt shows a tool tip as
// rich text when it looks like HTML (Qt::mightBeRichText), and anyone on the LAN writes these:
// made rich text here, escaped, it shows the characters as they came.
QString literalToolTip(const QString &text)
{
    return Qt::convertFromPlainText(text, Qt::WhiteSpaceNormal);
}
} // namespace

QVariant ClientListModel::toolTip(const ClientInfo &c, int column) const
{
    switch (column) {
    case Device:
        return c.userAgent.isEmpty()
            ? tr("No User-Agent header: a program rather than a browser (Qt and node ws send "
                 "none).")
            : literalToolTip(tr("User-Agent: %1").arg(c.userAgent));
    case Ping:
        return c.lastPingMs >= 0 ? tr("Round trip of the last ping: %1 ms (pongs so far: %2)")
                                       .arg(c.lastPingMs)
                                       .arg(c.pongs)
                                 : tr("No pong yet: Ping measures the round trip.");
    case LastMessage: {
        if (!c.lastMessageAt.isValid())
            return tr("Nothing sent yet.");
        // Said with its zone, like every time the window shows.
        const QString when
            = c.lastMessageAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss t"));
        if (c.lastMessageBinary)
            return tr("Sent at %1: binary, %2 bytes").arg(when).arg(c.lastMessageLength);
        const QString sent = c.lastMessageLength > c.lastMessage.size()
            ? tr("Sent at %1 (%2 characters, the first %3 shown):")
                  .arg(when)
                  .arg(c.lastMessageLength)
                  .arg(c.lastMessage.size())
            : tr("Sent at %1:").arg(when);
        // The line again, whole: the column may be too narrow for it.
        return literalToolTip(sent + u'\n' + oneLine(c.lastMessage, c.lastMessageLength));
    }
    default:
        return {};
    }
}

QVariant ClientListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Client:
        return tr("Client");
    case Name:
        return tr("Name");
    case Device:
        return tr("Device");
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
    case Ping:
        return tr("Ping (ms)");
    case LastMessage:
        return tr("Last message");
    }
    return {};
}

quint64 ClientListModel::idAt(int row) const
{
    return row >= 0 && row < rowCount() ? m_clients[size_t(row)].id : 0;
}

const ClientInfo *ClientListModel::clientAt(int row) const
{
    return row >= 0 && row < rowCount() ? &m_clients[size_t(row)] : nullptr;
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
    countName(client, +1);
    endInsertRows();
}

void ClientListModel::countName(const ClientInfo &client, int change)
{
    // The page on a phone opens /ws before its student picks a name (a guest there): the name
    // a student chats under is the one that counts.
    if (client.route != Route::Chat)
        return;
    auto it = m_names.find(client.name);
    if (it == m_names.end())
        it = m_names.insert(client.name, 0);
    if ((it.value() += change) <= 0)
        m_names.erase(it);
}

void ClientListModel::remove(quint64 id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    countName(m_clients[size_t(row)], -1);
    m_clients.erase(m_clients.begin() + row);
    endRemoveRows();
}

void ClientListModel::updateCounters(const QList<ClientCounters> &counters)
{
    for (const ClientCounters &c : counters) {
        const int row = rowOf(c.id);
        if (row < 0)
            continue;
        ClientInfo &client = m_clients[size_t(row)];
        // One change per row, over the cells that moved (side by side: Last message, Ping,
        // In, Out): the last message if a message came, the ping if a pong did, the counters.
        const bool heard = c.messagesIn != client.messagesIn;
        const bool ponged = c.pongs != client.pongs;
        const bool counted = heard || c.messagesOut != client.messagesOut;
        c.applyTo(client);
        const int first = heard ? LastMessage : ponged ? Ping : In;
        const int last = counted ? Out : Ping;
        if (first <= last)
            Q_EMIT dataChanged(index(row, first), index(row, last),
                               { Qt::DisplayRole, Qt::ToolTipRole });
    }
}

void ClientListModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    // Tool tips and "(binary, … bytes)" are words too.
    if (!m_clients.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

} // namespace wslab
