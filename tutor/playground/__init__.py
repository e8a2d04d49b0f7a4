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
