#include "modes.h"

#include "net.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace wslab::load {

double percentile(const std::vector<double> &sorted, double q)
{
    if (sorted.empty())
        return 0;
    const double rank = std::ceil(q * double(sorted.size()));
    const std::size_t index = rank < 1 ? 0 : std::size_t(rank) - 1;
    return sorted[index < sorted.size() ? index : sorted.size() - 1];
}

double median(const std::vector<double> &sorted)
{
    if (sorted.empty())
        return 0;
    const std::size_t n = sorted.size();
    return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

std::string jsonString(const std::string &text)
{
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
            out += escaped;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

CpuSample sampleCpu(int serverPid)
{
    CpuSample sample;
    sample.wallNs = nowNs();
    rusage self {};
    getrusage(RUSAGE_SELF, &self);
    sample.selfSeconds = double(self.ru_utime.tv_sec + self.ru_stime.tv_sec)
        + double(self.ru_utime.tv_usec + self.ru_stime.tv_usec) / 1e6;
    const double tick = double(sysconf(_SC_CLK_TCK));
    if (serverPid > 0) {
        // /proc/PID/stat: the command may contain spaces, so count fields after its ')'.
        std::ifstream file("/proc/" + std::to_string(serverPid) + "/stat");
        std::string line;
        std::getline(file, line);
        const std::size_t close = line.rfind(')');
        if (close != std::string::npos) {
            std::istringstream fields(line.substr(close + 2));
            std::string field;
            double user = 0;
            double system = 0;
            for (int i = 3; fields >> field; ++i) { // field 3 is the state
                if (i == 14)
                    user = std::stod(field);
                if (i == 15) {
                    system = std::stod(field);
                    break;
                }
            }
            sample.serverSeconds = (user + system) / tick;
        }
    }
    std::ifstream stat("/proc/stat");
    std::string cpu;
    double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0;
    stat >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq;
    sample.machineBusySeconds = (user + nice + system + irq + softirq) / tick;
    return sample;
}

CpuUse cpuUse(const CpuSample &from, const CpuSample &to)
{
    CpuUse use;
    const double wall = double(to.wallNs - from.wallNs) / 1e9;
    if (wall <= 0)
        return use;
    use.loadPercent = 100 * (to.selfSeconds - from.selfSeconds) / wall;
    use.serverPercent = 100 * (to.serverSeconds - from.serverSeconds) / wall;
    use.machinePercent = 100 * (to.machineBusySeconds - from.machineBusySeconds) / wall;
    return use;
}

namespace {

constexpr char hexDigits[] = "0123456789abcdef";

int hexValue(std::uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

} // namespace

void makeEchoPayload(std::vector<std::uint8_t> *payload, std::size_t size)
{
    payload->assign(size, 'x');
    (*payload)[0] = 'w';
    (*payload)[1] = 'l';
    stampEchoPayload(payload->data(), 0);
}

void stampEchoPayload(std::uint8_t *payload, std::uint32_t sequence)
{
    for (int i = 0; i < 8; ++i)
        payload[2 + i] = std::uint8_t(hexDigits[(sequence >> (28 - 4 * i)) & 0xF]);
}

bool readEchoPayload(const std::uint8_t *payload, std::size_t size, std::size_t expectedSize,
                     std::uint32_t *sequence)
{
    if (size != expectedSize || size < minimumEchoSize || payload[0] != 'w' || payload[1] != 'l')
        return false;
    std::uint32_t value = 0;
    for (int i = 0; i < 8; ++i) {
        const int digit = hexValue(payload[2 + i]);
        if (digit < 0)
            return false;
        value = (value << 4) | std::uint32_t(digit);
    }
    *sequence = value;
    return true;
}

} // namespace wslab::load
