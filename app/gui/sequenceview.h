#pragma once

#include <QAbstractScrollArea>
#include <QColor>
#include <QImage>

class QPainter;

namespace wslab {

class SequenceModel;

// Client and Server lifelines; one arrow per thing that crossed the wire, in time order, drawn
// as it happens. The HTTP handshake band and the WebSocket frames band have their own colours
// and labels, so the two phases of the lesson are unmistakable. Only visible rows are painted.
class SequenceView : public QAbstractScrollArea
{
    Q_OBJECT

public:
    explicit SequenceView(SequenceModel *model, QWidget *parent = nullptr);

    // From the font: two lines per row (the label above its arrow), so a larger font or a
    // HiDPI screen's font never clips.
    int rowHeight() const;
    int headerHeight() const;
    static constexpr int maxExportRows = 5000;

    // What the diagram is drawn with, from the view's palette (light or dark alike).
    struct Colours
    {
        QColor band[3]; // by Phase
        QColor selected; // the selected arrow's band
        QColor text; // arrow labels, band labels
        QColor time; // "+0.123 s"
        QColor toServer, toClient, error; // arrow ink
        QColor lifeline, header, headerText;
    };
    Colours colours() const;

    int selectedArrow() const { return m_selected; }
    void selectArrow(int index);
    int arrowAt(QPoint viewportPos) const;
    // Rows in the viewport, for tests: the view paints no others.
    std::pair<int, int> visibleRows() const;
    int paintedRowsLastTime() const { return m_paintedRows; }

    // The whole diagram (first maxExportRows arrows, fewer past 256 MB of pixels), as a picture: at
    // the screen's device pixel ratio, so that a HiDPI screen's export is as sharp as what it
    // shows.
    QImage exportImage() const;
    bool exportPng(const QString &path) const;
    bool exportSvg(const QString &path) const;

Q_SIGNALS:
    void arrowClicked(int index);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void render(QPainter &painter, int width, int firstRow, int lastRow, int yOffset) const;
    void updateScrollBars();

    SequenceModel *m_model;
    int m_selected = -1;
    mutable int m_paintedRows = 0;
};

} // namespace wslab
