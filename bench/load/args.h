// Command-line options of the form --name value (and bare --flags), checked against the names
// each mode accepts so that a typo fails loudly instead of benchmarking the wrong thing.
#pragma once

#include <map>
#include <set>
#include <string>

namespace wslab::load {

class Args
{
public:
    // Parses argv[first..]; names maps each accepted option to whether it takes a value.
    bool parse(int argc, char **argv, int first, const std::map<std::string, bool> &names,
               std::string *error);
    bool has(const std::string &name) const { return m_values.count(name) != 0; }
    std::string text(const std::string &name, const std::string &fallback) const;
    double number(const std::string &name, double fallback) const;
    // Whole numbers in [minimum, maximum]; exits with a message otherwise.
    long long integer(const std::string &name, long long fallback, long long minimum,
                      long long maximum) const;

private:
    std::map<std::string, std::string> m_values;
};

} // namespace wslab::load
