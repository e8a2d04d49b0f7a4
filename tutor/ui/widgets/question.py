"""One question (a quiz unit or a training `ask`): answer, wrong → next hint, then reveal.

The panel holds no truth of its own: the expected value comes from `lesson.expected`, grading from
`tutor.quiz`, and the state (an immutable `QuestionState`) and the text typed so far belong to the
screen, which passes them in and is told of every change through the `report` callback, at once
and in the order the keys came (never through a queued message).

No child widget is ever looked up: each is made in `__init__` and kept, so a panel that is replaced
while keys for it are still queued (two quick presses) only updates widgets nobody sees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option

from tutor import quiz
from tutor.i18n import t
from tutor.question_spec import QuestionSpec as QuestionSpec  # the panel shows one
from tutor.ui.widgets.markdown import EXPRESSION_SPACE, LessonMarkdown

Attempt = tuple[str, bool, bool]  # (answer, correct, revealed)
# report(qid, state, attempt): a question's state changed; attempt set for an answer or a reveal
Report = Callable[[str, quiz.QuestionState, Attempt | None], None]
MAX_TYPED = 40  # characters in the answer box; a paste beyond that is cut

# Feedback marks, one terminal cell each everywhere (an emoji such as 👁 is two cells in most
# terminals but one to Rich, which pushed the panel's right border out of line).
REVEALED_MARK = "»"
SKIPPED_MARK = "↷"  # a question skipped on purpose (n n), shown again
CURSOR_MARK = "› "  # the highlighted choice (↑ ↓), one cell and a space


def typed_char(draft: str, char: str | None, key: str) -> str | None:
    """What a key adds to the answer box holding `draft`: its ASCII number character, or None when
    the key is not typing (a command key). `e`/`E` type only right after a digit (``1e-3``); else
    `e` is "to the end of the epoch". A space or a plus never types (they play and speed up).
    Decided in one place (with `quiz.number_char`)."""
    if char is None:
        return None
    ascii_char = quiz.number_char(char)
    if ascii_char is None:
        return None
    if ascii_char in "eE":
        return ascii_char if draft[-1:].isdigit() else None
    if ascii_char == " ":
        return None  # spaces add nothing to a number (and space plays / pauses)
    if ascii_char == "+":
        return None  # nor does a plus (+0.5 is 0.5, 1e+3 is 1e3): + is "faster", as README says
    return ascii_char


class AnswerBox(Static):
    """The number typed so far, with a cursor; a view of the screen's draft, never focused."""

    value = ""  # the text shown (the panel's draft)

    def show(self, draft: str, placeholder: str, *, active: bool) -> None:
        self.value = draft
        if draft:
            self.update(Text.assemble(draft, ("▏" if active else "", "bold")))
        else:
            self.update(Text.assemble(("▏" if active else "", "bold"), (placeholder, "dim")))


class QuestionPanel(Vertical):
    """Question, answer box (or choices), feedback, hints shown so far, and the explanation."""

    def __init__(
        self,
        spec: QuestionSpec,
        state: quiz.QuestionState | None,
        lang: str,
        *,
        report: Report | None = None,
        draft: str = "",
        skipped: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="question")
        self.spec = spec
        self.state = state or quiz.QuestionState(hints_total=len(spec.hints))
        self.lang = lang
        self.report = report
        self.draft = draft  # the number typed so far (ASCII; see `typed_char`)
        self.last_feedback: str | None = None
        # `n` said once that `n` again skips this question; a question skipped before says so
        # where its feedback goes, and one `n` goes on past it again
        self.skipped = skipped
        self.skip_warned = skipped
        # every child is made here and kept: never queried (see the module docstring)
        self._text = LessonMarkdown(spec.question, classes="q-text") if spec.question else None
        self._choices: OptionList | None = None
        self._box: AnswerBox | None = None
        if spec.kind == "choice":
            self._choices = OptionList(
                *[
                    Option(self._choice_prompt(i), id=f"choice-{i}")
                    for i in range(1, len(spec.choices) + 1)
                ],
                id="q-choices",
            )
            self._choices.can_focus = False  # 1-9 choose, ↑ ↓ Enter through the screen
        else:
            self._box = AnswerBox(id="q-input")
        self._feedback = Static(id="q-feedback")
        self._hints = [
            LessonMarkdown(f"**{t('ui.quiz.hint', lang, i=i, n=len(spec.hints))}** {h}", classes="q-hint")
            for i, h in enumerate(spec.hints, start=1)
        ]
        self._hint_box = Vertical(*self._hints, id="q-hints")
        self._explain = LessonMarkdown(
            f"**{t('ui.quiz.answer_is', lang, answer=spec.solution)}**\n\n{spec.explain}",
            id="q-explain",
        )
        self._keys = Static(id="q-keys", classes="q-keys")
        self._refresh_view()

    def compose(self) -> ComposeResult:
        if self._text is not None:
            yield self._text
        if self._choices is not None:
            yield self._choices
        if self._box is not None:
            yield self._box
        yield self._feedback
        yield self._hint_box
        yield self._explain
        yield self._keys

    def on_mount(self) -> None:
        if self._choices is not None:
            # the › mark follows the highlight, however it moves (OptionList sets it on mount)
            self.watch(self._choices, "highlighted", self._show_choices)

    @property
    def finished(self) -> bool:
        return self.state.finished

    @property
    def value(self) -> str:
        """The text in the answer box."""
        return self.draft

    def keep_input_of(self, old: QuestionPanel) -> None:
        """The same question shown anew (L switched the language): the number typed so far and
        the highlighted choice stay as they were, instead of an empty box and the › on 1."""
        if old.spec.qid != self.spec.qid or self.finished:
            return
        self.draft = old.draft
        self._show_box()
        kept = old._choices.highlighted if old._choices is not None else None
        if self._choices is not None and kept is not None:
            self._choices.highlighted = kept

    def focus_answer(self) -> None:
        """Kept for callers: the box is never focused (the screen types into it in key order)."""

    # -- actions the screen forwards

    def type_key(self, key: str, char: str | None) -> bool:
        """Type `key` into the answer box if it is a number character here; False if it is not
        (then it is a command key). Backspace deletes, Enter submits."""
        if self._box is None or self.finished:
            return False
        if key == "backspace":
            self.draft = self.draft[:-1]
            self._show_box()
            return True
        if key == "enter":
            text, self.draft = self.draft, ""  # the feedback repeats what was typed
            self._show_box()
            self.submit_text(text)
            return True
        ascii_char = typed_char(self.draft, char, key)
        if ascii_char is None:
            return False
        if len(self.draft) < MAX_TYPED:
            self.draft += ascii_char
        self._show_box()
        return True

    def paste(self, text: str) -> None:
        """A paste: its number characters, in order, as if typed (others are dropped)."""
        for char in text:
            if char in "\r\n":
                continue
            self.type_key(char, char)

    def highlight(self, delta: int) -> bool:
        """↑ ↓ on a choice question: move the highlighted choice; False if nothing to move."""
        options = self._choices
        if options is None or self.finished or not self.spec.choices:
            return False
        current = options.highlighted if options.highlighted is not None else -1
        options.highlighted = max(0, min(len(self.spec.choices) - 1, current + delta))
        return True

    def choose_highlighted(self) -> bool:
        options = self._choices
        if options is None or self.finished or options.highlighted is None:
            return False
        self.choose(options.highlighted + 1)
        return True

    def choose(self, number: int) -> None:
        """Answer choice `number` (1-based). The highlight moves to it, so Enter afterwards means
        the same choice; a wrong choice already tried is refused (no attempt, no hint used)."""
        if self.spec.kind != "choice" or self.finished:
            return
        if not 1 <= number <= len(self.spec.choices):
            return
        if self._choices is not None:
            self._choices.highlighted = number - 1
        verdict = quiz.check_choice(number, int(self.spec.expected))
        # graded first: the choice right now may be one recorded wrong before the lesson's
        # choices were reordered, and must not be refused for ever
        if not verdict.correct and self.state.tried(str(number)):
            self.last_feedback = "tried"
            self._show_feedback("✗ " + t("ui.quiz.tried_choice", self.lang, answer=number), "wrong")
            return
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

    def warn_skip(self) -> None:
        """The first `n` on an unanswered question: say that `n` again skips it."""
        self.skip_warned = True
        self._show_feedback(t("ui.quiz.skip_warning", self.lang), "warn")

    def warn_first(self) -> None:
        """A move was stopped by this unanswered question: say so where the learner looks."""
        self._show_feedback(t("ui.ask.first", self.lang), "warn")

    def newest_widget(self) -> Static | Markdown:
        """What changed last (the newest hint, else the feedback): the screen scrolls it into view."""
        shown = self.state.hints_shown
        if self.finished:
            return self._explain
        return self._hints[shown - 1] if shown else self._feedback

    # -- internals

    def _answered(self, answer: str, verdict: quiz.Verdict) -> None:
        self.state = self.state.answer(verdict.correct, answer)
        self._changed((answer, verdict.correct, False))

    def _changed(self, attempt: Attempt | None) -> None:
        if attempt is not None:
            self.skip_warned = False  # after an answer, `n` warns again before it skips
        self._refresh_view(attempt)
        if self.report is not None:
            self.report(self.spec.qid, self.state, attempt)

    def _show_feedback(self, text: str, kind: str) -> None:
        self._feedback.set_classes(f"fb-{kind}")
        self._feedback.update(Text(text))

    def _show_box(self) -> None:
        """The box shows what is typed, or how to write a number; once the question is finished,
        the answer that solved it (nothing after a reveal: the explanation gives it)."""
        if self._box is None:
            return
        if self.finished:
            self._box.show(self.state.right, "", active=False)
        else:
            self._box.show(self.draft, t("ui.quiz.placeholder", self.lang), active=True)

    def _refresh_view(self, attempt: Attempt | None = None) -> None:
        spec = self.spec
        lang = self.lang
        state = self.state
        for i, hint in enumerate(self._hints):
            hint.display = i < state.hints_shown
        self._hint_box.display = state.hints_shown > 0
        self._explain.display = state.solved or state.revealed
        if state.solved:
            self._show_feedback("✓ " + t("ui.quiz.correct", lang), "right")
        elif state.revealed:
            self._show_feedback(REVEALED_MARK + " " + t("ui.quiz.revealed", lang), "revealed")
        elif attempt is not None and not attempt[1]:
            key = "ui.quiz.wrong_choice" if spec.kind == "choice" else "ui.quiz.wrong"
            self._show_feedback("✗ " + t(key, lang, answer=attempt[0]), "wrong")
        elif state.attempts:
            self._show_feedback("✗ " + t("ui.quiz.try_again", lang), "wrong")
        elif self.skipped:
            self._show_feedback(SKIPPED_MARK + " " + t("ui.quiz.skipped", lang), "warn")
        else:
            self._show_feedback(t("ui.quiz.prompt", lang), "prompt")
        if self._choices is not None:
            self._choices.disabled = self.finished
            self._show_choices()
        if self._box is not None:
            self._box.disabled = self.finished
        self._show_box()
        self._keys.update(self._keys_text())

    def _show_choices(self) -> None:
        """Each choice's prompt: the highlighted one marked (see `_choice_prompt`)."""
        options = self._choices
        if options is None:
            return
        for i in range(1, len(self.spec.choices) + 1):
            options.replace_option_prompt_at_index(i - 1, self._choice_prompt(i))

    def _choice_prompt(self, number: int) -> Table:
        """'2. text', marked ✓ once the question is finished and this is the right choice. The
        choice ↑ ↓ highlight is marked with `CURSOR_MARK` as well as colour, so the cursor shows
        in 16 or 256 colours and with NO_COLOR; the others get as many spaces (no text moves)."""
        options = self._choices
        cursor = (
            options is not None
            and not self.finished
            and options.highlighted == number - 1
        )
        head = Text()
        if not self.finished:  # finished: no cursor, and the choices as they were written
            head.append(CURSOR_MARK if cursor else " " * len(CURSOR_MARK), style="bold")
        head.append(f"{number}. ")
        text = Text(self.spec.choices[number - 1])
        if self.finished and number == int(self.spec.expected):
            # one piece, never cut: at the end of a full line "✓" stayed and "정답" went on alone
            mark = "✓ " + t("ui.quiz.right_choice", self.lang)
            text.append("  " + mark.replace(" ", EXPRESSION_SPACE), style="bold")
        # two columns, so that a choice too long for one line goes on under its text, not
        # under the mark and the number ("  3. … influences the⏎output.")
        grid = Table.grid(expand=True)
        grid.add_column(width=head.cell_len, no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_row(head, text)
        return grid

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

    @on(OptionList.OptionSelected, "#q-choices")
    def _on_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choose(event.option_index + 1)
