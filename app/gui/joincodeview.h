#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QStackedWidget;

namespace wslab {

class JoinLink;
class QrCodeWidget;

// "Show join code": the join URL's QR code filling most of the screen's height, the URL in big
// letters and what to do with them, for a projector at the front of a classroom. Black on white
// in every theme. Esc closes it. Off the LAN it says so and offers to open the server to it
// (with the same warning as the server pane's switch).
class JoinCodeView : public QWidget
{
    Q_OBJECT

public:
    // The view of `window` (made on first use, a window of its own), full screen on the screen
    // `window` is on.
    static JoinCodeView *showFor(JoinLink *link, QWidget *window);

    JoinCodeView(JoinLink *link, QWidget *parent);

protected:
    void changeEvent(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateWidgets();
    void retranslate();

    JoinLink *m_link;
    QStackedWidget *m_pages;
    QrCodeWidget *m_code;
    QLabel *m_url;
    QLabel *m_instructions;
    QLabel *m_offLan;
    QPushButton *m_openLan;
    QLabel *m_problem;
    QPushButton *m_close;
};

} // namespace wslab
