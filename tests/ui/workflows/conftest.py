"""Named fixtures of the keyboard-only workflow tests: a keyboard, and sessions of the app that
start where a person starts — the sign-in screen — on a real database file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog

from auditor.services import Services
from auditor.ui.shell.app import make_application, sign_in
from auditor.ui.shell.main_window import MainWindow
from auditor.ui.shell.sign_in import SignInDialog
from tests.builders import admin_of
from tests.ui.shell.signing import PASSWORD, give_passwords
from tests.ui.workflows.keyboard import CTRL, Keyboard

StartSession = Callable[[str], MainWindow]


@pytest.fixture
def keyboard(qtbot) -> Keyboard:
    return Keyboard(qtbot)


@pytest.fixture
def start_session(
    qtbot, services: Services, keyboard: Keyboard, tmp_path: Path
) -> Iterator[StartSession]:
    """``start_session("Amy")``: the app's window, the sign-in screen shown by the app's own
    ``sign_in``, the person's username and password typed and Enter pressed; returns the window
    on Home. ``switch_user(window, "Ben")`` signs someone else in without quitting."""
    make_application([])
    store = QSettings(str(tmp_path / "auditor.ini"), QSettings.Format.IniFormat)
    admin_of(services)  # set up, so that the app opens at the sign-in screen
    give_passwords(services)
    windows: list[MainWindow] = []

    def start(name: str) -> MainWindow:
        window = MainWindow(settings=store)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        keyboard.then_in_dialog(sign_in_steps(keyboard, username_of(services, name)))
        assert sign_in(window, services, store), f"{name!r} was not signed in"
        keyboard.raise_dialog_errors()
        assert window.principal is not None and name.lower() in window.principal.name.lower()
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        return window

    yield start
    for window in windows:
        if window.isVisible():
            close_session(qtbot, window)


def username_of(services: Services, name: str) -> str:
    """The username of the one person whose name contains ``name``."""
    [person] = [
        p
        for p in services.directory.people(who=admin_of(services))
        if name.lower() in p.name.lower()
    ]
    return person.username


def sign_in_steps(kb: Keyboard, username: str) -> Callable[[QDialog], None]:
    """What a person types at the sign-in screen: their username (over what is there), Tab, the
    password, Enter."""

    def steps(dialog: QDialog) -> None:
        assert isinstance(dialog, SignInDialog), type(dialog).__name__
        kb.wait_focus_in(dialog, "the sign-in screen")
        if kb.focus() is dialog.password:
            kb.tab(back=True)
        kb.press(Qt.Key.Key_A, CTRL)
        kb.type_text(username)
        kb.tab()
        kb.type_text(PASSWORD)
        kb.enter()

    return steps


def switch_user(
    qtbot, services: Services, window: MainWindow, name: str, keyboard: Keyboard
) -> MainWindow:
    """File > Switch user… (Alt+F, U), and ``name`` signs in in the same window."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    keyboard.then_in_dialog(sign_in_steps(keyboard, username_of(services, name)))
    keyboard.alt("f")
    keyboard.press(Qt.Key.Key_U)
    keyboard.raise_dialog_errors()
    assert window.principal is not None and name.lower() in window.principal.name.lower()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def close_session(qtbot, window: MainWindow, keyboard: Keyboard | None = None) -> None:
    """Quit by File > Quit (Alt+F, Q; Ctrl+Q has no binding on the offscreen platform); waits
    for the background work to finish."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    kb = keyboard or Keyboard(qtbot)
    kb.alt("f")
    kb.press(Qt.Key.Key_Q)
    qtbot.waitUntil(lambda: not window.isVisible())
