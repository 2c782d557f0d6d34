"""What stopped a keyboard user in the workflow tests, each shown on its own screen: the test
fails on the screen as it was and passes with the fix."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPlainTextEdit

from auditor.domain.workflow import Part
from auditor.ui.practice.dip_session_page import DipSessionPage
from auditor.ui.practice.week_dialogs import AllocationDialog, DaysDialog, NewWeekDialog
from auditor.ui.reports.reports_page import ReportsPage
from auditor.ui.shell.background import SyncRunner
from auditor.ui.shell.main_window import MainWindow
from tests.builders import run_to, who
from tests.ui.workflows.keyboard import Keyboard, describe


def test_tab_leaves_the_note_of_finish_the_dip_sample_for_its_ok_button(qtbot, services, org):
    session_id = services.dips.start_session("dip_statutory_visits", by=org.senior)
    page = DipSessionPage(services, SyncRunner(), session_id, org.senior)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.finish_button.isVisible)
    kb = Keyboard(qtbot)
    seen: list[str] = []

    def steps(dialog: QDialog) -> None:
        qtbot.waitUntil(lambda: isinstance(kb.focus(), QPlainTextEdit))
        note = kb.focus()
        assert note.accessibleName() == "What this dip sample found"
        kb.type_text("Fine.")
        for _ in range(4):  # the buttons are a Tab or two away
            widget = kb.tab()
            seen.append(type(widget).__name__)
            if getattr(widget, "text", lambda: "")() == "OK":
                break
        kb.press(Qt.Key.Key_Escape)

    kb.then_in_dialog(steps)
    page.finish_button.setFocus()
    kb.press(Qt.Key.Key_Space)
    assert "QPushButton" in seen, f"Tab stayed in the note: {seen}"
    kb.assert_no_dialog_left()


def test_the_practice_week_dialogs_open_with_focus_in_their_first_field(qtbot, services, org):
    """They opened with focus on OK (made first, so first in the focus chain): the name typed
    into a new week went nowhere and Enter created "Practice week <month>"."""
    week_id = services.weeks.create(
        "Week", dt.date(2026, 12, 7), dt.date(2026, 12, 18), by=org.senior
    )
    services.weeks.set_participant(week_id, org.senior, [dt.date(2026, 12, 7)], by=org.senior)
    week = services.weeks.week(week_id)
    dialogs = {
        "name": NewWeekDialog(services, org.senior),
        "person": DaysDialog(services, org.senior, week),
        "person ": AllocationDialog(services, org.senior, week),
    }
    for first, dialog in dialogs.items():
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        expected = getattr(dialog, first.strip())
        qtbot.waitUntil(lambda d=dialog: d.focusWidget() is not None)
        focused = dialog.focusWidget()
        assert focused is expected or expected.isAncestorOf(focused), (
            f"{dialog.windowTitle()}: focus on {describe(focused)}"
        )
        dialog.close()


def test_alt_i_on_reports_puts_focus_in_the_period(qtbot, services, org):
    """ "Per&iod" is the label of the period picker, which takes no focus itself: Alt+I did
    nothing."""
    page = ReportsPage(services, services.directory.person(org.senior), SyncRunner())
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    page.report.setFocus()
    qtbot.waitUntil(page.report.hasFocus)
    Keyboard(qtbot).alt("i")
    assert page.period.preset.hasFocus(), f"Alt+I left focus on {describe(Keyboard.focus())}"


def test_an_audit_opened_puts_focus_in_the_first_question_to_answer(qtbot, services, org):
    """Opened from Home (Enter) or after New observation…, focus stayed on the window's tab bar:
    the first question was a dozen Tab presses away."""
    audit_id = run_to(services, org, "self_review")
    window = MainWindow(services, who(services, org.worker), SyncRunner())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    editor = window.open_audit(audit_id)
    view = editor.part_editors[Part.SELF_REVIEW].view
    qtbot.waitUntil(lambda: Keyboard.focus() is not None and view.isAncestorOf(Keyboard.focus()))


def test_after_signing_in_focus_is_on_the_home_list_with_work_waiting(
    qtbot, services, org, start_session
):
    """Signed in, focus was on the window's tab bar: the self-review waiting for the worker was
    two Tab presses (and a look round) away instead of one Enter."""
    run_to(services, org, "self_review")
    window = start_session("Amy Worker")
    [waiting] = [w.list for w in window.home.lists.values() if w.title == "Self-reviews to write"]
    qtbot.waitUntil(
        lambda: waiting.count() > 0 and waiting.item(0).data(Qt.ItemDataRole.UserRole) is not None
    )
    qtbot.waitUntil(lambda: Keyboard.focus() is waiting)
    assert waiting.currentRow() == 0
