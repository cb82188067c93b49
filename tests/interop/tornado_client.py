#!/usr/bin/python3
"""The lesson's Tornado client (chapter 6, section 4), as a real third-party peer.

    conn = await websocket_connect(url)
    msg = await conn.read_message()   # None once the server closed the connection

Usage: tornado_client.py URL COUNT [TEXT]
Sends TEXT (if given), prints COUNT messages one per line, then closes with 1000.
Prints "closed CODE REASON" if the server closes first. Exit 0 on success.
"""
import sys

from tornado import ioloop
from tornado.websocket import websocket_connect


async def main(url, count, text):
    conn = await websocket_connect(url)
    if text is not None:
        await conn.write_message(text)
    for _ in range(count):
        msg = await conn.read_message()
        if msg is None:
            print("closed", conn.close_code, conn.close_reason or "", flush=True)
            return 0
        print(msg if isinstance(msg, str) else "binary:" + msg.hex(), flush=True)
    conn.close(1000, "enough")
    return 0


if __name__ == "__main__":
    url, count = sys.argv[1], int(sys.argv[2])
    text = sys.argv[3] if len(sys.argv) > 3 else None
    sys.exit(ioloop.IOLoop.current().run_sync(lambda: main(url, count, text), timeout=30))
