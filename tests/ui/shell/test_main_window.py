"""The main window: home lists my work, the audit list opens audits, a new audit can be started."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from auditor.domain.workflow import AuditState
from auditor.ui.audits.new_audit_dialog import NewAuditDialog
from auditor.ui.shell.background import SyncRunner
from auditor.ui.shell.main_window import MainWindow
from tests.builders import run_to, who


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)


def make_window(qtbot, services, username):
    window = MainWindow(services, who(services, username), SyncRunner())
    qtbot.addWidget(window)
    window.show()
    return window


def test_home_shows_each_persons_work_and_opens_it(qtbot, services, org):
    audit_id = run_to(services, org, "self_review")
    worker = make_window(qtbot, services, org.worker)
    reviews = worker.home.lists["self_reviews"].list
    assert reviews.count() == 1 and "CF-1" in reviews.item(0).text()
    reviews.setCurrentRow(0)
    reviews.itemActivated.emit(reviews.item(0))
    assert worker.tabs.currentWidget() is worker.editors[audit_id]
    manager = make_window(qtbot, services, org.manager)
    assert manager.home.lists["first_audits"].list.count() == 1
    assert "Nothing waiting" in manager.home.lists["self_reviews"].list.item(0).text()


def test_audit_list_filters_in_the_database_and_opens_with_enter(qtbot, services, org):
    run_to(services, org, "second_audit")
    window = make_window(qtbot, services, org.senior)
    page = window.audits
    assert page.model.rowCount() == 1
    qtbot.keyClicks(page.search, "CF-9")
    page.search.returnPressed.emit()
    assert page.model.rowCount() == 0 and "0 audits" in page.count_label.text()
    page.search.clear()
    page.state.setCurrentIndex(page.state.findData(AuditState.SECOND_AUDIT))
    page.state.activated.emit(page.state.currentIndex())
    assert page.model.rowCount() == 1
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert len(window.editors) == 1


def test_new_audit_dialog_starts_an_audit_or_explains_why_not(qtbot, services, org):
    dialog = NewAuditDialog(services, who(services, org.manager))
    qtbot.addWidget(dialog)
    dialog.case.setCurrentIndex(dialog.case.findData("CF-3"))  # no allocated worker
    dialog._on_start_clicked()
    assert "no allocated social worker" in dialog.problem.text() and dialog.audit_id is None
    dialog.case.setCurrentIndex(dialog.case.findData("CF-1"))
    dialog._on_start_clicked()
    assert dialog.audit_id is not None
    assert (
        services.views.detail(dialog.audit_id, who=who(services, org.manager)).row.state
        is AuditState.SELF_REVIEW
    )


def test_new_audit_dialog_asks_why_an_audit_is_not_blind(qtbot, services, org):
    manager = NewAuditDialog(services, who(services, org.manager))
    qtbot.addWidget(manager)
    assert not manager.blind.isEnabled()  # team managers keep the blind rule
    dialog = NewAuditDialog(services, who(services, org.qa))
    qtbot.addWidget(dialog)
    dialog.case.setCurrentIndex(dialog.case.findData("CF-1"))
    assert not dialog.reason.isEnabled()
    dialog.blind.setChecked(False)
    assert dialog.reason.isEnabled()
    dialog._on_start_clicked()
    assert "Say why the second audit should not be blind" in dialog.problem.text()
    assert dialog.audit_id is None
    qtbot.keyClicks(dialog.reason, "Moderation exercise")
    dialog._on_start_clicked()
    detail = services.views.detail(dialog.audit_id, who=who(services, org.qa))
    assert detail.blind is False
    assert any(
        e.event == "made_not_blind" and "Moderation exercise" in e.detail for e in detail.history
    )


def answer_warning(monkeypatch, choice: str) -> list[str]:
    """Answer the next message boxes by pressing the button whose text starts with ``choice``."""
    shown: list[str] = []

    def press(box: QMessageBox) -> int:
        shown.append(box.text() + "\n" + box.informativeText())
        [button] = [b for b in box.buttons() if b.text().startswith(choice)]
        button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", press)
    return shown


def test_a_draft_that_cannot_be_saved_at_exit_keeps_the_window_until_discarded(
    qtbot, services, org, monkeypatch
):
    from auditor.domain.errors import StorageError
    from auditor.domain.workflow import Part
    from auditor.ui.shell.background import BackgroundRunner

    audit_id = run_to(services, org, "self_review")
    window = MainWindow(services, who(services, org.worker), BackgroundRunner())
    qtbot.addWidget(window)
    window.show()
    editor = window.open_audit(audit_id)
    qtbot.waitUntil(lambda: editor.is_loaded)

    def disk_full(*_args, **_kwargs):
        raise StorageError("The disk holding the database is full; free some space.")

    monkeypatch.setattr(services.audits, "save_draft", disk_full)
    box = editor.part_editors[Part.SELF_REVIEW].view.rows["strengths"].editor.edit
    qtbot.keyClicks(box, "Typed just before closing")

    shown = answer_warning(monkeypatch, "Keep")
    assert not window.close()
    assert window.isVisible() and "could not be saved" in shown[0] and "disk" in shown[0]
    assert "self-review" in shown[0].lower()

    shown = answer_warning(monkeypatch, "Discard")
    assert window.close() and not window.isVisible() and len(shown) == 1


def test_closing_an_audit_tab_with_an_unsaved_draft_asks_first(qtbot, services, org, monkeypatch):
    from auditor.domain.errors import StorageError
    from auditor.domain.workflow import Part

    audit_id = run_to(services, org, "self_review")
    window = make_window(qtbot, services, org.worker)
    editor = window.open_audit(audit_id)

    def locked(*_args, **_kwargs):
        raise StorageError("The database is busy: another program is writing to it.")

    monkeypatch.setattr(services.audits, "save_draft", locked)
    box = editor.part_editors[Part.SELF_REVIEW].view.rows["strengths"].editor.edit
    qtbot.keyClicks(box, "Not saved yet")
    answer_warning(monkeypatch, "Keep")
    window._on_tab_close_requested(window.tabs.indexOf(editor))
    assert window.editors.get(audit_id) is editor
    monkeypatch.undo()  # the database is free again: the draft is saved and the tab closes
    window._on_tab_close_requested(window.tabs.indexOf(editor))
    assert audit_id not in window.editors
    assert (
        services.views.detail(audit_id, who=who(services, org.worker))
        .responses[Part.SELF_REVIEW]
        .answers["strengths"]
        == "Not saved yet"
    )
