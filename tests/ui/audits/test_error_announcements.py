"""What a screen reader is told about a form: after a failed submit each problem is on its field
(the accessible description of the inputs starts with it, and focus goes to the first); required
answers say "required"; a drop-down is named by its question, not by "— choose —"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox, QTabWidget

from auditor.domain.forms import FieldType
from auditor.domain.workflow import AuditState, Part
from auditor.ui.audits.audit_editor import AuditEditor
from auditor.ui.shell.background import SyncRunner
from tests.builders import Org, run_to, who


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)


@pytest.fixture
def first_audit(qtbot, services, org):
    audit_id = run_to(services, org, "first_audit")
    editor = AuditEditor(services, SyncRunner(), audit_id, who(services, org.manager))
    qtbot.addWidget(editor)
    editor.resize(1300, 900)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    part = editor.part_editors[Part.FIRST_AUDIT]
    [tabs] = [t for t in editor.findChildren(QTabWidget) if t.indexOf(part) >= 0]
    tabs.setCurrentWidget(part)
    yield audit_id, part
    del editor


def test_a_failed_submit_ties_each_problem_to_its_field_and_focuses_the_first(
    qtbot, services, first_audit
):
    audit_id, part = first_audit
    rows = part.view.rows
    part.submit_button.setFocus()
    qtbot.waitUntil(part.submit_button.hasFocus)
    qtbot.keyClick(part.submit_button, Qt.Key.Key_Space)  # submit by keyboard, nothing answered
    assert (
        services.views.detail(audit_id, who=who(services, Org.qa)).row.state
        is AuditState.FIRST_AUDIT
    )
    wrong = [row for row in rows.values() if row.problem.isVisibleTo(part)]
    assert len(wrong) > 3
    for row in wrong:
        for widget in row.editor.input_widgets():
            said = widget.accessibleDescription()
            assert said.startswith(f"Problem: {row.problem.text()}"), (row.field.id, said)
    assert QApplication.focusWidget() in wrong[0].editor.input_widgets()

    # Answer one: its problem goes from the field on the next try, the others stay.
    fixed = next(r for r in wrong if r.field.type is FieldType.GRADE)
    fixed.editor.set_value({"grade": "good", "rationale": "Plans are up to date."})
    qtbot.keyClick(part.submit_button, Qt.Key.Key_Space)
    assert not fixed.problem.isVisibleTo(part)
    assert not any(
        w.accessibleDescription().startswith("Problem:") for w in fixed.editor.input_widgets()
    )
    assert fixed.editor.rationale.accessibleDescription().startswith("Required.")


def test_required_answers_say_so_and_drop_downs_are_named_by_their_question(first_audit):
    _audit_id, part = first_audit
    rows = part.view.rows.values()
    grades = [r for r in rows if r.field.type is FieldType.GRADE]
    assert grades
    for row in grades:
        assert "required" in row.editor.rationale.accessibleName()
    for row in rows:
        if row.field.required and row.field.type is not FieldType.GRADE:
            assert "required" in row.editor.focus_target().accessibleName(), row.field.id
    combos = [c for r in rows for c in r.editor.findChildren(QComboBox)]
    assert combos
    for combo in combos:
        question = combo.parentWidget().field.label  # the ChoiceEditor around it
        assert combo.accessibleName().startswith(question)
        assert "choose" not in combo.accessibleName()
