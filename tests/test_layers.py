"""The layers point one way: engine <- lessons <- render <- ui. Checked statically and at runtime."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "tutor"
STDLIB = set(sys.stdlib_module_names)


def imports_of(path: Path) -> set[str]:
    """Top-level package names imported anywhere in a file (including inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def files(sub: str) -> list[Path]:
    return sorted((PKG / sub).rglob("*.py")) if (PKG / sub).is_dir() else [PKG / sub]


def test_engine_imports_only_numpy_and_the_standard_library():
    for f in files("engine"):
        for name in imports_of(f):
            top = name.split(".")[0]
            assert top in STDLIB or top == "numpy" or name.startswith("tutor.engine"), (f, name)


@pytest.mark.parametrize("sub", ["engine", "lessons", "quiz.py", "i18n.py", "paths.py",
                                 "progress", "text.py", "limits.py",
                                 "lifeline.py", "lesson_state.py", "resume.py",
                                 "question_spec.py", "playground", "exam.py",
                                 "glossary.py", "accounts.py",
                                 "classroom.py"])
def test_core_modules_import_neither_rich_nor_textual(sub):
    for f in files(sub):
        for name in imports_of(f):
            assert name.split(".")[0] not in ("rich", "textual"), (f, name)


def test_render_never_imports_textual_or_the_ui():
    for f in files("render"):
        for name in imports_of(f):
            assert name.split(".")[0] != "textual" and not name.startswith("tutor.ui"), (f, name)


def test_only_the_ui_package_imports_textual():
    for f in sorted(PKG.rglob("*.py")):
        if (PKG / "ui") in f.parents:
            continue
        for name in imports_of(f):
            assert name.split(".")[0] != "textual", (f, name)


# The command-line entry points sit above the UI: cli.py opens the app, and progress_cli.py opens
# its review screen when `perceptron-tutor review` runs on a terminal (imported lazily, there only).
ENTRY_POINTS = ("cli.py", "progress_cli.py", "playground_cli.py")


def test_nothing_below_the_ui_imports_it():
    for f in sorted(PKG.rglob("*.py")):
        if (PKG / "ui") in f.parents or f.name in ENTRY_POINTS:
            continue
        for name in imports_of(f):
            assert not name.startswith("tutor.ui"), (f, name)


def test_importing_the_engine_loads_neither_rich_nor_textual():
    code = (
        "import sys, tutor.engine, tutor.lessons;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'textual'));"
        "assert not bad, bad"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


MODULES = {".".join(f.relative_to(PKG.parent).with_suffix("").parts).removesuffix(".__init__"): f
           for f in sorted(PKG.rglob("*.py"))}


def module_imports(path: Path, *, type_checking: bool = False) -> set[str]:
    """tutor.* modules a file imports when it is loaded: at module level, not inside a function (a
    lazy import is the way to keep a layer light, not a circle), and under `if TYPE_CHECKING:` only
    when `type_checking` is true. `from tutor.x import y` names the module tutor.x.y when y is a
    module (the package's __init__ is then only its parent, loaded first), else tutor.x."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        body: list[ast.stmt] = [node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test):
            if not type_checking:
                continue
            body = node.body
        for sub in body:
            if isinstance(sub, ast.Import):
                names.update(a.name for a in sub.names)
            elif isinstance(sub, ast.ImportFrom) and sub.level == 0 and sub.module:
                for alias in sub.names:
                    full = f"{sub.module}.{alias.name}"
                    names.add(full if full in MODULES else sub.module)
    return {n for n in names if n in MODULES}


def circles(*, type_checking: bool) -> list[str]:
    """Every import circle among tutor's modules, each as "a -> b -> a"."""
    graph = {name: module_imports(f, type_checking=type_checking) - {name}
             for name, f in MODULES.items()}
    found: list[str] = []
    done: set[str] = set()

    def visit(node: str, stack: tuple[str, ...]) -> None:
        if node in stack:
            found.append(" -> ".join((*stack[stack.index(node):], node)))
            return
        if node in done:
            return
        for dep in sorted(graph[node]):
            visit(dep, (*stack, node))
        done.add(node)

    for node in graph:
        visit(node, ())
    return found


def test_the_import_graph_is_read():
    """The walk sees the packages and their edges (so that an empty graph cannot pass)."""
    assert {"tutor.progress.store", "tutor.lessons.load", "tutor.ui.app"} <= set(MODULES)
    assert "tutor.progress.review" in module_imports(PKG / "progress" / "answers.py")
    assert "tutor.lessons.yaml_lines" in module_imports(PKG / "lessons" / "load.py")
    assert "tutor.progress" in module_imports(PKG / "lesson_state.py", type_checking=True)
    assert "tutor.progress" not in module_imports(PKG / "lesson_state.py")


def test_no_import_circle_in_tutor():
    """Every module of tutor/ is loaded after the ones it imports when it loads."""
    assert circles(type_checking=False) == []


# Circles through `if TYPE_CHECKING:` imports (a type annotation only, never at run time). Those
# left: placeholders are evaluated against a Lesson, and a Lesson fills its texts through them; a
# playground preset builds a Setup (imported in the function), and a Setup holds a preset's Dataset.
TYPE_ONLY_CIRCLES = {
    "tutor.lessons.lesson -> tutor.lessons.placeholders -> tutor.lessons.lesson",
    "tutor.playground.presets -> tutor.playground.setup -> tutor.playground.presets",
}


def test_no_import_circle_even_for_type_checking():
    """Progress and its review rules once imported each other (review only for a type): no longer.
    A new circle, even one through TYPE_CHECKING imports, fails here."""
    found = set(circles(type_checking=True))
    assert found <= TYPE_ONLY_CIRCLES, sorted(found - TYPE_ONLY_CIRCLES)
    assert not any("tutor.progress" in c for c in found)


def test_the_lesson_format_knows_neither_screens_nor_progress():
    for f in files("lessons"):
        for name in imports_of(f):
            assert not name.startswith(("tutor.render", "tutor.ui", "tutor.progress",
                                        "tutor.review", "tutor.quiz", "tutor.cli")), (f, name)


# Modules allowed past 500 lines, each with the reason it is not split yet.
LONG_MODULES: dict[str, str] = {}


def test_no_module_in_tutor_passes_500_lines():
    lengths = {str(f.relative_to(PKG)): len(f.read_text(encoding="utf-8").splitlines())
               for f in MODULES.values()}
    long = {name: n for name, n in lengths.items() if n > 500}
    assert set(long) <= set(LONG_MODULES), long
    assert max(lengths.values()) > 300  # the walk read real files
