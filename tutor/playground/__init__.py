"""The playground: the learner's own data and settings, run on the same engine as the lessons.

No screen here (tutor/ui/screens/playground.py shows it) and no NumPy at import:

- `presets`: the starting data sets (`and`, `or`, `nand`, `xor`, `separable`, `noisy`, `circle`),
  each on a grid the data editor moves over;
- `setup`: one playground setting (data, model, η, initial weights …) as a frozen record, turned
  into a training of the lesson format and validated by the format's own loader;
- `save`: the lesson a setting is saved as (a text unit, the training, one predict question),
  checked by the loader before it is written, never over an existing file.
"""

from __future__ import annotations

from tutor.playground.presets import PRESETS, Dataset, Grid, preset_data, preset_setup
from tutor.playground.save import SaveError, lesson_text, save_lesson
from tutor.playground.setup import BIAS_MODES, SETTINGS, Setup, SetupError

__all__ = [
    "BIAS_MODES",
    "PRESETS",
    "SETTINGS",
    "Dataset",
    "Grid",
    "SaveError",
    "Setup",
    "SetupError",
    "lesson_text",
    "preset_data",
    "preset_setup",
    "save_lesson",
]
