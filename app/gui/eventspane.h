#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace wslab {

class EventFilter;
class EventLog;
class ProblemLine;

// Every event from the client, the server and the wire, in one table.
class EventsPane : public QWidget
{
    Q_OBJECT

public:
    explicit EventsPane(EventLog *log, QWidget *parent = nullptr);
    // Shows another log (the current tab's); the filters stay as they are.
    void setLog(EventLog *log);
    EventFilter *filter() const { return m_filter; }
    // The log row of the current event, or -1.
    int currentEvent() const;

public Q_SLOTS:
    // Selects the log's `row`, clearing the filter when it hides that row.
    void selectEvent(int row);
    // Reviewing an imported record: says so above the table (empty: live again).
    void setReviewNote(const QString &note);

Q_SIGNALS:
    // The user asked for the frame of the event at the log's `row` (Show frame, Ctrl+J).
    void showFrameWanted(int row);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void updateDropped();
    void clearFilter();

    EventLog *m_log;
    EventFilter *m_filter;
    QTableView *m_table;
    QComboBox *m_side;
    QComboBox *m_phase;
    QComboBox *m_direction;
    QLineEdit *m_text;
    QCheckBox *m_regex;
    ProblemLine *m_problem;
    QLabel *m_review;
    QAction *m_showFrame;
    QPushButton *m_pause;
    QPushButton *m_clear;
    QLabel *m_dropped;
};

} // namespace wslab
