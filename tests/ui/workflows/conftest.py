"""Named fixtures of the keyboard-only workflow tests: a keyboard, and sessions of the app that
start where a person starts — the "Who is using Auditor?" picker — on a real database file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog

from auditor.services import Services
from auditor.ui.shell.app import make_application, sign_in
from auditor.ui.shell.main_window import MainWindow
from tests.ui.workflows.keyboard import Keyboard

StartSession = Callable[[str], MainWindow]


@pytest.fixture
def keyboard(qtbot) -> Keyboard:
    return Keyboard(qtbot)


@pytest.fixture
def start_session(
    qtbot, services: Services, keyboard: Keyboard, tmp_path: Path
) -> Iterator[StartSession]:
    """``start_session("Amy")``: the app's window, the picker shown by the app's own ``sign_in``,
    the name typed into its filter and Enter pressed; returns the window on Home. Switching user
    needs a new start of the app today (there is no "switch user"), so a test with three people
    runs three sessions: ``close_session`` and start again."""
    make_application([])
    store = QSettings(str(tmp_path / "auditor.ini"), QSettings.Format.IniFormat)
    if not services.setup.progress().ready:  # set up, so that the app opens at the picker
        services.setup.create_first_administrator("it.admin", "Ivy Admin (IT)", [])
    windows: list[MainWindow] = []

    def start(name: str) -> MainWindow:
        window = MainWindow(settings=store)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)

        def pick(dialog: QDialog) -> None:
            keyboard.qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
            keyboard.type_text(name)  # the picker's filter has focus: the first match is chosen
            keyboard.enter()

        keyboard.then_in_dialog(pick)
        assert sign_in(window, services, store), f"the picker did not sign {name!r} in"
        assert name.lower() in window.user.name.lower()
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        return window

    yield start
    for window in windows:
        if window.isVisible():
            close_session(qtbot, window)


def close_session(qtbot, window: MainWindow, keyboard: Keyboard | None = None) -> None:
    """Quit by File > Quit (Alt+F, Q; Ctrl+Q has no binding on the offscreen platform); waits
    for the background work to finish."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    kb = keyboard or Keyboard(qtbot)
    kb.alt("f")
    kb.press(Qt.Key.Key_Q)
    qtbot.waitUntil(lambda: not window.isVisible())
