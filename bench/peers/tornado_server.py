#!/usr/bin/python3
"""Tornado peer of WsLab's server benchmarks (the lesson's framework).

Echoes every message on any path; with --interval S pushes the Beijing time string
(wslab-server's format) to every client every S seconds. --port 0 prints "listening PORT".
Run with Debian's /usr/bin/python3, which has python3-tornado.
"""

import argparse
import asyncio
import datetime

import tornado.httpserver
import tornado.ioloop
import tornado.netutil
import tornado.web
import tornado.websocket

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
clients = set()


class Echo(tornado.websocket.WebSocketHandler):
    def check_origin(self, origin):
        return True

    def open(self, *args):
        clients.add(self)

    def on_message(self, message):
        try:
            self.write_message(message, binary=isinstance(message, bytes))
        except tornado.websocket.WebSocketClosedError:
            pass

    def on_close(self):
        clients.discard(self)


def push():
    now = datetime.datetime.now(BEIJING).replace(microsecond=0).isoformat()
    for client in list(clients):
        try:
            client.write_message(now)
        except tornado.websocket.WebSocketClosedError:
            clients.discard(client)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--interval", type=float, default=0)
    options = parser.parse_args()

    app = tornado.web.Application([(r"/.*", Echo)])
    sockets = tornado.netutil.bind_sockets(options.port, "127.0.0.1")
    server = tornado.httpserver.HTTPServer(app)
    server.add_sockets(sockets)
    if options.interval > 0:
        tornado.ioloop.PeriodicCallback(push, options.interval * 1000).start()
    print(f"listening {sockets[0].getsockname()[1]}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
