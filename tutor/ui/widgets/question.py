"""One question (a quiz unit or a training `ask`): answer, wrong → next hint, then reveal.

The panel holds no truth of its own: the expected value comes from `lesson.expected`, grading from
`tutor.quiz`, and the state is an immutable `QuestionState` that the screen keeps and passes back in,
so going back to a question shows it as it was left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from tutor import quiz
from tutor.i18n import t
from tutor.ui.widgets.markdown import LessonMarkdown

# What a typed number may contain (see tutor.quiz.parse_number); letters stay free for the keys.
NUMBER_CHARS = r"[-+−0-9.,/eE ]*"

Attempt = tuple[str, bool, bool]  # (answer, correct, revealed)

# Feedback marks, one terminal cell each everywhere (an emoji such as 👁 is two cells in most
# terminals but one to Rich, which pushed the panel's right border out of line).
REVEALED_MARK = "»"


class AnswerInput(Input):
    """A number box: it claims only characters a number can hold, so the screen's letter keys
    (n, p, h, r, q, g, G, L, ?) keep working while it has focus."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return character is not None and re.fullmatch(NUMBER_CHARS, character) is not None


@dataclass(frozen=True)
class QuestionSpec:
    """Everything a panel shows, already rendered for one language."""

    qid: str
    kind: str  # "choice" | "numeric"
    question: str  # Markdown
    choices: tuple[str, ...]
    expected: float
    tolerance: float
    hints: tuple[str, ...]
    explain: str  # Markdown
    solution: str  # the right answer as the learner should read it


class QuestionMessage(Message):
    """A question's state changed; `attempt` is set when an answer (or a reveal) was given.

    The panel sends `QuestionPanel.Changed` to its view, and the view passes the same news on to the
    screen (`units.QuestionAnswered`); each has its own class, so handlers tell them apart.
    """

    def __init__(self, qid: str, state: quiz.QuestionState, attempt: Attempt | None) -> None:
        super().__init__()
        self.qid = qid
        self.state = state
        self.attempt = attempt


class QuestionPanel(Vertical):
    """Question, input (or choices), feedback, hints shown so far, and the explanation."""

    class Changed(QuestionMessage):
        """The panel's state changed."""

    def __init__(
        self,
        spec: QuestionSpec,
        state: quiz.QuestionState | None,
        lang: str,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="question")
        self.spec = spec
        self.state = state or quiz.QuestionState(hints_total=len(spec.hints))
        self.lang = lang
        self.last_feedback: str | None = None

    def compose(self) -> ComposeResult:
        spec = self.spec
        lang = self.lang
        if spec.question:
            yield LessonMarkdown(spec.question, classes="q-text")
        if spec.kind == "choice":
            options = [
                Option(self._choice_prompt(i), id=f"choice-{i}")
                for i in range(1, len(spec.choices) + 1)
            ]
            yield OptionList(*options, id="q-choices")
        else:
            yield AnswerInput(
                placeholder=t("ui.quiz.placeholder", lang), restrict=NUMBER_CHARS, id="q-input"
            )
        yield Static(id="q-feedback")
        yield LessonMarkdown("", id="q-hints")
        yield LessonMarkdown("", id="q-explain")
        yield Static(id="q-keys", classes="q-keys")

    def on_mount(self) -> None:
        self._refresh_view()
        self.focus_answer()

    @property
    def finished(self) -> bool:
        return self.state.finished

    def focus_answer(self) -> None:
        if self.finished:
            return
        for widget in self.query("#q-choices, #q-input"):
            widget.focus()  # (not there yet while mounting: on_mount focuses it then)

    # -- actions the screen forwards

    def choose(self, number: int) -> None:
        """Answer choice `number` (1-based)."""
        if self.spec.kind != "choice" or self.finished:
            return
        if not 1 <= number <= len(self.spec.choices):
            return
        verdict = quiz.check_choice(number, int(self.spec.expected))
        self._answered(str(number), verdict)

    def submit_text(self, text: str) -> None:
        if self.spec.kind == "choice" or self.finished:
            return
        if not text.strip():
            return
        verdict = quiz.check_numeric(text, self.spec.expected, self.spec.tolerance)
        if verdict.unparseable:
            self.last_feedback = "unreadable"
            self._show_feedback(t("ui.quiz.unreadable", self.lang, text=text.strip()), "warn")
            return
        self._answered(text.strip(), verdict)

    def hint(self) -> bool:
        """Show the next hint; False when there is none left."""
        if self.finished:
            return False
        if self.state.hints_left == 0:
            key = "ui.quiz.no_more_hints" if self.state.attempts else "ui.quiz.no_hints_left"
            self._show_feedback(t(key, self.lang), "warn")
            return False
        self.state = replace(self.state, hints_shown=self.state.hints_shown + 1)
        self._changed(None)
        return True

    def reveal(self) -> bool:
        """Show the solution; only after every hint and at least one attempt."""
        if self.finished:
            return False
        if not self.state.can_reveal:
            key = "ui.quiz.reveal_after_hints" if self.state.hints_left else "ui.quiz.reveal_try"
            self._show_feedback(t(key, self.lang), "warn")
            return False
        self.state = self.state.reveal()
        self._changed(("", False, True))
        return True

    # -- internals

    def _answered(self, answer: str, verdict: quiz.Verdict) -> None:
        self.state = self.state.answer(verdict.correct)
        self._changed((answer, verdict.correct, False))

    def _changed(self, attempt: Attempt | None) -> None:
        self._refresh_view(attempt)
        self.post_message(self.Changed(self.spec.qid, self.state, attempt))

    def _show_feedback(self, text: str, kind: str) -> None:
        feedback = self.query_one("#q-feedback", Static)
        feedback.set_classes(f"fb-{kind}")
        feedback.update(Text(text))

    def _refresh_view(self, attempt: Attempt | None = None) -> None:
        spec = self.spec
        lang = self.lang
        state = self.state
        hints = spec.hints[: state.hints_shown]
        hint_md = "\n\n".join(
            f"**{t('ui.quiz.hint', lang, i=i, n=len(spec.hints))}** {h}"
            for i, h in enumerate(hints, start=1)
        )
        self.query_one("#q-hints", Markdown).update(hint_md)
        self.query_one("#q-hints", Markdown).display = bool(hint_md)
        explain = self.query_one("#q-explain", Markdown)
        if state.solved or state.revealed:
            explain.update(
                f"**{t('ui.quiz.answer_is', lang, answer=spec.solution)}**\n\n{spec.explain}"
            )
            explain.display = True
        else:
            explain.display = False
        if state.solved:
            self._show_feedback("✓ " + t("ui.quiz.correct", lang), "right")
        elif state.revealed:
            self._show_feedback(REVEALED_MARK + " " + t("ui.quiz.revealed", lang), "revealed")
        elif attempt is not None and not attempt[1]:
            key = "ui.quiz.wrong_choice" if spec.kind == "choice" else "ui.quiz.wrong"
            self._show_feedback("✗ " + t(key, lang, answer=attempt[0]), "wrong")
        elif state.attempts:
            self._show_feedback("✗ " + t("ui.quiz.try_again", lang), "wrong")
        else:
            self._show_feedback(t("ui.quiz.prompt", lang), "prompt")
        for widget in self.query("#q-choices, #q-input"):
            widget.disabled = self.finished
        if spec.kind == "choice" and self.finished:
            options = self.query_one("#q-choices", OptionList)
            for i in range(1, len(spec.choices) + 1):
                options.replace_option_prompt_at_index(i - 1, self._choice_prompt(i))
        self.query_one("#q-keys", Static).update(self._keys_text())

    def _choice_prompt(self, number: int) -> Text:
        """'2. text', marked ✓ once the question is finished and this is the right choice."""
        text = Text(f"{number}. {self.spec.choices[number - 1]}")
        if self.finished and number == int(self.spec.expected):
            text = Text.assemble(text, ("  ✓ " + t("ui.quiz.right_choice", self.lang), "bold"))
        return text

    def _keys_text(self) -> Text:
        lang = self.lang
        spec = self.spec
        text = Text()
        if self.finished:
            text.append(t("ui.quiz.keys_done", lang), style="dim")
            return text
        text.append(
            t("ui.quiz.keys_choice" if spec.kind == "choice" else "ui.quiz.keys_numeric", lang),
            style="dim",
        )
        left = self.state.hints_left
        if left > 0:
            text.append("  " + t("ui.quiz.keys_hint", lang, n=left), style="dim")
        elif self.state.can_reveal:
            text.append("  " + t("ui.quiz.keys_reveal", lang), style="dim")
        return text

    @on(Input.Submitted, "#q-input")
    def _on_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.input.clear()  # the feedback repeats what was typed
        self.submit_text(event.value)

    @on(OptionList.OptionSelected, "#q-choices")
    def _on_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choose(event.option_index + 1)
