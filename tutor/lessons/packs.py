"""Lesson packs: lessons that an installed Python package provides, found through an entry point.

A pack declares, in its pyproject.toml,

    [project.entry-points."perceptron_tutor.lessons"]
    my-pack = "my_pack"

and ships its lesson files in the package's `lessons/` folder (`my_pack/lessons/*.yaml`). The entry
point's name is the pack's name, shown beside its lessons; its value names the package. See
docs/lesson-format.md, "Sharing lessons as a package".

A pack is someone else's package, so it is untrusted like any lesson file, and finding it runs none
of its code: the package's folder is found with `importlib.util.find_spec` on the top-level name
(which does not import it) and then by folder names, never by importing the package. Its lessons
are loaded by the same loader as every other lesson. Whatever is wrong with a pack (a value that is
not a package name, a package that is not installed or has no `lessons/` folder, broken metadata)
becomes a `Problem` naming the pack; it never stops the other lessons.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from tutor import text as untrusted

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tutor.lessons.problems import Problem

GROUP = "perceptron_tutor.lessons"
MAX_PACKS = 100  # entry points read; more is a problem, not a longer start
MAX_NAME_CHARS = 64
_PACKAGE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


class Pack:
    """An installed lesson pack: its name (the entry point's), its distribution ("name version",
    or "" when the metadata does not say), its lessons folder. Immutable. (A plain class, not a
    dataclass: `list` looks for packs on every start, and `dataclasses` costs more to import
    than finding none.)"""

    __slots__ = ("distribution", "folder", "name")
    name: str
    distribution: str
    folder: Path

    def __init__(self, name: str, distribution: str, folder: Path) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "distribution", distribution)
        object.__setattr__(self, "folder", folder)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Pack is immutable: cannot set {name!r}")

    def _key(self) -> tuple[str, str, Path]:
        return (self.name, self.distribution, self.folder)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pack) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Pack(name={self.name!r}, distribution={self.distribution!r}, folder={self.folder!r})"


def _shown(value: object) -> str:
    """Untrusted metadata as one clean, bounded line."""
    text = untrusted.clean(str(value)).replace("\n", " ")
    return text if len(text) <= MAX_NAME_CHARS else text[:MAX_NAME_CHARS] + "…"


def package_folder(name: str) -> Path | None:
    """The folder of package `name` (dotted), found without importing it; None if there is none."""
    if not _PACKAGE.fullmatch(name):
        return None
    import importlib.util

    top, *rest = name.split(".")
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return None
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        folder = Path(location).joinpath(*rest)
        if folder.is_dir():
            return folder
    return None


def _may_have_packs() -> bool:
    """Whether some distribution's `entry_points.txt` on `sys.path` mentions GROUP: a look of about
    a millisecond, where importing `importlib.metadata` (it loads the `email` package) costs some
    80 ms, a tenth of `list`. Only when it says yes is the metadata read properly. What it cannot
    see (metadata inside a zip file) it does not find."""
    needle = GROUP.encode()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except (OSError, TypeError, ValueError):
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                try:
                    with open(os.path.join(entry or ".", name, "entry_points.txt"), "rb") as f:
                        if needle in f.read(1_000_000):
                            return True
                except OSError:
                    continue
    return False


def installed_packs() -> tuple[list[Pack], list[Problem]]:
    """Every installed pack with a lessons folder, sorted by name, and the problems of the others."""
    if not _may_have_packs():
        return [], []
    import importlib.metadata

    from tutor.lessons.problems import Problem

    try:
        entry_points = list(importlib.metadata.entry_points(group=GROUP))
    except Exception as exc:  # broken metadata of some other package must not stop the tutor
        return [], [Problem(f"entry points {GROUP}", 0, "",
                            f"could not be read ({type(exc).__name__})")]
    packs: list[Pack] = []
    problems: list[Problem] = []
    if len(entry_points) > MAX_PACKS:
        problems.append(Problem(f"entry points {GROUP}", 0, "",
                                f"{len(entry_points)} lesson packs installed; the first "
                                f"{MAX_PACKS} are read"))
    for ep in sorted(entry_points, key=lambda e: str(e.name))[:MAX_PACKS]:
        name = _shown(ep.name)
        try:
            dist = ep.dist
            distribution = f"{_shown(dist.name)} {_shown(dist.version)}" if dist else ""
        except Exception:
            distribution = ""
        where = f"lesson pack '{name}'" + (f" ({distribution})" if distribution else "")
        value = str(ep.value).strip()
        folder = package_folder(value)
        if folder is None:
            problems.append(Problem(where, 0, "", f"names {_shown(value)!r}, which is not an "
                                    "installed package (the entry point names a package whose "
                                    "lessons/ folder holds the lesson files)"))
            continue
        lessons = folder / "lessons"
        if not lessons.is_dir():
            problems.append(Problem(where, 0, "", f"package {_shown(value)!r} has no lessons/ "
                                    "folder"))
            continue
        packs.append(Pack(name, distribution, lessons))
    return packs, problems
