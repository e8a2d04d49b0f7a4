"""The process ends when its learner is gone: a bounded way out, for every way of running the tutor.

One tutor process serves one learner, in a terminal today, in a browser tab or a plain line mode
later. Whatever the UI library does on its way out, once the process has decided to leave (the
learner quit, SIGHUP or SIGTERM came, the terminal went away, a fatal error) a `Lifeline` makes
sure that

1. the progress store is closed first (every step and answer is committed when it happens, so
   closing only counts the sitting's time and checkpoints the WAL; a store that does not close
   within `close_timeout` is left to SQLite's own crash safety, which keeps every commit),
2. the process is gone within `grace + 2 × close_timeout` seconds (1.0 + 2 × 0.35 s by default,
   under the 2 s the tutor promises), with status 0 for a quit, 128 + signal for a signal (129 when
   the terminal went away, as for SIGHUP) and 1 for a fatal error: if the normal way out has not
   ended the process by then, a watchdog thread calls `os._exit` with that status,
3. no thread that the UI library left running can keep the interpreter waiting (`finish`).

`watch` notices a terminal (or a browser's pipe) that went away: `poll` with no requested events
still reports POLLHUP, POLLERR and POLLNVAL, which is what a hung-up tty, a closed pty master or a
closed pipe gives; reading such a descriptor returns b"" (EOF) or fails with EIO for ever, which is
how an input loop that ignores EOF ends up spinning.

This module knows nothing of Textual (see `tutor.ui.lifeline` for what Textual needs).
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable

GRACE_SECONDS = 1.0  # from the decision to leave until the watchdog ends the process
CLOSE_TIMEOUT_SECONDS = 0.35  # for each closing step the watchdog runs (store, then terminal)
POLL_SECONDS = 0.25  # how often `watch` looks again when nothing happened

STATUS_QUIT = 0
STATUS_ERROR = 1
STATUS_HANGUP = 128 + signal.SIGHUP  # the terminal went away: as if SIGHUP had come

_GONE_EVENTS = select.POLLHUP | select.POLLERR | select.POLLNVAL


def has_terminal() -> bool:
    """Are standard input, output and error all terminals? (The full-screen app needs that:
    Textual reads keys from stdin and draws on stderr; stdout must not be a file or a pipe.)"""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        try:
            if stream is None or not os.isatty(stream.fileno()):
                return False
        except (OSError, ValueError, AttributeError):
            return False
    return True


def descriptors_gone(fds: Iterable[int], timeout: float = 0.0) -> bool:
    """Has any of `fds` hung up or become invalid? Waits at most `timeout` seconds for it."""
    poller = select.poll()
    for fd in fds:
        poller.register(fd, 0)  # no events asked for: only hang-up, error and invalid come back
    try:
        ready = poller.poll(max(0, int(timeout * 1000)))
    except (OSError, ValueError):
        return True
    return any(mask & _GONE_EVENTS for _fd, mask in ready)


class Lifeline:
    """Owns "this process ends, and ends soon, once it has decided to leave".

    `add_closer` registers what must run before the end (the progress store's `close`), in order;
    `add_rescue` what should run if the watchdog has to end the process (put the terminal back,
    if it is still there). Call `leaving(status)` when the process decides to leave (the first
    decision's status is the one kept), `watch(fds, on_gone)` to be told when the terminal goes
    away, and `finish(status)` after the UI has returned.

    `exit` (default `os._exit`) and the timings can be replaced by tests.
    """

    def __init__(
        self,
        *,
        grace: float = GRACE_SECONDS,
        close_timeout: float = CLOSE_TIMEOUT_SECONDS,
        poll_seconds: float = POLL_SECONDS,
        exit: Callable[[int], object] = os._exit,
    ) -> None:
        self.grace = grace
        self.close_timeout = close_timeout
        self.poll_seconds = poll_seconds
        self._exit = exit
        self._closers: list[Callable[[], object]] = []
        self._rescues: list[Callable[[], object]] = []
        self._lock = threading.RLock()  # signal handlers may re-enter in the same thread
        self._status: int | None = None
        self._closed = threading.Event()
        self._closing = False
        self._gone = threading.Event()
        self._stop_watching = threading.Event()
        self._watchdog: threading.Thread | None = None

    # -- what runs on the way out

    def add_closer(self, closer: Callable[[], object]) -> None:
        """Run `closer` (once) before the process ends, however it ends."""
        self._closers.append(closer)

    def add_rescue(self, rescue: Callable[[], object]) -> None:
        """Run `rescue` only if the watchdog has to end the process (after the closers)."""
        self._rescues.append(rescue)

    # -- the decision to leave

    @property
    def status(self) -> int | None:
        """The exit status decided first; None while nobody has decided to leave."""
        return self._status

    @property
    def is_leaving(self) -> bool:
        return self._status is not None

    @property
    def terminal_gone(self) -> bool:
        return self._gone.is_set()

    def leaving(self, status: int) -> int:
        """The process has decided to leave with `status` (unless an earlier decision stands).

        Arms the watchdog: `grace` seconds from now the closers run (if they have not) and the
        process ends with the decided status. Returns the status that stands. Thread-safe.
        """
        with self._lock:
            if self._status is None:
                self._status = status
                self._watchdog = threading.Thread(
                    target=self._watch_the_clock, name="tutor-watchdog", daemon=True
                )
                self._watchdog.start()
            return self._status

    def signalled(self, signum: int) -> int:
        """A signal asked the process to leave: status 128 + signal (see `leaving`)."""
        return self.leaving(128 + int(signum))

    def _watch_the_clock(self) -> None:
        """Runs from the decision on; normally the process has ended before it wakes up."""
        time.sleep(self.grace)
        self.close()
        for rescue in self._rescues:
            self._bounded(rescue)
        self._end()

    def _end(self) -> None:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                if stream is not None:
                    stream.flush()
        status = self._status if self._status is not None else STATUS_ERROR
        self._exit(status)

    # -- closing

    def close(self) -> None:
        """Run the closers once, each bounded by `close_timeout` (whoever calls first runs them;
        a second caller waits for them to finish, bounded too)."""
        with self._lock:
            first = not self._closing
            self._closing = True
        if not first:
            self._closed.wait(self.close_timeout * max(1, len(self._closers)))
            return
        try:
            for closer in self._closers:
                self._bounded(closer)
        finally:
            self._closed.set()

    def _bounded(self, action: Callable[[], object]) -> None:
        """Run `action` in a daemon thread, waiting at most `close_timeout` for it.

        An action that hangs (a database locked by another process, a write to a terminal that
        does not drain) must not keep the process alive; its thread dies with the process.
        """
        def run() -> None:
            with contextlib.suppress(Exception):
                action()

        worker = threading.Thread(target=run, name="tutor-closing", daemon=True)
        worker.start()
        worker.join(self.close_timeout)

    def finish(self, status: int) -> int:
        """The UI has returned with `status`: close, and end the process now if a thread we do not
        own (a UI library's input thread) would keep the interpreter from exiting.

        Returns the status that stands (the first decision's) for a normal exit.
        """
        status = self.leaving(status)
        self.close()
        self._stop_watching.set()
        lingering = [
            thread.name
            for thread in threading.enumerate()
            if thread.is_alive() and not thread.daemon and thread is not threading.main_thread()
            and thread is not threading.current_thread()
        ]
        if lingering:
            self._end()
        return status

    # -- the terminal

    def watch(self, fds: Iterable[int], on_gone: Callable[[], object]) -> None:
        """Watch `fds` (a terminal's, or the pipes of a browser session) from a daemon thread;
        when one hangs up: the process is leaving with STATUS_HANGUP, and `on_gone()` is called
        (from that thread) to make the UI leave too. Never reads from the descriptors."""
        fds = tuple(fds)

        def run() -> None:
            while not self._stop_watching.is_set():
                if descriptors_gone(fds, self.poll_seconds):
                    self.terminal_went_away()
                    with contextlib.suppress(Exception):
                        on_gone()
                    return

        threading.Thread(target=run, name="tutor-terminal-watch", daemon=True).start()

    def check_terminal(self, fds: Iterable[int]) -> bool:
        """Look now (without waiting) whether the terminal is gone; returns `terminal_gone`."""
        if not self._gone.is_set() and descriptors_gone(fds):
            self.terminal_went_away()
        return self._gone.is_set()

    def terminal_went_away(self) -> None:
        self._gone.set()
        self.leaving(STATUS_HANGUP)
