"""Running the Textual app so that the process never outlives its terminal (issue 16).

`run_app` ties a `tutor.lifeline.Lifeline` to the app: the progress store is its closer, the
terminal is watched for a hang-up, and on Linux the app runs on `GuardedLinuxDriver`, which works
around what Textual's Linux driver does when the terminal vanishes. The generic part (the
watchdog, the decided exit status, noticing a hang-up) lives in `tutor.lifeline`; this module is
only what Textual needs.

What Textual 8.2.8 does, and why the tutor guards against it
------------------------------------------------------------
Found by killing the tmux server 0.1–0.3 s after the learner pressed q, with the tutor as the
pane's own process: about 1 run in 9 left a process behind (none when it ran under a shell, which
gets the SIGCONT instead); stacks taken with py-spy from those processes show (1) and (2). (3) is
the second kind of hang reported in issue 16. Sending SIGCONT while quitting reproduces (1)
without killing anything (`tests/ui/test_exit.py`). Files are in `textual/drivers/`.

1. **A SIGCONT starts application mode again, even after the app has exited.**
   `LinuxDriver.__init__` (linux_driver.py) installs `signal.signal(SIGCONT,
   _sigcont_application)` and never removes it; `_sigcont_application` calls
   `resume_application_mode()` → `start_application_mode()` whenever `_auto_restart` is true
   (the default, `Driver.__init__` in driver.py), *whether or not the app was ever suspended*
   and whether or not it is still running. When a terminal hangs up, the kernel sends SIGHUP and
   then SIGCONT to the session leader (drivers/tty/tty_jobctrl.c, `tty_signal_session_leader`),
   which the tutor is when it is a tmux pane's (or an `ssh host cmd`'s) own process. The SIGCONT
   handler runs in the main thread at whatever point it has reached: after the app loop ended, it
   starts a new `WriterThread` and a new, non-daemon `textual-input` thread that nobody will ever
   stop. (`start_application_mode`'s own guard does not help: on a hung-up tty `os.isatty` is
   already false, so its `tcsetattr` probe is skipped.)
2. **The input thread spins on end of file.** `LinuxDriver.run_input_thread` loops
   `while not self.exit_event.is_set(): process_selector_events(selector.select(0.1))`; on a
   hung-up tty `select` reports stdin readable at once and `os.read` returns b"", which
   `process_selector_events` treats as "stdin is piped" and `break`s out of the event list only;
   the loop selects again, for ever. Only `disable_input` sets `exit_event`, and it is not called
   again for a thread started by (1). Seen: the main thread in `threading._shutdown` waiting for
   that thread, which used 80–95 % of a core for as long as it was left.
3. **Writes block for ever once the writer thread is gone.** `WriterThread.write`
   (_writer_thread.py) is `Queue.put` on a queue bounded at 30 (`MAX_QUEUED_WRITES`); the thread's
   `run` dies on the first EIO from the vanished terminal, and `close` → `WriterThread.stop` puts
   a None and joins. After (1) replaced `_writer_thread`, or after the writer died, `App._shutdown`
   → `LinuxDriver.disable_input` → `_disable_mouse_support` → `write` blocks in `Queue.put`.
   `disable_input` swallows every exception, so a failure there also leaves `exit_event` unset.

What the tutor does (upstream could do the same in `LinuxDriver`): resume only after a suspend,
and never once the app is leaving (1); a hang-up seen by `poll` sets `exit_event`, so the input
loop ends (2); no write to a writer thread that is no longer alive or to a terminal that is gone,
and the terminal is restored only when it is still there (3). Whatever is left, the lifeline's
watchdog ends the process within 2 s of the decision to leave, after closing the store.
"""

from __future__ import annotations

import contextlib
import os
import termios
import threading
from typing import TYPE_CHECKING, Any

from textual.drivers.linux_driver import LinuxDriver

from tutor.lifeline import STATUS_ERROR, STATUS_HANGUP, Lifeline

if TYPE_CHECKING:
    from textual.app import App

    from tutor.progress import Store
    from tutor.ui.app import TutorApp

TERMINAL_FDS = (0, 1, 2)  # the terminal: keys come in on 0, Textual draws on 2
INPUT_JOIN_SECONDS = 0.5

# What `LinuxDriver.stop_application_mode` and `_disable_mouse_support` write to put the terminal
# back: kitty keyboard protocol off, mouse reporting off, bracketed paste off, line wrap on, main
# screen, cursor shown, focus reporting off.
RESTORE_TERMINAL = (
    "\x1b[<u\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?2004l\x1b[?7h"
    "\x1b[?1049l\x1b[?25h\x1b[?1004l"
)


def _terminal_fds() -> tuple[int, ...]:
    fds = []
    for fd in TERMINAL_FDS:
        with contextlib.suppress(OSError):
            os.fstat(fd)
            fds.append(fd)
    return tuple(fds)


def lifeline_of(app: App[Any]) -> Lifeline | None:
    lifeline = getattr(app, "lifeline", None)
    return lifeline if isinstance(lifeline, Lifeline) else None


class GuardedLinuxDriver(LinuxDriver):
    """Textual's Linux driver with the three guards described in the module docstring."""

    def __init__(self, app: App[Any], **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._lifeline = lifeline_of(app) or Lifeline()
        self._fds = _terminal_fds()
        self._suspended = False

    # (1) resume only what was suspended, and never once leaving

    def suspend_application_mode(self) -> None:
        self._suspended = True
        super().suspend_application_mode()

    def resume_application_mode(self) -> None:
        self._suspended = False
        super().resume_application_mode()

    def _sigcont_application(self, *args: Any) -> None:
        if not self._suspended or self._leaving_or_gone():
            return
        super()._sigcont_application(*args)

    def start_application_mode(self) -> None:
        if self._lifeline.is_leaving:
            return
        super().start_application_mode()

    # (2) and (3): on the way out, touch the terminal only while it is there

    def _leaving_or_gone(self) -> bool:
        return self._lifeline.is_leaving or self._lifeline.check_terminal(self._fds)

    def stop_application_mode(self) -> None:
        if not self._suspended:
            self._lifeline.leaving(self._app.return_code or 0)
        if self._lifeline.check_terminal(self._fds):
            self.end_input()
            return
        super().stop_application_mode()

    def disable_input(self) -> None:
        if self._lifeline.check_terminal(self._fds):
            self.end_input()
            return
        super().disable_input()

    def end_input(self) -> None:
        """Stop the input thread (its loop checks `exit_event` every 0.1 s); the event stays
        set, so a loop spinning on end of file ends too. Thread-safe."""
        self.exit_event.set()
        thread = self._key_thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(INPUT_JOIN_SECONDS)

    def write(self, data: str) -> None:
        writer = self._writer_thread
        if writer is None or not writer.is_alive() or self._lifeline.terminal_gone:
            return  # a put on a dead writer's full queue would never return
        writer.write(data)

    def close(self) -> None:
        writer = self._writer_thread
        if writer is None or not writer.is_alive():
            return  # WriterThread.stop would block on a full queue
        super().close()

    def rescue_terminal(self) -> None:
        """For the watchdog: put a terminal that is still there back as it was, directly."""
        if self._lifeline.check_terminal(self._fds):
            return
        if self.attrs_before is not None:
            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(self.fileno, termios.TCSANOW, self.attrs_before)
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.write(2 if self._file is None else self._file.fileno(), RESTORE_TERMINAL.encode())


def _terminal_gone(app: App[Any]) -> None:
    """From the watching thread: end the driver's input loop and make the app leave."""
    driver = app._driver
    if driver is None:
        return
    if isinstance(driver, GuardedLinuxDriver):
        driver.end_input()
    else:
        event = getattr(driver, "exit_event", None)
        if isinstance(event, threading.Event):
            event.set()
    with contextlib.suppress(RuntimeError):  # the loop is already closed: nothing to tell
        driver._loop.call_soon_threadsafe(app.exit, None, STATUS_HANGUP)


def _rescue(app: App[Any]) -> None:
    driver = app._driver
    if isinstance(driver, GuardedLinuxDriver):
        driver.rescue_terminal()


def run_app(app: TutorApp, store: Store) -> int:
    """Run `app` until the learner leaves or is gone; close its store (`store`, or the one a
    served session signed into); return the exit status.

    The status is 0 for a quit, 128 + signal for SIGHUP/SIGTERM, 129 when the terminal went away,
    1 for a fatal error. Once the app has decided to leave, the process ends within 2 s even if
    Textual does not return (see the module docstring); if Textual returns but left a thread
    running, the process ends at once after the store is closed.
    """
    lifeline = Lifeline()
    # `app.store`, not `store`: a served session replaces its store when the learner signs in
    # (TutorApp.sign_in, which closes the one before); this closes whichever is open at the end.
    lifeline.add_closer(lambda: app.store.close())
    lifeline.add_rescue(lambda: _rescue(app))
    app.lifeline = lifeline
    if app.driver_class is LinuxDriver:
        app.driver_class = GuardedLinuxDriver
    lifeline.watch(_terminal_fds(), lambda: _terminal_gone(app))
    try:
        app.run()
    except BaseException:
        lifeline.leaving(STATUS_ERROR)
        lifeline.close()
        raise
    return lifeline.finish(app.return_code or 0)
