#!/usr/bin/python3
"""Turns bench/run's raw runs into the Markdown table it prints (medians, ratios first).

usage: report.py RESULTS.tsv MACHINE.txt
RESULTS.tsv: scenario, load, server, run, one line of wslab-load JSON (tab-separated).
MACHINE.txt: key=value lines written by bench/run.
"""

import json
import statistics
import sys

NAMES = {
    "wslab": "wslab-server (default log)",
    "wslab-quiet": "wslab-server --quiet",
    "baseline": "wslab-server of --baseline (default log)",
    "qt": "Qt bare QWebSocketServer",
    "ws": "node ws",
    "tornado": "Tornado",
    "tcp": "plain TCP echo",
}
SHORT = {
    "wslab": "wslab (default log)",
    "wslab-quiet": "wslab --quiet",
    "baseline": "baseline",
    "qt": "Qt bare",
    "ws": "node ws",
    "tornado": "Tornado",
    "tcp": "plain TCP",
}
LOADS = {"1x64": "1 conn × 64 in flight", "100x8": "100 conns × 8 in flight"}
DRIP_SERVERS = ("wslab-quiet", "qt")


def load_results(path):
    runs = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t", 4)
            if len(parts) != 5:
                continue
            scenario, load, server, _, text = parts
            try:
                runs.setdefault((scenario, load, server), []).append(json.loads(text))
            except json.JSONDecodeError:
                continue
    return runs


def values(runs, key, field, ok=lambda r: True):
    return [r[field] for r in runs.get(key, []) if ok(r) and isinstance(r.get(field), (int, float))]


def med(xs):
    return statistics.median(xs) if xs else None


def fmt(x, digits=0, unit=""):
    if x is None:
        return "–"
    return f"{x:,.{digits}f}{unit}"


def spread(xs, digits=0):
    """The median, and the range over runs when there is more than one."""
    if not xs:
        return "–"
    if len(xs) == 1:
        return fmt(xs[0], digits)
    return f"{fmt(med(xs), digits)} ({fmt(min(xs), digits)}–{fmt(max(xs), digits)})"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "–"
    return f"{a / b:.2f}"


def main():
    runs = load_results(sys.argv[1])
    machine = {}
    with open(sys.argv[2], encoding="utf-8") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("=")
            machine[key] = value

    out = []
    quick = machine.get("quick") == "1"
    out.append(f"### WsLab server benchmarks{' (quick smoke run: not a measurement)' if quick else ''}")
    out.append("")
    out.append(
        f"Machine: {machine.get('cpus')} CPUs, {machine.get('cpu_model')}, {machine.get('kernel')}, "
        f"Qt {machine.get('qt')}, node {machine.get('node')} with ws {machine.get('ws')}, "
        f"Tornado {machine.get('tornado')}. Server pinned to CPU 0, load (wslab-load) to CPU 1. "
        f"Medians of {machine.get('runs')} run(s); (min–max) over runs. {machine.get('date')}."
    )
    busy = int(machine.get("busiest", "0") or 0)
    if busy > 5:
        out.append("")
        out.append(f"**Warning:** other work kept the CPUs up to {busy}% busy before a scenario; "
                   "figures are noisy.")
    out.append("")

    def echo_rate(load, server):
        return med(values(runs, ("echo", load, server), "msgs_per_s"))

    def latency_p50(server, where="cross"):
        return med(values(runs, ("latency", where, server), "rtt_us_p50"))

    fan_n = machine.get("fanout_clients", "?")

    def fan(server, field):
        return med(values(runs, ("fanout", fan_n, server), field))

    def fan_rss_open(server):
        return med(values(runs, ("fanout", fan_n, server), "rss_open_kb", lambda r: r.get("rss_open_kb", 0) > 0))

    # Ratios first: what a reader wants to know at a glance.
    if any(k[0] == "echo" for k in runs):
        out.append("#### Ratios (of medians)")
        out.append("")
        out.append("| Echo throughput (higher is better) | " + " | ".join(LOADS.values()) + " |")
        out.append("|---|" + "---:|" * len(LOADS))
        pairs = [("wslab", "wslab-quiet")]
        if any(k[0] == "echo" and k[2] == "baseline" for k in runs):
            pairs.append(("wslab", "baseline"))
        for peer in ("ws", "tornado", "qt"):
            pairs += [("wslab-quiet", peer), ("wslab", peer)]
        for mine, other in pairs:
            cells = [ratio(echo_rate(load, mine), echo_rate(load, other)) for load in LOADS]
            out.append(f"| {SHORT[mine]} ÷ {SHORT[other]} | " + " | ".join(cells) + " |")
        out.append("")
    rows = []
    if any(k[0] == "fanout" for k in runs):
        for mine in ("wslab-quiet", "wslab"):
            rows.append((f"Fan-out to {fan_n}: spread p50, {SHORT[mine]} ÷ node ws",
                         ratio(fan(mine, "spread_ms_p50"), fan("ws", "spread_ms_p50"))))
        if any(k[0] == "fanout" and k[2] == "baseline" for k in runs):
            rows.append((f"Fan-out to {fan_n}: spread p50, {SHORT['wslab']} ÷ baseline",
                         ratio(fan("wslab", "spread_ms_p50"), fan("baseline", "spread_ms_p50"))))
        for mine in ("wslab-quiet", "wslab"):
            rows.append((f"Fan-out to {fan_n}: RSS with all open, {SHORT[mine]} ÷ node ws",
                         ratio(fan_rss_open(mine), fan_rss_open("ws"))))
    if any(k[0] == "latency" for k in runs):
        for where, label in (("cross", "load on the other CPU"), ("same", "load on the server's CPU")):
            for mine in ("wslab-quiet", "wslab"):
                rows.append((f"Latency ({label}): RTT p50, {SHORT[mine]} ÷ plain TCP echo",
                             ratio(latency_p50(mine, where), latency_p50("tcp", where))))
            for mine in ("wslab-quiet", "wslab"):
                rows.append((f"Latency ({label}): RTT p50, {SHORT[mine]} ÷ node ws",
                             ratio(latency_p50(mine, where), latency_p50("ws", where))))
    drip_rate = int(machine.get("drip_rate", "0") or 0)
    drip_paces = {"paced": f"paced, {drip_rate:,} sends/s", "flat": "flat out"}

    def drip_cpu(pace, server):
        return med(values(runs, ("drip", pace, server), "server_cpu_s"))

    if any(k[0] == "drip" for k in runs):
        for pace, label in drip_paces.items():
            if any(("drip", pace, server) in runs for server in DRIP_SERVERS):
                rows.append((f"Drip ({label}): server CPU, {SHORT['wslab-quiet']} ÷ {SHORT['qt']}",
                             ratio(drip_cpu(pace, "wslab-quiet"), drip_cpu(pace, "qt"))))
    if rows:
        if not any(k[0] == "echo" for k in runs):
            out.append("#### Ratios (of medians)")
            out.append("")
        kinds = [name for name, scenario in (("Fan-out", "fanout"), ("latency", "latency"),
                                              ("drip", "drip"))
                 if any(k[0] == scenario for k in runs)]
        title = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
        out.append(f"| {title[0].upper() + title[1:]} (lower is better) | Ratio |")
        out.append("|---|---:|")
        for name, value in rows:
            out.append(f"| {name} | {value} |")
        out.append("")

    problems = []

    if any(k[0] == "echo" for k in runs):
        out.append(f"#### Echo throughput, 32 B text messages (messages/s, {machine.get('echo_seconds')} s "
                   f"after {machine.get('echo_warmup')} s warm-up)")
        out.append("")
        out.append("| Server | " + " | ".join(LOADS.values()) + " |")
        out.append("|---|" + "---:|" * len(LOADS))
        for server in ("wslab", "baseline", "wslab-quiet", "qt", "ws", "tornado"):
            if not any(("echo", load, server) in runs for load in LOADS):
                continue
            cells = []
            for load in LOADS:
                cells.append(spread(values(runs, ("echo", load, server), "msgs_per_s")))
                errs = sum(r.get("errors", 0) for r in runs.get(("echo", load, server), []))
                if errs:
                    problems.append(f"echo {load} {NAMES[server]}: {errs} errors")
            out.append(f"| {NAMES[server]} | " + " | ".join(cells) + " |")
        out.append("")
        # Who was busy: the server near 100% and the load well below it means the server's
        # speed is what was measured; neither near 100% means the window of messages in flight
        # (and wake-up latency) set the pace.
        out.append("CPU use while counting (medians, 100% = one CPU): server / wslab-load / whole machine")
        out.append("")
        out.append("| Server | " + " | ".join(LOADS.values()) + " |")
        out.append("|---|" + "---:|" * len(LOADS))
        for server in ("wslab", "baseline", "wslab-quiet", "qt", "ws", "tornado"):
            if not any(("echo", load, server) in runs for load in LOADS):
                continue
            cells = []
            for load in LOADS:
                key = ("echo", load, server)
                parts = [med(values(runs, key, f, lambda r, f=f: r.get(f, -1) >= 0))
                         for f in ("server_cpu_pct", "load_cpu_pct", "machine_cpu_pct")]
                cells.append(" / ".join(fmt(p, 0, "%") for p in parts))
            out.append(f"| {NAMES[server]} | " + " | ".join(cells) + " |")
        out.append("")

    if any(k[0] == "fanout" for k in runs):
        out.append(f"#### Fan-out: {fan_n} idle clients, one push a second, "
                   f"{machine.get('fanout_ticks')} ticks per run")
        out.append("")
        out.append("| Server | Spread p50 (ms) | Spread max (ms) | All delivered | RSS idle (MB) | "
                   f"RSS, {fan_n} open (MB) | Per connection (KB) | Connect all (s) |")
        out.append("|---|---:|---:|---|---:|---:|---:|---:|")
        kernel_gaps = []
        for server in ("wslab", "baseline", "wslab-quiet", "qt", "ws"):
            key = ("fanout", fan_n, server)
            if key not in runs:
                continue
            rs = runs[key]
            delivered = sum(1 for r in rs if r.get("all_delivered") is True)
            per_conn = [
                (r["rss_open_kb"] - r["rss_before_kb"]) / int(fan_n)
                for r in rs if r.get("rss_open_kb", 0) > 0 and r.get("rss_before_kb", 0) > 0
            ]
            rss0 = [r["rss_before_kb"] / 1024 for r in rs if r.get("rss_before_kb", 0) > 0]
            rss1 = [r["rss_open_kb"] / 1024 for r in rs if r.get("rss_open_kb", 0) > 0]
            out.append(
                f"| {NAMES[server]} | {spread(values(runs, key, 'spread_ms_p50'), 1)} | "
                f"{spread(values(runs, key, 'spread_ms_max'), 1)} | "
                f"{'yes' if delivered == len(rs) else f'no ({delivered} of {len(rs)} runs)'} | "
                f"{spread(rss0, 1)} | {spread(rss1)} | {spread(per_conn, 1)} | "
                f"{spread(values(runs, key, 'connect_s'), 1)} |"
            )
            for r in rs:
                if r.get("spread_ms_p50") is not None and r.get("kernel_spread_ms_p50") is not None:
                    kernel_gaps.append(abs(r["spread_ms_p50"] - r["kernel_spread_ms_p50"]))
                if r.get("all_delivered") is not True:
                    problems.append(
                        f"fan-out {NAMES[server]}: {r.get('open')} of {r.get('connections')} open, "
                        f"{r.get('complete_ticks')} of {r.get('ticks')} ticks complete, "
                        f"lost {r.get('lost')}; first error: {r.get('first_error') or 'none'}")
        out.append("")
        if kernel_gaps:
            # The load reads 5,000 sockets one after the other; if it fell behind, its receive
            # times would spread more than the kernel's arrival times.
            out.append(f"Spreads by the kernel's arrival times (SO_TIMESTAMPNS) differ from the load's "
                       f"by at most {max(kernel_gaps):.1f} ms (p50, any run): the load kept up with "
                       f"the servers.")
            out.append("")

    if any(k[0] == "latency" for k in runs):
        out.append(f"#### Latency: one connection, one 32 B message at a time, "
                   f"{machine.get('latency_count')} round trips per run (µs)")
        out.append("")
        out.append("| Server | RTT p50, load on CPU 1 | RTT p99, load on CPU 1 | "
                   "RTT p50, load on CPU 0 too | RTT p99, load on CPU 0 too |")
        out.append("|---|---:|---:|---:|---:|")
        for server in ("wslab-quiet", "wslab", "qt", "ws", "tcp"):
            keys = [("latency", where, server) for where in ("cross", "same")]
            if not any(key in runs for key in keys):
                continue
            cells = []
            for key in keys:
                cells += [spread(values(runs, key, "rtt_us_p50"), 1), spread(values(runs, key, "rtt_us_p99"), 1)]
                errs = sum(r.get("errors", 0) for r in runs.get(key, []))
                if errs:
                    problems.append(f"latency ({key[1]} CPU) {NAMES[server]}: {errs} errors")
            out.append(f"| {NAMES[server]} | " + " | ".join(cells) + " |")
        out.append("")

    if any(k[0] == "drip" for k in runs):
        out.append(f"#### Drip: {machine.get('drip_connections')} clients each send a "
                   f"{int(machine.get('drip_head_bytes', '0') or 0):,}-byte upgrade request head, "
                   f"one byte per send()")
        out.append("")
        out.append("| Server | Pace | Server CPU (s) | Server read calls | Wall (s) | Sends/s | "
                   "All got 101 |")
        out.append("|---|---|---:|---:|---:|---:|---|")
        for pace, label in drip_paces.items():
            for server in DRIP_SERVERS:
                key = ("drip", pace, server)
                if key not in runs:
                    continue
                rs = runs[key]
                ok = sum(1 for r in rs if r.get("all_101") is True)
                out.append(
                    f"| {NAMES[server]} | {label} | {spread(values(runs, key, 'server_cpu_s'), 2)} | "
                    f"{spread(values(runs, key, 'server_reads'))} | "
                    f"{spread(values(runs, key, 'wall_s'), 2)} | "
                    f"{spread(values(runs, key, 'sends_per_s'))} | "
                    f"{'yes' if ok == len(rs) else f'no ({ok} of {len(rs)} runs)'} |")
                for r in rs:
                    if r.get("all_101") is not True:
                        problems.append(
                            f"drip ({label}) {NAMES[server]}: {r.get('ok_101')} of "
                            f"{r.get('connections')} got 101; first error: {r.get('first_error')}")
        out.append("")
        out.append(
            "Server CPU: utime + stime of the server process (/proc/PID/stat, 10 ms ticks) from the "
            "first connect to the last 101. Read calls: the server's read system calls meanwhile "
            "(syscr, /proc/PID/io): near one per byte means it read the heads byte by byte; far "
            "fewer, that bytes piled up while it was busy. "
            f"wslab-server ran with --quiet --handshake-timeout {machine.get('drip_handshake_ms')}; "
            "bench-qt-echo keeps QWebSocketServer's fixed 10 s handshake timeout, which a drip "
            "must beat.")
        out.append("")

    if problems:
        out.append("Problems seen during the runs:")
        out.append("")
        out.extend(f"- {p}" for p in problems)
        out.append("")

    print("\n".join(out))


if __name__ == "__main__":
    main()
