#include "framespane.h"

#include "framefilter.h"
#include "framelistmodel.h"
#include "hexview.h"
#include "problemline.h"

#include <QAction>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSplitter>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace wslab {

namespace {
// The opcode filter's choices after "all", in the order shown.
constexpr quint8 opcodeChoices[]
    = { Frame::Text, Frame::Binary, Frame::Close, Frame::Ping, Frame::Pong, Frame::Continuation };
} // namespace

FramesPane::FramesPane(FrameListModel *model, QWidget *parent) : QWidget(parent), m_model(model)
{
    setObjectName(QStringLiteral("framesPane"));
    m_filter = new FrameFilter(this);
    m_filter->setSourceModel(model);
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("framesNote"));
    m_note->setWordWrap(true);
    m_note->hide();
    m_review = new QLabel(this);
    m_review->setObjectName(QStringLiteral("framesReviewNote"));
    m_review->hide();
    m_direction = new QComboBox(this);
    m_direction->setObjectName(QStringLiteral("frameDirectionFilter"));
    m_direction->addItems({ QString(), QString(), QString() });
    m_opcode = new QComboBox(this);
    m_opcode->setObjectName(QStringLiteral("frameOpcodeFilter"));
    m_opcode->addItem(QString());
    for (quint8 opcode : opcodeChoices)
        m_opcode->addItem(QString(), opcode);
    // Combos as wide as their longest choice: a narrow pane squeezes the text box, not them.
    for (QComboBox *combo : { m_direction, m_opcode })
        combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_text = new QLineEdit(this);
    m_text->setObjectName(QStringLiteral("frameTextFilter"));
    m_text->setMinimumWidth(fontMetrics().horizontalAdvance(QLatin1Char('x')) * 12);
    m_text->setClearButtonEnabled(true);
    m_regex = new QCheckBox(this);
    m_regex->setObjectName(QStringLiteral("frameRegexFilter"));
    m_problem = new ProblemLine(QStringLiteral("frameFilterProblemText"), this);
    m_problem->setObjectName(QStringLiteral("frameFilterProblem"));
    m_problem->setBuddy(m_text);

    m_list = new QTableView(this);
    m_list->setObjectName(QStringLiteral("framesList"));
    m_list->setModel(m_filter);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
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

    // The row's menu; its shortcuts work wherever the focus is in the pane.
    m_menu = new QMenu(this);
    const auto action = [this](const char *name, QKeySequence keys, auto slot) {
        QAction *a = m_menu->addAction(QString(), this, slot);
        a->setObjectName(QLatin1StringView(name));
        a->setShortcut(keys);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
        return a;
    };
    m_copyHex = action("copyHex", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X),
                       [this] { copyPayload(PayloadFormat::Hex); });
    m_copyBase64 = action("copyBase64", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B),
                          [this] { copyPayload(PayloadFormat::Base64); });
    m_copyC = action("copyCArray", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A),
                     [this] { copyPayload(PayloadFormat::CArray); });
    m_copyText = action("copyText", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T),
                        [this] { copyPayload(PayloadFormat::Text); });
    m_menu->addSeparator();
    m_showEvent = action("showEvent", QKeySequence(Qt::CTRL | Qt::Key_J), [this] {
        if (currentFrame() >= 0)
            Q_EMIT showEventWanted(currentFrame());
    });
    m_find = new QAction(this);
    m_find->setShortcut(QKeySequence::Find);
    m_find->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_find, &QAction::triggered, m_text,
            [this] { m_text->setFocus(Qt::ShortcutFocusReason); });
    addAction(m_find);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_direction);
    bar->addWidget(m_opcode);
    bar->addWidget(m_text, 1);
    bar->addWidget(m_regex);
    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addLayout(bar);
    topLayout->addWidget(m_problem);
    topLayout->addWidget(m_list, 1);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(m_fields);
    splitter->addWidget(m_hex);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setStretchFactor(2, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_note);
    layout->addWidget(m_review);
    layout->addWidget(splitter);

    connect(m_direction, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_filter->setDirection(i == 0 ? std::nullopt : std::optional(Direction(i - 1)));
    });
    connect(m_opcode, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_filter->setOpcode(i == 0 ? std::nullopt
                                   : std::optional(quint8(m_opcode->itemData(i).toUInt())));
    });
    connect(m_text, &QLineEdit::textChanged, m_filter, &FrameFilter::setText);
    connect(m_regex, &QCheckBox::toggled, m_filter, &FrameFilter::setRegex);
    connect(m_filter, &FrameFilter::patternErrorChanged, this,
            [this](const QString &error) { m_problem->showMessage(error, true); });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { showFrame(currentFrame()); });
    connect(m_list, &QWidget::customContextMenuRequested, this, &FramesPane::showMenu);
    connect(m_fields, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (item && !m_selecting)
            selectField(m_fields->indexOfTopLevelItem(item));
    });
    connect(m_hex, &HexView::byteClicked, this,
            [this](int offset) { selectField(fieldAt(m_current, offset)); });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (!m_list->currentIndex().isValid())
            m_list->scrollToBottom();
    });
    retranslate();
}

void FramesPane::setModel(FrameListModel *model)
{
    if (model == m_model)
        return;
    m_model = model;
    m_filter->setSourceModel(model); // the filters stay; the columns keep their widths
    showFrame(-1);
    m_list->scrollToBottom();
}

int FramesPane::currentFrame() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? m_filter->mapToSource(current).row() : -1;
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

void FramesPane::selectFrame(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    QModelIndex index = m_filter->mapFromSource(m_model->index(row, 0));
    if (!index.isValid()) { // hidden by the filter: show everything, then the frame
        clearFilter();
        index = m_filter->mapFromSource(m_model->index(row, 0));
    }
    m_list->setCurrentIndex(index);
    m_list->scrollTo(index);
}

void FramesPane::clearFilter()
{
    m_direction->setCurrentIndex(0);
    m_opcode->setCurrentIndex(0);
    m_text->clear();
}

bool FramesPane::copyPayload(PayloadFormat format)
{
    const int row = currentFrame();
    if (row < 0)
        return false;
    const Frame &frame = m_model->frameEvent(row).frame;
    QGuiApplication::clipboard()->setText(formatPayload(frame.payload, format));
    // What was copied is what the tap kept: say so when that is not the whole payload.
    m_problem->showMessage(
        frame.payloadTruncated || quint64(frame.payload.size()) < frame.payloadLength
            ? tr("Copied the first %1 of %2 payload bytes: the rest was not kept.")
                  .arg(frame.payload.size())
                  .arg(frame.payloadLength)
            : tr("Copied %n payload byte(s).", nullptr, int(frame.payload.size())),
        false);
    return true;
}

void FramesPane::showMenu(const QPoint &at)
{
    if (currentFrame() < 0)
        return;
    m_menu->popup(m_list->viewport()->mapToGlobal(at));
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

void FramesPane::setReviewNote(const QString &note)
{
    m_review->setText(note);
    m_review->setVisible(!note.isEmpty());
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
    m_direction->setItemText(0, tr("Both directions"));
    m_direction->setItemText(1, tr("→ to server"));
    m_direction->setItemText(2, tr("← to client"));
    m_direction->setAccessibleName(tr("Filter frames by direction"));
    m_opcode->setItemText(0, tr("All opcodes"));
    for (int i = 1; i < m_opcode->count(); ++i)
        m_opcode->setItemText(i, opcodeName(quint8(m_opcode->itemData(i).toUInt())));
    m_opcode->setAccessibleName(tr("Filter frames by opcode"));
    m_text->setPlaceholderText(tr("Filter by payload (Ctrl+F)"));
    m_text->setAccessibleName(tr("Filter frames by payload"));
    m_regex->setText(tr("Regex"));
    m_regex->setToolTip(tr("Match the payload with a regular expression (case-insensitive)"));
    m_copyHex->setText(tr("Copy payload as &hex"));
    m_copyBase64->setText(tr("Copy payload as &base64"));
    m_copyC->setText(tr("Copy payload as &C array"));
    m_copyText->setText(tr("Copy payload as &text"));
    m_showEvent->setText(tr("Show &event"));
    showFrame(currentFrame());
}

} // namespace wslab
