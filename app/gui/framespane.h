#pragma once

#include "framefields.h"

#include <QWidget>

class QLabel;
class QTableView;
class QTreeWidget;

namespace wslab {

class FrameListModel;
class HexView;

// Wireshark's pattern: frame list, field tree, byte view; a field selects its bytes, a byte
// selects its field.
class FramesPane : public QWidget
{
    Q_OBJECT

public:
    explicit FramesPane(FrameListModel *model, QWidget *parent = nullptr);
    // Shows another connection's frames (the current tab's); nothing is selected.
    void setModel(FrameListModel *model);
    QTableView *list() const { return m_list; }
    QTreeWidget *fields() const { return m_fields; }
    HexView *hex() const { return m_hex; }

public Q_SLOTS:
    void showFrame(int row);
    void selectField(int index);
    void showNotVisible(const QString &why);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    FrameListModel *m_model;
    QLabel *m_note;
    QTableView *m_list;
    QTreeWidget *m_fields;
    HexView *m_hex;
    QList<FrameField> m_current;
    bool m_selecting = false;
};

} // namespace wslab
