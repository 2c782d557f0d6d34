"""A practice week by keyboard only: from the picker, Practice weeks (Ctrl+3), a new week, a person
and a day given, an observation added to the plan, the week started, the observation started from
the plan and recorded to Complete, then the week's progress and its summary PDF. The file dialog
is the only thing not typed: the app's ``file_dialogs.run_dialog`` is answered with a path."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialog

from auditor.domain.grades import Grade
from auditor.domain.workflow import Part
from auditor.ui.audits.new_observation_dialog import FORM_ID
from tests.ui.workflows.conftest import close_session
from tests.ui.workflows.keyboard import CTRL, Keyboard
from tests.ui.workflows.steps import short_answers, write_part
from tests.ui.workflows.test_observation import PEOPLE, pick_typed


def in_dialog(kb: Keyboard, steps) -> None:
    """Type ``steps`` into the next dialog once focus is in it, then Enter (its OK)."""

    def run(dialog: QDialog) -> None:
        kb.wait_focus_in(dialog, "the dialog")
        steps(dialog)
        kb.enter()

    kb.then_in_dialog(run)


def plan_the_week(kb: Keyboard, page) -> None:
    def new_week(_dialog: QDialog) -> None:
        kb.press(Qt.Key.Key_A, CTRL)  # the name has focus, with a suggestion: type over it
        kb.type_text("Keyboard week")

    in_dialog(kb, new_week)
    kb.alt("n")  # &New practice week…
    kb.qtbot.waitUntil(lambda: page.week is not None and page.week.name == "Keyboard week")

    def days(_dialog: QDialog) -> None:
        pick_typed(kb, "Eve Head")
        kb.tab_until(lambda w: isinstance(w, QCheckBox), "the first day")
        kb.press(Qt.Key.Key_Space)

    in_dialog(kb, days)
    kb.alt("y")  # People and da&ys…
    kb.qtbot.waitUntil(lambda: bool(page.week.participants))

    def add_observation(_dialog: QDialog) -> None:  # Who, Day, What (an observation): as given
        kb.tab_until(lambda w: w.accessibleName() == "Case", "Case")
        pick_typed(kb, "CF-1")

    in_dialog(kb, add_observation)
    kb.alt("t")  # Add &to the plan…
    kb.qtbot.waitUntil(lambda: bool(page.week.allocations))
    kb.alt("w")  # Start the &week
    kb.qtbot.waitUntil(lambda: page.status_button.text() == "&Close the week")


def test_a_practice_week_from_the_picker_to_its_summary_pdf_by_keyboard_only(
    qtbot, services, org, db_path, start_session, keyboard, file_dialog, tmp_path
):
    kb = keyboard
    window = start_session("Eve Head")
    kb.press(Qt.Key.Key_3, CTRL)  # Go > Practice weeks
    page = window.weeks
    qtbot.waitUntil(lambda: page.loaded)
    plan_the_week(kb, page)
    kb.tab_to(page.table, "the plan")
    kb.enter()  # Enter on the planned observation starts it
    qtbot.waitUntil(lambda: bool(window.editors))
    [editor] = window.editors.values()
    qtbot.waitUntil(lambda: editor.is_loaded)
    view = editor.part_editors[Part.RECORD].view
    answers = short_answers(
        services.forms.latest(FORM_ID), "child_in_need", Grade.GOOD, {"people_present": PEOPLE}
    )
    given = {k for k in answers if view.rows[k].editor.value() not in (None, "", [])}
    write_part(kb, editor, Part.RECORD, {k: v for k, v in answers.items() if k not in given})
    kb.press(Qt.Key.Key_3, CTRL)
    qtbot.waitUntil(lambda: page.week is not None and page.week.allocations[0].done)
    kb.alt("u")  # Progress and s&ummary
    assert page.tabs.currentWidget() is page.progress
    pdf = tmp_path / "week.pdf"
    file_dialog.path = pdf
    kb.alt("x")  # E&xport the summary as PDF…
    qtbot.waitUntil(lambda: "Summary saved" in page.facts.text(), timeout=10000)
    close_session(qtbot, window, kb)
    kb.assert_no_dialog_left()

    with sqlite3.connect(db_path) as db:
        [(week_id, name, status)] = db.execute("SELECT id, name, status FROM practice_week")
        [(kind, state)] = db.execute(
            "SELECT al.kind, a.state FROM allocation al JOIN audit a ON al.audit_id = a.id "
            "WHERE al.week_id = ?",
            (week_id,),
        )
        [(days,)] = db.execute(
            "SELECT count(*) FROM practice_week_day WHERE week_id = ?", (week_id,)
        )
    assert (name, status, kind, state, days) == (
        "Keyboard week",
        "running",
        "observation",
        "closed",
        1,
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    kb.report("practice week")
