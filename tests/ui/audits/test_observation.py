"""An observation of practice recorded through the app by keyboard, straight after the visit: the
new-observation dialog, the form (people present and what they said, strengths, feedback given,
grade by key), findings, and the engine's refusals shown where they belong."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from auditor.domain.activities import ActivityKind
from auditor.domain.grades import Grade
from auditor.domain.practice_weeks import FindingKind
from auditor.domain.workflow import AuditState, Part
from auditor.ui.audits.audit_editor import AuditEditor
from auditor.ui.audits.new_observation_dialog import NewObservationDialog
from auditor.ui.shell.background import SyncRunner
from tests.builders import who


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    return shown


def start_observation(qtbot, services, org) -> int:
    dialog = NewObservationDialog(services, who(services, org.senior))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.practitioner.findData(org.senior) < 0  # nobody observes themselves
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "whose practice you observed" in dialog.problem.text()  # engine's words, in place
    dialog.practitioner.setFocus()
    qtbot.keyClicks(dialog.practitioner, "Amy Worker (Social worker, North)")
    dialog.kind.setCurrentIndex(dialog.kind.findData("cin_meeting"))
    qtbot.keyClicks(dialog.case, "CF-1")
    dialog.case.setCurrentIndex(dialog.case.findData("CF-1"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    return dialog.audit_id


def test_an_observation_typed_up_after_the_visit(qtbot, services, org, no_modal_boxes):
    audit_id = start_observation(qtbot, services, org)
    draft = services.views.detail(audit_id, who=who(services, org.senior))
    assert draft.row.kind is ActivityKind.OBSERVATION and draft.row.state is AuditState.IN_PROGRESS
    assert draft.row.worker == "Amy Worker" and draft.row.case_reference == "CF-1"

    editor = AuditEditor(services, SyncRunner(), audit_id, who(services, org.senior))
    qtbot.addWidget(editor)
    editor.resize(1300, 900)
    editor.show()
    record = editor.part_editors[Part.RECORD]
    rows = record.view.rows
    assert rows["observation_type"].editor.value() == "cin_meeting"

    people = rows["people_present"].editor
    for speaker, said in (
        ("Child, aged 9", "I like my new school"),
        ("Mother", "Things are calmer"),
    ):
        qtbot.mouseClick(people.add_button, Qt.MouseButton.LeftButton)
        row = people.table.rowCount() - 1
        for column, text in ((0, speaker), (2, said)):
            people.table.setCurrentCell(row, column)
            qtbot.keyClick(people.table, Qt.Key.Key_F2)  # F2 edits the cell, as everywhere
            [cell] = [e for e in people.table.findChildren(QLineEdit) if e.isVisible()]
            qtbot.keyClicks(cell, text)
            qtbot.keyClick(cell, Qt.Key.Key_Return)
            QApplication.processEvents()  # the closed cell editor goes away
    qtbot.keyClicks(rows["strengths"].editor.edit, "Warm and clear with the child.")
    qtbot.keyClicks(rows["areas_to_develop"].editor.edit, "Agree next steps in writing.")
    overall = rows["overall"].editor
    qtbot.keyClick(overall.buttons[Grade.OUTSTANDING], Qt.Key.Key_G)
    qtbot.keyClicks(overall.rationale, "Child at the centre throughout.")

    # Without the feedback given to the practitioner it is not complete: said next to the field.
    qtbot.mouseClick(record.submit_button, Qt.MouseButton.LeftButton)
    assert (
        services.views.detail(audit_id, who=who(services, org.qa)).row.state
        is AuditState.IN_PROGRESS
    )
    assert rows["feedback_given"].problem.isVisible()

    qtbot.keyClicks(rows["feedback_given"].editor.edit, "Talked it through in the car.")
    rows["feedback_given_on"].editor.set_value("2026-11-20")
    qtbot.mouseClick(record.submit_button, Qt.MouseButton.LeftButton)
    done = services.views.detail(audit_id, who=who(services, org.senior))
    assert done.row.state is AuditState.CLOSED and done.row.final_grade is Grade.GOOD
    answers = done.responses[Part.RECORD].answers
    assert answers["people_present"][0] == {
        "who": "Child, aged 9",
        "category": "other",
        "said": "I like my new school",
    }
    assert answers["feedback_given"] == "Talked it through in the car."


def test_findings_are_added_and_removed_in_the_panel(qtbot, services, org):
    audit_id = start_observation(qtbot, services, org)
    editor = AuditEditor(services, SyncRunner(), audit_id, who(services, org.senior))
    qtbot.addWidget(editor)
    editor.show()
    from auditor.ui.audits.findings_panel import FindingsPanel

    [panel] = editor.findChildren(FindingsPanel)
    panel.kind.setCurrentIndex(panel.kind.findData(FindingKind.DEVELOPMENT))
    panel.domain.setCurrentIndex(panel.domain.findData("planning"))
    qtbot.keyClicks(panel.text, "No contingency plan")
    qtbot.keyClick(panel.text, Qt.Key.Key_Return)
    [stored] = services.findings.of_audit(audit_id, who=who(services, org.qa))
    assert (stored.kind, stored.domain_id, stored.text) == (
        FindingKind.DEVELOPMENT,
        "planning",
        "No contingency plan",
    )
    qtbot.keyClick(panel.text, Qt.Key.Key_Return)  # empty: refused, said in the panel
    assert panel.problem.isVisible() and "few words" in panel.problem.text()
    panel.list.setCurrentRow(0)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert services.findings.of_audit(audit_id, who=who(services, org.qa)) == []

    outsider = AuditEditor(services, SyncRunner(), audit_id, who(services, org.qa))
    qtbot.addWidget(outsider)
    [read_only] = outsider.findChildren(FindingsPanel)
    assert not read_only.may_write and read_only.add_button.isHidden()


def test_what_someone_said_is_autosaved_while_it_is_still_being_typed_in_its_cell(
    qtbot, services, org
):
    """A cell commits as it is typed: a long answer typed into one cell is saved without the
    typist leaving the cell (before, it reached the form only when the cell was left)."""
    audit_id = start_observation(qtbot, services, org)
    editor = AuditEditor(services, SyncRunner(), audit_id, who(services, org.senior))
    qtbot.addWidget(editor)
    editor.show()
    record = editor.part_editors[Part.RECORD]
    people = record.view.rows["people_present"].editor
    qtbot.mouseClick(people.add_button, Qt.MouseButton.LeftButton)  # edits the new row's 'who'
    [cell] = [e for e in people.table.findChildren(QLineEdit) if e.isVisible()]
    with qtbot.waitSignal(record.autosave.due, timeout=5000):
        qtbot.keyClicks(cell, "Child, aged 9")
    assert cell.isVisible() and people.table.state() == people.table.State.EditingState
    stored = (
        services.views.detail(audit_id, who=who(services, org.senior))
        .responses[Part.RECORD]
        .answers
    )
    assert stored["people_present"][0]["who"] == "Child, aged 9"


def test_a_cell_committed_as_it_is_typed_keeps_the_cursor_where_the_typist_is(qtbot, services, org):
    audit_id = start_observation(qtbot, services, org)
    editor = AuditEditor(services, SyncRunner(), audit_id, who(services, org.senior))
    qtbot.addWidget(editor)
    editor.show()
    people = editor.part_editors[Part.RECORD].view.rows["people_present"].editor
    qtbot.mouseClick(people.add_button, Qt.MouseButton.LeftButton)
    [cell] = [e for e in people.table.findChildren(QLineEdit) if e.isVisible()]
    qtbot.keyClicks(cell, "Mother")
    cell.setCursorPosition(0)
    qtbot.keyClicks(cell, "The ")
    assert cell.text() == "The Mother" and people.table.item(0, 0).text() == "The Mother"


def test_the_case_list_shows_each_cases_worker(qtbot, services, org):
    dialog = NewObservationDialog(services, who(services, org.senior))
    qtbot.addWidget(dialog)
    text = dialog.case.itemText(dialog.case.findData("CF-1"))
    assert "Amy Worker" in text and text.startswith("CF-1 — ")


def test_an_observations_grade_asks_for_what_was_seen_not_the_file(qtbot, services, org):
    from PySide6.QtWidgets import QLabel

    audit_id = start_observation(qtbot, services, org)
    editor = AuditEditor(services, SyncRunner(), audit_id, who(services, org.senior))
    qtbot.addWidget(editor)
    record = editor.part_editors[Part.RECORD]
    asks = [w.text() for w in record.view.findChildren(QLabel) if "Why this grade" in w.text()]
    assert asks and not any("on the file" in a for a in asks)
    assert all("saw or heard" in a for a in asks)
