#pragma once

#include <QWidget>

#include <map>

class QPushButton;
class QStackedWidget;

namespace wslab {

class SequenceModel;
class SequenceView;

// The sequence diagram with its export buttons. One view per connection's model, so that each
// tab's diagram keeps its scroll position and selection when the window switches back to it.
class SequencePane : public QWidget
{
    Q_OBJECT

public:
    explicit SequencePane(SequenceModel *model, QWidget *parent = nullptr);
    SequenceView *view() const { return m_view; }
    // Shows `model`'s diagram (the current tab's); its view goes when the model does.
    void setModel(SequenceModel *model);

Q_SIGNALS:
    void arrowClicked(int index); // in the model shown

protected:
    void changeEvent(QEvent *event) override;

private:
    void exportAs(const QString &format);
    void retranslate();

    QStackedWidget *m_stack;
    std::map<const SequenceModel *, SequenceView *> m_views;
    SequenceView *m_view = nullptr;
    QPushButton *m_png;
    QPushButton *m_svg;
};

} // namespace wslab
