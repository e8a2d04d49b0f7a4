""""Who are you?": the first screen of a served session (`perceptron-tutor serve`).

A name and a PIN sign a learner in; a first visit chooses them (the PIN typed twice). What is
checked, and how names become files, is `tutor.accounts`; this screen only asks and answers. A
wrong PIN and a name nobody has chosen get the same sentence after the same work; each wrong
sign-in waits `FAILURE_DELAY_SECONDS` and `MAX_FAILURES` end the session.

The three fields are not Textual `Input`s: the screen decides every key itself, in the order the
keys came (`on_key`), as the lesson screens do. With focusable inputs, keys typed ahead of an
Enter (a learner typing "Ada", Enter, "2468" in one go, or a browser's websocket delivering them
in one packet) are already queued for the name field before Enter moves the focus, and the PIN
ends up in the name. Here Enter moves to the next field before the next key is looked at.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from tutor.accounts import FAILURE_DELAY_SECONDS, MAX_NAME_CHARS, MAX_PIN_DIGITS, Gate, LoginError
from tutor.i18n import t
from tutor.ui.screens.base import TutorScreen

if TYPE_CHECKING:
    from tutor.accounts import Classroom

LEAVE_AFTER_SECONDS = 3.0  # the "too many attempts" sentence stays this long before the end
FIELDS = ("name", "pin", "again")


class Field(Static):
    """One line of typed text in a box; a PIN shows as dots. Typed into by `LoginScreen.on_key`."""

    def __init__(self, key: str, limit: int, *, secret: bool) -> None:
        super().__init__(id=f"login-{key}", classes="login-field")
        self.key = key
        self.limit = limit
        self.secret = secret
        self.value = ""

    def set(self, value: str) -> None:
        self.value = value[: self.limit]
        self.show()

    def show(self) -> None:
        shown = "•" * len(self.value) if self.secret else self.value
        text = Text(shown)
        if self.has_class("-active"):
            text.append("▏", style="bold")
        self.update(text)


class LoginScreen(TutorScreen):
    def __init__(self, classroom: Classroom, gate: Gate | None = None) -> None:
        super().__init__()
        self.classroom = classroom
        self.gate = gate or Gate()
        self.busy = False
        # kept, never queried (a query during a burst of keys can miss a widget being mounted)
        self._title = Static(id="login-title")
        self._intro = Static(id="login-intro")
        self._labels = {key: Label(id=f"login-label-{key}") for key in FIELDS}
        self.fields = {
            "name": Field("name", 2 * MAX_NAME_CHARS, secret=False),
            "pin": Field("pin", 2 * MAX_PIN_DIGITS, secret=True),
            "again": Field("again", 2 * MAX_PIN_DIGITS, secret=True),
        }
        self.active = "name"
        self.sign_in_button = Button("", id="login-sign-in", variant="primary")
        self.first_visit_button = Button("", id="login-first-visit")
        for button in (self.sign_in_button, self.first_visit_button):
            button.can_focus = False  # the keys are this screen's; a click still presses
        self.message = Static(id="login-message")

    def compose(self) -> ComposeResult:
        with Vertical(id="login-box"):
            yield self._title
            yield self._intro
            for key in FIELDS:
                with Horizontal(classes="login-row"):
                    yield self._labels[key]
                    yield self.fields[key]
            with Horizontal(id="login-buttons"):
                yield self.sign_in_button
                yield self.first_visit_button
            yield self.message

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._show_words, init=False)
        self._show_words()
        self.activate("name")

    def _show_words(self, _lang: str | None = None) -> None:
        lang = self.lang
        self._title.update(Text(t("serve.login.title", lang), style="bold"))
        self._intro.update(Text(t("serve.login.intro", lang)))
        for key, label in self._labels.items():
            label.update(Text(t(f"serve.login.{key}", lang)))
        self.sign_in_button.label = t("serve.login.sign_in", lang)
        self.first_visit_button.label = t("serve.login.first_visit", lang)

    def activate(self, key: str) -> None:
        self.active = key
        for name, field in self.fields.items():
            field.set_class(name == key, "-active")
            field.show()

    def _say(self, key: str) -> None:
        self.message.update(Text(t(key, self.lang)))

    async def on_key(self, event: events.Key) -> None:
        """Every key, in order: typing, Backspace, Tab / ↑ ↓ between the fields, Enter."""
        if self.app.screen is not self:
            # typed ahead of a sign-in that has switched to the menu: the key is the menu's
            event.stop()
            self.app.post_message(events.Key(event.key, event.character))
            return
        if event.key == "ctrl+c":
            return  # the app's quit
        event.stop()
        if self.busy:
            return
        field = self.fields[self.active]
        at = FIELDS.index(self.active)
        if event.key in ("tab", "down"):
            self.activate(FIELDS[(at + 1) % len(FIELDS)])
        elif event.key in ("shift+tab", "up"):
            self.activate(FIELDS[(at - 1) % len(FIELDS)])
        elif event.key == "backspace":
            field.set(field.value[:-1])
        elif event.key == "ctrl+u":
            field.set("")
        elif event.key == "enter":
            await self._enter()
        elif event.is_printable and event.character:
            field.set(field.value + event.character)

    def on_paste(self, event: events.Paste) -> None:
        """Pasted text goes into the field being typed in, up to its first line break."""
        event.stop()
        if self.busy or self.app.screen is not self:
            return
        field = self.fields[self.active]
        field.set(field.value + event.text.splitlines()[0] if event.text.strip() else field.value)

    async def _enter(self) -> None:
        """Enter: from the name on to the PIN; on the PIN, sign in (or, with the PIN typed again
        already, a first visit); on the PIN again, a first visit."""
        if self.active == "name":
            self.activate("pin")
        elif self.active == "pin" and not self.fields["again"].value:
            await self.attempt(first_visit=False)
        else:
            await self.attempt(first_visit=True)

    @on(Button.Pressed)
    async def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.attempt(first_visit=event.button is self.first_visit_button)

    async def attempt(self, *, first_visit: bool) -> None:
        """Sign in (or make a first visit) with what is typed; the scrypt work runs in a thread
        so the screen keeps drawing."""
        if self.busy:
            return
        self.busy = True
        name, pin, again = (self.fields[key].value for key in FIELDS)
        self._say("serve.login.checking")
        try:
            if first_visit:
                learner = await asyncio.to_thread(self.classroom.register, name, pin, again)
            else:
                learner = await asyncio.to_thread(self.classroom.sign_in, name, pin)
        except LoginError as error:
            await self._refused(error.key)
            return
        self.tutor.sign_in(learner)

    async def _refused(self, key: str) -> None:
        self.fields["pin"].set("")
        self.fields["again"].set("")
        if key == "serve.login.refused":
            if self.gate.failed():
                self._say("serve.login.too_many")
                self.set_timer(LEAVE_AFTER_SECONDS, lambda: self.app.exit(None, 1))
                return  # stays busy: nothing more is tried in this session
            self._say(key)
            await asyncio.sleep(FAILURE_DELAY_SECONDS)
        else:
            self._say(key)
        self.busy = False
        self.activate("name" if key == "serve.login.bad_name" else "pin")
