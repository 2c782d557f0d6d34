"""An observation of practice by keyboard only: from the picker, File > New observation… (the
practitioner, the kind of meeting and the case typed in), then the record — who was present and
what each said, the findings, the overall grade with its rationale — and Complete; the completed
observation is read back from the database."""

from __future__ import annotations

import json
import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from auditor.domain.grades import Grade
from auditor.domain.workflow import Part
from auditor.ui.audits.new_observation_dialog import FORM_ID
from tests.ui.workflows.conftest import close_session
from tests.ui.workflows.form_keys import choose_in_combo
from tests.ui.workflows.keyboard import Keyboard
from tests.ui.workflows.steps import short_answers, write_part

PEOPLE = [
    {"who": "Mother", "category": "parent_carer", "said": "Calmer now"},
    {"who": "Child", "category": "child", "said": "I like school"},
]


def pick_typed(kb: Keyboard, text: str) -> None:
    """Type into a searchable combo box; Enter takes the completer's offer if it shows one."""
    kb.type_text(text)
    if kb.target() is not kb.focus():  # the completer's popup
        kb.press(Qt.Key.Key_Down)
        kb.enter()


def new_observation(kb: Keyboard, window) -> None:
    def dialog_steps(dialog: QDialog) -> None:
        kb.wait_focus_in(dialog, "the dialog")
        pick_typed(kb, "Amy Worker")  # the practitioner: focus starts there
        kind = kb.tab()
        choose_in_combo(kb, kind, "home_visit")  # type: ignore[arg-type]
        kb.tab_until(lambda w: w.accessibleName() == "Case", "Case")
        pick_typed(kb, "CF-1")
        kb.enter()  # Start recording

    kb.then_in_dialog(dialog_steps)
    kb.alt("f")
    kb.press(Qt.Key.Key_O)  # New &observation…
    kb.qtbot.waitUntil(lambda: bool(window.editors))


def test_an_observation_from_the_picker_to_complete_by_keyboard_only(
    qtbot, services, org, db_path, start_session, keyboard
):
    kb = keyboard
    window = start_session("Eve Head")
    new_observation(kb, window)
    [editor] = window.editors.values()
    qtbot.waitUntil(lambda: editor.is_loaded)
    form = services.forms.latest(FORM_ID)
    answers = short_answers(
        form, "child_in_need", grade=Grade.GOOD, preset={"people_present": PEOPLE}
    )
    for typed_in_the_dialog in ("observation_type", "observed_on"):
        answers.pop(typed_in_the_dialog)
    write_part(kb, editor, Part.RECORD, answers)
    close_session(qtbot, window, kb)
    kb.assert_no_dialog_left()

    with sqlite3.connect(db_path) as db:
        [(audit_id, kind, state, final)] = db.execute(
            "SELECT id, kind, state, final_grade FROM audit"
        )
        stored = dict(
            db.execute(
                "SELECT a.field_id, a.value FROM answer a JOIN response r ON a.response_id = r.id "
                "WHERE r.audit_id = ?",
                (audit_id,),
            ).fetchall()
        )
        [(case,)] = db.execute(
            "SELECT c.reference FROM audit a JOIN case_file c ON a.case_id = c.id"
        )
    assert (kind, state, final, case) == ("observation", "closed", Grade.GOOD.value, "CF-1")
    assert json.loads(stored["people_present"]) == PEOPLE
    assert json.loads(stored["observation_type"]) == "home_visit"
    kb.report("observation")
