"""tutor.lifeline without any UI: the decided status, the bounded closing, the watchdog, hang-ups.

`exit` is replaced by a recorder, so nothing here ends the test process. Waits are bounded by
generous timeouts (they only keep a broken lifeline from hanging the suite); nothing asserts how
fast anything was.
"""

from __future__ import annotations

import os
import signal
import threading

import pytest

from tutor.lifeline import STATUS_HANGUP, Lifeline, descriptors_gone, has_terminal

WAIT = 10.0  # seconds: only an upper bound against a hang, never a measurement


class Ended:
    """Stands in for os._exit: records the status and wakes the test."""

    def __init__(self, log: list[str] | None = None) -> None:
        self.statuses: list[int] = []
        self.event = threading.Event()
        self.log = log if log is not None else []

    def __call__(self, status: int) -> None:
        self.statuses.append(status)
        self.log.append(f"exit {status}")
        self.event.set()


def lifeline(log: list[str] | None = None, **kwargs) -> tuple[Lifeline, Ended]:
    ended = Ended(log)
    kwargs.setdefault("grace", 0.05)
    kwargs.setdefault("close_timeout", 0.2)
    return Lifeline(exit=ended, **kwargs), ended


def test_the_first_decision_to_leave_stands():
    line, _ended = lifeline(grace=WAIT)
    assert line.status is None and not line.is_leaving
    assert line.leaving(0) == 0  # q
    assert line.signalled(signal.SIGTERM) == 0  # SIGTERM while quitting
    assert line.status == 0


def test_a_signal_decides_128_plus_its_number():
    line, _ended = lifeline(grace=WAIT)
    assert line.signalled(signal.SIGHUP) == 129
    assert line.leaving(0) == 129


def test_the_watchdog_closes_the_store_then_ends_the_process_with_the_decided_status():
    order: list[str] = []
    line, ended = lifeline(order)
    line.add_closer(lambda: order.append("store closed"))
    line.add_rescue(lambda: order.append("terminal restored"))
    line.leaving(128 + signal.SIGTERM)
    assert ended.event.wait(WAIT)
    assert order == ["store closed", "terminal restored", "exit 143"]


def test_a_closer_that_hangs_does_not_keep_the_process_alive():
    release = threading.Event()
    line, ended = lifeline()
    line.add_closer(release.wait)  # a store stuck on a lock that is never released
    line.leaving(0)
    assert ended.event.wait(WAIT), "the watchdog waited for a closer that never returns"
    assert ended.statuses == [0]
    release.set()


def test_a_closer_that_raises_does_not_stop_the_others():
    closed: list[str] = []

    def broken() -> None:
        raise RuntimeError("database is locked")

    line, ended = lifeline()
    line.add_closer(broken)
    line.add_closer(lambda: closed.append("second"))
    line.leaving(1)
    assert ended.event.wait(WAIT)
    assert closed == ["second"] and ended.statuses == [1]


def test_closers_run_once_however_many_ask():
    calls: list[int] = []
    line, _ended = lifeline(grace=WAIT)
    line.add_closer(lambda: calls.append(1))
    line.close()
    line.close()
    assert line.finish(0) == 0
    assert calls == [1]


def test_finish_returns_the_status_when_nothing_would_keep_the_interpreter_waiting():
    line, ended = lifeline(grace=WAIT)
    closed = threading.Event()
    line.add_closer(closed.set)
    assert line.finish(0) == 0
    assert closed.is_set() and ended.statuses == []


def test_finish_ends_the_process_when_a_foreign_thread_would_keep_it_alive():
    """Textual's non-daemon input thread, left spinning: the interpreter would wait for ever."""
    release = threading.Event()
    foreign = threading.Thread(target=release.wait, name="textual-input", daemon=False)
    foreign.start()
    try:
        line, ended = lifeline(grace=WAIT)
        line.finish(0)
        assert ended.statuses == [0]
    finally:
        release.set()
        foreign.join(WAIT)


def test_a_hung_up_terminal_is_noticed_and_decides_status_129():
    leader, follower = os.openpty()
    try:
        line, _ended = lifeline(grace=WAIT, poll_seconds=0.05)
        told = threading.Event()
        line.watch([follower], told.set)
        assert not descriptors_gone([follower])  # the terminal is there: nothing yet
        os.close(leader)  # the terminal emulator (tmux, sshd) goes away
        leader = -1
        assert told.wait(WAIT), "the hang-up was never noticed"
        assert line.terminal_gone and line.status == STATUS_HANGUP
        assert line.check_terminal([follower])
    finally:
        if leader >= 0:
            os.close(leader)
        os.close(follower)


def test_a_closed_pipe_counts_as_gone_too():
    """The browser mode's process talks through pipes: the other end closing is the learner gone."""
    read_end, write_end = os.pipe()
    try:
        assert not descriptors_gone([write_end])
        os.close(read_end)
        read_end = -1
        assert descriptors_gone([write_end])
    finally:
        if read_end >= 0:
            os.close(read_end)
        os.close(write_end)


def test_an_invalid_descriptor_counts_as_gone():
    read_end, write_end = os.pipe()
    os.close(read_end)
    os.close(write_end)
    assert descriptors_gone([read_end])


def test_has_terminal_is_false_without_one(monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert not has_terminal()
    monkeypatch.setattr("sys.stdin", None)
    assert not has_terminal()


@pytest.mark.parametrize("status", [0, 1, 129, 143])
def test_the_status_reaches_exit_unchanged(status):
    line, ended = lifeline()
    line.leaving(status)
    assert ended.event.wait(WAIT)
    assert ended.statuses == [status]
