#!/usr/bin/python3
"""Checks a HAR file against the HAR 1.2 shape and Chrome DevTools' WebSocket extension.

Usage: harcheck.py FILE [--min-messages N]. Exit 0 when it conforms; otherwise one line per
problem on stderr and exit 1. The json module only (no PyPI), so it runs on Debian's python3.
"""
import json
import sys

problems = []


def need(obj, key, types, where):
    if not isinstance(obj, dict) or key not in obj:
        problems.append(f"{where}.{key}: missing")
        return None
    value = obj[key]
    # bool is an int in Python; a HAR number must not be a bool.
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in (
            types if isinstance(types, tuple) else (types,))):
        problems.append(f"{where}.{key}: {type(value).__name__}, expected {types}")
        return None
    return value


def name_values(lst, where):
    for i, item in enumerate(lst or []):
        need(item, "name", str, f"{where}[{i}]")
        need(item, "value", str, f"{where}[{i}]")


def main():
    path = sys.argv[1]
    min_messages = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[2] == "--min-messages" else 0
    with open(path, encoding="utf-8") as f:
        har = json.load(f)
    log = need(har, "log", dict, "har")
    if log is None:
        return report()
    if need(log, "version", str, "log") != "1.2":
        problems.append("log.version: not \"1.2\"")
    creator = need(log, "creator", dict, "log")
    need(creator, "name", str, "log.creator")
    need(creator, "version", str, "log.creator")
    entries = need(log, "entries", list, "log") or []
    if not entries:
        problems.append("log.entries: empty")
    number = (int, float)
    for i, e in enumerate(entries):
        w = f"log.entries[{i}]"
        need(e, "startedDateTime", str, w)
        need(e, "time", number, w)
        req = need(e, "request", dict, w)
        for key, t in (("method", str), ("url", str), ("httpVersion", str), ("headers", list),
                       ("queryString", list), ("cookies", list), ("headersSize", int),
                       ("bodySize", int)):
            need(req, key, t, w + ".request")
        if req:
            name_values(req.get("headers"), w + ".request.headers")
            name_values(req.get("queryString"), w + ".request.queryString")
            name_values(req.get("cookies"), w + ".request.cookies")
            if req.get("method") != "GET":
                problems.append(w + ".request.method: a WebSocket handshake is a GET")
        res = need(e, "response", dict, w)
        for key, t in (("status", int), ("statusText", str), ("httpVersion", str),
                       ("headers", list), ("cookies", list), ("content", dict),
                       ("redirectURL", str), ("headersSize", int), ("bodySize", int)):
            need(res, key, t, w + ".response")
        if res:
            name_values(res.get("headers"), w + ".response.headers")
            content = res.get("content") or {}
            need(content, "size", int, w + ".response.content")
            need(content, "mimeType", str, w + ".response.content")
            if res.get("status") != 101:
                problems.append(w + ".response.status: not 101")
        need(e, "cache", dict, w)
        timings = need(e, "timings", dict, w)
        for key in ("send", "wait", "receive"):
            value = need(timings, key, number, w + ".timings")
            if value is not None and value < 0:
                problems.append(f"{w}.timings.{key}: negative")
        if e.get("_resourceType") != "websocket":
            problems.append(w + "._resourceType: not \"websocket\"")
        messages = need(e, "_webSocketMessages", list, w) or []
        if len(messages) < min_messages:
            problems.append(f"{w}._webSocketMessages: {len(messages)} < {min_messages}")
        for j, m in enumerate(messages):
            mw = f"{w}._webSocketMessages[{j}]"
            if need(m, "type", str, mw) not in ("send", "receive"):
                problems.append(mw + ".type: neither send nor receive")
            need(m, "time", number, mw)
            if need(m, "opcode", int, mw) not in (1, 2):
                problems.append(mw + ".opcode: neither 1 nor 2")
            need(m, "data", str, mw)
            if set(m) != {"type", "time", "opcode", "data"}:
                problems.append(mw + f": keys {sorted(m)} are not Chrome's")
    return report()


def report():
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
