#pragma once

#include <QWidget>

class QPushButton;

namespace wslab {

class SequenceModel;
class SequenceView;

// The sequence diagram with its export buttons.
class SequencePane : public QWidget
{
    Q_OBJECT

public:
    explicit SequencePane(SequenceModel *model, QWidget *parent = nullptr);
    SequenceView *view() const { return m_view; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void exportAs(const QString &format);
    void retranslate();

    SequenceView *m_view;
    QPushButton *m_png;
    QPushButton *m_svg;
};

} // namespace wslab
