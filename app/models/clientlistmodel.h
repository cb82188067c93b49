#pragma once

#include "serverhost.h"

#include <QAbstractTableModel>

#include <vector>

namespace wslab {

// The embedded server's open WebSockets, one row each, oldest first. Rows are inserted and
// removed as clients come and go; a counter that changed updates its own cells (dataChanged),
// so 5,000 clients under a flood cost the window only the rows that moved.
class ClientListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Client, Peer, Path, Since, In, Out, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1 };

    explicit ClientListModel(ServerHost *host, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    quint64 idAt(int row) const;
    int rowOf(quint64 id) const; // -1 when not listed

public Q_SLOTS:
    void retranslate();

private:
    void add(const wslab::ClientInfo &client);
    void remove(quint64 id);
    void updateCounters(const QList<wslab::ClientCounters> &counters);

    std::vector<ClientInfo> m_clients; // ids ascend: found by binary search
};

} // namespace wslab
