#!/usr/bin/python3
"""python-websockets server that sends back what it received in the handshake.

    handshake_echo_server.py [--subprotocols a,b] [--tls CERT KEY [--client-ca CA]] [--close]
                             [--log]

On each connection it sends one text message, JSON:
    {"path": "/ws?x=1", "headers": [[name, value], ...], "subprotocol": "chat" or null,
     "client_certificate": subject CN or null}
then echoes what it receives, or with --close closes at once with 1001.
--subprotocols: those it accepts (it picks the one both sides prefer, or none);
--tls: wss:// with that certificate; --client-ca: a client certificate signed by (or equal
to) CA is required; --log: also print "handshake JSON" on stdout for each connection.
Prints "listening PORT".
"""
import argparse
import asyncio
import json
import ssl

import websockets


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--subprotocols", default="")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--client-ca")
    parser.add_argument("--close", action="store_true")
    parser.add_argument("--log", action="store_true")
    args = parser.parse_args()
    subprotocols = [p for p in args.subprotocols.split(",") if p]

    context = None
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls[0], args.tls[1])
        if args.client_ca:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(args.client_ca)

    async def handler(ws, path=None):
        peer = ws.transport.get_extra_info("peercert")
        subject = None
        if peer:
            for rdn in peer.get("subject", ()):
                for key, value in rdn:
                    if key == "commonName":
                        subject = value
        seen = json.dumps({
            "path": ws.path,
            "headers": [[k, v] for k, v in ws.request_headers.raw_items()],
            "subprotocol": ws.subprotocol,
            "client_certificate": subject,
        })
        if args.log:
            print("handshake", seen, flush=True)
        await ws.send(seen)
        if args.close:
            await ws.close(1001, "bye")
            return
        async for message in ws:
            await ws.send(message)

    async def serve():
        async with websockets.serve(handler, "127.0.0.1", 0, ssl=context,
                                    subprotocols=subprotocols or None) as server:
            print("listening", next(iter(server.sockets)).getsockname()[1], flush=True)
            await asyncio.Future()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
