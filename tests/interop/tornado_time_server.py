#!/usr/bin/python3
"""The lesson's exercise 1 written in Tornado, as a real third-party server:
pushes Beijing time to every client every INTERVAL seconds and echoes what it receives.

Usage: tornado_time_server.py [INTERVAL]
Listens on 127.0.0.1 on a free port and prints "listening PORT".
"""
import datetime
import socket
import sys

from tornado import ioloop, web, websocket
from tornado.httpserver import HTTPServer

BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def beijing_now():
    return datetime.datetime.now(BEIJING).replace(microsecond=0).isoformat()


class TimeHandler(websocket.WebSocketHandler):
    clients = set()

    def open(self):
        TimeHandler.clients.add(self)

    def on_message(self, message):
        self.write_message(message, binary=isinstance(message, bytes))

    def on_close(self):
        TimeHandler.clients.discard(self)


def push():
    for client in list(TimeHandler.clients):
        client.write_message(beijing_now())


def main():
    interval = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    app = web.Application([(r"/ws", TimeHandler)])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.setblocking(False)
    server = HTTPServer(app)
    server.add_sockets([sock])
    print("listening", sock.getsockname()[1], flush=True)
    ioloop.PeriodicCallback(push, interval * 1000).start()
    ioloop.IOLoop.current().start()


if __name__ == "__main__":
    main()
