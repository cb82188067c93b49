// wslab-load's subcommands. Each prints human progress on stderr and exactly one line of JSON
// on stdout at the end, which bench/run collects.
#pragma once

#include "args.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wslab::load {

int runEcho(const Args &args);
int runFanout(const Args &args);
int runLatency(const Args &args);
int runTcpLatency(const Args &args);

// Nearest-rank percentile of an ascending vector, q in [0, 1]; 0 for an empty one.
double percentile(const std::vector<double> &sorted, double q);
double median(const std::vector<double> &sorted);
std::string jsonString(const std::string &text);

// CPU time, to show who was busy during a measurement (100% = one CPU).
struct CpuSample
{
    std::int64_t wallNs = 0;
    double selfSeconds = 0;
    double serverSeconds = 0;
    double machineBusySeconds = 0; // all CPUs, everything but idle and iowait
};
struct CpuUse
{
    double loadPercent = 0;
    double serverPercent = 0;
    double machinePercent = 0;
};
CpuSample sampleCpu(int serverPid);
CpuUse cpuUse(const CpuSample &from, const CpuSample &to);

// Echo payloads: "wl", the sequence number as 8 hex digits, then 'x' up to the size. Text
// (so UTF-8-valid), recognisable among a server's other pushes, checkable for order.
constexpr std::size_t minimumEchoSize = 10;
void makeEchoPayload(std::vector<std::uint8_t> *payload, std::size_t size);
void stampEchoPayload(std::uint8_t *payload, std::uint32_t sequence);
// True and *sequence set if payload is one of ours.
bool readEchoPayload(const std::uint8_t *payload, std::size_t size, std::size_t expectedSize,
                     std::uint32_t *sequence);

} // namespace wslab::load
