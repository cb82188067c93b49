#!/usr/bin/python3
"""gui_flood: does the wslab window stay responsive while its embedded server is flooded?

One run = one scenario. Under a private Xvfb (no window manager) it starts
`wslab --connect --port P`, then measures the window's GUI thread from outside, the way a window
manager does: a _NET_WM_PING client message every 20 ms, timing each reply. It records ~2 s
idle, then lets `wslab-load echo` flood the embedded server from 4 outside connections for 8 s,
then 5 s after. Meanwhile it samples the window's VmRSS every 100 ms. At the end it asks the
window to quit (SIGTERM) and, if the window wrote one, reads its own watchdog figures
(WSLAB_STALL_LOG). It prints a table and one JSON line. It prints figures; it is not a test.

With --class N, the load is a classroom instead of the echo flood: class_phones.py, in a process
of its own, joins N phones the way the phone page does (each opens /ws?name=student-K and
/chat?name=student-K with a phone browser's User-Agent) and has each say a line in the room
every --every-ms for --seconds while /ws pushes the Beijing time; the table then also says how
many chat lines reached the phones.

Run it with Debian's /usr/bin/python3 (it needs the python3-xlib package; --class needs
python3-websockets).
"""

import argparse
import ctypes
import importlib.util
import json
import os
import resource
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

PROG = "gui_flood"
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Failure(Exception):
    """A reason to stop, said plainly to the person running the script."""


try:
    from Xlib import X, Xatom
    from Xlib import display as xdisplay
    from Xlib import error as xerror
    from Xlib.protocol import event as xevent
except ImportError:
    sys.exit(f"{PROG}: python3-xlib is missing: apt-get install python3-xlib, and run this script "
             f"with Debian's /usr/bin/python3 (not {sys.executable})")


# ---------------------------------------------------------------- child processes

_children = []  # every process we started, killed on the way out whatever happens
_probes = []    # probe threads, stopped before the processes
_libc = ctypes.CDLL(None, use_errno=True)
_PR_SET_PDEATHSIG = 1


def _die_with_parent():
    # Runs in the child between fork and exec: if this script is killed outright (SIGKILL), the
    # kernel kills the child too. Children are started from the main thread only, which lives
    # until the end (PDEATHSIG follows the thread that forked).
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def spawn(cmd, **kw):
    try:
        p = subprocess.Popen(cmd, start_new_session=True, preexec_fn=_die_with_parent, **kw)
    except FileNotFoundError as e:
        raise Failure(f"cannot run {cmd[0]}: {e.strerror}")
    _children.append(p)
    return p


def stop(p, term_wait=3.0):
    """SIGTERM, then SIGKILL after term_wait seconds. Returns the exit code."""
    if p.poll() is None:
        try:
            p.send_signal(signal.SIGTERM)
            p.wait(term_wait)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(5)
    return p.returncode


def stop_all():
    for probe in _probes:
        probe.close()
    for p in reversed(_children):
        try:
            stop(p, 2.0)
        except Exception:  # noqa: BLE001 - best effort on the way out
            pass


class Interrupted(Exception):
    def __init__(self, signum):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _on_signal(signum, _frame):
    raise Interrupted(signum)


def tail(path, lines=15):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:]).rstrip()
    except OSError:
        return ""


# ---------------------------------------------------------------- X server and window

def start_xvfb(workdir):
    if not shutil.which("Xvfb"):
        raise Failure("Xvfb is missing: apt-get install xvfb")
    rfd, wfd = os.pipe()
    log = open(os.path.join(workdir, "xvfb.log"), "w")
    p = spawn(["Xvfb", "-displayfd", str(wfd), "-screen", "0", "1600x1000x24", "-nolisten", "tcp",
               "-noreset"], pass_fds=(wfd,), stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    os.close(wfd)
    number = b""
    deadline = time.monotonic() + 15
    try:
        while not number.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or p.poll() is not None:
                raise Failure("Xvfb did not start:\n" + tail(log.name))
            if select.select([rfd], [], [], left)[0]:
                chunk = os.read(rfd, 32)
                if not chunk:
                    raise Failure("Xvfb did not say its display number:\n" + tail(log.name))
                number += chunk
    finally:
        os.close(rfd)
    return p, ":" + number.decode().strip()


def connect_display(name, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return xdisplay.Display(name)
        except Exception as e:  # noqa: BLE001 - python-xlib raises several kinds
            if time.monotonic() > deadline:
                raise Failure(f"cannot open X display {name}: {e}")
            time.sleep(0.1)


def find_window(d, pid):
    """The top-level window of process pid that speaks _NET_WM_PING (no WM: top-levels are the
    root's children)."""
    a = d.intern_atom
    net_wm_pid, wm_protocols, ping = a("_NET_WM_PID"), a("WM_PROTOCOLS"), a("_NET_WM_PING")
    best = None
    for w in d.screen().root.query_tree().children:
        try:
            prop = w.get_full_property(net_wm_pid, Xatom.CARDINAL)
            if not prop or int(prop.value[0]) != pid:
                continue
            cls = w.get_wm_class() or ()
            protos = w.get_full_property(wm_protocols, Xatom.ATOM)
            if "wslab" not in cls or not protos or ping not in protos.value:
                continue
            attrs = w.get_attributes()
            if attrs.map_state != X.IsViewable:
                continue
            geo = w.get_geometry()
            area = geo.width * geo.height
            if best is None or area > best[0]:
                best = (area, w.id)
        except xerror.XError:  # the window went away meanwhile
            continue
    return best[1] if best else None


# ---------------------------------------------------------------- the embedded server's port

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def listening_ports(pid):
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if link.startswith("socket:["):
                inodes.add(link[8:-1])
    except OSError:
        return []
    ports = []
    for table in ("tcp", "tcp6"):
        try:
            with open(f"/proc/{pid}/net/{table}") as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                        ports.append(int(fields[1].rsplit(":", 1)[1], 16))
        except OSError:
            continue
    return sorted(set(ports))


def answers_http(port, timeout=2.0):
    """True when port answers GET /time with 200: the embedded server (the window's wire tap,
    which listens too, is a CONNECT relay)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.settimeout(timeout)
            s.sendall(b"GET /time HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            return s.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def server_port(pid, asked):
    ports = listening_ports(pid)
    # The asked port first; the window falls back to the next free one when it is taken.
    for port in sorted(ports, key=lambda q: (q != asked, q < asked, q)):
        if answers_http(port):
            return port
    return None


# ---------------------------------------------------------------- memory

def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


# ---------------------------------------------------------------- is anything else running?

_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_ticks():
    """(busy, total) clock ticks of the whole machine, from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    return sum(v) - v[3] - v[4], sum(v)  # idle, iowait


def process_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime
    except (OSError, IndexError, ValueError):
        return 0


class OthersMeter:
    """How much CPU the rest of the machine used meanwhile (not the window, Xvfb or this
    script), in percent of one CPU: other work on a 2-core machine makes the figures noisy."""

    def __init__(self, pids):
        self.pids = pids
        self.start = self._read()

    def _read(self):
        busy, total = cpu_ticks()
        # Living children by their /proc entry; this script and the children it has reaped
        # (the load, once finished) by their rusage.
        me, reaped = resource.getrusage(resource.RUSAGE_SELF), \
            resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds = me.ru_utime + me.ru_stime + reaped.ru_utime + reaped.ru_stime
        ours = sum(process_ticks(p) for p in self.pids) + seconds * _TICKS
        return busy, total, ours

    def percent(self):
        busy0, total0, ours0 = self.start
        busy1, total1, ours1 = self._read()
        if total1 <= total0:
            return None
        cpus = os.cpu_count() or 1
        others = (busy1 - busy0) - (ours1 - ours0)
        return max(0.0, 100.0 * cpus * others / (total1 - total0))


def set_nice(tid, value):
    """Linux nice values are per thread: tid may be a process or one thread. Negative values
    need root (CAP_SYS_NICE); without it this does nothing and says so by returning False."""
    try:
        os.setpriority(os.PRIO_PROCESS, tid, value)
        return True
    except OSError:
        return False


def wait_quiet(limit, threshold=10.0):
    """Wait up to limit seconds for 2 s in a row in which the machine used less than threshold
    percent of one CPU. True when it did."""
    deadline = time.monotonic() + limit
    while True:
        busy0, total0 = cpu_ticks()
        time.sleep(2)
        busy1, total1 = cpu_ticks()
        if total1 > total0 and 100.0 * (os.cpu_count() or 1) * (busy1 - busy0) / (
                total1 - total0) < threshold:
            return True
        if time.monotonic() > deadline:
            return False


# ---------------------------------------------------------------- the _NET_WM_PING probe

class Probe(threading.Thread):
    """Sends _NET_WM_PING every interval on its own X connection and times the replies.

    Qt answers by sending the same ClientMessage to the root window, with the window field set to
    the root. Measured with Qt 6.4.2 under Xvfb: the reply reaches a client that selected
    SubstructureRedirect on the root, not one that selected SubstructureNotify only. So the probe
    takes SubstructureRedirect (there is no window manager) and, to stay harmless, passes the
    map, configure and circulate requests that this makes it receive straight through, as if
    there were no window manager. Each ping carries a sequence number in data[3] (Qt echoes the
    event as is) and a millisecond timestamp in data[1].
    """

    def __init__(self, display_name, window, interval, nice=None):
        super().__init__(name="ping-probe", daemon=True)
        self.nice = nice
        self.niced = False
        self.d = connect_display(display_name)
        self.window = window
        self.interval = interval
        self.root = self.d.screen().root
        self.wm_protocols = self.d.intern_atom("WM_PROTOCOLS")
        self.ping = self.d.intern_atom("_NET_WM_PING")
        self.mode = "SubstructureRedirect"
        catcher = xerror.CatchError()
        self.root.change_attributes(
            event_mask=X.SubstructureRedirectMask | X.SubstructureNotifyMask, onerror=catcher)
        self.d.sync()
        if catcher.get_error():  # someone else holds it: a window manager after all
            self.mode = "SubstructureNotify"
            print(f"{PROG}: warning: cannot take SubstructureRedirect on the root "
                  f"({catcher.get_error()}); with SubstructureNotify only, Qt's replies may not "
                  "arrive", file=sys.stderr)
            catcher = xerror.CatchError()
            self.root.change_attributes(event_mask=X.SubstructureNotifyMask, onerror=catcher)
            self.d.sync()
            if catcher.get_error():
                raise Failure(f"cannot select events on the root: {catcher.get_error()}")
        self.x_errors = 0  # e.g. BadWindow once the window is gone
        self.sent = {}      # seq -> monotonic send time
        self.replies = {}   # seq -> monotonic receive time
        self.lateness = []  # how late each ping left against its schedule (the probe's jitter), s
        self.sending = threading.Event()
        self.stopping = threading.Event()
        self.failed = None
        self.t0 = time.monotonic()
        self._seq = 0

    def _send(self):
        self._seq += 1
        seq = self._seq
        stamp = (int((time.monotonic() - self.t0) * 1000) + 1) & 0xFFFFFFFF
        ev = xevent.ClientMessage(window=self.window, client_type=self.wm_protocols,
                                  data=(32, [self.ping, stamp, self.window, seq, 0]))
        self.sent[seq] = time.monotonic()
        self.d.send_event(self.window, ev, event_mask=0, propagate=False, onerror=self._x_error)
        self.d.flush()

    def _x_error(self, *_):
        self.x_errors += 1

    def _pass_through(self, e):
        """What the X server would have done with no window manager."""
        if e.type == X.MapRequest:
            e.window.map(onerror=self._x_error)
        elif e.type == X.ConfigureRequest:
            keys = {}
            for bit, name in ((X.CWX, "x"), (X.CWY, "y"), (X.CWWidth, "width"),
                              (X.CWHeight, "height"), (X.CWBorderWidth, "border_width"),
                              (X.CWSibling, "sibling"), (X.CWStackMode, "stack_mode")):
                if e.value_mask & bit:
                    keys[name] = getattr(e, name)
            if keys:
                e.window.configure(onerror=self._x_error, **keys)
        elif e.type == X.CirculateRequest:
            e.window.configure(onerror=self._x_error,
                               stack_mode=X.Above if e.place == X.PlaceOnTop else X.Below)
        else:
            return
        self.d.flush()

    def run(self):
        if self.nice is not None:
            self.niced = set_nice(threading.get_native_id(), self.nice)
        try:
            fd = self.d.fileno()
            next_at = time.monotonic()
            was_sending = False
            while not self.stopping.is_set():
                now = time.monotonic()
                if self.sending.is_set():
                    if not was_sending:  # (re)starting: the first ping leaves now, on time
                        was_sending = True
                        next_at = now
                    if now >= next_at:
                        self.lateness.append(now - next_at)
                        self._send()
                        next_at += self.interval
                        if next_at < now:  # fell behind by a whole period: skip, keep the cadence
                            next_at = now + self.interval
                    wait = max(0.0, next_at - time.monotonic())
                else:
                    was_sending = False
                    wait = 0.01
                if select.select([fd], [], [], wait)[0]:
                    got = time.monotonic()
                    while self.d.pending_events():
                        e = self.d.next_event()
                        if (e.type == X.ClientMessage and e.client_type == self.wm_protocols
                                and e.data[1][0] == self.ping):
                            seq = e.data[1][3]
                            if seq in self.sent and seq not in self.replies:
                                self.replies[seq] = got
                        else:
                            self._pass_through(e)
        except Exception as e:  # noqa: BLE001 - reported by the main thread
            self.failed = e

    def outstanding(self):
        return len(self.sent) - len(self.replies)

    def close(self):
        if self.stopping.is_set():
            return
        self.stopping.set()
        if self.is_alive():
            self.join(5)
        try:
            self.d.close()
        except Exception:  # noqa: BLE001
            pass


# ---------------------------------------------------------------- figures

def percentile(values, q):
    """Nearest rank."""
    if not values:
        return None
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(-(-q * len(s) // 100)) - 1))
    return s[k]


def ping_stats(probe, t_from, t_to, t_end):
    """Replies to the pings sent in [t_from, t_to). Unanswered pings count as (t_end - sent)."""
    lat, unanswered = [], 0
    for seq, sent in probe.sent.items():
        if t_from <= sent < t_to:
            got = probe.replies.get(seq)
            if got is None:
                unanswered += 1
                got = t_end
            lat.append((got - sent) * 1000.0)
    return {
        "pings": len(lat),
        "unanswered": unanswered,
        "median_ms": percentile(lat, 50),
        "p99_ms": percentile(lat, 99),
        "max_ms": max(lat) if lat else None,
        "over_100ms": sum(1 for v in lat if v > 100.0),
    }


def longest_silence(probe, t_from, t_end):
    """The longest time in [t_from, t_end] in which the window answered no ping, in ms."""
    points = sorted(t for t in probe.replies.values() if t_from < t < t_end)
    points = [t_from] + points + [t_end]
    return max(b - a for a, b in zip(points, points[1:])) * 1000.0


def r(x, nd=1):
    return None if x is None else round(x, nd)


def fmt(x, unit="ms", nd=1):
    return "-" if x is None else f"{x:.{nd}f}" + (f" {unit}" if unit else "")


# ---------------------------------------------------------------- the run

def parse_args():
    p = argparse.ArgumentParser(
        description="Measure the wslab window's responsiveness (_NET_WM_PING under Xvfb) and "
                    "memory while outside clients echo-flood its embedded server (or, with "
                    "--class N, while a class of N phones joins and chats).")
    p.add_argument("--seconds", type=float, default=8.0,
                   help="length of the flood, or of the class's chat (default 8)")
    p.add_argument("--connections", type=int, default=4, help="flooding connections (default 4)")
    p.add_argument("--inflight", type=int, default=64,
                   help="messages in flight per connection (default 64)")
    p.add_argument("--size", type=int, default=32, help="message size in bytes (default 32)")
    p.add_argument("--class", dest="phones", type=int, default=0, metavar="N",
                   help="instead of the flood: N phones join /ws and /chat and chat (e.g. 60; "
                        "the server takes 256 connections from one address, two per phone)")
    p.add_argument("--every-ms", type=float, default=250.0,
                   help="with --class: each phone says a line this often (default 250)")
    p.add_argument("--phones-script", default=os.path.join(REPO, "bench", "class_phones.py"),
                   help="with --class: the phones (default bench/class_phones.py)")
    p.add_argument("--load", default=os.path.join(REPO, "build", "bench", "wslab-load"),
                   help="the load generator (default build/bench/wslab-load)")
    p.add_argument("--wslab", default=os.path.join(REPO, "build", "app", "wslab"),
                   help="the window (default build/app/wslab)")
    p.add_argument("--window-cpu", default="0",
                   help="CPU list for the window (taskset -c), or 'none' (default 0)")
    p.add_argument("--load-cpu", default="1",
                   help="CPU list for the load generator, or 'none' (default 1)")
    p.add_argument("--idle", type=float, default=2.0, help="idle baseline before the flood (s)")
    p.add_argument("--after", type=float, default=5.0, help="measured time after the flood (s)")
    p.add_argument("--interval", type=float, default=20.0, help="ping interval in ms (default 20)")
    p.add_argument("--apparatus-nice", type=int, default=10, metavar="N",
                   help="run Xvfb and the ping thread at nice -N, so that what is measured is the "
                        "window, not the measuring (needs root; 0: don't; default 10)")
    p.add_argument("--wait-quiet", type=float, default=30.0, metavar="S",
                   help="first wait up to S seconds for the machine to be idle (default 30; 0: "
                        "don't)")
    p.add_argument("--keep-screenshot", metavar="FILE",
                   help="save a screenshot of the screen mid-flood (needs imagemagick)")
    p.add_argument("--keep-logs", metavar="DIR",
                   help="copy the window's, Xvfb's and the load's output to DIR")
    a = p.parse_args()
    if a.seconds <= 0 or a.connections < 1 or a.inflight < 1 or a.size < 1 or a.interval <= 0:
        p.error("--seconds, --connections, --inflight, --size and --interval must be positive")
    if a.phones < 0 or a.every_ms <= 0:
        p.error("--class takes a positive number of phones, --every-ms a positive interval")
    return a


def pinned(cpus, cmd):
    if cpus.lower() == "none":
        return cmd
    if not shutil.which("taskset"):
        raise Failure("taskset is missing: apt-get install util-linux (or pass --window-cpu none "
                      "--load-cpu none)")
    return ["taskset", "-c", cpus] + cmd


def run(a, work):
    needed = [("the window", a.wslab, "wslab")]
    if not a.phones:
        needed.append(("the load generator", a.load, "load"))
    for what, path, option in needed:
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            raise Failure(f"{what} is not at {path}: build it (cmake --build build --target "
                          f"{os.path.basename(path)}) or pass --{option} PATH")
    if a.phones:
        if not os.path.isfile(a.phones_script):
            raise Failure(f"the phones are not at {a.phones_script}: pass --phones-script PATH")
        # The phones run under this same interpreter.
        if importlib.util.find_spec("websockets") is None:
            raise Failure("python3-websockets is missing: apt-get install python3-websockets, "
                          f"and run this script with Debian's /usr/bin/python3 (not "
                          f"{sys.executable})")
    if a.keep_screenshot and not shutil.which("import"):
        raise Failure("--keep-screenshot needs `import`: apt-get install imagemagick")

    if not shutil.which("Xvfb"):
        raise Failure("Xvfb is missing: apt-get install xvfb")
    for cpus in (a.window_cpu, a.load_cpu):
        pinned(cpus, [])  # says so now if taskset is missing
    if a.wait_quiet > 0 and not wait_quiet(a.wait_quiet):
        print(f"{PROG}: warning: the machine was still busy after {a.wait_quiet:g} s; "
              "measuring anyway", file=sys.stderr)
    xvfb, dpy_name = start_xvfb(work)
    nice = None if a.apparatus_nice == 0 else -a.apparatus_nice
    xvfb_niced = nice is not None and all(
        [set_nice(int(t), nice) for t in os.listdir(f"/proc/{xvfb.pid}/task")])

    home = os.path.join(work, "home")
    runtime = os.path.join(work, "runtime")
    os.makedirs(os.path.join(home, ".config"))
    os.makedirs(runtime, mode=0o700)
    stall_log = os.path.join(work, "stall.json")
    env = dict(os.environ)
    for k in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "WAYLAND_DISPLAY", "QT_QPA_PLATFORMTHEME",
              "SESSION_MANAGER"):
        env.pop(k, None)
    env.update(QT_QPA_PLATFORM="xcb", DISPLAY=dpy_name, LANG="C.UTF-8", HOME=home,
               XDG_CONFIG_HOME=os.path.join(home, ".config"), XDG_RUNTIME_DIR=runtime,
               WSLAB_STALL_LOG=stall_log)

    asked = free_port()
    for _ in range(20):
        if port_is_free(asked):
            break
        asked = free_port()
    window_log = open(os.path.join(work, "wslab.log"), "w")
    window = spawn(pinned(a.window_cpu, [a.wslab, "--connect", "--port", str(asked)]),
                   env=env, stdin=subprocess.DEVNULL, stdout=window_log, stderr=window_log)
    pid = window.pid  # taskset execs: same pid

    # Wait for the window and for the embedded server.
    d = connect_display(dpy_name)
    win = port = None
    deadline = time.monotonic() + 30
    while win is None or port is None:
        if window.poll() is not None:
            raise Failure(f"wslab exited with {window.returncode} before its window showed:\n"
                          + tail(window_log.name))
        if time.monotonic() > deadline:
            raise Failure("after 30 s: " + ("no wslab window with _NET_WM_PING" if win is None
                                            else "the embedded server does not answer HTTP")
                          + "\n" + tail(window_log.name))
        if win is None:
            win = find_window(d, pid)
        if port is None:
            port = server_port(pid, asked)
        if win is None or port is None:
            time.sleep(0.1)
    d.close()

    probe = Probe(dpy_name, win, a.interval / 1000.0, nice)
    _probes.append(probe)
    probe.start()

    # Let the window settle (its own client connects at start), and check that pings come back.
    probe.sending.set()
    deadline = time.monotonic() + 10
    while not probe.replies:
        if probe.failed:
            raise Failure(f"the ping probe failed: {probe.failed}")
        if time.monotonic() > deadline:
            raise Failure("the window never answered _NET_WM_PING in 10 s")
        time.sleep(0.02)
    time.sleep(1.0)

    samples = []  # (t, MB)

    def sample():
        v = rss_mb(pid)
        if v is not None:
            samples.append((time.monotonic(), v))
        return v

    def sample_for(seconds, until=None):
        end = time.monotonic() + seconds
        while time.monotonic() < end and (until is None or not until()):
            sample()
            if window.poll() is not None:
                return
            time.sleep(min(0.1, max(0.0, end - time.monotonic())))

    # Idle baseline.
    idle_from = time.monotonic()
    others = OthersMeter([pid, xvfb.pid])
    sample_for(a.idle)
    idle_to = time.monotonic()
    others_idle = others.percent()
    rss_before = sample()

    # The flood.
    load_out = open(os.path.join(work, "load.out"), "w")
    load_err = open(os.path.join(work, "load.err"), "w")
    if a.phones:
        load_cmd = pinned(a.load_cpu, [sys.executable, a.phones_script, "--port", str(port),
                                       "--phones", str(a.phones), "--every-ms", f"{a.every_ms:g}",
                                       "--seconds", f"{a.seconds:g}"])
    else:
        url = f"ws://127.0.0.1:{port}/ws"
        load_cmd = pinned(a.load_cpu, [a.load, "echo", "--url", url, "--connections",
                                       str(a.connections), "--inflight", str(a.inflight),
                                       "--size", str(a.size), "--seconds", f"{a.seconds:g}",
                                       "--warmup", "0"])
    flood_from = time.monotonic()
    load = spawn(load_cmd, stdin=subprocess.DEVNULL, stdout=load_out, stderr=load_err)
    others = OthersMeter([pid, xvfb.pid, load.pid])
    shot = None
    shot_at = flood_from + a.seconds / 2
    load_deadline = flood_from + a.seconds + 60
    while load.poll() is None and time.monotonic() < load_deadline:
        sample()
        if a.keep_screenshot and shot is None and time.monotonic() >= shot_at:
            shot = spawn(["import", "-window", "root", a.keep_screenshot], env=env,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=open(os.path.join(work, "import.log"), "w"))
        time.sleep(0.1)
    flood_to = time.monotonic()
    others_flood = others.percent()
    load_timed_out = load.poll() is None
    if load_timed_out:
        stop(load)
    rss_peak = max((v for t, v in samples if flood_from <= t <= flood_to), default=None)

    # After the flood.
    sample_for(a.after)
    after_to = time.monotonic()
    rss_after = sample()
    window_alive = window.poll() is None

    # Stop pinging; give outstanding pings up to 2 s more, then whatever is left is a stall.
    probe.sending.clear()
    deadline = time.monotonic() + 2.0
    while probe.outstanding() and time.monotonic() < deadline and window.poll() is None:
        time.sleep(0.02)
    end = time.monotonic()
    probe.close()
    if probe.failed:
        raise Failure(f"the ping probe failed: {probe.failed}")

    shot_ok = None
    if shot is not None:
        try:
            shot.wait(20)
        except subprocess.TimeoutExpired:
            stop(shot)
        shot_ok = shot.returncode == 0 and os.path.isfile(a.keep_screenshot)

    # Quit the window; its watchdog (if it has one) writes at exit.
    exit_code = window.returncode
    if window_alive:
        window.send_signal(signal.SIGTERM)
        try:
            exit_code = window.wait(10)
        except subprocess.TimeoutExpired:
            window.kill()
            window.wait(5)
            exit_code = "killed after 10 s"
    watchdog = None
    try:
        with open(stall_log) as f:
            lines = [ln for ln in f.read().splitlines() if ln.strip()]
        if lines:
            watchdog = json.loads(lines[-1])
    except (OSError, ValueError):
        watchdog = None
    stop(xvfb)

    # The load's verdict.
    load_out.close()
    load_err.close()
    load_result = None
    with open(load_out.name, errors="replace") as f:
        for line in reversed(f.read().splitlines()):
            try:
                load_result = json.loads(line)
                break
            except ValueError:
                continue
    key, who = ("chat_received", "class_phones.py") if a.phones else ("msgs_per_s", "wslab-load")
    if load_result is None or key not in load_result:
        print(f"{PROG}: warning: {who} printed no JSON line with {key} (exit "
              f"{load.returncode}):\n{tail(load_err.name) or tail(load_out.name)}", file=sys.stderr)
        load_result = None
    elif a.phones and load.returncode != 0:
        print(f"{PROG}: warning: class_phones.py exited with {load.returncode}: "
              f"{load_result.get('first_error')}", file=sys.stderr)

    idle = ping_stats(probe, idle_from, idle_to, end)
    flood = ping_stats(probe, flood_from, flood_to, end)
    after = ping_stats(probe, flood_to, after_to, end)
    # The class's phases, on the phones' clock (CLOCK_MONOTONIC, as ours): joining, chatting.
    joining = chatting = None
    if a.phones and load_result and "t_joined" in load_result:
        joining = ping_stats(probe, load_result["t_join"], load_result["t_joined"], end)
        chatting = ping_stats(probe, load_result["t_joined"], load_result["t_chat_to"], end)
    lateness = [x * 1000.0 for x in probe.lateness]

    if a.phones:
        scenario = {"class": a.phones, "every_ms": a.every_ms}
    else:
        scenario = {"connections": a.connections, "inflight": a.inflight, "size": a.size}
    result = {
        "scenario": dict(scenario, **{
                     "seconds": a.seconds, "window_cpu": a.window_cpu, "load_cpu": a.load_cpu,
                     "ping_interval_ms": a.interval, "idle_seconds": a.idle,
                     "after_seconds": a.after, "port": port, "probe_mode": probe.mode,
                     "apparatus_niced": bool(xvfb_niced and probe.niced)}),
        "idle_ping_median_ms": r(idle["median_ms"], 2),
        "flood_ping_median_ms": r(flood["median_ms"]),
        "flood_ping_p99_ms": r(flood["p99_ms"]),
        "flood_ping_max_ms": r(flood["max_ms"]),
        "flood_pings": flood["pings"],
        "flood_pings_over_100ms": flood["over_100ms"],
        "flood_unanswered": flood["unanswered"],
        "longest_silence_ms": r(longest_silence(probe, flood_from, end)),
        "after_ping_median_ms": r(after["median_ms"]),
        "after_ping_max_ms": r(after["max_ms"]),
        "echo_msgs_per_s": load_result.get("msgs_per_s") if load_result else None,
        "load_errors": load_result.get("errors") if load_result else None,
        "load_exit": load.returncode,
        "flood_seconds_actual": r(flood_to - flood_from, 2),
        "rss_before_mb": r(rss_before),
        "rss_peak_mb": r(rss_peak),
        "rss_after_mb": r(rss_after),
        "rss_max_mb": r(max((v for _, v in samples), default=None)),
        "watchdog": watchdog,
        "others_cpu_idle_pct": r(others_idle, 0),
        "others_cpu_flood_pct": r(others_flood, 0),
        "probe_lateness_p99_ms": r(percentile(lateness, 99), 2),
        "probe_lateness_max_ms": r(max(lateness, default=None), 2),
        "window_survived": window_alive,
        "window_exit": exit_code,
    }
    if load_timed_out:
        result["load_timed_out"] = True
    if a.phones:
        c = load_result or {}
        result["load_errors"] = (c.get("connect_failures", 0) + sum(
            c.get("server_closes", {}).values())) if load_result else None
        for name, s in (("joining", joining), ("chatting", chatting)):
            result[f"{name}_ping_median_ms"] = r(s["median_ms"]) if s else None
            result[f"{name}_ping_p99_ms"] = r(s["p99_ms"]) if s else None
            result[f"{name}_ping_max_ms"] = r(s["max_ms"]) if s else None
        result["chat_lines_sent"] = c.get("chat_sent")
        result["chat_lines_expected"] = c.get("chat_expected")
        result["chat_lines_received"] = c.get("chat_received")
        result["class"] = load_result

    # ---- the table
    mode = "pinned to CPU " + a.window_cpu if a.window_cpu != "none" else "unpinned"
    lmode = "pinned to CPU " + a.load_cpu if a.load_cpu != "none" else "unpinned"
    if a.phones:
        print(f"wslab with a class of {a.phones} phones on /ws and /chat, a chat line from each "
              f"every {a.every_ms:g} ms for {a.seconds:g} s (window {mode}, phones {lmode}, "
              f"port {port})")
        rows = [(f"idle ({a.idle:g} s)", idle), ("during the class", flood)]
        rows += [(name, s) for name, s in (("  of which joining", joining),
                                           ("  of which chatting", chatting)) if s]
        rows.append((f"after the class ({a.after:g} s)", after))
    else:
        print(f"wslab under an echo flood: {a.connections} connections x {a.inflight} in flight, "
              f"{a.size} B, {a.seconds:g} s (window {mode}, load {lmode}, port {port})")
        rows = [(f"idle ({a.idle:g} s)", idle), ("during the flood", flood),
                (f"after the flood ({a.after:g} s)", after)]
    print(f"{'_NET_WM_PING every %g ms' % a.interval:<28}{'median':>10}{'p99':>11}{'max':>11}"
          f"{'pings':>7}{'>100ms':>8}{'unanswered':>12}")
    for name, s in rows:
        print(f"{name:<28}{fmt(s['median_ms']):>10}{fmt(s['p99_ms']):>11}{fmt(s['max_ms']):>11}"
              f"{s['pings']:>7}{s['over_100ms']:>8}{s['unanswered']:>12}")
    what = "class" if a.phones else "flood"
    print(f"longest silence, {what} start to end of run: {fmt(result['longest_silence_ms'])}")
    print(f"probe's own lateness (its jitter):          p99 {fmt(result['probe_lateness_p99_ms'])}"
          f", max {fmt(result['probe_lateness_max_ms'])}")
    if a.phones:
        c = load_result or {}
        print(f"phones in:                                  {c.get('chat_open', '-')} of "
              f"{a.phones} on /chat, {c.get('ws_open', '-')} on /ws, in "
              f"{fmt(c.get('join_s'), 's', 2)}"
              + (f" ({c['connect_failures']} could not join: {c.get('first_error')})"
                 if c.get("connect_failures") else ""))
        print(f"chat lines the phones received:             {c.get('chat_received', '-')} of "
              f"{c.get('chat_expected', '-')} ({c.get('chat_sent', '-')} sent x "
              f"{c.get('chat_members_at_end', '-')} in the room); delivery as the phones saw it: "
              f"median {fmt(c.get('chat_latency_ms_p50'))}, p99 {fmt(c.get('chat_latency_ms_p99'))}"
              f", max {fmt(c.get('chat_latency_ms_max'))}")
        print(f"Beijing-time pushes the phones received:    {c.get('time_pushes', '-')} on /ws"
              + (f"; closed by the server: {c['server_closes']}" if c.get("server_closes") else "")
              + f"; the phones used {fmt(c.get('phones_cpu_s'), 's', 2)} of CPU")
    else:
        rate = result["echo_msgs_per_s"]
        print(f"echo rate the server sustained:             "
              f"{'-' if rate is None else f'{rate:,.0f} msg/s'} (wslab-load, "
              f"{result['flood_seconds_actual']:g} s of flood"
              + (f", {result['load_errors']} errors" if result["load_errors"] else "") + ")")
    print(f"window RSS (MB):                            before {fmt(rss_before, '')}, "
          f"peak during {what} {fmt(rss_peak, '')}, {a.after:g} s after {fmt(rss_after, '')}"
          f" (max {fmt(result['rss_max_mb'], '')})")
    for phase, busy in (("the idle baseline", others_idle), (f"the {what}", others_flood)):
        if busy is not None and busy > 10:
            print(f"warning: other processes used {busy:.0f}% of a CPU during {phase}: the "
                  "machine is not quiet, the figures are noisy")
    if watchdog is not None:
        print("watchdog (the window's own):                " + ", ".join(
            f"{k} {v}" for k, v in watchdog.items()))
    else:
        print("watchdog: not available")
    if not window_alive:
        print(f"the window DIED during the run (exit {exit_code})")
    elif exit_code not in (0, -signal.SIGTERM):
        print(f"the window's exit on SIGTERM: {exit_code}")
    if a.keep_screenshot:
        print(f"screenshot mid-flood: {a.keep_screenshot}" if shot_ok else
              "screenshot mid-flood: failed\n" + tail(os.path.join(work, "import.log")))
    print(json.dumps(result))


def main():
    a = parse_args()
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, _on_signal)
    work = tempfile.mkdtemp(prefix="gui_flood.")
    try:
        run(a, work)
        return 0
    except Failure as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except Interrupted as e:
        print(f"{PROG}: stopped by {e}", file=sys.stderr)
        return 128 + e.signum
    finally:
        stop_all()
        if a.keep_logs:
            os.makedirs(a.keep_logs, exist_ok=True)
            for name in ("wslab.log", "xvfb.log", "load.out", "load.err", "import.log"):
                if os.path.exists(os.path.join(work, name)):
                    shutil.copy(os.path.join(work, name), a.keep_logs)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
