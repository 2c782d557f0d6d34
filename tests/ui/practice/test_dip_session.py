"""A dip-sample session in the grid, by keyboard: add cases by typing their reference, answer Y / N,
grade with O / G / R / I, write why, finish; the refusal to finish with an unready case is shown."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from auditor.domain.grades import Grade
from auditor.domain.workflow import AuditState
from auditor.ui.models.dip_table_model import DipRow, DipTableModel
from auditor.ui.practice.dip_session_page import DipSessionPage
from auditor.ui.practice.new_dip_dialog import NewDipDialog
from auditor.ui.shell.background import SyncRunner
from auditor.ui.shell.main_window import MainWindow
from tests.builders import admin_of, who

FORM = "dip_statutory_visits"


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)


def open_page(qtbot, services, org) -> DipSessionPage:
    dialog = NewDipDialog(services, who(services, org.senior))
    qtbot.addWidget(dialog)
    dialog.form_choice.setCurrentIndex(dialog.form_choice.findData(FORM))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    page = DipSessionPage(services, SyncRunner(), dialog.session_id, who(services, org.senior))
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.show()
    return page


def add_case(qtbot, page: DipSessionPage, reference: str) -> int:
    page.case.setFocus()
    qtbot.keyClicks(page.case, reference)
    qtbot.keyClick(page.case, Qt.Key.Key_Return)
    return page.grid.currentIndex().row()


def answer_row(
    qtbot, page: DipSessionPage, row: int, yes_no: str, grade_key: Qt.Key, why: str
) -> None:
    model = page.model
    first = model.questions[0]  # "visits in timescale", a yes/no question
    assert page.grid.currentIndex() == model.index(row, 1) and first.id == "visits_in_timescale"
    qtbot.keyClick(page.grid, getattr(Qt.Key, f"Key_{yes_no}"))
    qtbot.keyClick(page.grid, grade_key)  # grades the row and moves to "why"
    assert page.grid.currentIndex().column() == model.col_why
    qtbot.keyClick(page.grid, Qt.Key.Key_F2)
    [cell] = [e for e in page.grid.findChildren(QLineEdit) if e.isVisible()]
    qtbot.keyClicks(cell, why)
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    QApplication.processEvents()  # the closed cell editor goes away


def test_three_cases_graded_by_keyboard_then_finished(qtbot, services, org):
    page = open_page(qtbot, services, org)
    services.directory.add_case(
        "CF-4", "child_protection", "North", "sw.amy", who=admin_of(services)
    )
    for ref, yn, key, why in (
        ("cf-1", "Y", Qt.Key.Key_G, "All on time"),
        ("CF-2", "N", Qt.Key.Key_R, "Two visits late"),
        ("CF-4", "N", Qt.Key.Key_I, "Not seen for ten weeks"),
    ):
        row = add_case(qtbot, page, ref)
        answer_row(qtbot, page, row, yn, key, why)
    assert [r.status for r in page.model.rows] == ["Saved, graded"] * 3
    assert "3 cases</b>, 3 graded so far" in page.summary.text()

    add_case(qtbot, page, "NOPE-1")
    assert "no case with the reference" in page.add_problem.text()

    finished = page.finish("Visits to children on plans slipping in the South.")
    assert finished, page.summary.text()
    session = services.dips.session(page.session_id, who=who(services, org.qa))
    assert [(r.case_reference, r.grade, r.submitted) for r in session.rows] == [
        ("CF-1", Grade.GOOD, True),
        ("CF-2", Grade.REQUIRES_IMPROVEMENT, True),
        ("CF-4", Grade.INADEQUATE, True),
    ]
    assert session.rows[1].answers["overall"]["rationale"] == "Two visits late"
    assert session.yes_counts[0][1:] == (1, 3)
    assert "3 cases graded" in page.summary.text() and "Yes in 1 of 3" in page.summary.text()
    assert page.model.read_only and page.case.isHidden()
    closed = services.views.detail(session.rows[0].audit_id, who=who(services, org.senior))
    assert closed.row.state is AuditState.CLOSED


def test_finishing_with_an_ungraded_case_is_refused_in_place(qtbot, services, org):
    page = open_page(qtbot, services, org)
    add_case(qtbot, page, "CF-1")
    qtbot.keyClick(page.grid, Qt.Key.Key_Y)
    row = add_case(qtbot, page, "CF-2")
    answer_row(qtbot, page, row, "Y", Qt.Key.Key_O, "Exemplary")
    assert not page.finish()
    assert "Not finished" in page.summary.text() and "CF-1" in page.summary.text()
    assert services.dips.session(page.session_id, who=who(services, org.qa)).finished_at is None
    page.grid.setCurrentIndex(page.model.index(0, 1))
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert [r.case_reference for r in page.model.rows] == ["CF-2"]
    assert page.finish()
    assert [
        r.case_reference
        for r in services.dips.session(page.session_id, who=who(services, org.qa)).rows
    ] == ["CF-2"]


def test_the_main_window_opens_and_reopens_a_dip_session(qtbot, services, org, monkeypatch):
    window = MainWindow(services, who(services, org.senior), SyncRunner())
    qtbot.addWidget(window)
    session = services.dips.start_session(FORM, by=who(services, org.senior))
    page = window.open_dip_session(session)
    assert window.tabs.currentWidget() is page
    assert window.open_dip_session(session) is page  # one tab per session
    window._on_tab_close_requested(window.tabs.indexOf(page))
    dialog = NewDipDialog(services, who(services, org.senior))
    qtbot.addWidget(dialog)
    assert dialog.session.findData(session) > 0  # unfinished: offered to carry on


def test_the_dip_model_passes_qts_model_tester(qtbot, services):
    model = DipTableModel(services.forms.latest(FORM))
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_rows([DipRow("CF-1"), DipRow("CF-2")])
    model.add_case("CF-3")
    model.set_grade(2, Grade.GOOD)
    assert model.index(2, model.col_grade).data() == "G"
    assert not model.setData(model.index(0, 2), "31/02/2026")  # not a date: refused
    assert model.rows[0].problem
    model.remove(0)
    assert model.rowCount() == 2


def test_why_is_saved_while_it_is_still_being_typed(qtbot, services, org):
    """The "why" cell is committed by the autosave rule as it is typed (before, only when the
    cell was left, so a long reason typed without leaving it was never saved)."""
    page = open_page(qtbot, services, org)
    row = add_case(qtbot, page, "CF-1")
    qtbot.keyClick(page.grid, Qt.Key.Key_G)  # grades the row and moves to "why"
    qtbot.keyClick(page.grid, Qt.Key.Key_F2)
    [cell] = [e for e in page.grid.findChildren(QLineEdit) if e.isVisible()]
    qtbot.keyClicks(cell, "Seen alone ")

    def stored() -> str:
        [saved] = services.dips.session(page.session_id, who=who(services, org.qa)).rows
        return (saved.answers.get("overall") or {}).get("rationale", "")

    qtbot.waitUntil(lambda: stored() == "Seen alone", timeout=5000)
    assert page.grid.state() == page.grid.State.EditingState and cell.isVisible()
    qtbot.keyClicks(cell, "twice")  # the space typed before the save is still there
    assert cell.text() == "Seen alone twice" and row == 0


def test_a_dip_case_is_saved_as_a_pdf_from_the_session_page(
    qtbot, services, org, file_dialog, tmp_path
):
    from tests.reports.conftest import pdf_text

    page = open_page(qtbot, services, org)
    row = add_case(qtbot, page, "CF-2")
    answer_row(qtbot, page, row, "N", Qt.Key.Key_R, "Two visits late")
    assert page.finish("Visits slipping.")
    assert page.pdf_button.isVisible()  # printing is for after the session too
    page.grid.setCurrentIndex(page.model.index(row, 1))
    file_dialog.path = tmp_path / "dip-case"
    page.pdf_button.setFocus()
    qtbot.keyClick(page.pdf_button, Qt.Key.Key_Space)
    saved = tmp_path / "dip-case.pdf"
    assert saved.exists() and "PDF saved" in page.summary.text()
    text = pdf_text(saved)
    assert "Case CF-2" in text and "FINAL GRADE\nRequires" in text


def test_shortened_dip_headers_can_be_read_in_full(qtbot, services, org):
    page = open_page(qtbot, services, org)
    model = page.model
    shortened = [
        (i, q.label)
        for i, q in enumerate(model.questions, start=1)
        if model.headerData(i, Qt.Orientation.Horizontal).endswith("…")
    ]
    assert shortened  # the form has long questions, so this is a real check
    for section, label in shortened:
        for role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            assert model.headerData(section, Qt.Orientation.Horizontal, role) == label


def test_one_case_is_one_case(qtbot, services, org):
    page = open_page(qtbot, services, org)
    add_case(qtbot, page, "CF-1")
    assert "<b>1 case</b>" in page.summary.text() and "1 cases" not in page.summary.text()
