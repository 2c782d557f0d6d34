"""The whole three-tier audit driven through the app by three people who sign in, one after the
other, in the same window without quitting (File > Switch user…): the team manager starts it, the
worker writes the self-review, the manager the family feedback and the first audit, a head of
service the blind second audit, the differences explained, an action added, the audit closed.
Keyboard only; then what was stored is checked in the database file."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from auditor.domain.grades import Grade
from auditor.domain.workflow import Part
from auditor.ui.audits.reconciliation import ReconciliationPanel
from tests.builders import feedback_answers
from tests.ui.workflows.conftest import close_session, keyboard, start_session, switch_user
from tests.ui.workflows.steps import into, open_from_home, short_answers, write_part
from tests.ui.workflows.test_three_tier_audit import start_audit

__all__ = ["keyboard", "start_session"]  # the fixtures, used by name


def test_three_people_sign_in_and_switch_user_through_a_three_tier_audit(
    qtbot, services, org, db_path, start_session, keyboard
):
    kb = keyboard
    case_type = "child_in_need"
    forms = services.forms
    # 1. The manager signs in and starts the audit of CF-1.
    window = start_session("Ben Manager")
    start_audit(kb, window, org.case)
    [audit_id] = window.editors
    # 2. Switch user: the worker, in the same window; none of Ben's tabs are left.
    switch_user(qtbot, services, window, "Amy Worker", kb)
    assert window.editors == {} and "Amy Worker" in window.windowTitle()
    editor = open_from_home(kb, window, "Self-reviews to write")
    assert editor.audit_id == audit_id
    write_part(kb, editor, Part.SELF_REVIEW, short_answers(forms.latest("self_review"), case_type))
    # 3. Back to the manager: family feedback, then the first audit.
    switch_user(qtbot, services, window, "Ben Manager", kb)
    editor = open_from_home(kb, window, "First audits to do")
    feedback = short_answers(
        forms.latest("family_feedback"), case_type, preset={"contact_outcome": "feedback_given"}
    )
    assert feedback.keys() == feedback_answers(services).keys()
    write_part(kb, editor, Part.FAMILY_FEEDBACK, feedback)
    first = short_answers(forms.latest("case_file_audit"), case_type, grade=Grade.GOOD)
    write_part(kb, editor, Part.FIRST_AUDIT, first)
    # 4. A head of service: the blind second audit, graded Requires improvement.
    switch_user(qtbot, services, window, "Eve Head", kb)
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
        [(state, final)] = db.execute(
            "SELECT state, final_grade FROM audit WHERE id = ?", (audit_id,)
        )
        parts = dict(
            db.execute(
                "SELECT r.part, p.username FROM response r JOIN person p ON p.id = r.author_id "
                "WHERE r.audit_id = ? AND r.submitted_at IS NOT NULL",
                (audit_id,),
            ).fetchall()
        )
        [(action,)] = db.execute(
            "SELECT description FROM follow_up_action WHERE audit_id = ?", (audit_id,)
        )
        signed_in = [
            u
            for (u,) in db.execute(
                "SELECT p.username FROM access_event e JOIN person p ON p.id = e.person_id "
                "WHERE e.kind = 'signed_in' ORDER BY e.id"
            )
        ]
    db.close()
    assert state == "closed" and final == Grade.REQUIRES_IMPROVEMENT.value
    assert parts == {  # each part written by the person signed in at the time
        Part.SELF_REVIEW.value: org.worker,
        Part.FAMILY_FEEDBACK.value: org.manager,
        Part.FIRST_AUDIT.value: org.manager,
        Part.SECOND_AUDIT.value: org.senior,
    }
    assert action == "Add dates to the plan"
    assert signed_in == [org.manager, org.worker, org.manager, org.senior]  # one window, four
    kb.report("three-tier audit, three people, switch user")
