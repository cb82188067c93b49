#include "args.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace wslab::load {

bool Args::parse(int argc, char **argv, int first, const std::map<std::string, bool> &names,
                 std::string *error)
{
    for (int i = first; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.rfind("--", 0) != 0) {
            *error = "unexpected argument " + arg;
            return false;
        }
        std::string name = arg.substr(2);
        std::string value;
        const std::size_t equals = name.find('=');
        const bool inlineValue = equals != std::string::npos;
        if (inlineValue) {
            value = name.substr(equals + 1);
            name.resize(equals);
        }
        const auto known = names.find(name);
        if (known == names.end()) {
            *error = "unknown option --" + name;
            return false;
        }
        if (known->second && !inlineValue) {
            if (i + 1 >= argc) {
                *error = "--" + name + " needs a value";
                return false;
            }
            value = argv[++i];
        }
        m_values[name] = value;
    }
    return true;
}

std::string Args::text(const std::string &name, const std::string &fallback) const
{
    const auto it = m_values.find(name);
    return it == m_values.end() ? fallback : it->second;
}

double Args::number(const std::string &name, double fallback) const
{
    const auto it = m_values.find(name);
    if (it == m_values.end())
        return fallback;
    char *end = nullptr;
    const double value = std::strtod(it->second.c_str(), &end);
    if (it->second.empty() || *end != '\0' || !std::isfinite(value) || value < 0) {
        std::fprintf(stderr, "wslab-load: --%s: \"%s\" is not a non-negative number\n",
                     name.c_str(), it->second.c_str());
        std::exit(2);
    }
    return value;
}

long long Args::integer(const std::string &name, long long fallback, long long minimum,
                        long long maximum) const
{
    const auto it = m_values.find(name);
    if (it == m_values.end())
        return fallback;
    char *end = nullptr;
    const long long value = std::strtoll(it->second.c_str(), &end, 10);
    if (it->second.empty() || *end != '\0' || value < minimum || value > maximum) {
        std::fprintf(stderr, "wslab-load: --%s: \"%s\" must be a whole number from %lld to %lld\n",
                     name.c_str(), it->second.c_str(), minimum, maximum);
        std::exit(2);
    }
    return value;
}

} // namespace wslab::load
