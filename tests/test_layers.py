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
                                 "progress.py", "review.py", "text.py", "limits.py",
                                 "lifeline.py", "lesson_state.py", "resume.py",
                                 "question_spec.py", "playground", "exam.py",
                                 "glossary.py"])
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


def module_imports(path: Path) -> set[str]:
    """tutor.* modules a file imports when it is loaded: module level, not under TYPE_CHECKING,
    not inside a function (a lazy import is the way to keep a layer light, not a circle)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test):
            continue
        for sub in [node] if isinstance(node, ast.Import | ast.ImportFrom) else []:
            if isinstance(sub, ast.Import):
                names.update(a.name for a in sub.names)
            elif sub.level == 0 and sub.module:
                names.add(sub.module)
                names.update(f"{sub.module}.{a.name}" for a in sub.names)
    return {n for n in names if n.startswith("tutor.")}


def module_name(path: Path) -> str:
    parts = path.relative_to(PKG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_lesson_format_has_no_import_circle():
    """Inside tutor.lessons every module is loaded after the ones it imports (no circle)."""
    graph: dict[str, set[str]] = {}
    for f in files("lessons"):
        name = module_name(f)
        if name == "tutor.lessons":
            continue  # the package's __init__ re-exports; its modules never import it
        graph[name] = {n for n in module_imports(f) if n in {module_name(g) for g in files("lessons")}
                       and n != "tutor.lessons"}
    done: set[str] = set()

    def visit(node: str, stack: tuple[str, ...]) -> None:
        assert node not in stack, " -> ".join((*stack, node))
        if node in done:
            return
        for dep in graph.get(node, ()):
            visit(dep, (*stack, node))
        done.add(node)

    assert len(graph) >= 8, sorted(graph)  # the walk sees the package's modules
    for node in graph:
        visit(node, ())


def test_the_lesson_format_knows_neither_screens_nor_progress():
    for f in files("lessons"):
        for name in imports_of(f):
            assert not name.startswith(("tutor.render", "tutor.ui", "tutor.progress",
                                        "tutor.review", "tutor.quiz", "tutor.cli")), (f, name)


def test_no_module_of_the_lesson_format_passes_500_lines():
    for f in files("lessons"):
        lines = len(f.read_text(encoding="utf-8").splitlines())
        assert lines <= 500, (f, lines)
