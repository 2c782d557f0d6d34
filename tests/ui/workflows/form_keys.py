"""Answering a rendered form by keyboard: Tab from field to field and, on each stop, press the keys
a person would to give that field's answer. Only reads the widgets to decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from auditor.domain.grades import Grade
from auditor.ui.widgets.field_editors import (
    ChoiceEditor,
    DateEditor,
    FieldEditor,
    MultiChoiceEditor,
    NumberEditor,
    PeopleEditor,
    TextAreaEditor,
    TextEditor,
)
from auditor.ui.widgets.form_renderer import FormView
from auditor.ui.widgets.grade_picker import GradeEditor
from tests.ui.workflows.keyboard import MAX_STOPS, Keyboard, describe

GRADE_KEYS = {
    Grade.OUTSTANDING: Qt.Key.Key_O,
    Grade.GOOD: Qt.Key.Key_G,
    Grade.REQUIRES_IMPROVEMENT: Qt.Key.Key_R,
    Grade.INADEQUATE: Qt.Key.Key_I,
}


def editor_of(view: FormView, widget: QWidget) -> FieldEditor | None:
    for row in view.rows.values():
        if row.editor is widget or row.editor.isAncestorOf(widget):
            return row.editor
    return None


def choose_in_combo(kb: Keyboard, combo: QComboBox, value: Any) -> None:
    """Down (or Up) until the combo shows ``value``: a closed combo box changes with the arrows."""
    index = combo.findData(value)
    assert index >= 0, f"{describe(combo)} has no choice {value!r}"
    key = Qt.Key.Key_Down if index > combo.currentIndex() else Qt.Key.Key_Up
    kb.arrow_until(lambda: combo.currentData() == value, key, f"{value!r} in {describe(combo)}")


def answer(kb: Keyboard, editor: FieldEditor, widget: QWidget, value: Any) -> bool:
    """Press the keys that give ``value`` at this stop; False if this stop needs nothing."""
    if isinstance(editor, ChoiceEditor):
        choose_in_combo(kb, editor.combo, value)
    elif isinstance(editor, (TextEditor, TextAreaEditor)):
        kb.type_text(str(value))
    elif isinstance(editor, DateEditor):
        kb.type_text(dt.date.fromisoformat(value).strftime("%d%m%Y"))
    elif isinstance(editor, NumberEditor):
        kb.type_text(str(value))
    elif isinstance(editor, MultiChoiceEditor):
        chosen = next(v for v, box in editor.boxes.items() if box is widget)
        if chosen not in value:
            return False
        kb.press(Qt.Key.Key_Space)
    elif isinstance(editor, GradeEditor):
        return _answer_grade(kb, editor, widget, value)
    elif isinstance(editor, PeopleEditor):
        return _answer_people(kb, editor, widget, value)
    else:
        raise AssertionError(f"no keys known for {type(editor).__name__}")
    return True


def _answer_grade(kb: Keyboard, editor: GradeEditor, widget: QWidget, value: Any) -> bool:
    if widget is editor.rationale:
        kb.type_text(value["rationale"])
        return True
    if widget in editor.buttons.values():
        kb.press(GRADE_KEYS[Grade.parse(value["grade"])])  # the grade's letter
        return True
    return False  # "Clear grade"


def _answer_people(kb: Keyboard, editor: PeopleEditor, widget: QWidget, value: Any) -> bool:
    """On Add person: add a row per person (typing who, arrowing to what they said); on a row's
    category (the next Tab stops after the table): arrow to the category."""
    if widget is editor.add_button and editor.table.rowCount() < len(value):
        person = value[editor.table.rowCount()]  # one a visit: focus is in the table after it
        kb.press(Qt.Key.Key_Space)  # a new row, its first cell being edited
        kb.type_text(person["who"])
        kb.enter()
        kb.press(Qt.Key.Key_Right, times=2)
        kb.type_text(person["said"])  # typing starts editing the cell
        kb.enter()
        return True
    for row, person in enumerate(value):
        if row < editor.table.rowCount() and editor.table.cellWidget(row, 1) is widget:
            choose_in_combo(kb, widget, person["category"])  # type: ignore[arg-type]
            return True
    return False


def fill_by_keyboard(
    kb: Keyboard, view: FormView, answers: dict[str, Any], end: QWidget, limit: int = MAX_STOPS
) -> None:
    """From the focused widget, Tab to ``end`` answering each field of ``answers`` on the way
    (fields that appear once an earlier answer is given are met further on). Fails if a field was
    never reached or Tab never got to ``end``."""
    done: set[int] = set()
    reached: set[str] = set()
    seen: list[str] = []
    widget = kb.focus()
    while widget is not end:
        assert widget is not None, "focus was lost while filling the form"
        editor = editor_of(view, widget)
        if editor is not None and id(widget) not in done and editor.field.id in answers:
            reached.add(editor.field.id)
            if not (isinstance(editor, PeopleEditor) and widget is editor.add_button):
                done.add(id(widget))  # Add person is met again, once a person
            answer(kb, editor, kb.focus() or widget, answers[editor.field.id])
        seen.append(describe(widget))
        assert len(seen) <= limit, "Tab never reached the end of the form: " + " → ".join(seen)
        widget = kb.tab()
    missing = set(answers) - reached
    assert not missing, f"Tab never reached {sorted(missing)}; stops: " + " → ".join(seen)
