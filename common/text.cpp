#include "text.h"

#include <QCoreApplication>

namespace wslab {

namespace {
// The pattern of verbatim text: one argument, shown as it is.
constexpr char verbatimPattern[] = "%1";
} // namespace

Text Text::verbatim(const QString &text)
{
    return Text(nullptr, verbatimPattern).arg(text);
}

Text &Text::arg(const QString &value) &
{
    m_args.append(value); // past the end of m_nested: a plain argument
    return *this;
}

Text &Text::arg(const Text &value) &
{
    auto nested = m_nested ? std::make_shared<std::vector<Text>>(*m_nested)
                           : std::make_shared<std::vector<Text>>();
    nested->resize(size_t(m_args.size()));
    nested->push_back(value);
    m_nested = std::move(nested);
    m_args.append(QString());
    return *this;
}

QString Text::toString() const
{
    return render(true);
}

QString Text::english() const
{
    return render(false);
}

QString Text::render(bool translated) const
{
    if (!m_source)
        return {};
    const auto argument = [this, translated](qsizetype i) {
        if (m_nested && size_t(i) < m_nested->size() && !(*m_nested)[size_t(i)].isEmpty())
            return (*m_nested)[size_t(i)].render(translated);
        return m_args.at(i);
    };
    if (m_source == verbatimPattern)
        return argument(0);

    QString pattern;
    if (translated && m_context) {
        pattern = QCoreApplication::translate(m_context, m_source, nullptr, m_n);
    } else {
        pattern = QString::fromUtf8(m_source);
        if (m_n >= 0) // what translate() does for the source when there is no translation
            pattern.replace(QLatin1StringView("%n"), QString::number(m_n));
    }
    if (m_args.isEmpty())
        return pattern;

    // One pass, like QString::arg(a, b, …): %k is the k-th argument, and what an argument
    // holds is not looked into. Placeholders past the arguments stay as they are.
    QString out;
    out.reserve(pattern.size() + 16 * m_args.size());
    const qsizetype size = pattern.size();
    qsizetype done = 0;
    for (qsizetype i = 0; i < size; ++i) {
        if (pattern.at(i) != u'%' || i + 1 >= size || !pattern.at(i + 1).isDigit())
            continue;
        qsizetype end = i + 1;
        int number = 0;
        while (end < size && end < i + 3 && pattern.at(end).isDigit())
            number = number * 10 + pattern.at(end++).digitValue();
        if (number < 1 || number > m_args.size())
            continue;
        out.append(QStringView(pattern).sliced(done, i - done));
        out.append(argument(number - 1));
        done = end;
        i = end - 1;
    }
    if (done == 0)
        return pattern;
    out.append(QStringView(pattern).sliced(done));
    return out;
}

} // namespace wslab
