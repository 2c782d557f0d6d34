"""Driving the set-up wizard the way a person at the keyboard does: keys go to whatever has focus."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

ALT = Qt.KeyboardModifier.AltModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the focus"
    return widget


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifier)


def alt(qtbot, letter: str) -> None:
    """Alt+letter: a label's mnemonic moves the focus to its field; a button's presses it."""
    press(qtbot, getattr(Qt.Key, f"Key_{letter.upper()}"), ALT)


def type_text(qtbot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def enter(qtbot) -> None:
    press(qtbot, Qt.Key.Key_Return)


def tick(qtbot, letter: str, start: str) -> None:
    """Alt+letter to a list of roles, type the start of a role to go to it, Space ticks it."""
    alt(qtbot, letter)
    type_text(qtbot, start)
    press(qtbot, Qt.Key.Key_Space)


def choose(qtbot, letter: str, start: str) -> None:
    """Alt+letter to a choice, then type the start of the choice (no spaces: Space opens it)."""
    alt(qtbot, letter)
    type_text(qtbot, start)
