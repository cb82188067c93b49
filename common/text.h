#pragma once

// A sentence kept as what it says rather than as the words of the moment: the English source
// (marked for lupdate), its translation context, and its arguments. It is translated when it
// is shown (toString()), so text stored before a language switch reads in the new language,
// and it keeps its English form (english()) for what must stay English: HTTP bodies, close
// reasons, the console log. QtCore only.

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <memory>
#include <type_traits>
#include <vector>

namespace wslab {

class Text
{
public:
    Text() = default;
    // `context` and `source` are string literals (they are kept, not copied), `source` marked
    // where it is written: QT_TRANSLATE_NOOP(context, source), or QT_TRANSLATE_N_NOOP with
    // `n` for "%n" plurals. A null `context`: the source is a pattern that is never translated
    // ("%1, %2").
    Text(const char *context, const char *source, int n = -1)
        : m_context(context), m_source(source), m_n(n)
    {
    }
    // In the context of a class with Q_OBJECT (its tr() context), for sources marked
    // QT_TR_NOOP / QT_TR_N_NOOP inside that class's member functions.
    template<typename T> static Text of(const char *source, int n = -1)
    {
        return Text(T::staticMetaObject.className(), source, n);
    }
    // Text that is never translated: user data, Qt's own messages, a peer's words.
    static Text verbatim(const QString &text);
    static Text untranslated(const char *pattern) { return Text(nullptr, pattern); }

    // %1, %2, … in order, replaced in one pass when shown (an argument that contains "%2" is
    // not looked into). A plain string is shown as it is; a nested Text is translated too.
    Text &arg(const QString &value) &;
    Text &arg(const Text &value) &;
    template<typename N,
             std::enable_if_t<std::is_arithmetic_v<N> && !std::is_same_v<N, bool>, bool> = true>
    Text &arg(N value) &
    {
        return arg(QString::number(value));
    }
    Text &arg(double value, char format, int precision) &
    {
        return arg(QString::number(value, format, precision));
    }
    template<typename V> Text &&arg(V &&value) && { return std::move(arg(std::forward<V>(value))); }
    Text &&arg(double value, char format, int precision) &&
    {
        return std::move(arg(value, format, precision));
    }

    // In the application's language now (QCoreApplication::translate), arguments applied.
    QString toString() const;
    // The English source with its arguments (nested texts in English too).
    QString english() const;

    bool isEmpty() const { return m_source == nullptr; }
    const char *context() const { return m_context; }
    const char *source() const { return m_source; }
    qsizetype argumentCount() const { return m_args.size(); }

private:
    QString render(bool translated) const;

    const char *m_context = nullptr;
    const char *m_source = nullptr; // null: an empty text
    int m_n = -1;
    QStringList m_args; // a nested argument leaves a null string in its place
    // Nested arguments by position (empty Texts, or none past the end, where the argument is
    // plain), shared between copies and only there when an argument is nested: copying an
    // event costs no allocation.
    std::shared_ptr<const std::vector<Text>> m_nested;
};

} // namespace wslab

Q_DECLARE_METATYPE(wslab::Text)
