#!/usr/bin/python3
"""class_phones: a class of phones on the window's embedded server, as the phone page joins it.

Each phone K opens `/ws?name=student-K` (the Beijing-time push and the echo) and then
`/chat?name=student-K` (the room), with a phone browser's User-Agent (odd K an iPhone's Safari,
even K an Android phone's Chrome) and the page's Origin, as the page at `/?name=student-K` does.
Once every phone is in, each says a line in the room every --every-ms for --seconds (each from
its own random phase, as people type), waits until the room's lines have reached every phone
(or --drain-s), and leaves with a normal close (1000).

Every line the room sends goes to every member, so with N phones in the room each line should
arrive N times; the phones count what arrives on both routes. The lines carry their send time,
so the phones also time the room's delivery (as they saw it: on a busy machine their own
Python lags too). Progress goes to stderr; one JSON line to stdout at the end. It is started by
gui_flood.py --class N, in a process of its own so that it does not share the probe's.

Run it with Debian's /usr/bin/python3 (python3-websockets; written against 10.4, Debian 12).
"""

import argparse
import asyncio
import json
import random
import re
import resource
import signal
import sys
import time

PROG = "class_phones"

try:
    import websockets
except ImportError:
    sys.exit(f"{PROG}: python3-websockets is missing: apt-get install python3-websockets, and run "
             f"this script with Debian's /usr/bin/python3 (not {sys.executable})")

# Current phone browsers' User-Agent headers, as the class list (deviceSummary) reads them.
IPHONE_SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
                 "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1")
ANDROID_CHROME = ("Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like "
                  "Gecko) Chrome/119.0.0.0 Mobile Safari/537.36")

# The server's Beijing-time push on /ws ("2026-12-02T22:39:09+08:00"), as the page matches it.
TIME_PUSH = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")
# A line the room relays ("student-3: line 17 t=1234.5"); t: ms since this script's start.
OUR_LINE = re.compile(r"^student-\d+: line \d+ t=(\d+\.\d)$")

T0 = time.monotonic()


def now_ms():
    return (time.monotonic() - T0) * 1000.0


def percentile(values, q):
    """Nearest rank."""
    if not values:
        return None
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(-(-q * len(s) // 100)) - 1))
    return s[k]


class Tally:
    """What the whole class saw; one event loop, so no locks."""

    def __init__(self):
        self.ws_open = 0
        self.chat_open = 0
        self.connect_failures = 0
        self.first_error = None
        self.sent = 0
        self.sends_skipped = 0  # a phone fell a whole period behind its schedule
        self.chat_lines = 0     # our lines, received by anyone (each counts once per receiver)
        self.chat_other = 0     # other people's lines (the teacher, say)
        self.notices = 0        # "* student-3 joined (…)" and the like
        self.time_pushes = 0
        self.ws_other = 0       # echoes and anything else on /ws
        self.server_closes = {}  # close code -> count, for closes before we left
        self.latency_ms = []

    def error(self, what):
        if self.first_error is None:
            self.first_error = what


def note_server_close(ws, route, tally, leaving):
    """A socket the server closed while the phones were not leaving: counted and said."""
    if leaving.is_set():
        return
    code = ws.close_code
    tally.server_closes[code] = tally.server_closes.get(code, 0) + 1
    tally.error(f"{route} closed by the server: {code} {ws.close_reason}")


async def read_chat(ws, tally, leaving):
    try:
        async for msg in ws:
            if not isinstance(msg, str):
                tally.chat_other += 1
            elif msg.startswith("* "):
                tally.notices += 1
            else:
                m = OUR_LINE.match(msg)
                if m:
                    tally.chat_lines += 1
                    tally.latency_ms.append(now_ms() - float(m.group(1)))
                else:
                    tally.chat_other += 1
    except websockets.ConnectionClosed:
        pass
    note_server_close(ws, "/chat", tally, leaving)


async def read_ws(ws, tally, leaving):
    try:
        async for msg in ws:
            if isinstance(msg, str) and TIME_PUSH.match(msg):
                tally.time_pushes += 1
            else:
                tally.ws_other += 1
    except websockets.ConnectionClosed:
        pass
    note_server_close(ws, "/ws", tally, leaving)


class Phone:
    def __init__(self, k, a):
        self.k = k
        self.name = f"student-{k}"
        self.user_agent = IPHONE_SAFARI if k % 2 else ANDROID_CHROME
        self.a = a
        self.ws = self.chat = None
        self.tasks = []

    async def _open(self, path):
        a = self.a
        return await websockets.connect(
            f"ws://{a.host}:{a.port}{path}?name={self.name}",
            origin=f"http://{a.host}:{a.port}",  # the page's own origin, as a browser sends it
            user_agent_header=self.user_agent,
            ping_interval=None,  # browsers do not ping; the server may
            open_timeout=a.timeout_s, close_timeout=2, max_size=2 ** 20)

    async def join(self, tally, leaving, gate):
        async with gate:  # a few handshakes at a time, as phones scanning a code do
            try:
                self.ws = await self._open("/ws")
                tally.ws_open += 1
                self.tasks.append(asyncio.create_task(read_ws(self.ws, tally, leaving)))
                self.chat = await self._open("/chat")
                tally.chat_open += 1
                self.tasks.append(asyncio.create_task(read_chat(self.chat, tally, leaving)))
            except Exception as e:  # noqa: BLE001 - refused, timed out, 503, …: counted
                tally.connect_failures += 1
                tally.error(f"{self.name} could not join: {type(e).__name__}: {e}")

    async def talk(self, tally, until):
        if self.chat is None:
            return
        interval = self.a.every_ms / 1000.0
        next_at = time.monotonic() + random.uniform(0, interval)
        n = 0
        while True:
            if next_at >= until:
                return
            wait = next_at - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            n += 1
            try:
                await self.chat.send(f"line {n} t={now_ms():.1f}")
            except websockets.ConnectionClosed:
                return
            tally.sent += 1
            next_at += interval
            if next_at < time.monotonic():  # a whole period behind: skip, keep the cadence
                tally.sends_skipped += 1
                next_at = time.monotonic() + interval

    async def leave(self):
        for ws in (self.chat, self.ws):
            if ws is not None:
                try:
                    await ws.close(1000)
                except Exception:  # noqa: BLE001 - leaving anyway
                    pass
        for t in self.tasks:
            try:
                await asyncio.wait_for(t, 3)
            except Exception:  # noqa: BLE001
                t.cancel()


async def run(a):
    tally = Tally()
    leaving = asyncio.Event()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)

    phones = [Phone(k, a) for k in range(1, a.phones + 1)]
    gate = asyncio.Semaphore(a.parallel)
    join_from = time.monotonic()
    await asyncio.wait([asyncio.create_task(p.join(tally, leaving, gate)) for p in phones])
    joined = time.monotonic()
    print(f"open {tally.chat_open} of {a.phones} phones ({tally.ws_open} /ws, "
          f"{tally.connect_failures} failed) in {joined - join_from:.2f} s", file=sys.stderr)

    chat_from = time.monotonic()
    talkers = asyncio.gather(*(p.talk(tally, chat_from + a.seconds) for p in phones))
    stopper = asyncio.create_task(stop.wait())
    await asyncio.wait([talkers, stopper], return_when=asyncio.FIRST_COMPLETED)
    chat_to = time.monotonic()
    print(f"sent {tally.sent} lines in {chat_to - chat_from:.2f} s", file=sys.stderr)

    # Every member should get every line; wait for the last ones in flight.
    members = sum(1 for p in phones if p.chat is not None and p.chat.open)
    expected = tally.sent * members
    drain_end = time.monotonic() + a.drain_s
    while tally.chat_lines < expected and time.monotonic() < drain_end and not stop.is_set():
        await asyncio.sleep(0.02)
    drained = time.monotonic()

    leaving.set()
    await asyncio.gather(*(p.leave() for p in phones))
    left = time.monotonic()
    if not talkers.done():
        talkers.cancel()
    stopper.cancel()

    ru = resource.getrusage(resource.RUSAGE_SELF)
    lat = tally.latency_ms
    result = {
        "phones": a.phones, "every_ms": a.every_ms, "seconds": a.seconds,
        "ws_open": tally.ws_open, "chat_open": tally.chat_open,
        "connect_failures": tally.connect_failures,
        "join_s": round(joined - join_from, 2),
        "chat_sent": tally.sent, "chat_sends_skipped": tally.sends_skipped,
        "chat_members_at_end": members,
        "chat_expected": expected, "chat_received": tally.chat_lines,
        "chat_missing": max(0, expected - tally.chat_lines),
        "chat_other": tally.chat_other, "notices": tally.notices,
        "chat_latency_ms_p50": None if not lat else round(percentile(lat, 50), 1),
        "chat_latency_ms_p99": None if not lat else round(percentile(lat, 99), 1),
        "chat_latency_ms_max": None if not lat else round(max(lat), 1),
        "time_pushes": tally.time_pushes, "ws_other": tally.ws_other,
        "server_closes": {str(k): v for k, v in tally.server_closes.items()},
        "drain_s": round(drained - chat_to, 2),
        "first_error": tally.first_error,
        "interrupted": stop.is_set(),
        "phones_cpu_s": round(ru.ru_utime + ru.ru_stime, 2),
        # CLOCK_MONOTONIC, the same clock as the caller's time.monotonic(): its phases.
        "t_join": join_from, "t_joined": joined, "t_chat_to": chat_to, "t_drained": drained,
        "t_left": left,
    }
    print(json.dumps(result), flush=True)
    return 0 if tally.connect_failures == 0 and not tally.server_closes else 1


def main():
    p = argparse.ArgumentParser(description="A class of phones joins a WsLab embedded server "
                                            "(/ws and /chat) and chats.")
    p.add_argument("--port", type=int, required=True, help="the embedded server's port")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--phones", type=int, default=60, help="how many phones (default 60)")
    p.add_argument("--every-ms", type=float, default=250.0,
                   help="each phone says a line this often (default 250)")
    p.add_argument("--seconds", type=float, default=8.0, help="how long they chat (default 8)")
    p.add_argument("--parallel", type=int, default=20,
                   help="handshakes in progress at once while joining (default 20)")
    p.add_argument("--drain-s", type=float, default=5.0,
                   help="longest wait for the last lines after the chat (default 5)")
    p.add_argument("--timeout-s", type=float, default=20.0, help="handshake timeout (default 20)")
    a = p.parse_args()
    if a.phones < 1 or a.every_ms <= 0 or a.seconds <= 0 or a.parallel < 1:
        p.error("--phones, --every-ms, --seconds and --parallel must be positive")
    return asyncio.run(run(a))


if __name__ == "__main__":
    sys.exit(main())
