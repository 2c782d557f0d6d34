"""The lock: after the idle time (or Ctrl+L) every window is covered, what was typed having been
saved first; only the same person's password opens it, a wrong one counts towards the lock-out,
and what was typed is all there after."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMainWindow, QVBoxLayout, QWidget

from auditor.domain.permissions import AccessEventKind
from auditor.ui.shell.idle import IdleWatch, idle_minutes
from auditor.ui.shell.lock_screen import Cover, SessionLock
from tests.ui.shell.signing import PASSWORD, cheap_hashing, press_enter, type_into


@pytest.fixture
def admin(services):
    cheap_hashing(services)
    return services.setup.create_first_administrator(
        "helen.fraser", "Helen Fraser", [], password=PASSWORD
    )


class Window(QMainWindow):
    """A window with one field, standing in for the app's (whose editors are tested in
    test_lock_window.py)."""

    def __init__(self) -> None:
        super().__init__()
        self.field = QLineEdit(self)
        self.field.setAccessibleName("Notes")
        holder = QWidget(self)
        QVBoxLayout(holder).addWidget(self.field)
        self.setCentralWidget(holder)
        self.saved: list[str] = []
        self.signed_out = 0

    def save(self) -> list[str]:
        self.saved.append(self.field.text())
        return []


@pytest.fixture
def window(qtbot, services, admin):
    shown = Window()
    qtbot.addWidget(shown)
    shown.resize(800, 600)
    shown.show()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    shown.lock = SessionLock(services, admin, shown, shown.save, lambda: None)
    return shown


def events(services, admin) -> list[AccessEventKind]:
    return [e.kind for e in services.access_log.events(admin)]


def test_locking_saves_first_covers_every_window_and_lets_no_key_through(
    qtbot, services, admin, window
):
    window.field.setFocus()
    type_into(qtbot, window.field, "half a sentence")
    other = QDialog(window)  # a second window of the app, open at the time
    other.setWindowTitle("Another window")
    other.show()
    qtbot.waitExposed(other)
    window.activateWindow()
    window.field.setFocus()
    window.lock.lock()
    assert window.saved == ["half a sentence"]  # saved before anything was covered
    screen = window.lock.screen
    assert screen is not None and screen.isVisible()
    covered = {cover.parentWidget() for cover in window.findChildren(Cover)} | {
        cover.parentWidget() for cover in other.findChildren(Cover)
    }
    assert covered == {window, other}
    assert all(
        c.isVisible() and c.geometry() == c.parentWidget().rect()
        for c in window.findChildren(Cover) + other.findChildren(Cover)
    )
    qtbot.keyClicks(window.field, "more")  # nothing reaches the field under the cover
    assert window.field.text() == "half a sentence"
    assert AccessEventKind.SESSION_LOCKED in events(services, admin)
    other.close()


def test_a_wrong_password_keeps_it_locked_and_counts(qtbot, services, admin, window):
    window.lock.lock()
    screen = window.lock.screen
    screen.activateWindow()
    type_into(qtbot, screen.password, "not my password")
    press_enter(qtbot)
    assert window.lock.locked and screen.isVisible()
    assert "4 more wrong passwords will lock the account" in screen.error.text()
    qtbot.keyClick(screen.password, Qt.Key.Key_Escape)  # Escape does not unlock
    assert window.lock.locked and screen.isVisible()
    assert screen.password.text() == ""


def test_the_same_persons_password_unlocks_and_everything_is_there(qtbot, services, admin, window):
    window.field.setFocus()
    type_into(qtbot, window.field, "half a sentence")
    window.lock.lock()
    screen = window.lock.screen
    screen.activateWindow()
    type_into(qtbot, screen.password, PASSWORD)
    press_enter(qtbot)
    assert not window.lock.locked and not screen.isVisible()
    assert window.findChildren(Cover) == [] or not any(
        c.isVisible() for c in window.findChildren(Cover)
    )
    assert window.field.text() == "half a sentence"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.field)  # back where it was
    qtbot.keyClicks(window.field, ", finished")
    assert window.field.text() == "half a sentence, finished"
    kinds = events(services, admin)  # newest first
    since_locked = kinds[: kinds.index(AccessEventKind.SESSION_LOCKED)]
    assert since_locked == [AccessEventKind.UNLOCKED]  # one line: not a new sign-in as well


def test_the_lock_screen_can_sign_the_person_out(qtbot, services, admin, window):
    signed_out: list[int] = []
    window.lock.sign_out = lambda: signed_out.append(1)
    window.lock.lock()
    screen = window.lock.screen
    screen.sign_out_button.click()
    assert signed_out == [1] and not window.lock.locked


def test_after_the_idle_time_it_locks_and_input_puts_it_off(qtbot, window):
    watch = IdleWatch(0.01, window)  # 600 ms
    watch.idle.connect(window.lock.lock)
    watch.start()
    qtbot.wait(400)
    qtbot.keyClick(window.field, Qt.Key.Key_A)  # still in use: the wait starts again
    qtbot.wait(400)
    assert not window.lock.locked
    qtbot.waitUntil(lambda: window.lock.locked, timeout=3000)
    watch.stop()


@pytest.mark.parametrize(
    ("setting", "minutes"),
    [
        (None, 15.0),
        ("5", 5.0),
        ("0.5", 0.5),
        ("0", 15.0),
        ("-3", 15.0),
        ("x", 15.0),
        ("nan", 15.0),
        ("60", 60.0),
        ("100000", 60.0),  # editing one's own settings file does not switch the lock off
        ("inf", 60.0),
    ],
)
def test_the_idle_time_is_a_setting_and_a_bad_one_keeps_the_default(setting, minutes):
    assert idle_minutes(setting) == minutes


def test_a_refusal_of_the_services_is_a_message_not_a_traceback(qtbot, monkeypatch):
    import sys

    from PySide6.QtWidgets import QMessageBox

    from auditor.domain.permissions import Action, NotPermitted, refusal
    from auditor.ui.shell.errors import install_excepthook

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: shown.append((box.windowTitle(), box.text())) or 0
    )
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_excepthook(None)
    error = NotPermitted(refusal(Action.EXPORT))
    sys.excepthook(NotPermitted, error, None)
    assert shown == [("Not allowed", str(error))]
    assert "Traceback" not in shown[0][1]


def test_the_lock_goes_over_a_dialog_that_is_open(qtbot, services, admin, window):
    from PySide6.QtCore import QTimer

    results: list[bool] = []
    dialog = QDialog(window)
    dialog.setWindowTitle("New audit")
    field = QLineEdit(dialog)

    def while_open() -> None:
        window.lock.lock()
        screen = window.lock.screen
        results.append(screen.parentWidget() is dialog)  # above the dialog, where input goes
        results.append(any(c.parentWidget() is dialog for c in dialog.findChildren(Cover)))
        qtbot.keyClicks(field, "x")
        results.append(field.text() == "")
        screen.activateWindow()
        type_into(qtbot, screen.password, PASSWORD)
        press_enter(qtbot)
        results.append(not window.lock.locked)
        dialog.reject()

    QTimer.singleShot(50, while_open)
    dialog.exec()
    assert results == [True, True, True, True]
