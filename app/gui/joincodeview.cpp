#include "joincodeview.h"

#include "joinlink.h"
#include "joinpanel.h"
#include "qrcodewidget.h"
#include "serverhost.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QScreen>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace wslab {

JoinCodeView *JoinCodeView::showFor(JoinLink *link, QWidget *window)
{
    auto *view = window->findChild<JoinCodeView *>(QString(), Qt::FindDirectChildrenOnly);
    if (!view)
        view = new JoinCodeView(link, window);
    link->refresh(); // the Wi-Fi may have changed since the teacher last looked
    if (QScreen *screen = window->screen()) {
        view->setScreen(screen);
        // The whole screen even where no window manager makes a window full screen (Xvfb).
        view->setGeometry(screen->geometry());
    }
    view->showFullScreen();
    view->raise();
    view->activateWindow();
    return view;
}

JoinCodeView::JoinCodeView(JoinLink *link, QWidget *parent)
    : QWidget(parent, Qt::Window), m_link(link)
{
    setObjectName(QStringLiteral("joinCodeView"));
    // Black on white whatever the theme: what a phone's camera reads best, and a projector shows.
    QPalette palette = this->palette();
    palette.setColor(QPalette::Window, Qt::white);
    palette.setColor(QPalette::WindowText, Qt::black);
    setPalette(palette);
    setAutoFillBackground(true);

    m_pages = new QStackedWidget(this);
    auto *onLan = new QWidget(m_pages);
    m_code = new QrCodeWidget(onLan);
    m_code->setObjectName(QStringLiteral("joinViewQrCode"));
    m_url = new QLabel(onLan);
    m_url->setObjectName(QStringLiteral("joinViewUrl"));
    m_url->setAlignment(Qt::AlignCenter);
    m_url->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_instructions = new QLabel(onLan);
    m_instructions->setObjectName(QStringLiteral("joinViewInstructions"));
    m_instructions->setAlignment(Qt::AlignCenter);
    m_instructions->setWordWrap(true);
    // Every pixel of height the text does not need goes to the code.
    m_url->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    m_instructions->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    auto *onLanLayout = new QVBoxLayout(onLan);
    onLanLayout->setContentsMargins(0, 0, 0, 0);
    onLanLayout->addWidget(m_code, 1);
    onLanLayout->addWidget(m_url);
    onLanLayout->addWidget(m_instructions);

    auto *offLanPage = new QWidget(m_pages);
    m_offLan = new QLabel(offLanPage);
    m_offLan->setObjectName(QStringLiteral("joinViewOffLan"));
    m_offLan->setAlignment(Qt::AlignCenter);
    m_offLan->setWordWrap(true);
    m_openLan = new QPushButton(offLanPage);
    m_openLan->setObjectName(QStringLiteral("joinViewLanButton"));
    m_problem = new QLabel(offLanPage);
    m_problem->setObjectName(QStringLiteral("joinViewProblem"));
    m_problem->setAlignment(Qt::AlignCenter);
    m_problem->setWordWrap(true);
    m_problem->hide();
    auto *offLanLayout = new QVBoxLayout(offLanPage);
    offLanLayout->addStretch(1);
    offLanLayout->addWidget(m_offLan);
    offLanLayout->addWidget(m_openLan, 0, Qt::AlignCenter);
    offLanLayout->addWidget(m_problem);
    offLanLayout->addStretch(1);
    m_pages->addWidget(onLan);
    m_pages->addWidget(offLanPage);

    m_close = new QPushButton(this);
    m_close->setObjectName(QStringLiteral("joinViewClose"));
    m_close->setFlat(true);
    auto *closeRow = new QHBoxLayout;
    closeRow->addStretch(1);
    closeRow->addWidget(m_close);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(closeRow);
    layout->addWidget(m_pages, 1);

    connect(m_close, &QPushButton::clicked, this, &QWidget::close);
    connect(m_openLan, &QPushButton::clicked, this, [this] {
        JoinPanel::askToOpenLan(m_link->host(), this, [this](const QString &problem) {
            m_problem->setText(problem);
            m_problem->setVisible(!problem.isEmpty());
        });
    });
    connect(m_link, &JoinLink::changed, this, &JoinCodeView::updateWidgets);
    retranslate();
}

void JoinCodeView::updateWidgets()
{
    const QUrl url = m_link->url();
    m_pages->setCurrentIndex(url.isEmpty() ? 1 : 0);
    m_url->setText(url.toString());
    m_code->setText(url.toString());
    if (!m_link->isOnLan())
        m_offLan->setText(tr("The server is reachable from this machine only, so the class "
                             "cannot join yet."));
    else
        m_offLan->setText(tr("The server is on the LAN, but this machine has no LAN address "
                             "now: check the Wi-Fi or the cable."));
    m_openLan->setVisible(!m_link->isOnLan());
    if (m_link->isOnLan())
        m_problem->hide();
}

void JoinCodeView::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        close();
        return;
    }
    QWidget::keyPressEvent(event);
}

void JoinCodeView::resizeEvent(QResizeEvent *event)
{
    // Letters readable from the back of the room: sized from the screen, not the desktop font.
    const int h = height();
    QFont big = font();
    big.setPixelSize(std::max(16, h / 18));
    big.setBold(true);
    m_url->setFont(big);
    QFont normal = font();
    normal.setPixelSize(std::max(12, h / 32));
    m_instructions->setFont(normal);
    m_offLan->setFont(normal);
    m_problem->setFont(normal);
    m_openLan->setFont(normal);
    QWidget::resizeEvent(event);
    // The layout ran before this event, with the old fonts: again now, not at the next event.
    layout()->activate();
}

void JoinCodeView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void JoinCodeView::retranslate()
{
    setWindowTitle(tr("Join code"));
    m_instructions->setText(tr("Scan with your phone's camera, or type the address"));
    m_openLan->setText(tr("Open the server to the LAN…"));
    m_close->setText(tr("Close (Esc)"));
    updateWidgets();
}

} // namespace wslab
