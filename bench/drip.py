#!/usr/bin/python3
"""drip: what a server's front door costs when clients drip their request heads byte by byte.

N connections (default 4) to HOST:PORT each send a WebSocket upgrade request whose head is
padded to --head-bytes (default 60 KiB) with X-Pad-NN header lines, one byte per send() with
TCP_NODELAY, the connections taking turns (round-robin, non-blocking). Then it waits for the
answer on each and checks that every one starts with "HTTP/1.1 101".

With --server-pid it reads the server's CPU time (utime + stime of the whole process, from
/proc/PID/stat) before the first connect and again once the last answer is in: the difference
is what the drip cost the server. It prints progress on stderr and one line of JSON on stdout;
the exit status is 0 only if every connection got its 101. It prints figures; it is not a test.

The head stays under the limits of the servers bench/run compares: wslab-server refuses a
request over 64 KiB (ServerLimits::maxHttpRequestSize) and Qt's QWebSocketServer refuses a
header line over 8 KiB or more than 100 of them, so the padding is cut into lines of at most
4 KiB. Run it with Debian's /usr/bin/python3 (stdlib only).
"""

import argparse
import base64
import json
import os
import select
import socket
import sys
import time

PROG = "drip"
PAD_LINE = 4096  # bytes per padding line, CRLF included: well under Qt's 8 KiB per line
WSLAB_LIMIT = 64 * 1024  # wslab-server's maxHttpRequestSize (server/serverconfig.h)


def cpu_seconds(pid):
    """utime + stime of every thread of process PID, in seconds (/proc/PID/stat)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        text = f.read()
    # The command name (field 2) is in parentheses and may hold spaces: split after it.
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def read_calls(pid):
    """How many read system calls process PID has made (syscr in /proc/PID/io), or None."""
    try:
        with open(f"/proc/{pid}/io", encoding="ascii") as f:
            for line in f:
                if line.startswith("syscr:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def build_head(host, port, path, size):
    """An upgrade request head of exactly `size` bytes, blank line included."""
    key = base64.b64encode(os.urandom(16)).decode("ascii")
    start = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
             f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n")
    budget = size - len(start) - 2  # what the padding lines take, the final CRLF aside
    lines = []
    if budget > 0:
        count = -(-budget // PAD_LINE)
        for i in range(count):
            length = budget // count + (1 if i < budget % count else 0)
            name = f"X-Pad-{i + 1:02d}: "
            value = length - len(name) - 2
            if value < 1:
                raise SystemExit(f"{PROG}: --head-bytes {size} is too small to pad")
            lines.append(name + "a" * value + "\r\n")
    head = (start + "".join(lines) + "\r\n").encode("ascii")
    if len(head) != size:
        raise SystemExit(f"{PROG}: --head-bytes must be at least {len(start) + 2}")
    return head


def main():
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/ws")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--head-bytes", type=int, default=60 * 1024,
                        help="size of each request head, blank line included (default 61440)")
    parser.add_argument("--rate", type=float, default=0,
                        help="one-byte sends per second, all connections together; each round "
                             "(one byte to each connection) waits for its turn. 0 (default): "
                             "as fast as the sockets take them")
    parser.add_argument("--server-pid", type=int, help="the server process, for its CPU time")
    parser.add_argument("--timeout-s", type=float, default=120,
                        help="give up after this long in all (default 120)")
    args = parser.parse_args()
    if args.connections < 1:
        parser.error("--connections must be at least 1")
    if args.head_bytes >= WSLAB_LIMIT:
        print(f"{PROG}: note: a {args.head_bytes}-byte head is over wslab-server's "
              f"{WSLAB_LIMIT}-byte request limit, which answers 413", file=sys.stderr)

    heads = [build_head(args.host, args.port, args.path, args.head_bytes)
             for _ in range(args.connections)]
    size = args.head_bytes
    n = args.connections
    deadline = time.monotonic() + args.timeout_s

    cpu0 = cpu_seconds(args.server_pid) if args.server_pid else None
    reads0 = read_calls(args.server_pid) if args.server_pid else None
    load0 = os.times()
    t0 = time.monotonic()

    socks = []
    for _ in range(n):
        s = socket.create_connection((args.host, args.port), timeout=10)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.setblocking(False)
        socks.append(s)

    pos = [0] * n
    answer = [b""] * n
    closed = [False] * n
    error = [None] * n
    active = list(range(n))
    sends = 0
    stalls = 0  # rounds in which no connection could take a byte
    rounds = 0

    def read_from(i):
        """Reads what connection i has for us; notes when the server closed it."""
        try:
            while True:
                data = socks[i].recv(65536)
                if not data:
                    closed[i] = True
                    return
                answer[i] += data
        except BlockingIOError:
            return
        except OSError as e:
            closed[i] = True
            error[i] = error[i] or f"receive: {e.strerror or e}"

    paced_from = time.monotonic()
    paced_sends = 0

    # The drip: one byte to each connection in turn, until every head is out.
    while active:
        if args.rate > 0:
            due = paced_from + paced_sends / args.rate
            now = time.monotonic()
            # Spin, not sleep: a sleep of ~100 us overshoots by tens of microseconds in a VM.
            # The load has a CPU of its own.
            while now < due:
                now = time.monotonic()
            if now - due > 0.001:
                # Fallen behind (the machine was busy): carry on from now, at the same pace,
                # rather than catch up in a burst the server would read in one go.
                paced_from, paced_sends = now, 0
            paced_sends += len(active)
        progressed = False
        finished = False
        for i in active:
            try:
                socks[i].send(heads[i][pos[i]:pos[i] + 1])
            except BlockingIOError:
                continue
            except OSError as e:
                error[i] = f"send at byte {pos[i]} of {size}: {e.strerror or e}"
                finished = True
                continue
            sends += 1
            progressed = True
            pos[i] += 1
            if pos[i] == size:
                finished = True
        rounds += 1
        if rounds % 256 == 0 or not progressed:
            # An answer (or a close) before the head is complete is the server giving up on it.
            readable, _, _ = select.select([socks[i] for i in active], [], [], 0)
            for s in readable:
                i = socks.index(s)
                read_from(i)
                if answer[i] or closed[i]:
                    error[i] = error[i] or (f"answered or closed at byte {pos[i]} of {size}: "
                                            f"{answer[i][:80]!r}")
                    finished = True
            if rounds % 8192 == 0:
                print(f"{PROG}: {min(pos[i] for i in active) if active else size} of {size} "
                      f"bytes sent on each connection", file=sys.stderr)
        if finished:
            active = [i for i in active if pos[i] < size and error[i] is None]
        if not progressed and active:
            stalls += 1
            select.select([], [socks[i] for i in active], [], 0.1)
        if time.monotonic() > deadline:
            for i in active:
                error[i] = f"timed out at byte {pos[i]} of {size}"
            break
    t_sent = time.monotonic()

    # The answers: each one's head, up to its blank line.
    waiting = [i for i in range(n) if error[i] is None]
    while waiting and time.monotonic() < deadline:
        readable, _, _ = select.select([socks[i] for i in waiting], [], [],
                                       max(0.0, min(1.0, deadline - time.monotonic())))
        for s in readable:
            read_from(socks.index(s))
        waiting = [i for i in waiting if b"\r\n\r\n" not in answer[i] and not closed[i]]
    t1 = time.monotonic()
    cpu1 = cpu_seconds(args.server_pid) if args.server_pid else None
    reads1 = read_calls(args.server_pid) if args.server_pid else None
    load1 = os.times()

    for i in range(n):
        if error[i] is None:
            if i in waiting:
                error[i] = f"no answer within {args.timeout_s:g} s"
            elif not answer[i].startswith(b"HTTP/1.1 101"):
                line = answer[i].split(b"\r\n", 1)[0]
                error[i] = f"answered {line[:80]!r}" if line else "closed without an answer"
    for s in socks:
        s.close()

    ok = sum(1 for e in error if e is None)
    errors = [e for e in error if e is not None]
    result = {
        "connections": n,
        "head_bytes": size,
        "sends": sends,
        "stalls": stalls,
        "ok_101": ok,
        "all_101": ok == n,
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "wall_s": round(t1 - t0, 3),
        "drip_s": round(t_sent - t0, 3),
        "rate": args.rate,
        "sends_per_s": round(sends / (t_sent - t0)) if t_sent > t0 else None,
        "load_cpu_s": round((load1.user - load0.user) + (load1.system - load0.system), 3),
    }
    if cpu0 is not None:
        result["server_cpu_s"] = round(cpu1 - cpu0, 3)
    if reads0 is not None and reads1 is not None:
        # How finely the server saw the drip: one read per byte at best, fewer when bytes
        # waited in the socket while it was busy.
        result["server_reads"] = reads1 - reads0
    print(f"{PROG}: {ok} of {n} got HTTP/1.1 101 after {sends} one-byte sends in "
          f"{t1 - t0:.2f} s" + (f"; server CPU {cpu1 - cpu0:.2f} s" if cpu0 is not None else "")
          + (f"; first problem: {errors[0]}" if errors else ""), file=sys.stderr)
    print(json.dumps(result, separators=(",", ":")))
    return 0 if ok == n else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        sys.exit(1)
