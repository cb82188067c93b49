#include "sequencepane.h"

#include "sequencemodel.h"
#include "sequenceview.h"

#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace wslab {

SequencePane::SequencePane(SequenceModel *model, QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("sequencePane"));
    m_stack = new QStackedWidget(this);
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
    layout->addWidget(m_stack, 1);
    layout->addLayout(buttons);
    connect(m_png, &QPushButton::clicked, this, [this] { exportAs(QStringLiteral("png")); });
    connect(m_svg, &QPushButton::clicked, this, [this] { exportAs(QStringLiteral("svg")); });
    setModel(model);
    retranslate();
}

void SequencePane::setModel(SequenceModel *model)
{
    auto found = m_views.find(model);
    if (found == m_views.end()) {
        auto *view = new SequenceView(model, m_stack);
        m_stack->addWidget(view);
        connect(view, &SequenceView::arrowClicked, this, &SequencePane::arrowClicked);
        connect(model, &QObject::destroyed, view, [this, model, view] {
            m_views.erase(model);
            if (m_view == view)
                m_view = nullptr;
            m_stack->removeWidget(view); // never painted again: its model is gone
            view->hide();
            view->deleteLater();
        });
        found = m_views.emplace(model, view).first;
    }
    m_view = found->second;
    m_stack->setCurrentWidget(m_view);
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
