#!/usr/bin/python3
"""Takes one screenshot of the page at / as a phone shows it, in the middle of a lesson.

A headless Chromium at 390x844 (mobile emulation, a phone's user agent, the browser language
given) opens the page of a running wslab-server. A "teacher" joins /chat with python3-websockets;
the student on the page picks a name, the teacher greets the room, the student answers and sends
an echo; once the pushed Beijing time, the chat lines and the echo are on the page, the screen is
captured. Driven over the Chrome DevTools Protocol, waiting on what the page shows, not on time.

Usage: phone-screenshot.py --port PORT --lang en|zh_CN --out FILE.png
"""

import argparse
import asyncio
import base64
import json
import os
import re
import sys
import tempfile
import urllib.parse

import websockets

CHROMIUM = "/usr/bin/chromium"
PHONE_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Mobile Safari/537.36")
WIDTH, HEIGHT = 390, 844
TIMEOUT = 60  # seconds for each wait: Chromium is slow to start on a loaded machine

SCENES = {
    "en": {"accept": "en-US,en", "student": "Li Lei", "teacher": "Teacher",
           "ask": "Welcome! Which status code ends the handshake?",
           "answer": "101 Switching Protocols", "echo": "Hello, server"},
    "zh_CN": {"accept": "zh-CN,zh", "student": "李雷", "teacher": "老师",
              "ask": "欢迎!握手成功时服务器回什么状态码?",
              "answer": "101 Switching Protocols", "echo": "你好,服务器"},
}


class Page:
    """One page of the browser, over the browser's DevTools WebSocket (flattened session)."""

    def __init__(self, socket):
        self.socket = socket
        self.session = None
        self.last_id = 0
        self.replies = {}
        self.reader = asyncio.ensure_future(self.read())

    async def read(self):
        async for text in self.socket:
            message = json.loads(text)
            if "id" in message:
                self.replies[message["id"]].set_result(message)

    async def call(self, method, params=None, browser=False):
        self.last_id += 1
        command = {"id": self.last_id, "method": method, "params": params or {}}
        if self.session and not browser:
            command["sessionId"] = self.session
        future = asyncio.get_running_loop().create_future()
        self.replies[self.last_id] = future
        await self.socket.send(json.dumps(command))
        reply = await asyncio.wait_for(future, TIMEOUT)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    async def evaluate(self, expression):
        result = await self.call("Runtime.evaluate",
                                 {"expression": expression, "returnByValue": True})
        return result.get("result", {}).get("value")

    async def wait_for(self, expression, what):
        loop = asyncio.get_running_loop()
        deadline = loop.time() + TIMEOUT
        while not await self.evaluate(expression):
            if loop.time() > deadline:
                raise RuntimeError(f"the page never showed {what}")
            await asyncio.sleep(0.1)

    async def type_and_send(self, field, button, text):
        await self.evaluate(f"document.getElementById({json.dumps(field)}).focus()")
        await self.call("Input.insertText", {"text": text})
        await self.evaluate(f"document.getElementById({json.dumps(button)}).click()")


async def start_chromium(profile, accept):
    arguments = [
        "--headless=new", f"--window-size={WIDTH},{HEIGHT}", f"--user-agent={PHONE_UA}",
        f"--accept-lang={accept}", f"--user-data-dir={profile}", "--remote-debugging-port=0",
        "--hide-scrollbars", "--no-first-run", "--no-default-browser-check",
        "--disable-background-networking", "--disable-sync", "--mute-audio",
    ]
    if os.geteuid() == 0:
        arguments.append("--no-sandbox")  # Chromium refuses its sandbox as root
    process = await asyncio.create_subprocess_exec(
        CHROMIUM, *arguments, "about:blank", stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        start_new_session=True)  # its own process group: killed with its helpers at the end
    while True:
        line = await asyncio.wait_for(process.stderr.readline(), TIMEOUT)
        if not line:
            raise RuntimeError("Chromium exited without a DevTools URL")
        match = re.search(rb"DevTools listening on (ws://\S+)", line)
        if match:
            break
    # Keep draining its stderr, so that it never blocks on a full pipe.
    asyncio.ensure_future(process.stderr.read())
    return process, match.group(1).decode()


async def shoot(port, lang, out):
    scene = SCENES[lang]
    base = f"127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="wslab-phone-") as profile:
        process, devtools = await start_chromium(profile, scene["accept"])
        try:
            async with websockets.connect(devtools, max_size=None) as browser, \
                    websockets.connect(
                        f"ws://{base}/chat?name={urllib.parse.quote(scene['teacher'])}") as teacher:
                page = Page(browser)
                targets = await page.call("Target.getTargets")
                target = next(t["targetId"] for t in targets["targetInfos"]
                              if t["type"] == "page")
                attached = await page.call("Target.attachToTarget",
                                           {"targetId": target, "flatten": True})
                page.session = attached["sessionId"]
                await page.call("Emulation.setDeviceMetricsOverride",
                                {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1,
                                 "mobile": True})
                await page.call("Emulation.setTouchEmulationEnabled", {"enabled": True})
                await page.call("Page.enable")
                await page.call("Page.navigate", {"url": f"http://{base}/"})
                await page.wait_for("document.readyState === 'complete' && "
                                    "typeof echo === 'object'", "the page")

                await page.evaluate("document.getElementById('name').value = ''")
                await page.type_and_send("name", "join", scene["student"])
                await page.wait_for("chat.state === 'open'", "/chat open")
                await page.wait_for(f"document.getElementById('chatLog').textContent"
                                    f".includes({json.dumps(scene['student'])})",
                                    "the join notice")
                await teacher.send(scene["ask"])
                await page.wait_for(f"document.getElementById('chatLog').textContent"
                                    f".includes({json.dumps(scene['ask'])})", "the question")
                await page.type_and_send("chatText", "chatSend", scene["answer"])
                await page.wait_for(f"document.getElementById('chatLog').textContent"
                                    f".includes({json.dumps(scene['answer'])})", "the answer")
                await page.type_and_send("echoText", "echoSend", scene["echo"])
                await page.wait_for("document.querySelector('#echoLog li.in') !== null",
                                    "the echo")
                await page.wait_for("/^\\d\\d:\\d\\d:\\d\\d$/.test("
                                    "document.getElementById('clock').textContent)",
                                    "the pushed time")
                # The top of the page, with nothing focused (no caret, no keyboard).
                await page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
                shot = await page.call("Page.captureScreenshot", {"format": "png"})
                with open(out, "wb") as file:
                    file.write(base64.b64decode(shot["data"]))
                page.reader.cancel()
        finally:
            try:
                os.killpg(process.pid, 9)
            except ProcessLookupError:
                pass
            await process.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--lang", choices=sorted(SCENES), required=True)
    parser.add_argument("--out", required=True)
    arguments = parser.parse_args()
    try:
        asyncio.run(shoot(arguments.port, arguments.lang, arguments.out))
    except (RuntimeError, OSError, asyncio.TimeoutError) as error:
        print(f"phone-screenshot: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
