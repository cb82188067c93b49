#pragma once

#include "framefields.h"
#include "payloadformat.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QTableView;
class QTreeWidget;

namespace wslab {

class FrameFilter;
class FrameListModel;
class HexView;
class ProblemLine;

// Wireshark's pattern: frame list, field tree, byte view; a field selects its bytes, a byte
// selects its field. Above the list, a filter by direction, opcode and text or regex; on a
// row, a menu to copy the payload (hex, base64, C array, text) and to show its event.
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
    FrameFilter *filter() const { return m_filter; }
    // The model row of the current frame, or -1.
    int currentFrame() const;
    // Copies the current frame's payload to the clipboard; false when no frame is selected.
    bool copyPayload(PayloadFormat format);

public Q_SLOTS:
    // `row` is the model's (FrameListModel) row.
    void showFrame(int row);
    // Selects the model's `row` in the list, clearing the filter when it hides that row.
    void selectFrame(int row);
    void selectField(int index);
    void showNotVisible(const QString &why);
    // Reviewing an imported record: says so above the list (empty: live again).
    void setReviewNote(const QString &note);

Q_SIGNALS:
    // The user asked for the event of the frame at the model's `row` (Show event, Ctrl+J).
    void showEventWanted(int row);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void clearFilter();
    void showMenu(const QPoint &at);

    FrameListModel *m_model;
    FrameFilter *m_filter;
    QLabel *m_note;
    QLabel *m_review;
    QComboBox *m_direction;
    QComboBox *m_opcode;
    QLineEdit *m_text;
    QCheckBox *m_regex;
    ProblemLine *m_problem;
    QTableView *m_list;
    QTreeWidget *m_fields;
    HexView *m_hex;
    QMenu *m_menu;
    QAction *m_copyHex, *m_copyBase64, *m_copyC, *m_copyText, *m_showEvent, *m_find;
    QList<FrameField> m_current;
    bool m_selecting = false;
};

} // namespace wslab
