"""Lines out, commands in: the plain mode's only contact with the terminal or the pipe."""

from __future__ import annotations

import unicodedata
from typing import TextIO

from tutor.plain.text import clean

PROMPT = "> "
MAX_LINE = 4096  # characters of one command kept; the rest of a longer line is dropped
QUIT = ("q", "quit", "exit")
HELP = ("help", "?")


class Console:
    """Lines out (each cleaned), commands in; commands are echoed when input is not a terminal,
    so a piped session's transcript reads like a typed one."""

    def __init__(self, inp: TextIO, out: TextIO) -> None:
        self.inp = inp
        self.out = out
        self.echo = not _isatty(inp)

    def say(self, *lines: str) -> None:
        for line in lines:
            self.out.write(clean(line) + "\n")
        self.out.flush()

    def ask(self) -> str | None:
        """The next command (NFKC-normalized, so full-width digits read as digits), None at EOF."""
        self.out.write(PROMPT)
        self.out.flush()
        try:
            line = self.inp.readline(MAX_LINE)
        except OSError:  # EIO: the terminal hung up; as the end of input
            line = ""
        if not line:
            self.out.write("\n")
            return None
        rest = line
        while not rest.endswith("\n"):  # a longer line: read the rest of it and drop it
            rest = self.inp.readline(MAX_LINE)
            if not rest:
                break
        text = unicodedata.normalize("NFKC", line).strip()
        if self.echo:
            self.out.write(clean(text) + "\n")
        return text


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
