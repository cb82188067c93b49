#pragma once

#include "preferences.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace wslab {

class ProblemLine;

// Edit → Preferences…: the language, the theme, what a new tab starts with, the client's
// limits, and whether the tabs come back on start. It edits a Preferences value; the window
// applies and saves it when the dialog is accepted.
class PreferencesDialog : public QDialog
{
    Q_OBJECT

public:
    // `embeddedUrl`: what an empty default URL means, shown as the field's placeholder.
    PreferencesDialog(const Preferences &preferences, const QString &embeddedUrl,
                      QWidget *parent = nullptr);

    Preferences preferences() const;
    void setPreferences(const Preferences &preferences);
    // Empty when every field is usable; else the first problem, in words.
    QString problem() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void check();

    QString m_embeddedUrl;
    QString m_savedLanguage; // the language's value when none is picked (the system's)
    QLabel *m_languageLabel, *m_themeLabel, *m_themeNote, *m_urlLabel, *m_sizeLabel,
        *m_timeoutLabel;
    QComboBox *m_language;
    QComboBox *m_theme;
    QLineEdit *m_url;
    QCheckBox *m_viaTap;
    QSpinBox *m_maxSize;
    QDoubleSpinBox *m_timeout;
    QCheckBox *m_restoreTabs;
    ProblemLine *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace wslab
