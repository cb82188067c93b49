#include "framespane.h"

#include "framelistmodel.h"
#include "hexview.h"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace wslab {

FramesPane::FramesPane(FrameListModel *model, QWidget *parent) : QWidget(parent), m_model(nullptr)
{
    setObjectName(QStringLiteral("framesPane"));
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("framesNote"));
    m_note->setWordWrap(true);
    m_note->hide();
    m_list = new QTableView(this);
    m_list->setObjectName(QStringLiteral("framesList"));
    m_list->setModel(model); // before the widths: a header without sections keeps none
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->verticalHeader()->hide();
    m_list->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    m_list->horizontalHeader()->setStretchLastSection(true);
    // Widths from the font, so that a larger one (or a HiDPI screen's) still fits.
    const auto width = [this](const char *sample) {
        return fontMetrics().horizontalAdvance(QLatin1StringView(sample)) + 16;
    };
    for (int column : { FrameListModel::Fin, FrameListModel::Mask })
        m_list->setColumnWidth(column, width("Mask"));
    m_list->setColumnWidth(FrameListModel::Time, width("00000.000"));
    m_fields = new QTreeWidget(this);
    m_fields->setObjectName(QStringLiteral("frameFields"));
    m_fields->setColumnCount(3);
    m_fields->setRootIsDecorated(false);
    m_fields->setColumnWidth(0, width("Extended payload length"));
    m_fields->setColumnWidth(1, width("0123456789abcdef0123456789abcdef"));
    m_hex = new HexView(this);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_list);
    splitter->addWidget(m_fields);
    splitter->addWidget(m_hex);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setStretchFactor(2, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_note);
    layout->addWidget(splitter);

    connect(m_fields, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (item && !m_selecting)
            selectField(m_fields->indexOfTopLevelItem(item));
    });
    connect(m_hex, &HexView::byteClicked, this,
            [this](int offset) { selectField(fieldAt(m_current, offset)); });
    setModel(model);
    retranslate();
}

void FramesPane::setModel(FrameListModel *model)
{
    if (model == m_model)
        return;
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    QItemSelectionModel *old = m_list->selectionModel();
    m_list->setModel(model); // a new selection model; the columns keep their widths
    if (m_list->selectionModel() != old)
        delete old;
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showFrame(current.row()); });
    connect(model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (!m_list->currentIndex().isValid())
            m_list->scrollToBottom();
    });
    showFrame(-1);
    m_list->scrollToBottom();
}

void FramesPane::showFrame(int row)
{
    m_fields->clear();
    m_current.clear();
    if (row < 0 || row >= m_model->rowCount()) {
        m_hex->setBytes({});
        return;
    }
    const Frame &frame = m_model->frameEvent(row).frame;
    m_current = frameFields(frame);
    for (const FrameField &field : std::as_const(m_current)) {
        auto *item = new QTreeWidgetItem(
            m_fields,
            { field.name, field.value,
              field.length ? tr("%1–%2").arg(field.offset).arg(field.offset + field.length - 1)
                           : tr("—") });
        item->setToolTip(1, field.value);
    }
    m_hex->setBytes(frameBytes(frame));
}

void FramesPane::selectField(int index)
{
    if (index < 0 || index >= m_current.size())
        return;
    m_selecting = true;
    m_fields->setCurrentItem(m_fields->topLevelItem(index));
    m_selecting = false;
    m_hex->highlight(m_current[index].offset, m_current[index].length);
}

void FramesPane::showNotVisible(const QString &why)
{
    m_note->setText(why);
    m_note->setVisible(!why.isEmpty());
}

void FramesPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void FramesPane::retranslate()
{
    m_fields->setHeaderLabels({ tr("Field"), tr("Value"), tr("Bytes") });
    m_list->setAccessibleName(tr("Frames"));
    m_fields->setAccessibleName(tr("Fields of the selected frame"));
    m_hex->setAccessibleName(tr("Bytes of the selected frame"));
    showFrame(m_list->currentIndex().row());
}

} // namespace wslab
