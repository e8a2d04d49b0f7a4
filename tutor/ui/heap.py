"""Keep Python's full garbage collections off a key press.

CPython's cyclic collector now and then walks every tracked object (a "generation 2"
collection). With the engine, the lessons and Textual loaded that is a few hundred thousand
objects, and the walk took 25–100 ms, in the middle of whichever frame it fell on (measured in a
real tmux pane at 120×40: one press in twenty painted 70 ms late). `gc.freeze()` moves every
object alive at that moment into a permanent generation the collector no longer walks, so later
collections only look at what was made since (https://docs.python.org/3/library/gc.html#gc.freeze).

A screen the learner steps through (a lesson, the playground) is a `SettlesHeap`: `settle` runs
once it has painted its first frame (it collects what is garbage already, then freezes the rest,
which stays alive while the screen does), and `release` when it goes: its objects become
collectable again, so leaving a lesson frees it (frozen objects are never collected).
"""

from __future__ import annotations

import gc

from textual.message_pump import MessagePump


def settle() -> None:
    """Collect garbage now, then move everything alive out of the collector's full walks."""
    gc.collect()
    gc.freeze()


def release() -> None:
    """Give the frozen objects back to the collector (a screen that `settle`d is going)."""
    gc.unfreeze()


class SettlesHeap(MessagePump):
    """Mixin for a screen: `settle` after its first frame, `release` when it is unmounted.
    (Textual calls the handlers of every class of the screen's MRO, these and the screen's own.)"""

    def on_mount(self) -> None:
        self.call_after_refresh(settle)

    def on_unmount(self) -> None:
        release()
