"""`perceptron-tutor serve`: its options, the command it gives textual-serve, the one warning line
for an open address, and the page's websocket address (a real server process)."""

from __future__ import annotations

import contextlib
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tutor.cli import main

ROOT = Path(__file__).resolve().parent.parent
serve_module = pytest.importorskip("tutor.serve", reason="textual-serve (the [serve] extra)")


@pytest.fixture
def served(monkeypatch):
    """Replace the server itself: what `serve` was asked to do."""
    calls: list[tuple] = []
    monkeypatch.setattr(serve_module, "serve", lambda *args: calls.append(args))
    return calls


def test_session_command_quotes_every_word(tmp_path):
    folder = tmp_path / "a class; rm -rf ~"
    command = serve_module.session_command(folder, "ko", [tmp_path / "my lessons"])
    assert shlex.split(command) == [sys.executable, "-m", "tutor", "--serve-session", str(folder),
                                    "--lang", "ko", "--lessons", str(tmp_path / "my lessons")]


def test_serve_on_this_computer_says_nothing_extra(tmp_path, served, capsys):
    assert main(["serve", "--progress-dir", str(tmp_path / "class"), "--port", "8123"]) == 0
    host, port, folder, lang, lessons, most = served[0]
    assert (host, port, folder, lang, lessons, most) == ("127.0.0.1", 8123, tmp_path / "class",
                                                         "en", [], 50)
    assert folder.is_dir()
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_an_open_address_prints_one_warning_line(tmp_path, served, capsys, lang):
    assert main(["serve", "--host", "0.0.0.0", "--progress-dir", str(tmp_path),
                 "--lang", lang]) == 0
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "0.0.0.0" in err
    assert ("경고" if lang == "ko" else "warning") in err


def test_the_default_folder_is_in_the_data_folder(served, isolated_state):
    assert main(["serve"]) == 0
    assert served[0][2] == isolated_state / "xdg_data_home" / "perceptron-tutor" / "serve"


def test_usage_errors(tmp_path, served, capsys):
    assert main(["serve", "--port", "0"]) == 2
    (tmp_path / "file").write_text("")
    assert main(["serve", "--progress-dir", str(tmp_path / "file")]) == 2
    assert main(["serve", "--lessons", str(tmp_path / "nope")]) == 2
    assert main(["serve", "--max-sessions", "0"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("perceptron-tutor:") == 4
    assert served == []


def test_without_textual_serve_it_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tutor.serve", None)  # import fails as if not installed
    assert main(["serve", "--progress-dir", str(tmp_path)]) == 2
    assert "perceptron-tutor[serve]" in capsys.readouterr().err


@pytest.mark.parametrize(("lang", "ended"), [("en", "Session ended. Your progress is saved."),
                                             ("ko", "세션이 끝났습니다. 진도는 저장되어 있습니다.")])
def test_the_page_points_its_websocket_at_the_address_the_browser_used(tmp_path, lang, ended):
    """With --host 0.0.0.0 the stock page would send other computers to ws://0.0.0.0. The page
    speaks the server's language and loads nothing from another site (its font included)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "tutor", "serve", "--host", "0.0.0.0", "--port", str(port),
         "--progress-dir", str(tmp_path / "class"), "--lang", lang],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=ROOT,
        start_new_session=True)
    try:
        page = None
        deadline = time.monotonic() + 60
        while page is None and time.monotonic() < deadline:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/",
                                             headers={"Host": f"lab-pc.example:{port}"})
            with contextlib.suppress(OSError):
                page = urllib.request.urlopen(request, timeout=2).read().decode()
            time.sleep(0.2)
        assert page is not None
        assert f'data-session-websocket-url="ws://lab-pc.example:{port}/ws"' in page
        assert ended in page and f'<html lang="{lang}">' in page
        assert "googleapis" not in page
        addresses = re.findall(r'(?:href|src)="([^"]+)"', page)
        assert addresses and all(a.startswith(f"http://lab-pc.example:{port}/static/")
                                 for a in addresses), addresses
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    assert len(err.decode().splitlines()) == 1  # the one warning line
    assert f"http://0.0.0.0:{port}" in out.decode()


def start_server(tmp_path, *extra: str) -> tuple[subprocess.Popen, int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "tutor", "serve", "--port", str(port), "--progress-dir",
         str(tmp_path / "class"), *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, cwd=ROOT,
        start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return process, port
        time.sleep(0.2)
    process.kill()
    raise AssertionError("serve did not listen")


def test_sessions_are_bounded(tmp_path):
    """--max-sessions 1: while one session runs, the page and a second websocket get 503 and a
    sentence; when it ends, the next learner gets in."""
    import asyncio

    import aiohttp

    process, port = start_server(tmp_path, "--max-sessions", "1", "--lang", "ko")
    base = f"http://127.0.0.1:{port}"

    async def scenario() -> None:
        async with aiohttp.ClientSession() as http:
            first = await http.ws_connect(f"{base}/ws?width=80&height=24")
            frame = await first.receive(timeout=60)  # the session's first bytes: it runs
            assert frame.type == aiohttp.WSMsgType.BINARY
            async with http.get(f"{base}/") as page:
                assert page.status == 503
                assert "학습자 1명이 사용 중" in await page.text()
            with pytest.raises(aiohttp.WSServerHandshakeError) as caught:
                await http.ws_connect(f"{base}/ws")
            assert caught.value.status == 503
            await first.close()
            for _ in range(100):  # the session ends when its websocket closes
                async with http.get(f"{base}/") as page:
                    if page.status == 200:
                        return
                await asyncio.sleep(0.1)
            raise AssertionError("the ended session still counts")

    try:
        asyncio.run(scenario())
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
