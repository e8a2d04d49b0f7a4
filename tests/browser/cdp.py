"""A small Chrome DevTools Protocol client for the browser test: headless Chromium, one page per
learner, keys typed as real key events, the terminal's text read from xterm.js.

Chromium is Debian's `chromium` (nothing is downloaded); the protocol goes over aiohttp's
websocket client, which textual-serve already brings. Methods used, all from the stable protocol
(https://chromedevtools.github.io/devtools-protocol/): Target.createTarget / attachToTarget
(flatten), Page.addScriptToEvaluateOnNewDocument, Page.navigate, Page.captureScreenshot,
Emulation.setDeviceMetricsOverride, Runtime.evaluate, Input.insertText, Input.dispatchKeyEvent.

Reading the screen: textual-serve's page draws the terminal with xterm.js on a canvas (WebGL, or
its canvas addon), so the text is not in the DOM. Its `textual.js` keeps the xterm `Terminal` in
a closure (`this.terminal = new Terminal(...)`, then `this.fitAddon = ...`); a setter for
`fitAddon` on Object.prototype, installed before the page's scripts run, catches that object as
`window.__tutorPage`, and `terminal.buffer.active.getLine(i).translateToString()` gives each row,
as xterm.js's own API documents. The keys still go in through the page like a learner's.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")

HOOK = """
(() => {
  Object.defineProperty(Object.prototype, "fitAddon", {
    configurable: true,
    set(value) {
      Object.defineProperty(this, "fitAddon",
        {value, writable: true, configurable: true, enumerable: true});
      if (this.terminal && !window.__tutorPage) { window.__tutorPage = this; }
    },
  });
})();
"""

SCREEN_TEXT = """
(() => {
  const page = window.__tutorPage;
  if (!page || !page.terminal) { return null; }
  const term = page.terminal, buffer = term.buffer.active, rows = [];
  for (let i = 0; i < term.rows; i++) {
    const line = buffer.getLine(buffer.viewportY + i);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
})()
"""

# Input.dispatchKeyEvent fields of the keys the test presses (key, code, virtual key code, text).
KEYS: dict[str, tuple[str, str, int, str]] = {
    "enter": ("Enter", "Enter", 13, "\r"),
    "tab": ("Tab", "Tab", 9, ""),
    "down": ("ArrowDown", "ArrowDown", 40, ""),
    "up": ("ArrowUp", "ArrowUp", 38, ""),
    "escape": ("Escape", "Escape", 27, ""),
}


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """One headless Chromium with its browser-level websocket; pages share it."""

    def __init__(self, process: subprocess.Popen[bytes], ws: aiohttp.ClientWebSocketResponse,
                 session: aiohttp.ClientSession) -> None:
        self.process = process
        self.ws = ws
        self.session = session
        self._next = 0
        self._waiting: dict[int, asyncio.Future[Any]] = {}
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def launch(cls, executable: str, profile: Path, timeout: float = 60.0) -> Browser:
        args = [executable, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-background-networking",
                "--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
                f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"]
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL)
        assert process.stderr is not None
        os.set_blocking(process.stderr.fileno(), False)
        seen = b""
        deadline = time.monotonic() + timeout
        url = None
        while time.monotonic() < deadline and url is None:
            await asyncio.sleep(0.1)
            with contextlib.suppress(BlockingIOError, TypeError):
                seen += process.stderr.read() or b""
            match = re.search(rb"DevTools listening on (ws://\S+)", seen)
            if match:
                url = match.group(1).decode()
            if process.poll() is not None:
                break
        if url is None:
            process.kill()
            raise RuntimeError(f"chromium did not start: {seen[-2000:]!r}")
        session = aiohttp.ClientSession()
        ws = await session.ws_connect(url, max_msg_size=0)
        return cls(process, ws, session)

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(message.data)
            future = self._waiting.pop(data.get("id", -1), None)
            if future is not None and not future.done():
                if "error" in data:
                    future.set_exception(RuntimeError(str(data["error"])))
                else:
                    future.set_result(data.get("result", {}))

    async def send(self, method: str, params: dict[str, Any] | None = None,
                   session_id: str | None = None, timeout: float = 30.0) -> Any:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session_id is not None:
            message["sessionId"] = session_id
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiting[self._next] = future
        await self.ws.send_str(json.dumps(message))
        return await asyncio.wait_for(future, timeout)

    async def new_page(self, width: int = 1280, height: int = 800) -> Page:
        target = await self.send("Target.createTarget", {"url": "about:blank"})
        attached = await self.send("Target.attachToTarget",
                                   {"targetId": target["targetId"], "flatten": True})
        page = Page(self, attached["sessionId"])
        await page.send("Page.enable")
        await page.send("Page.addScriptToEvaluateOnNewDocument", {"source": HOOK})
        await page.send("Emulation.setDeviceMetricsOverride",
                        {"width": width, "height": height, "deviceScaleFactor": 1,
                         "mobile": False})
        return page

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.send("Browser.close", timeout=5)
        self._reader.cancel()
        with contextlib.suppress(Exception):
            await self.ws.close()
        await self.session.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


class Page:
    def __init__(self, browser: Browser, session_id: str) -> None:
        self.browser = browser
        self.session_id = session_id

    async def send(self, method: str, params: dict[str, Any] | None = None) -> Any:
        return await self.browser.send(method, params, self.session_id)

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate",
                                 {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(str(result["exceptionDetails"]))
        return result["result"].get("value")

    async def goto(self, url: str) -> None:
        await self.send("Page.navigate", {"url": url})

    async def text(self) -> str:
        return await self.evaluate(SCREEN_TEXT) or ""

    async def wait_for(self, pattern: str, timeout: float = 30.0) -> str:
        """The screen's text once `pattern` (a regex) is on it; TimeoutError with the last text."""
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = await self.text()
            if re.search(pattern, text):
                return text
            await asyncio.sleep(0.2)
        raise TimeoutError(f"{pattern!r} not on the page; it shows:\n{text}")

    async def focus(self) -> None:
        await self.evaluate("document.querySelector('.xterm-helper-textarea').focus()")

    async def type(self, text: str) -> None:
        """Text as the keyboard's composition would insert it (an IME's Hangul too)."""
        await self.send("Input.insertText", {"text": text})

    async def press(self, *names: str) -> None:
        for name in names:
            key, code, vk, text = KEYS[name]
            # as Puppeteer does: "rawKeyDown" for a key without text (Tab, arrows), else
            # "keyDown", which also types the text
            down: dict[str, Any] = {"type": "keyDown" if text else "rawKeyDown", "key": key,
                                    "code": code,
                                    "windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk}
            if text:
                down["text"] = text
                down["unmodifiedText"] = text
            await self.send("Input.dispatchKeyEvent", down)
            await self.send("Input.dispatchKeyEvent",
                            {"type": "keyUp", "key": key, "code": code,
                             "windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk})

    async def screenshot(self, path: Path) -> None:
        shot = await self.send("Page.captureScreenshot", {"format": "png"})
        path.write_bytes(base64.b64decode(shot["data"]))
