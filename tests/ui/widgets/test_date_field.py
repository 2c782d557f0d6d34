"""A date field typed by keyboard: dd/mm/yyyy, 25112026 and 25/11/26 are kept; an empty field says
"Not set" (and is not editable garbage); Alt+Down opens a calendar on today; Tab leaves it."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from auditor.domain.forms import parse_form
from auditor.ui.widgets.date_field import parse_typed_date
from auditor.ui.widgets.form_renderer import FormView

FORM = parse_form(
    {
        "id": "dates",
        "version": 1,
        "title": "Dates",
        "use": "self_review",
        "sections": [
            {
                "id": "s",
                "title": "S",
                "fields": [
                    {"id": "seen", "type": "date", "label": "When was the child last seen?"},
                    {"id": "after", "type": "text", "label": "After"},
                    {"id": "visits", "type": "number", "label": "How many visits?"},
                ],
            }
        ],
    },
    "dates.v1.yaml",
)


@pytest.fixture
def view(qtbot):
    host = QWidget()
    view = FormView(FORM)
    QVBoxLayout(host).addWidget(view)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    yield view
    del host


def _focus(qtbot, widget):
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


@pytest.mark.parametrize("typed", ["25/11/2026", "25112026", "25/11/26", "25-11-2026", "251126"])
def test_a_date_typed_into_a_not_set_field_is_kept_and_shown_as_dd_mm_yyyy(qtbot, view, typed):
    row = view.rows["seen"]
    box = row.editor.focus_target()
    assert isinstance(box, QLineEdit) and box.text() == "" and row.editor.value() is None
    _focus(qtbot, box)
    with qtbot.waitSignal(view.changed):
        qtbot.keyClicks(box, typed)
    qtbot.keyClick(box, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is view.rows["after"].editor.focus_target()  # Tab left it
    assert view.values()["seen"] == "2026-11-25"
    assert box.text() == "25/11/2026"
    assert "25 November 2026" in box.accessibleDescription()


def test_an_empty_date_says_not_set_and_typing_does_not_mix_with_it(qtbot, view):
    box = view.rows["seen"].editor.focus_target()
    assert box.text() == "" and box.placeholderText().startswith("Not set")
    assert "Not set" in box.accessibleDescription()
    _focus(qtbot, box)
    qtbot.keyClicks(box, "25x11y2026")  # letters cannot be typed at all
    assert box.text() == "25112026"


def test_a_date_that_does_not_exist_is_not_stored_and_the_field_says_why(qtbot, view):
    box = view.rows["seen"].editor.focus_target()
    _focus(qtbot, box)
    qtbot.keyClicks(box, "31/02/2026")
    qtbot.keyClick(box, Qt.Key.Key_Tab)
    assert "seen" not in view.values()
    assert box.text() == "31/02/2026"  # what was typed is not thrown away
    assert "not a date" in box.accessibleDescription()
    hint = view.rows["seen"].editor.date.hint
    assert hint.isVisible() and "dd/mm/yyyy" in hint.text()  # seen as well as heard
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, "1/02/2026")
    assert not hint.isVisible() and view.values()["seen"] == "2026-02-01"


def test_alt_down_opens_the_calendar_on_today_and_enter_picks_the_day(qtbot, view):
    editor = view.rows["seen"].editor
    box = editor.focus_target()
    _focus(qtbot, box)
    qtbot.keyClick(box, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    popup = editor.date.popup
    qtbot.waitUntil(popup.isVisible)
    today = dt.date.today()
    assert popup.calendar.selectedDate().toPython() == today
    qtbot.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_Left
    )  # arrows move the day, as in any calendar
    with qtbot.waitSignal(view.changed):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert not popup.isVisible()
    yesterday = today - dt.timedelta(days=1)
    assert view.values()["seen"] == yesterday.isoformat()
    assert box.text() == yesterday.strftime("%d/%m/%Y")
    assert QApplication.focusWidget() is box


def test_the_calendar_opens_on_the_date_already_set(qtbot, view):
    editor = view.rows["seen"].editor
    editor.set_value("2026-05-17")
    editor.date.open_calendar()
    assert editor.date.popup.calendar.selectedDate().toPython() == dt.date(2026, 5, 17)


def test_typed_dates_are_read_day_first_and_only_real_days_count():
    today = dt.date(2026, 12, 2)
    assert parse_typed_date("1/2/2026", today) == dt.date(2026, 2, 1)
    assert parse_typed_date("25.11.26", today) == dt.date(2026, 11, 25)
    assert parse_typed_date("01/01/85", today) == dt.date(1985, 1, 1)  # not 2085
    assert parse_typed_date("01/01/46", today) == dt.date(2046, 1, 1)
    for nonsense in ("", "2511", "32/01/2026", "29/02/2026", "25/13/2026", "25/11/202"):
        assert parse_typed_date(nonsense, today) is None


def test_a_number_typed_into_a_not_set_number_box_after_a_click_is_kept(qtbot, view):
    spin = view.rows["visits"].editor.spin
    assert spin.text() == "not set"
    qtbot.mouseClick(spin.lineEdit(), Qt.MouseButton.LeftButton)  # focus by mouse: no select-all
    qtbot.waitUntil(spin.hasFocus)
    qtbot.keyClicks(spin, "12")
    assert spin.text() == "12" and view.values()["visits"] == 12


def test_escape_closes_the_calendar_without_changing_the_date(qtbot, view):
    editor = view.rows["seen"].editor
    editor.set_value("2026-05-17")
    box = editor.focus_target()
    _focus(qtbot, box)
    qtbot.keyClick(box, Qt.Key.Key_F4)
    qtbot.waitUntil(editor.date.popup.isVisible)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not editor.date.popup.isVisible()
    assert view.values()["seen"] == "2026-05-17"
    qtbot.waitUntil(box.hasFocus)
