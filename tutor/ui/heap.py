"""Keep Python's full garbage collections off a key press.

CPython's cyclic collector now and then walks every tracked object (a "generation 2"
collection). With the engine, the lessons and Textual loaded that is a few hundred thousand
objects, and the walk took 25–100 ms, in the middle of whichever frame it fell on (measured in a
real tmux pane at 120×40: one press in twenty painted 70 ms late). `gc.freeze()` moves every
object alive at that moment into a permanent generation the collector no longer walks, so later
collections only look at what was made since (https://docs.python.org/3/library/gc.html#gc.freeze).

`settle` runs once a screen the learner steps through (a lesson, the playground) has painted its
first frame: it collects what is garbage already, then freezes the rest, which stays alive while
the screen does. `release` runs when that screen goes: its objects become collectable again, so
leaving a lesson frees it (frozen objects are never collected).
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect garbage now, then move everything alive out of the collector's full walks."""
    gc.collect()
    gc.freeze()


def release() -> None:
    """Give the frozen objects back to the collector (a screen that `settle`d is going)."""
    gc.unfreeze()
