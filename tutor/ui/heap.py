"""Keep Python's full garbage collections off a key press, and all of them off the first frame.

CPython's cyclic collector now and then walks every tracked object (a "generation 2"
collection). With the engine, the lessons and Textual loaded that is a few hundred thousand
objects, and the walk took 25–100 ms, in the middle of whichever frame it fell on (measured in a
real tmux pane at 120×40: one press in twenty painted 70 ms late). `gc.freeze()` moves every
object alive at that moment into a permanent generation the collector no longer walks, so later
collections only look at what was made since (https://docs.python.org/3/library/gc.html#gc.freeze).

At start the app (`perceptron-tutor`, `perceptron-tutor LESSON`) imports Textual, NumPy and the
lessons: hundreds of thousands of objects made and few ever garbage, and the collector walked them
again and again while they were made: about 35 ms of collections before the first frame of a
lesson opened by id, plus the `settle` (16 ms) that ran before that frame was written (measured
at 120×40, issue 10). So the command line turns automatic collection off (`gc.disable()`) on the
way to the app, and the first `settle`, once the first frame is on the screen, turns it on again
(`TutorApp` makes sure one runs, whatever the first screen is; leaving turns it on too).

A screen the learner steps through (a lesson, the playground) is a `SettlesHeap`: `settle` runs
a moment after it has painted its first frame (it collects what is garbage already, then freezes
the rest, which stays alive while the screen does), and `release` when it goes: its objects become
collectable again, so leaving a lesson frees it (frozen objects are never collected).
"""

from __future__ import annotations

import gc

from textual._styles_cache import StylesCache
from textual.message_pump import MessagePump

# Seconds after a screen's first refresh at which it settles: its first frame has been written by
# then (the frame's second layout follows the first within a few tens of ms), and a collection
# run before that write held the frame back by as long as it took.
SETTLE_SECONDS = 0.25


def settle() -> None:
    """Collect garbage now, move everything alive out of the collector's full walks, and let the
    collector run on its own again (it was off since the start, see the module's docstring)."""
    gc.collect()
    gc.freeze()
    gc.enable()


def release() -> None:
    """Give the frozen objects back to the collector (a screen that `settle`d is going)."""
    gc.unfreeze()


def settle_later(pump: MessagePump) -> None:
    """`settle` SETTLE_SECONDS after `pump`'s next refresh (on its timer: gone with it)."""
    pump.call_after_refresh(pump.set_timer, SETTLE_SECONDS, settle)


class SettlesHeap(MessagePump):
    """Mixin for a screen: `settle` after its first frame, `release` when it is unmounted.
    (Textual calls the handlers of every class of the screen's MRO, these and the screen's own.)"""

    def on_mount(self) -> None:
        settle_later(self)

    def on_unmount(self) -> None:
        release()


def forget_old_styles() -> None:
    """Let the widgets just removed go, with the lines they last painted.

    Textual caches `StylesCache.get_inner_outer` with `functools.lru_cache` on the instance
    method, so the cache's keys keep the last 1,024 widgets' `StylesCache`s alive, and each holds
    the strips its widget painted (https://github.com/Textualize/textual/issues/6665, open in
    Textual 8.2). Every unit shown or lesson reloaded left about 11 of them behind: `R` on the
    backprop lesson at 120×40 grew by 3,600 objects (2,240 of them Textual's `FIFOCache`s of the
    kept strips) and 0.6 MB a reload, up to the 1,024-entry bound. Emptying the cache costs the
    next frame one small `Style` pair per widget on screen. A Textual without that cache (the
    issue fixed) has nothing to empty: then this does nothing."""
    clear = getattr(StylesCache.get_inner_outer, "cache_clear", None)
    if clear is not None:
        clear()
