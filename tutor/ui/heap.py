"""Keep Python's full garbage collections off a key press.

CPython's cyclic collector now and then walks every tracked object (a "generation 2"
collection). With the engine, the lessons and Textual loaded that is a few hundred thousand
objects, and the walk took 25–100 ms, in the middle of whichever frame it fell on (measured in a
real tmux pane at 120×40: one press in twenty painted 70 ms late). `gc.freeze()` moves every
object alive at that moment into a permanent generation the collector no longer walks, so later
collections only look at what was made since (https://docs.python.org/3/library/gc.html#gc.freeze).

It is called once a screen the learner steps through has painted its first frame: what was
loaded to show it stays alive while the screen does. Garbage among the frozen objects (if any)
is only freed at exit: a bounded, one-time cost.
"""

from __future__ import annotations

import gc


def freeze_after_load() -> None:
    """Move everything alive now out of the collector's full walks (see the module)."""
    gc.freeze()
