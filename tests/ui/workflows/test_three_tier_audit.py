"""The three-tier audit by keyboard only, from the "Who is using Auditor?" picker to the closed
audit in the database: the manager starts it (File > New audit…), the worker writes the
self-review, the manager the family feedback and the first audit, a senior manager the blind
second audit, the differences are explained, a follow-up action added and the audit closed.

There is no "switch user" in the app today: each person is a new session of the app (the window
quit by File > Quit, the app started again at the picker), all in this one test, on one file.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog

from auditor.domain.grades import Grade
from auditor.domain.workflow import Part
from auditor.ui.audits.reconciliation import ReconciliationPanel
from tests.builders import feedback_answers
from tests.ui.workflows.conftest import close_session
from tests.ui.workflows.keyboard import Keyboard
from tests.ui.workflows.steps import into, open_from_home, short_answers, write_part


def start_audit(kb: Keyboard, window, case: str) -> None:
    """File > New audit… (Alt+F, N): type the case reference, Enter starts it."""

    def dialog_steps(dialog: QDialog) -> None:
        case_box = dialog.findChild(QComboBox)  # the case reference: focus starts there
        assert case_box is not None
        kb.wait_focus_in(dialog, "the dialog")
        assert kb.focus() is case_box.lineEdit() or kb.focus() is case_box
        kb.type_text(case)  # the completer's popup offers the case: Enter takes it
        if kb.target() is not kb.focus():
            kb.enter()
        kb.enter()  # Start audit

    kb.then_in_dialog(dialog_steps)
    kb.alt("f")
    kb.press(Qt.Key.Key_N)
    kb.qtbot.waitUntil(lambda: bool(window.editors))


def test_a_three_tier_audit_from_the_picker_to_closed_by_keyboard_only(
    qtbot, services, org, db_path, start_session, keyboard
):
    kb = keyboard
    case_type = "child_in_need"
    forms = services.forms
    # 1. The manager starts the audit of CF-1.
    window = start_session("Ben Manager")
    start_audit(kb, window, org.case)
    close_session(qtbot, window, kb)
    # 2. The worker writes the self-review and submits it.
    window = start_session("Amy Worker")
    editor = open_from_home(kb, window, "Self-reviews to write")
    write_part(kb, editor, Part.SELF_REVIEW, short_answers(forms.latest("self_review"), case_type))
    close_session(qtbot, window, kb)
    # 3. The manager records the family's feedback, then writes the first audit.
    window = start_session("Ben Manager")
    editor = open_from_home(kb, window, "First audits to do")
    feedback = short_answers(
        forms.latest("family_feedback"), case_type, preset={"contact_outcome": "feedback_given"}
    )
    assert feedback.keys() == feedback_answers(services).keys()
    write_part(kb, editor, Part.FAMILY_FEEDBACK, feedback)
    first = short_answers(forms.latest("case_file_audit"), case_type, grade=Grade.GOOD)
    write_part(kb, editor, Part.FIRST_AUDIT, first)
    close_session(qtbot, window, kb)
    # 4. A head of service takes the blind second audit and grades it Requires improvement.
    window = start_session("Eve Head")
    editor = open_from_home(kb, window, "Second audits to do")
    second = short_answers(
        forms.latest("case_file_audit"), case_type, grade=Grade.REQUIRES_IMPROVEMENT
    )
    write_part(kb, editor, Part.SECOND_AUDIT, second)
    # 5. Differences explained, an action added, the audit closed.
    panel = editor.findChild(ReconciliationPanel)
    assert panel is not None and panel.can_edit
    for edit in panel.note_edits.values():
        kb.tab_to(edit, "a difference's note")
        kb.type_text("Agreed: plans lack dates.")
    kb.tab_to(panel.action_text, "New action")
    kb.type_text("Add dates to the plan")
    kb.tab_to(panel.add_action_button, "Add action")
    kb.press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: editor.is_loaded and editor.findChild(ReconciliationPanel) is not panel)
    panel = editor.findChild(ReconciliationPanel)
    into(kb, editor, "the audit after adding the action")
    kb.tab_to(panel.close_button, "Close the audit")
    kb.press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: editor.is_loaded and editor.findChild(ReconciliationPanel) is not panel)
    close_session(qtbot, window, kb)
    kb.assert_no_dialog_left()

    with sqlite3.connect(db_path) as db:
        [(audit_id, state, final)] = db.execute("SELECT id, state, final_grade FROM audit")
        parts = db.execute(
            "SELECT part FROM response WHERE audit_id = ? AND submitted_at IS NOT NULL",
            (audit_id,),
        ).fetchall()
        [(action,)] = db.execute(
            "SELECT description FROM follow_up_action WHERE audit_id = ?", (audit_id,)
        )
    assert state == "closed"
    assert final == Grade.REQUIRES_IMPROVEMENT.value
    assert {p for (p,) in parts} == {
        p.value
        for p in (Part.SELF_REVIEW, Part.FAMILY_FEEDBACK, Part.FIRST_AUDIT, Part.SECOND_AUDIT)
    }
    assert action == "Add dates to the plan"
    kb.report("three-tier audit")
