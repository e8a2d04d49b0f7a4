"""A corpus of hostile lesson files, built in code: each kind of issue 9 with several variants.

`LESSONS` maps a case name to the bytes of a lesson file. Most cases are a small valid lesson
with one thing changed, so that each case fails (or is cleaned) for exactly one reason.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
AND_GATE = (REPO / "lessons" / "and-gate.yaml").read_text(encoding="utf-8")

ESC = "\x1b"
OSC_TITLE = f"{ESC}]0;pwned\x07"
OSC_CLIPBOARD = f"{ESC}]52;c;cm0gLXJmIH4=\x07"
FORGE = f"{ESC}[1;1H{ESC}[2KYou have been logged out"
MARKUP = "[bold red]x[/] [link=file:///etc/passwd]click[/link] [@click=app.quit]q[/]"

TEMPLATE = """\
format: 1
id: {id}
title: {title}
units:
  - text: {text}
  - training:
      id: t
      model: {model}
      inputs: {inputs}
      targets: {targets}
      learning_rate: {rate}
      epochs: {epochs}
{extra}  - quiz:
      id: q
      kind: choice
      question: {question}
      choices: {choices}
      answer: 1
      hints: {hints}
      explain: "ok"
  - plot:
      functions: [sigmoid, relu]
      from: {x_from}
      to: {x_to}
"""

DEFAULTS = {
    "id": "hostile", "title": '"Hostile"', "text": '"Hello"', "model": "perceptron",
    "inputs": "[[0, 0], [1, 0], [0, 1], [1, 1]]", "targets": "[0, 0, 0, 1]", "rate": "0.1",
    "epochs": "2", "extra": "      seed: 1\n", "question": '"Which?"', "choices": '["a", "b"]',
    "hints": '["h"]', "x_from": "-6", "x_to": "6",
}


def lesson(**changes: str) -> str:
    return TEMPLATE.format(**{**DEFAULTS, **changes})


def q(text: str) -> str:
    """A YAML double-quoted scalar that holds `text` (control characters as escapes)."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F or 0x202A <= ord(ch) <= 0x202E:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _bomb(levels: int = 10) -> str:
    out = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, levels):
        out += f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]\n"
    return out


def _text_cases() -> dict[str, str]:
    """Escape sequences, C1, DEL, bidi and markup in every kind of text, keys and ids."""
    cases = {
        "esc-title": lesson(title=q("T " + OSC_TITLE)),
        "esc-text-forge": lesson(text=q("line\n" + FORGE)),
        "esc-choice": lesson(choices=f'["a", {q("b" + OSC_CLIPBOARD)}]'),
        "esc-hint": lesson(hints=f"[{q(FORGE)}]"),
        "esc-question": lesson(question=q("Q" + OSC_TITLE)),
        "esc-key": lesson(extra=f"      seed: 1\n      {q('x' + OSC_CLIPBOARD)}: 1\n"),
        "esc-id": lesson(id=q("x" + OSC_TITLE)),
        "c1-csi-del": lesson(title=q("T\x9b2J\x9d0;x\x9c\x7f")),
        "bidi-override": lesson(title=q("abc\u202etxt.exe"), text=q("\u2066x\u2069\u200f")),
        "cr-overwrite": lesson(title=q("Safe lesson\rEvil")),
        # Lone surrogates: valid YAML escapes, but no UTF-8 stream or SQLite text can hold one.
        "surrogate-escapes": lesson(title='"\\ud800x"', text='"\\udfff y \\U0001F600"',
                                    choices='["\\ud83d", "b"]', hints='["\\udc80"]'),
        "markup-title": lesson(title=q(MARKUP)),
        "markup-lone-close": lesson(title='"[/]"', text='"[/] [/bold] [link=x]"'),
        "markup-everywhere": lesson(text=q(MARKUP), question=q(MARKUP),
                                    choices=f"[{q(MARKUP)}, {q('[/]')}]", hints=f"[{q(MARKUP)}]"),
        "markdown-html-link": lesson(
            text=q("<script>x</script> <b>b</b> [click](file:///etc/passwd) "
                   "![i](file:///etc/shadow) <http://example.com>")),
        "esc-in-and-gate": AND_GATE.replace('"Training an AND gate"', q("AND " + OSC_TITLE)),
    }
    return cases


def _load_failures() -> dict[str, str | bytes]:
    return {
        "nul-byte": lesson().replace("Hello", "Hel\x00lo"),
        "raw-esc-byte": lesson().replace("Hello", "Hel" + OSC_TITLE + "lo"),
        "float-abc": lesson(rate="!!float abc"),
        "int-5000-digits": lesson(epochs="9" * 5000),
        "float-10-400": lesson(rate="1" + "0" * 400 + ".0"),
        "nesting-flow-5000": lesson(inputs="[" * 5000 + "]" * 5000),
        "nesting-block-3000": lesson(text="\n      " + "- " * 3000 + "x"),
        "nesting-map-3000": lesson(text="{a: " * 3000 + "1" + "}" * 3000),
        "alias-bomb": lesson() + _bomb(),
        "alias-bomb-in-value": _bomb() + lesson().replace("title: \"Hostile\"", "title: *a9"),
        "alias-recursive": lesson(inputs="&r [*r]"),
        "alias-undefined": lesson(inputs="*nothing"),
        "python-object-tag": lesson(rate="!!python/object/apply:os.system [echo pwned]"),
        "binary-tag": lesson(title="!!binary aGVsbG8="),
        "set-tag": lesson(title="!!set {a, b}"),
        "timestamp-bad": lesson(rate="!!timestamp not-a-date"),
        "two-documents": lesson() + "---\nformat: 1\n",
        "not-utf8": lesson().encode("utf-8").replace(b"Hello", b"H\xe9llo\xff"),
        "empty": "",
        "binary-junk": bytes(range(256)) * 40,
        "just-a-list": "- 1\n- 2\n",
        "duplicate-keys": lesson(extra="      seed: 1\n      seed: 2\n"),
        "key-not-string": lesson(extra="      ? [1, 2]\n      : 3\n"),
        "unknown-unit": lesson().replace("  - plot:", "  - \"[bold]plot\":"),
        # `$` in an id pattern also matches before a trailing newline: a second and-gate.
        "id-trailing-newline": lesson(id='"and-gate\\n"'),
        "id-65-chars": lesson(id="a" * 65),
        # A key just under the text limit: quoted in a message, it is bounded there.
        "key-19k-twice": lesson(extra=f"      seed: 1\n      ? {'k' * 19_000}\n      : 1\n"
                                      f"      ? {'k' * 19_000}\n      : 2\n"),
        "key-19k-unknown": lesson(extra=f"      seed: 1\n      ? {'k' * 19_000}\n      : 1\n"),
    }


def _many_trainings(n: int) -> str:
    first = """\
  - training: &base
      id: t0
      model: perceptron
      inputs: [[0, 0], [1, 0], [0, 1], [1, 1]]
      targets: [0, 0, 0, 1]
      learning_rate: 0.1
      epochs: 250000
      seed: 1
"""
    more = "".join(f"  - training: {{<<: *base, id: t{i}}}\n" for i in range(1, n))
    return "format: 1\nid: many\ntitle: Many\nunits:\n" + first + more


def _limit_cases() -> dict[str, str | bytes]:
    big_line = "x" * 1000
    return {
        "epochs-1e7": lesson(epochs="10000000"),
        "epochs-int-huge": lesson(epochs="1" + "0" * 50),
        "hidden-10000": lesson(model="mlp", extra="      hidden: [10000]\n      seed: 1\n"),
        "layers-1000": lesson(model="mlp",
                              extra="      hidden: [" + ", ".join(["2"] * 1000) + "]\n"
                                    "      seed: 1\n"),
        "samples-12000": lesson(inputs="[" + ", ".join(["[0, 1]"] * 12_000) + "]",
                                targets="[" + ", ".join(["1"] * 12_000) + "]"),
        "placeholder-width-title": lesson(title='"{{sigmoid(0):>1000000000}}"'),
        "placeholder-width-text": lesson(text='"{{sigmoid(0):>1000000000}}"'),
        "placeholder-index-5000-digits": lesson(text='"{{t.step[' + "9" * 5000 + '].net}}"'),
        "placeholder-field-index-huge": lesson(
            text='"{{t.final.weights_after[' + "9" * 5000 + ']}}"'),
        "placeholder-precision": lesson(text='"{{t.final.weights_after:.999999999f}}"'),
        "text-10000-lines": lesson(text="|\n" + "        line\n" * 10_000),
        "text-200k-chars": lesson(text=q("x" * 200_000)),
        "file-2mb": lesson() + "\n".join("# " + big_line for _ in range(2100)) + "\n",
        # Each curve is drawn: 3,000 of them froze the app's chart for over 10 s.
        "plot-functions-3000": lesson().replace("[sigmoid, relu]",
                                                "[" + ", ".join(["sigmoid"] * 3000) + "]"),
        # Each training inside every limit, forty of them through merge keys: check kept every
        # run and ended in a MemoryError under the 300 MB cap.
        "trainings-40-at-the-limit": _many_trainings(40),
        "many-values": lesson(inputs="[" + ", ".join(["[0, 1]"] * 60_000) + "]"),
    }


def _number_cases() -> dict[str, str]:
    return {
        "linear-weights-1e308": lesson(model="linear",
                                       extra="      dtype: float64\n      weights: [1.0e+308, "
                                             "-1.0e+308]\n      bias: 1.0e+308\n"),
        "linear-float32-1e308": lesson(model="linear", extra="      weights: [1.0e+308, 0]\n"),
        "plot-range-1e308": lesson(x_from="-1.0e+308", x_to="1.0e+308"),
        "plot-range-tiny": lesson(x_from="0", x_to="5.0e-324"),
        "rate-1e308-diverges": lesson(model="linear", rate="1.0e+308",
                                      extra="      dtype: float64\n      seed: 1\n"),
        "inputs-1e308": lesson(inputs="[[1.0e+308, 0], [0, -1.0e+308], [1, 1], [0, 0]]"),
        "inf-nan": lesson(rate=".inf", inputs="[[.nan, 0], [1, 0], [0, 1], [1, 1]]"),
        "mlp-rate-huge": lesson(model="mlp", rate="1.0e+300",
                                extra="      hidden: [2]\n      seed: 1\n"),
        # The notes' OR gate on a linear unit at η = 0.7: the loss overflows at step 212.
        "or-linear-eta-0.7": lesson(model="linear", rate="0.7", targets="[0, 1, 1, 1]",
                                    epochs="2000",
                                    extra="      weights: [0.36941334, -0.81861128]\n"),
        # The perceptron rule with η = 1e308: the net input is ∞ at step 2.
        "perceptron-eta-1e308": lesson(rate="1.0e+308", inputs="[[1, 1], [1, 1], [1, 1], [1, 1]]",
                                       targets="[1, 1, 1, 1]", epochs="50",
                                       extra="      weights: [0, 0]\n      bias: 0\n"
                                             "      step_at_zero: 0\n"),
    }


LESSONS: dict[str, str | bytes] = {
    **_text_cases(), **_load_failures(), **_limit_cases(), **_number_cases(),
}

# Cases whose lesson still loads (cleaned), so `trace` and the app can run them.
LOADABLE = {
    "esc-title", "esc-text-forge", "esc-choice", "esc-hint", "esc-question", "c1-csi-del",
    "bidi-override", "cr-overwrite", "surrogate-escapes", "markup-title", "markup-lone-close",
    "markup-everywhere",
    "markdown-html-link", "esc-in-and-gate", "plot-range-1e308", "plot-range-tiny",
    "rate-1e308-diverges", "inputs-1e308", "linear-weights-1e308", "mlp-rate-huge",
    "placeholder-index-5000-digits", "placeholder-field-index-huge",
    "or-linear-eta-0.7", "perceptron-eta-1e308",
}

# Cases whose run diverges: check names the step and what to try.
DIVERGING = {"or-linear-eta-0.7": 212, "perceptron-eta-1e308": 2}


def as_bytes(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")
