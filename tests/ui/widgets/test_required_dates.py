"""The dates that always have one — an action's due date, the day of an observation, a practice
week's first and last day, a report's period — are typed as dd/mm/yyyy (or 25112026, 25/11/26) and
open a calendar on Alt+Down. They were QDateEdits: 25112026 typed over 02/12/2026 left 02/12/2026,
"25/11/2026" gave 02/11/2026, and Alt+Down moved the date back a day instead of opening the calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from auditor.domain.activities import ActivityKind
from auditor.domain.grades import Grade
from auditor.domain.workflow import Part
from auditor.ui.audits.audit_editor import AuditEditor
from auditor.ui.audits.new_observation_dialog import NewObservationDialog
from auditor.ui.audits.reconciliation import ReconciliationPanel
from auditor.ui.practice.week_dialogs import NewWeekDialog
from auditor.ui.shell.background import SyncRunner
from auditor.ui.widgets.date_field import DateField
from auditor.ui.widgets.period_picker import PeriodPicker
from tests.builders import run_to, who

TODAY = dt.date(2026, 12, 2)


def _retype(qtbot, field: DateField, text: str) -> None:
    field.setFocus()  # through its focus proxy, as a label's mnemonic does
    qtbot.waitUntil(field.edit.hasFocus)
    qtbot.keyClick(field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field.edit, text)
    qtbot.keyClick(field.edit, Qt.Key.Key_Tab)


@pytest.fixture
def field(qtbot) -> Iterator[DateField]:
    """A date with a box after it, so that Tab has somewhere to go."""
    window = QWidget()
    layout = QVBoxLayout(window)
    box = DateField("First day", window, required=TODAY)
    layout.addWidget(box)
    layout.addWidget(QLineEdit(window))
    qtbot.addWidget(window)
    window.show()
    yield box  # the window is held until the test ends
    window.close()


@pytest.mark.parametrize("typed", ["25112026", "25/11/2026", "25/11/26", "25-11-2026"])
def test_a_typed_date_replaces_the_one_shown(qtbot, field, typed) -> None:
    _retype(qtbot, field, typed)
    assert field.day() == dt.date(2026, 11, 25)
    assert field.edit.text() == "25/11/2026"


def test_text_that_is_no_date_is_said_and_the_date_before_comes_back(qtbot, field) -> None:
    changes = []
    field.date_changed.connect(lambda: changes.append(field.value()))
    field.setFocus()
    qtbot.keyClick(field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field.edit, "31/02/2026")
    assert field.hint.isVisible() and "not a date" in field.edit.accessibleDescription()
    assert "02/12/2026" in field.edit.accessibleDescription()  # what leaving keeps
    qtbot.keyClick(field.edit, Qt.Key.Key_Tab)
    assert field.day() == TODAY and field.edit.text() == "02/12/2026" and not changes
    assert not field.hint.isVisible()
    field.edit.clear()  # emptied: still a date, never "not set"
    field.edit.editingFinished.emit()
    assert field.day() == TODAY and field.edit.text() == "02/12/2026"


def test_alt_down_opens_the_calendar_on_the_date_shown_and_enter_picks(qtbot, field) -> None:
    field.setFocus()
    qtbot.waitUntil(field.edit.hasFocus)
    qtbot.keyClick(field.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert field.popup.isVisible() and field.day() == TODAY  # not a day earlier
    assert field.popup.calendar.selectedDate().toPython() == TODAY
    calendar = QApplication.focusWidget()
    qtbot.keyClick(calendar, Qt.Key.Key_Right)
    qtbot.keyClick(calendar, Qt.Key.Key_Return)
    assert field.day() == TODAY + dt.timedelta(days=1) and field.edit.hasFocus()


def test_a_report_period_typed_by_hand(qtbot) -> None:
    picker = PeriodPicker(today=TODAY)
    qtbot.addWidget(picker)
    picker.show()
    changed = []
    picker.changed.connect(lambda: changed.append(picker.period()))
    _retype(qtbot, picker.start, "01/04/25")
    _retype(qtbot, picker.end, "31032026")
    assert picker.period() == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert picker.preset.currentText() == "Other dates" and changed[-1] == picker.period()


def test_the_day_of_an_observation_typed_is_the_day_stored(qtbot, services, org) -> None:
    dialog = NewObservationDialog(services, who(services, org.senior))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.practitioner.setCurrentIndex(dialog.practitioner.findData(org.worker))
    _retype(qtbot, dialog.day, "20/11/26")
    qtbot.keyClick(dialog.ok_button, Qt.Key.Key_Space)
    assert dialog.result() == dialog.DialogCode.Accepted
    detail = services.views.detail(dialog.audit_id, who=who(services, org.senior))
    assert detail.row.kind is ActivityKind.OBSERVATION
    assert detail.responses[Part.RECORD].answers["observed_on"] == "2026-11-20"


def test_a_practice_weeks_days_typed_are_the_days_stored(qtbot, services, org) -> None:
    dialog = NewWeekDialog(services, who(services, org.qa))
    qtbot.addWidget(dialog)
    dialog.show()
    _retype(qtbot, dialog.starts, "01032027")
    _retype(qtbot, dialog.ends, "12/03/2027")
    qtbot.keyClick(dialog.ok_button, Qt.Key.Key_Space)
    week = services.weeks.week(dialog.name.text(), who=who(services, org.qa))
    assert (week.starts_on, week.ends_on) == (dt.date(2027, 3, 1), dt.date(2027, 3, 12))


def test_an_actions_due_date_typed_is_the_date_stored(qtbot, services, org) -> None:
    audit_id = run_to(services, org, "reconciliation", final=Grade.REQUIRES_IMPROVEMENT)
    editor = AuditEditor(services, SyncRunner(), audit_id, who(services, org.senior))
    qtbot.addWidget(editor)
    editor.resize(1200, 800)
    editor.show()
    panel = editor.findChild(ReconciliationPanel)
    qtbot.keyClicks(panel.action_text, "Update the child's plan")
    _retype(qtbot, panel.action_due, "15012027")
    qtbot.keyClick(panel.add_action_button, Qt.Key.Key_Space)
    actions = services.views.detail(audit_id, who=who(services, org.senior)).actions
    assert [(a.description, a.due_on) for a in actions] == [
        ("Update the child's plan", dt.date(2027, 1, 15))
    ]
