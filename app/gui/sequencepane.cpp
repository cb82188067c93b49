#include "sequencepane.h"

#include "sequencemodel.h"
#include "sequenceview.h"

#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace wslab {

SequencePane::SequencePane(SequenceModel *model, QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("sequencePane"));
    m_view = new SequenceView(model, this);
    m_png = new QPushButton(this);
    m_png->setObjectName(QStringLiteral("exportPngButton"));
    m_svg = new QPushButton(this);
    m_svg->setObjectName(QStringLiteral("exportSvgButton"));
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_png);
    buttons->addWidget(m_svg);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    connect(m_png, &QPushButton::clicked, this, [this] { exportAs(QStringLiteral("png")); });
    connect(m_svg, &QPushButton::clicked, this, [this] { exportAs(QStringLiteral("svg")); });
    retranslate();
}

void SequencePane::exportAs(const QString &format)
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export the sequence diagram"), QStringLiteral("websocket-sequence.") + format,
        format == u"png" ? tr("PNG image (*.png)") : tr("SVG drawing (*.svg)"));
    if (path.isEmpty())
        return;
    const bool ok = format == u"png" ? m_view->exportPng(path) : m_view->exportSvg(path);
    if (!ok)
        QMessageBox::warning(this, tr("Export failed"), tr("Could not write %1.").arg(path));
}

void SequencePane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void SequencePane::retranslate()
{
    m_png->setText(tr("Export PNG…"));
    m_svg->setText(tr("Export SVG…"));
}

} // namespace wslab
