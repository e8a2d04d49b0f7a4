"""`perceptron-tutor serve`: the tutor in web browsers, through textual-serve.

textual-serve (Textualize's server for Textual apps, an optional extra: `pip install
'perceptron-tutor[serve]'`) is an aiohttp server whose page runs xterm.js. For every browser
connection to `/ws` it starts the *command* it was given as a subprocess with
`TEXTUAL_DRIVER=textual.drivers.web_driver:WebDriver` (textual_serve/app_service.py), relays
keys and the screen over the websocket, and on disconnect sends the app a "quit". Here the command
is this tutor in a served session, `python -m tutor --serve-session DIR` (a hidden option of the
app, `tutor.cli`): it starts with "who are you?" and then keeps that learner's progress in
`DIR/<stem>.db` (`tutor.accounts`). So every tab is its own process with its own store; nothing
is shared between learners but the folder, where each file is named by a hash of its learner.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server

from tutor.i18n import t

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# Each session is a process of about 60–80 MB (benchmarks/bench_serve.py): a bound on how many
# run at once keeps a class (or anyone on the network opening tab after tab) from exhausting the
# server's memory. The 51st tab gets a sentence instead.
MAX_SESSIONS = 50
# textual-serve's page with its words in the learner's language and no third-party font
PAGE_DIR = Path(__file__).resolve().parent / "serve_page"


def session_command(folder: Path, lang: str, lessons_dirs: Sequence[Path]) -> str:
    """The shell command textual-serve runs per connection (it uses `create_subprocess_shell`),
    every word quoted: the folder's name is the teacher's, and may hold spaces or `;`."""
    words = [sys.executable, "-m", "tutor", "--serve-session", str(folder), "--lang", lang]
    for lessons in lessons_dirs:
        words += ["--lessons", str(lessons)]
    return shlex.join(words)


def url_of(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class TutorServer(Server):
    """textual-serve's `Server` with the tutor's start-up line, and the page's websocket address
    taken from the address the browser used (the stock one puts `--host` into it, so with
    `--host 0.0.0.0` other computers would be sent to ws://0.0.0.0)."""

    def __init__(self, command: str, host: str, port: int, *, lang: str, folder: Path,
                 max_sessions: int = MAX_SESSIONS) -> None:
        super().__init__(command, host=host, port=port, title=t("serve.title", lang),
                         templates_path=PAGE_DIR)
        self.lang = lang
        self.folder = folder
        self.max_sessions = max_sessions
        self.sessions = 0

    def _refuse_when_full(self) -> None:
        if self.sessions >= self.max_sessions:
            raise web.HTTPServiceUnavailable(
                text=t("serve.full", self.lang, n=self.max_sessions),
                headers={"Retry-After": "60"})

    async def handle_websocket(self, request: Any) -> Any:
        """One session per connection (textual-serve starts its process), at most max_sessions
        at once; counted from here, before anything awaits, so a burst cannot pass the bound."""
        self._refuse_when_full()
        self.sessions += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions -= 1

    async def handle_index(self, request: Any) -> Any:
        # No await between setting and reading public_url (the stock handler, unwrapped from its
        # template decorator, reads it at once), so concurrent page loads cannot see each other's.
        self._refuse_when_full()
        self.public_url = f"{request.scheme}://{request.host}"
        context = await Server.handle_index.__wrapped__(self, request)  # type: ignore[attr-defined]
        context["words"] = {
            "lang": self.lang,
            "start": t("serve.page.start", self.lang),
            "ended": t("serve.page.ended", self.lang),
            "restart": t("serve.page.restart", self.lang),
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def on_startup(self, app: Any) -> None:
        print(t("serve.listening", self.lang, url=url_of(self.host, self.port),
                folder=self.folder), flush=True)


def serve(host: str, port: int, folder: Path, lang: str, lessons_dirs: Sequence[Path],
          max_sessions: int = MAX_SESSIONS) -> None:
    """Serve until Ctrl+C or SIGTERM (textual-serve's `Server.serve`)."""
    server = TutorServer(session_command(folder, lang, lessons_dirs), host, port, lang=lang,
                         folder=folder, max_sessions=max_sessions)
    server.serve()
