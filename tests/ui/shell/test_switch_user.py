"""Sign out and switch user without quitting: the drafts are saved first, nothing of the first
person's is left on screen, and the next person's window is theirs alone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox

from auditor.domain.permissions import AccessEventKind
from auditor.domain.workflow import Part
from auditor.ui.shell.background import SyncRunner
from auditor.ui.shell.main_window import MainWindow
from auditor.ui.shell.sign_in import SignInDialog
from tests.builders import admin_of, run_to, who
from tests.ui.shell.signing import PASSWORD, give_passwords
from tests.ui.workflows.keyboard import Keyboard


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)


@pytest.fixture
def amys_window(qtbot, services, org, tmp_path):
    audit_id = run_to(services, org, "self_review")
    give_passwords(services)
    store = QSettings(str(tmp_path / "auditor.ini"), QSettings.Format.IniFormat)
    window = MainWindow(services, who(services, org.worker), SyncRunner(), settings=store)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    editor = window.open_audit(audit_id)
    qtbot.waitUntil(lambda: editor.is_loaded)
    return window, audit_id


def sign_in_as(kb: Keyboard, username: str, seen: list[SignInDialog]):
    def steps(dialog: QDialog) -> None:
        assert isinstance(dialog, SignInDialog)
        seen.append(dialog)
        kb.wait_focus_in(dialog, "the sign-in screen")
        if kb.focus() is dialog.password:
            kb.tab(back=True)
        kb.press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        kb.type_text(username)
        kb.tab()
        kb.type_text(PASSWORD)
        kb.enter()

    return steps


def test_switch_user_leaves_nothing_of_the_first_person(qtbot, services, org, amys_window):
    window, audit_id = amys_window
    kb = Keyboard(qtbot)
    seen: list[SignInDialog] = []
    left_on_screen: list[str] = []

    def steps(dialog: QDialog) -> None:
        # While the sign-in screen is up, the window behind it shows nothing of Amy's.
        left_on_screen.append(window.windowTitle())
        left_on_screen.extend(label.text() for label in window.findChildren(QLabel))
        assert window.editors == {} and window.principal is None
        sign_in_as(kb, org.manager, seen)(dialog)

    kb.then_in_dialog(steps)
    kb.alt("f")
    kb.press(Qt.Key.Key_U)  # Switch user…
    kb.assert_no_dialog_left()
    assert seen and seen[0].username.text() == org.manager  # typed: it started empty
    assert not any("Amy" in text for text in left_on_screen)
    assert window.principal is not None and window.principal.username == org.manager
    assert "Ben Manager" in window.windowTitle() and "Amy" not in window.windowTitle()
    assert audit_id not in window.editors
    assert window.isVisible()
    kinds = [e.kind for e in services.access_log.events(admin_of(services))]
    assert AccessEventKind.SIGNED_OUT in kinds


def test_sign_out_saves_the_draft_first(qtbot, services, org, amys_window):
    window, audit_id = amys_window
    editor = window.editors[audit_id]
    page = editor.part_editors[Part.SELF_REVIEW]
    saved: list[int] = []
    real = page.flush

    def flush() -> bool:
        saved.append(1)
        return real()

    page.flush = flush  # type: ignore[method-assign]
    kb = Keyboard(qtbot)
    seen: list[SignInDialog] = []
    kb.then_in_dialog(sign_in_as(kb, org.worker, seen))
    kb.alt("f")
    kb.press(Qt.Key.Key_T)  # Sign out
    kb.assert_no_dialog_left()
    assert saved  # every open editor flushed before the window was emptied
    assert window.principal is not None and window.principal.username == org.worker
    assert window.editors == {}  # signed in again: a fresh window, the audit not reopened


def test_quitting_at_the_sign_in_screen_after_signing_out_closes_the_app(
    qtbot, services, org, amys_window
):
    window, _ = amys_window
    kb = Keyboard(qtbot)
    kb.then_in_dialog(lambda dialog: dialog.reject())
    kb.alt("f")
    kb.press(Qt.Key.Key_T)
    kb.assert_no_dialog_left()
    qtbot.waitUntil(lambda: not window.isVisible())


def test_the_file_menu_changes_my_password(qtbot, services, org, amys_window):
    kb = Keyboard(qtbot)
    new = "five green kettles"

    def steps(dialog: QDialog) -> None:
        kb.wait_focus_in(dialog, "the change-password dialog")
        kb.type_text(PASSWORD)  # the current one has the focus
        kb.tab()
        kb.type_text(new)
        kb.tab()
        kb.type_text(new)
        kb.enter()

    kb.then_in_dialog(steps)
    kb.alt("f")
    kb.press(Qt.Key.Key_W)  # Change my pass&word…
    kb.assert_no_dialog_left()
    assert services.accounts.sign_in(org.worker, new).principal.username == org.worker
