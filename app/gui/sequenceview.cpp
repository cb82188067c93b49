#include "sequenceview.h"

#include "palettecolours.h"
#include "phasecolour.h"
#include "sequencemodel.h"

#include <QEvent>
#include <QImage>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QSvgGenerator>
#include <QtMath>

namespace wslab {

namespace {
QString bandLabel(Phase phase)
{
    // Bilingual on purpose: the lesson's own words for the two halves.
    switch (phase) {
    case Phase::Tcp:
        return QStringLiteral("TCP");
    case Phase::Http:
        return QStringLiteral("HTTP (握手)");
    case Phase::WebSocket:
        return QStringLiteral("TCP frames (通信)");
    }
    return {};
}
} // namespace

SequenceView::SequenceView(SequenceModel *model, QWidget *parent)
    : QAbstractScrollArea(parent), m_model(model)
{
    setObjectName(QStringLiteral("sequenceView"));
    viewport()->setBackgroundRole(QPalette::Base);
    connect(model, &SequenceModel::arrowsAdded, this, [this] {
        QScrollBar *bar = verticalScrollBar();
        const bool follow = bar->value() >= bar->maximum() - rowHeight();
        updateScrollBars();
        if (follow)
            bar->setValue(bar->maximum());
        viewport()->update();
    });
    connect(model, &SequenceModel::cleared, this, [this] {
        m_selected = -1;
        updateScrollBars();
        viewport()->update();
    });
    updateScrollBars();
}

int SequenceView::rowHeight() const
{
    return fontMetrics().height() * 2 + 4;
}

int SequenceView::headerHeight() const
{
    return fontMetrics().height() * 2 + 6;
}

SequenceView::Colours SequenceView::colours() const
{
    const QPalette &p = palette();
    Colours c;
    for (Phase phase : { Phase::Tcp, Phase::Http, Phase::WebSocket })
        c.band[int(phase)] = phaseColour(phase, p);
    c.selected = band(p, markHue());
    c.text = p.color(QPalette::Text);
    QList<QColor> grounds(std::begin(c.band), std::end(c.band));
    grounds.append(c.selected);
    c.time = withContrast(mix(c.text, p.color(QPalette::Base), 0.35), grounds, contrast::text);
    c.toServer = withContrast(sentHue(), grounds, contrast::graphics);
    c.toClient = withContrast(receivedHue(), grounds, contrast::graphics);
    c.error = withContrast(errorTextColour(p), grounds, contrast::graphics);
    c.lifeline
        = withContrast(mix(c.text, p.color(QPalette::Base), 0.3), grounds, contrast::graphics);
    c.header = p.color(QPalette::AlternateBase);
    c.headerText = withContrast(c.text, { c.header }, contrast::text);
    return c;
}

void SequenceView::updateScrollBars()
{
    const int content = headerHeight() + m_model->count() * rowHeight();
    verticalScrollBar()->setRange(0, qMax(0, content - viewport()->height()));
    verticalScrollBar()->setPageStep(viewport()->height());
    verticalScrollBar()->setSingleStep(rowHeight());
}

void SequenceView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void SequenceView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange || event->type() == QEvent::PaletteChange)
        viewport()->update();
    if (event->type() == QEvent::FontChange)
        updateScrollBars();
    QAbstractScrollArea::changeEvent(event);
}

std::pair<int, int> SequenceView::visibleRows() const
{
    const int top = verticalScrollBar()->value();
    const int first = qMax(0, (top - headerHeight()) / rowHeight());
    const int last
        = qMin(m_model->count() - 1, (top + viewport()->height() - headerHeight()) / rowHeight());
    return { first, last };
}

int SequenceView::arrowAt(QPoint pos) const
{
    const int y = pos.y() + verticalScrollBar()->value() - headerHeight();
    if (y < 0)
        return -1;
    const int row = y / rowHeight();
    return row < m_model->count() ? row : -1;
}

void SequenceView::selectArrow(int index)
{
    m_selected = index;
    if (index >= 0) {
        const int y = headerHeight() + index * rowHeight();
        QScrollBar *bar = verticalScrollBar();
        if (y < bar->value() + headerHeight()
            || y + rowHeight() > bar->value() + viewport()->height())
            bar->setValue(y - viewport()->height() / 2);
    }
    viewport()->update();
}

void SequenceView::mousePressEvent(QMouseEvent *event)
{
    const int index = arrowAt(event->position().toPoint());
    if (index >= 0) {
        selectArrow(index);
        Q_EMIT arrowClicked(index);
    }
    QAbstractScrollArea::mousePressEvent(event);
}

void SequenceView::paintEvent(QPaintEvent *)
{
    QPainter painter(viewport());
    const auto [first, last] = visibleRows();
    render(painter, viewport()->width(), first, last, verticalScrollBar()->value());
}

void SequenceView::render(QPainter &painter, int width, int firstRow, int lastRow,
                          int yOffset) const
{
    painter.setRenderHint(QPainter::Antialiasing);
    const Colours colour = colours();
    const int rowHeight = this->rowHeight();
    const int headerHeight = this->headerHeight();
    // Room at the left for the band label ("TCP frames (通信)") or the time.
    const int labelWidth
        = painter.fontMetrics().horizontalAdvance(QStringLiteral("TCP frames (通信)")) + 16;
    const int leftX = qMax(labelWidth + 24, width * 28 / 100);
    // With other clients present, a third lifeline at the right; the server moves to the middle.
    const bool others = m_model->hasOthers();
    // Far enough from the edge for its name (bold, centred on it) in the font drawn with.
    QFont boldName = painter.font();
    boldName.setBold(true);
    const int othersNameHalf
        = QFontMetrics(boldName, painter.device()).horizontalAdvance(tr("Other clients")) / 2 + 4;
    const int othersX = width - qMax(qMax(36, width * 8 / 100), others ? othersNameHalf + 4 : 0);
    const int rightX = others ? (leftX + othersX) / 2 : othersX;
    // Lines and arrowheads as heavy as the text is large (presentation mode's larger font): the
    // room sees the arrows, not only their labels.
    const qreal ink = qMax(1.0, painter.fontMetrics().height() / 18.0);
    m_paintedRows = 0;
    // Bands, arrows and labels of the visible rows only.
    for (int row = firstRow; row <= lastRow && row < m_model->count(); ++row) {
        const SequenceArrow &arrow = m_model->arrow(row);
        const int top = headerHeight + row * rowHeight - yOffset;
        const QRect band(0, top, width, rowHeight);
        painter.fillRect(band, row == m_selected ? colour.selected : colour.band[int(arrow.phase)]);
        const bool bandStarts = row == 0 || m_model->arrow(row - 1).phase != arrow.phase;
        if (bandStarts) {
            QFont bold = painter.font();
            bold.setBold(true);
            painter.save();
            painter.setFont(bold);
            painter.setPen(colour.text);
            painter.drawText(QRect(6, top, leftX - 12, rowHeight), Qt::AlignLeft | Qt::AlignVCenter,
                             bandLabel(arrow.phase));
            painter.restore();
            painter.setPen(QPen(colour.lifeline, 1, Qt::DashLine));
            painter.drawLine(0, top, width, top);
        } else {
            painter.setPen(colour.time);
            painter.drawText(QRect(6, top, leftX - 12, rowHeight), Qt::AlignLeft | Qt::AlignVCenter,
                             QStringLiteral("+%1 s").arg(
                                 (arrow.timeNs - m_model->arrow(0).timeNs) / 1e9, 0, 'f', 3));
        }
        // The arrow, between the lifelines.
        const bool toServer = arrow.direction == Direction::ClientToServer;
        const int y = top + rowHeight * 2 / 3;
        const int clientX = arrow.other ? othersX : leftX; // where this arrow's client lives
        const int from = toServer ? clientX : rightX;
        const int to = toServer ? rightX : clientX;
        const int dir = to > from ? -1 : 1;
        const bool tcp = arrow.kind == SequenceArrow::Kind::TcpConnect
            || arrow.kind == SequenceArrow::Kind::TcpClose;
        const QColor arrowInk = arrow.kind == SequenceArrow::Kind::ProtocolError ? colour.error
            : toServer                                                           ? colour.toServer
                                                                                 : colour.toClient;
        painter.setPen(QPen(arrowInk, 1.6 * ink, tcp ? Qt::DashLine : Qt::SolidLine));
        painter.drawLine(from, y, to, y);
        QPainterPath head;
        head.moveTo(to, y);
        head.lineTo(to + dir * 9 * ink, y - 4 * ink);
        head.lineTo(to + dir * 9 * ink, y + 4 * ink);
        head.closeSubpath();
        painter.fillPath(head, arrowInk);
        painter.setPen(colour.text);
        painter.drawText(QRect(leftX + 8, top, rightX - leftX - 16, y - top - 1),
                         Qt::AlignHCenter | Qt::AlignBottom,
                         painter.fontMetrics().elidedText(arrow.label.toString(), Qt::ElideRight,
                                                          rightX - leftX - 16));
        ++m_paintedRows;
    }
    // Lifelines and their names, on top.
    painter.setPen(QPen(colour.lifeline, 2 * ink));
    painter.drawLine(leftX, headerHeight, leftX, painter.device()->height());
    painter.drawLine(rightX, headerHeight, rightX, painter.device()->height());
    if (others)
        painter.drawLine(othersX, headerHeight, othersX, painter.device()->height());
    painter.fillRect(QRect(0, 0, width, headerHeight), colour.header);
    QFont bold = painter.font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(colour.headerText);
    // Names centred on their lifelines, never wider than the gap to the next one.
    const int gap = others ? qMin(rightX - leftX, othersX - rightX) : rightX - leftX;
    const auto name = [&](int x, const QString &text, int width) {
        painter.drawText(QRect(x - width / 2, 0, width, headerHeight), Qt::AlignCenter,
                         painter.fontMetrics().elidedText(text, Qt::ElideRight, width));
    };
    // At most ten lines' height wide (a larger font, larger names), and never past the next one.
    const int widest = qMax(180, painter.fontMetrics().height() * 10);
    name(leftX, tr("Client"), qMin(widest, gap - 6));
    name(rightX, tr("Server"), qMin(widest, gap - 6));
    if (others) {
        // Up to the Server's name (not merely the gap): "Other clients" is the longest of the
        // three.
        const int server
            = qMin(qMin(widest, gap - 6), painter.fontMetrics().horizontalAdvance(tr("Server")));
        name(othersX, tr("Other clients"),
             qMin(qMin(widest, 2 * (othersX - rightX) - server - 12), 2 * (width - othersX) - 2));
    }
}

QImage SequenceView::exportImage() const
{
    // At the screen's pixel ratio, and at most 256 MB of pixels: past that the picture holds
    // the first arrows only (5,000 at 2x would take gigabytes; the SVG holds them all).
    constexpr qint64 maxBytes = 256LL * 1024 * 1024;
    const qreal ratio = devicePixelRatioF();
    const int width = qMax(this->width(), 900);
    const qint64 bytesPerRow = qint64(qCeil(width * ratio)) * 4 * qCeil(rowHeight() * ratio);
    const qint64 affordable = qMax<qint64>(
        1, (maxBytes - bytesPerRow * headerHeight() / qMax(1, rowHeight())) / bytesPerRow);
    const int rows = int(qMin<qint64>(qMin(m_model->count(), maxExportRows), affordable));
    const QSize size(width, headerHeight() + qMax(1, rows) * rowHeight());
    QImage image(size * ratio, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(ratio);
    image.fill(palette().color(QPalette::Base));
    QPainter painter(&image);
    painter.setFont(font());
    render(painter, size.width(), 0, rows - 1, 0);
    painter.end();
    return image;
}

bool SequenceView::exportPng(const QString &path) const
{
    return exportImage().save(path, "PNG");
}

bool SequenceView::exportSvg(const QString &path) const
{
    const int rows = qMin(m_model->count(), maxExportRows);
    const QSize size(qMax(width(), 900), headerHeight() + qMax(1, rows) * rowHeight());
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setTitle(tr("WebSocket sequence diagram"));
    QPainter painter;
    if (!painter.begin(&svg))
        return false;
    painter.setFont(font());
    render(painter, size.width(), 0, rows - 1, 0);
    return painter.end();
}

} // namespace wslab
