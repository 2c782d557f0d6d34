"""Scrolling a form with the mouse wheel over a choice, a yes/no, a number, a date or a person's
category changes nothing and saves nothing: the form scrolls. The focused widget still takes it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

from auditor.domain.forms import parse_form
from auditor.ui.widgets.form_renderer import FormView, ScrollingForm

FIELDS = [
    {"id": "first", "type": "text", "label": "First"},
    {"id": "c", "type": "choice", "label": "Choice", "choices": ["Home visit", "Meeting", "Call"]},
    {"id": "yn", "type": "yes_no", "label": "Yes or no"},
    {"id": "n", "type": "number", "label": "Number"},
    {"id": "d", "type": "date", "label": "Date"},
    {"id": "p", "type": "people", "label": "People"},
] + [{"id": f"t{i}", "type": "textarea", "label": f"Filler {i}"} for i in range(8)]
FORM = parse_form(
    {
        "id": "wheel",
        "version": 1,
        "title": "Wheel",
        "use": "self_review",
        "sections": [{"id": "s", "title": "S", "fields": FIELDS}],
    },
    "wheel.v1.yaml",
)
ANSWERS = {
    "c": "meeting",
    "yn": "yes",
    "n": 3,
    "d": "2026-11-20",
    "p": [{"who": "Mother", "category": "parent_carer", "said": ""}],
}


@pytest.fixture
def scrolled(qtbot):
    view = FormView(FORM)
    view.set_values(ANSWERS)
    form = ScrollingForm(view)
    qtbot.addWidget(form)
    form.resize(700, 400)  # much shorter than the form: it scrolls
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    first = view.rows["first"].editor.focus_target()
    first.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first)
    yield form
    del form


def wheel(widget: QWidget, notches: int = -1) -> None:
    """Turn the wheel over the middle of ``widget`` (negative: towards the user, down the page)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre)),
        QPoint(),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def _value_widgets(view: FormView) -> list[QWidget]:
    rows = view.rows
    category = rows["p"].editor.table.cellWidget(0, 1)
    assert isinstance(category, QComboBox)
    return [
        rows["c"].editor.combo,
        rows["yn"].editor.combo,
        rows["n"].editor.spin,
        rows["n"].editor.spin.findChild(QWidget, "qt_spinbox_lineedit"),
        rows["d"].editor.focus_target(),
        category,
    ]


def test_the_wheel_over_answers_without_focus_scrolls_the_form_and_changes_nothing(qtbot, scrolled):
    view = scrolled.view
    changes = []
    view.changed.connect(lambda: changes.append(1))
    bar = scrolled.verticalScrollBar()
    assert bar.maximum() > 0
    for widget in _value_widgets(view):
        for notches in (-1, -1, 1, -1):
            wheel(widget, notches)
    assert view.values() == ANSWERS
    assert changes == []  # nothing to autosave
    assert bar.value() > 0  # the turns scrolled the form instead


def test_a_wheel_turn_does_not_give_a_combo_focus_and_the_focused_one_still_turns(qtbot, scrolled):
    combo = scrolled.view.rows["c"].editor.combo
    assert combo.focusPolicy() == Qt.FocusPolicy.StrongFocus
    wheel(combo)
    assert not combo.hasFocus()
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    wheel(combo, -1)
    assert scrolled.view.values()["c"] == "call"  # the one being worked on, on purpose


def test_the_wheel_over_a_report_period_without_focus_leaves_the_period(qtbot):
    from auditor.ui.widgets.period_picker import PeriodPicker

    picker = PeriodPicker()
    qtbot.addWidget(picker)
    picker.show()
    before = (picker.preset.currentIndex(), picker.period())
    for widget in (picker.preset, picker.start, picker.end):
        wheel(widget, -1)
        wheel(widget, 1)
        wheel(widget, -1)
    assert (picker.preset.currentIndex(), picker.period()) == before
