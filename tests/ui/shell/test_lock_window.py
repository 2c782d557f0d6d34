"""The idle lock over the real window with an audit open and text typed in it: the lock comes
after the idle time, the typed text is saved as a draft before anything is covered, a wrong
password keeps it locked, the right one opens it with the text still there."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPlainTextEdit, QTextEdit

from auditor.domain.permissions import AccessEventKind
from auditor.domain.workflow import Part
from auditor.ui.shell.background import SyncRunner
from auditor.ui.shell.idle import SETTING
from auditor.ui.shell.lock_screen import Cover
from auditor.ui.shell.main_window import MainWindow
from tests.builders import admin_of, run_to, who
from tests.ui.shell.signing import PASSWORD, give_passwords, press_enter, type_into
from tests.ui.workflows.form_keys import editor_of


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)


@pytest.fixture
def writing(qtbot, services, org, tmp_path):
    """Amy's window, her self-review open, a text answer focused; locks after 0.6 s idle."""
    audit_id = run_to(services, org, "self_review")
    give_passwords(services)
    store = QSettings(str(tmp_path / "auditor.ini"), QSettings.Format.IniFormat)
    store.setValue(SETTING, 0.01)
    window = MainWindow(services, who(services, org.worker), SyncRunner(), settings=store)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    editor = window.open_audit(audit_id)
    qtbot.waitUntil(lambda: editor.is_loaded)
    view = editor.part_editors[Part.SELF_REVIEW].view
    text = next(
        w
        for kind in (QPlainTextEdit, QTextEdit, QLineEdit)
        for w in view.findChildren(kind)
        if w.isVisibleTo(view) and w.isEnabled() and editor_of(view, w) is not None
    )
    text.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is text)
    return window, audit_id, text, editor_of(view, text).field.id


def draft(services, org, audit_id: int, field_id: str):
    detail = services.views.detail(audit_id, who=who(services, org.worker))
    return detail.responses[Part.SELF_REVIEW].answers.get(field_id)


def test_idle_lock_saves_the_typed_text_first_and_it_is_there_after_unlocking(
    qtbot, services, org, writing
):
    window, audit_id, text, field_id = writing
    qtbot.keyClicks(text, "Typed just before a phone call")
    qtbot.waitUntil(lambda: window.locked, timeout=5000)  # nobody touched anything
    assert "Typed just before a phone call" in str(draft(services, org, audit_id, field_id))
    assert any(c.isVisible() for c in window.findChildren(Cover))
    screen = window.session_lock.screen
    screen.activateWindow()
    type_into(qtbot, screen.password, "somebody guessing")
    press_enter(qtbot)
    assert window.locked and "not right" in screen.error.text()
    type_into(qtbot, screen.password, PASSWORD)
    press_enter(qtbot)
    assert not window.locked
    assert not any(c.isVisible() for c in window.findChildren(Cover))
    content = text.toPlainText() if hasattr(text, "toPlainText") else text.text()
    assert "Typed just before a phone call" in content
    kinds = [e.kind for e in services.access_log.events(admin_of(services))]
    assert AccessEventKind.SESSION_LOCKED in kinds and AccessEventKind.UNLOCKED in kinds


def test_ctrl_l_locks_at_once(qtbot, services, org, writing):
    window, _audit_id, text, _field = writing
    qtbot.keyClick(text, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.locked)
    assert window.session_lock.screen.isVisible()
