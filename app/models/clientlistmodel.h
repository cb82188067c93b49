#pragma once

#include "serverhost.h"

#include <QAbstractTableModel>
#include <QHash>

#include <vector>

namespace wslab {

// The embedded server's open WebSockets, one row each, oldest first: who (name and device),
// from where, on which route, and what each last sent. Rows are inserted and removed as clients
// come and go; a client whose counters, last message or ping changed updates its own cells
// (one dataChanged for its row), so 5,000 clients under a flood cost the window only the rows
// that moved.
class ClientListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    // Who, then what they did (the cells that change, side by side), then from where.
    enum Column {
        Client,
        Name,
        Device,
        Path,
        LastMessage,
        Ping,
        In,
        Out,
        Since,
        Peer,
        ColumnCount
    };
    enum Role { IdRole = Qt::UserRole + 1 };

    explicit ClientListModel(ServerHost *host, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    quint64 idAt(int row) const;
    int rowOf(quint64 id) const; // -1 when not listed
    const ClientInfo *clientAt(int row) const; // null when out of range
    // The students in the chat: the names on /chat, each once (a phone may have two tabs).
    int studentCount() const { return int(m_names.size()); }

    // A message as one line of the list: line breaks and control characters as spaces, "…"
    // when `length` says there was more than `preview`.
    static QString oneLine(const QString &preview, qsizetype length);

public Q_SLOTS:
    void retranslate();

private:
    void add(const wslab::ClientInfo &client);
    void remove(quint64 id);
    void updateCounters(const QList<wslab::ClientCounters> &counters);
    QVariant toolTip(const ClientInfo &c, int column) const;
    void countName(const ClientInfo &client, int change);

    std::vector<ClientInfo> m_clients; // ids ascend: found by binary search
    QHash<QString, int> m_names; // /chat name → rows with it
};

} // namespace wslab
