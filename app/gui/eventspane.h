#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace wslab {

class EventFilter;
class EventLog;

// Every event from the client, the server and the wire, in one table.
class EventsPane : public QWidget
{
    Q_OBJECT

public:
    explicit EventsPane(EventLog *log, QWidget *parent = nullptr);
    // Shows another log (the current tab's); the filters stay as they are.
    void setLog(EventLog *log);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void updateDropped();

    EventLog *m_log;
    EventFilter *m_filter;
    QTableView *m_table;
    QComboBox *m_side;
    QComboBox *m_phase;
    QLineEdit *m_text;
    QPushButton *m_pause;
    QPushButton *m_clear;
    QLabel *m_dropped;
};

} // namespace wslab
