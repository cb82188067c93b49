#!/usr/bin/python3
"""python3-websockets as a second, independent peer.

    websockets_peer.py client URL [CAFILE]
                                    — (wss:// trusting CAFILE) sends text (Chinese + emoji) and every byte value as
                                      binary, checks the echoes byte for byte, prints "ok"
    websockets_peer.py server [CERT KEY [CLIENTCA]]
                                    — an echo server on 127.0.0.1; prints "listening PORT";
                                      wss:// with CERT and KEY (PEM files), and then asking for
                                      a client certificate issued by CLIENTCA, if given
"""
import asyncio
import ssl
import sys

import websockets

TEXT = "你好,世界 🌏👋🏽 WsLab"
BINARY = bytes(range(256)) * 64


async def client(url, cafile=None):
    context = ssl.create_default_context(cafile=cafile) if cafile else None
    async with websockets.connect(url, max_size=None, ssl=context) as ws:
        await ws.send(TEXT)
        await ws.send(BINARY)
        got = []
        while len(got) < 2:
            msg = await asyncio.wait_for(ws.recv(), 10)
            # The server may push the time in between; only echoes count here.
            if msg in (TEXT, BINARY) or isinstance(msg, bytes):
                got.append(msg)
        if got != [TEXT, BINARY]:
            print("mismatch", [type(m).__name__ + ":" + str(len(m)) for m in got], flush=True)
            return 1
    print("ok", flush=True)
    return 0


async def serve(cert=None, key=None, client_ca=None):
    async def echo(ws, path=None):
        async for message in ws:
            await ws.send(message)

    context = None
    if cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        if client_ca:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(client_ca)
    async with websockets.serve(echo, "127.0.0.1", 0, ssl=context) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        print("listening", port, flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    if sys.argv[1] == "client":
        sys.exit(asyncio.run(client(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)))
    asyncio.run(serve(*sys.argv[2:5]))
