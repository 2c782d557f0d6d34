"""A dip sample by keyboard only: from the picker, File > Dip sample… (a new session of the
statutory-visits form), two cases added by typing their references, every cell answered with the
grid's keys (Y/N, F2 to edit, O/G/R/I to grade), the session finished with a note and a case's PDF
saved. The file dialog is the only thing not typed: the app's ``file_dialogs.run_dialog`` is
answered with a path (a native dialog is not the app's)."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog

from auditor.domain.forms import FieldType
from auditor.domain.grades import Grade
from auditor.ui.practice.dip_session_page import DipSessionPage
from tests.ui.workflows.conftest import close_session
from tests.ui.workflows.form_keys import GRADE_KEYS, choose_in_combo
from tests.ui.workflows.keyboard import Keyboard

FORM = "dip_statutory_visits"
CASES = {"CF-1": Grade.GOOD, "CF-2": Grade.REQUIRES_IMPROVEMENT}


def new_dip(kb: Keyboard, window) -> DipSessionPage:
    def dialog_steps(dialog: QDialog) -> None:
        kb.wait_focus_in(dialog, "the dialog")
        form_box = kb.tab_until(lambda w: w.accessibleName() == "Dip-sample form", "the form")
        assert isinstance(form_box, QComboBox)
        choose_in_combo(kb, form_box, FORM)
        kb.enter()

    kb.then_in_dialog(dialog_steps)
    kb.alt("f")
    kb.press(Qt.Key.Key_D)  # &Dip sample…
    kb.qtbot.waitUntil(lambda: bool(window.dip_pages))
    [page] = window.dip_pages.values()
    kb.qtbot.waitUntil(lambda: page.model is not None and page.case.isVisible())
    return page


def grade_row(kb: Keyboard, page: DipSessionPage, grade: Grade) -> None:
    """Focus is on the row's first question: answer each with its key, grade, say why."""
    model = page.model
    assert model is not None
    for question in model.questions:
        if question.type is FieldType.YES_NO:
            kb.press(Qt.Key.Key_Y)
        elif question.type is FieldType.CHOICE:
            kb.press(Qt.Key.Key_F2)
            editor = kb.focus()
            assert isinstance(editor, QComboBox), "F2 on a choice cell gives no drop-down"
            choose_in_combo(kb, editor, question.choices[0].value)
            kb.enter()
        elif question.type in (FieldType.TEXT, FieldType.TEXTAREA):
            kb.press(Qt.Key.Key_F2)
            kb.type_text("Seen.")
            kb.enter()
        kb.press(Qt.Key.Key_Right)
    kb.press(GRADE_KEYS[grade])  # moves to "Why this grade"
    assert page.grid.currentIndex().column() == model.col_why
    kb.press(Qt.Key.Key_F2)
    kb.type_text("Visits on time.")
    kb.enter()


def test_a_dip_sample_from_the_picker_to_its_pdf_by_keyboard_only(
    qtbot, services, org, db_path, start_session, keyboard, file_dialog, tmp_path
):
    kb = keyboard
    window = start_session("Eve Head")
    page = new_dip(kb, window)
    for reference, grade in CASES.items():
        kb.alt("c")  # &Case:
        assert kb.focus() is page.case
        kb.type_text(reference)
        kb.enter()
        assert kb.focus() is page.grid
        grade_row(kb, page, grade)
    qtbot.waitUntil(lambda: all(r.audit_id for r in page.model.rows))  # type: ignore[union-attr]

    def finish_steps(dialog: QDialog) -> None:
        kb.wait_focus_in(dialog, "the dialog")
        kb.type_text("Visits mostly on time.")
        kb.tab_until(lambda w: getattr(w, "text", lambda: "")() == "OK", "OK")
        kb.press(Qt.Key.Key_Space)

    kb.then_in_dialog(finish_steps)
    kb.alt("i")  # F&inish the session…
    qtbot.waitUntil(lambda: not page.finish_button.isVisible())
    pdf = tmp_path / "dip.pdf"
    file_dialog.path = pdf
    kb.tab_to(page.grid, "the dip grid")
    kb.alt("o")  # Save PDF &of this case…
    qtbot.waitUntil(lambda: pdf.exists() and pdf.stat().st_size > 0, timeout=10000)
    close_session(qtbot, window, kb)
    kb.assert_no_dialog_left()

    with sqlite3.connect(db_path) as db:
        [(finished, note)] = db.execute("SELECT finished_at, note FROM dip_session")
        rows = db.execute(
            "SELECT c.reference, a.state, a.final_grade FROM audit a "
            "JOIN case_file c ON a.case_id = c.id ORDER BY c.reference"
        ).fetchall()
    assert finished is not None and note == "Visits mostly on time."
    assert rows == [(ref, "closed", grade.value) for ref, grade in CASES.items()]
    assert pdf.read_bytes().startswith(b"%PDF")
    kb.report("dip sample")
