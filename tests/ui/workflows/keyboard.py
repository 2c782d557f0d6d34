"""A keyboard for the workflow tests: it only ever sends key presses to whatever has focus (the
focused widget, else the active popup or modal dialog), and counts the presses and focus stops.

Reading widgets to decide what to press, and to assert, is allowed; clicking, setting values and
calling slots is not. A modal dialog (``exec``) blocks the key press that opened it, so what to
type into it is given beforehand with ``then_in_dialog``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

MAX_STOPS = 300
NO_MOD = Qt.KeyboardModifier.NoModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def describe(widget: QWidget | None) -> str:
    if widget is None:
        return "nothing"
    words = widget.accessibleName() or getattr(widget, "text", lambda: "")() or ""
    return f"{type(widget).__name__} {str(words)[:40]!r}"


def window_manager_activates() -> None:
    """What a desktop's window manager does when a dialog closes: the window under it becomes
    active again. The offscreen platform has no window manager, so nothing is active after a dialog
    until this; which widget inside the window has focus is still the app's doing."""
    modal = QApplication.activeModalWidget()  # a dialog on top is what the manager activates
    windows = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.isWindow()]
    chosen = modal if modal is not None and modal.isVisible() else (windows or [None])[-1]
    if chosen is not None:
        chosen.activateWindow()
        QApplication.processEvents()


@dataclass
class Keyboard:
    qtbot: Any
    presses: int = 0
    stops: int = 0
    started: float = field(default_factory=time.monotonic)
    _dialog_steps: list[Callable[[QDialog], None]] = field(default_factory=list)
    _errors: list[BaseException] = field(default_factory=list)

    # ----------------------------------------------------------------------------- where keys go
    @staticmethod
    def target() -> QWidget:
        if QApplication.activeWindow() is None:
            window_manager_activates()
        widget = (
            QApplication.activePopupWidget()
            or QApplication.focusWidget()
            or QApplication.activeModalWidget()
            or QApplication.activeWindow()
        )
        assert widget is not None, "nothing has focus: the keyboard user is lost"
        return widget

    @staticmethod
    def focus() -> QWidget | None:
        return QApplication.focusWidget()

    # ----------------------------------------------------------------------------------- presses
    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = NO_MOD, times: int = 1) -> None:
        for _ in range(times):
            self.presses += 1
            self.qtbot.keyClick(self.target(), key, modifier)
            QApplication.processEvents()  # as between a person's key presses (queued commits)
            self.raise_dialog_errors()

    def type_text(self, text: str) -> None:
        for char in text:
            self.presses += 1
            self.qtbot.keyClicks(self.target(), char)
            QApplication.processEvents()

    def enter(self) -> None:
        self.press(Qt.Key.Key_Return)

    def alt(self, letter: str) -> None:
        self.press(getattr(Qt.Key, f"Key_{letter.upper()}"), ALT)

    def tab(self, back: bool = False) -> QWidget | None:
        self.press(Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab, SHIFT if back else NO_MOD)
        self.stops += 1
        return self.focus()

    def tab_until(
        self, predicate: Callable[[QWidget], bool], what: str, limit: int = MAX_STOPS
    ) -> QWidget:
        """Tab until the focused widget satisfies ``predicate`` (it may already); fails listing
        the focus stops seen."""
        seen: list[str] = []
        widget = self.focus()
        while widget is None or not predicate(widget):
            seen.append(describe(widget))
            assert len(seen) <= limit, f"Tab never reached {what}; stops: " + " → ".join(seen)
            widget = self.tab()
        return widget

    def tab_to(self, target: QWidget, what: str = "", limit: int = MAX_STOPS) -> QWidget:
        return self.tab_until(lambda w: w is target, what or describe(target), limit)

    def arrow_until(self, predicate: Callable[[], bool], key: Qt.Key, what: str, limit=60) -> None:
        """Press an arrow (or any key) until ``predicate`` holds."""
        for _ in range(limit):
            if predicate():
                return
            self.press(key)
        assert predicate(), f"{limit} presses of {key.name} did not reach {what}"

    # ----------------------------------------------------------------------------------- dialogs
    def then_in_dialog(self, steps: Callable[[QDialog], None]) -> None:
        """Type ``steps`` into the next modal dialog, once it is up (the key press that opens it
        returns when it closes)."""
        self._dialog_steps.append(steps)
        previous = QApplication.activeModalWidget()

        def poll() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None or dialog is previous or not dialog.isVisible():
                QTimer.singleShot(10, poll)
                return
            assert isinstance(dialog, QDialog), describe(dialog)
            self._dialog_steps.remove(steps)
            try:
                steps(dialog)
            except BaseException as error:  # a failed step must not leave the test hanging
                self._errors.append(error)
                dialog.reject()

        QTimer.singleShot(0, poll)

    def wait_focus_in(self, container: QWidget, what: str, timeout: int = 5000) -> None:
        """Wait for focus to land inside ``container`` (after a background load, say)."""

        def inside() -> bool:
            window = container.window()
            if window.isVisible() and QApplication.activeWindow() is not window:
                # A window manager activates a dialog as it is shown; offscreen, a window
                # activated a moment before (under load) can keep it, and no key reaches it.
                window.activateWindow()
            focus = self.focus()
            return focus is not None and (focus is container or container.isAncestorOf(focus))

        self.qtbot.waitUntil(inside, timeout=timeout)

    def raise_dialog_errors(self) -> None:
        """A step typed into a dialog failed: fail here, where the dialog was opened."""
        if self._errors:
            raise self._errors.pop(0)

    def assert_no_dialog_left(self) -> None:
        self.raise_dialog_errors()
        assert not self._dialog_steps, "a dialog the test typed for never opened"

    def report(self, name: str) -> str:
        took = time.monotonic() - self.started
        line = f"{name}: {self.presses} key presses, {self.stops} Tab stops, {took:.1f} s"
        print(line)
        return line
