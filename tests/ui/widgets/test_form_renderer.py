"""The form renderer: every field type round-trips, conditions show and hide, keys grade."""

import pytest
from PySide6.QtCore import Qt

from auditor.domain.answers import clean_answers
from auditor.domain.forms import FieldType, parse_form
from auditor.domain.grades import Grade
from auditor.ui.widgets.form_renderer import EDITORS, FormView
from forms import FormLibrary
from tests.builders import fill

D = {
    "outstanding": "Outstanding descriptor.",
    "good": "Good descriptor.",
    "requires_improvement": "RI descriptor.",
    "inadequate": "Inadequate descriptor.",
}
EVERY_TYPE = parse_form(
    {
        "id": "every",
        "version": 1,
        "title": "Every field type",
        "use": "observation",
        "sections": [
            {
                "id": "all",
                "title": "All",
                "fields": [
                    {"id": "t", "type": "text", "label": "Text"},
                    {"id": "ta", "type": "textarea", "label": "Text area"},
                    {
                        "id": "c",
                        "type": "choice",
                        "label": "Choice",
                        "choices": ["Home visit", "Meeting"],
                    },
                    {
                        "id": "m",
                        "type": "multichoice",
                        "label": "Several",
                        "choices": ["A", "B", "C"],
                    },
                    {"id": "yn", "type": "yes_no", "label": "Yes or no"},
                    {"id": "d", "type": "date", "label": "Date"},
                    {"id": "n", "type": "number", "label": "Number"},
                    {"id": "p", "type": "people", "label": "People"},
                    {"id": "g", "type": "grade", "label": "Grade", "descriptors": D},
                    {
                        "id": "why",
                        "type": "textarea",
                        "label": "Why not?",
                        "visible_if": {"field": "yn", "equals": "no"},
                    },
                ],
            }
        ],
        "overall": {"label": "Overall", "descriptors": D},
    },
    "every.v1.yaml",
)

VALUES = {
    "t": "One line",
    "ta": "Two\nlines",
    "c": "meeting",
    "m": ["a", "c"],
    "yn": "yes",
    "d": "2026-05-17",
    "n": 4,
    "p": [
        {"who": "Child", "category": "child", "said": "I like school."},
        {"who": "Mother", "category": "parent_carer", "said": "Better now."},
    ],
    "g": {"grade": "good", "rationale": "Evidence on file."},
    "overall": {"grade": "inadequate", "rationale": "Serious gaps."},
}


@pytest.fixture
def view(qtbot):
    widget = FormView(EVERY_TYPE)
    qtbot.addWidget(widget)
    return widget


def test_every_field_type_has_an_editor():
    assert set(EDITORS) == set(FieldType)


def test_values_round_trip_for_every_field_type(view):
    view.set_values(VALUES)
    assert view.values() == VALUES
    assert clean_answers(EVERY_TYPE, view.values(), complete=True)


def test_conditions_show_and_hide_questions(view, qtbot):
    view.show()
    assert view.rows["why"].isHidden()
    combo = view.rows["yn"].editor.combo
    with qtbot.waitSignal(view.changed):
        combo.setCurrentIndex(combo.findData("no"))
        combo.activated.emit(combo.currentIndex())
    assert not view.rows["why"].isHidden()
    qtbot.keyClicks(view.rows["why"].editor.edit, "Child was asleep")
    assert view.values()["why"] == "Child was asleep"


def test_grades_are_chosen_with_keys_and_show_descriptors(view, qtbot):
    view.show()
    editor = view.rows["g"].editor
    editor.buttons[Grade.OUTSTANDING].setFocus()
    with qtbot.waitSignal(view.changed):
        qtbot.keyClick(editor.buttons[Grade.OUTSTANDING], Qt.Key.Key_R)
    assert editor.grade() is Grade.REQUIRES_IMPROVEMENT
    qtbot.keyClick(editor.buttons[Grade.REQUIRES_IMPROVEMENT], Qt.Key.Key_I)
    assert editor.grade() is Grade.INADEQUATE
    texts = [w.text() for w in editor.findChildren(type(view.rows["t"].label))]
    assert all(D[g.value] in texts for g in Grade)
    qtbot.keyClicks(editor.rationale, "Nothing recorded")
    assert view.values()["g"] == {"grade": "inadequate", "rationale": "Nothing recorded"}


def test_every_input_has_an_accessible_name(view):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QTableWidget,
    )

    inputs = [
        w
        for kind in (
            QLineEdit,
            QPlainTextEdit,
            QComboBox,
            QAbstractSpinBox,
            QAbstractButton,
            QTableWidget,
        )
        for w in view.findChildren(kind)
    ]
    inputs = [w for w in inputs if not w.objectName().startswith("qt_")]  # Qt's own internals
    unnamed = [w for w in inputs if not (w.accessibleName() or getattr(w, "text", str)())]
    assert inputs and not unnamed


def test_problems_appear_next_to_their_questions(view):
    view.show()
    view.show_problems(["g", "c"], ["Grade: explain why", "Choice: needs an answer"])
    assert view.rows["g"].problem.text() == "Grade: explain why"
    assert not view.rows["g"].problem.isHidden() and view.rows["t"].problem.isHidden()


@pytest.mark.parametrize("form", FormLibrary().all(), ids=lambda f: f.id)
def test_every_shipped_form_renders_and_round_trips(qtbot, form):
    widget = FormView(form, "child_in_care")
    qtbot.addWidget(widget)
    answers = fill(form, "child_in_care")
    widget.set_values(answers)
    assert clean_answers(form, widget.values(), case_type="child_in_care") == clean_answers(
        form, answers, case_type="child_in_care"
    )


@pytest.mark.parametrize("form_id", ["practice_observation", "case_file_audit"])
def test_the_label_a_screen_reader_reads_names_the_question_and_says_required(qtbot, form_id):
    """On Linux (AT-SPI) a drop-down is named by its current value ("— choose —", "Home visit"),
    so a screen reader says the question from the label tied to it: that label must say
    "required" in words, not "*" (read out as "star")."""
    from PySide6.QtWidgets import QLabel

    form = FormLibrary().latest(form_id)
    view = FormView(form, "child_in_care")
    qtbot.addWidget(view)
    labels = [label for label in view.findChildren(QLabel) if label.buddy() is not None]
    assert labels
    for label in labels:
        said = label.accessibleName()
        assert said and "*" not in said, label.text()
    for row in view.rows.values():
        expected = f"{row.field.label} (required)" if row.field.required else row.field.label
        assert row.label.accessibleName() == expected
        if row.field.type is FieldType.GRADE:
            assert row.editor.rationale.accessibleName().endswith("why this grade? (required)")
            # which of the form's many "Clear grade" buttons this is, said after its words
            assert row.editor.clear_button.text() == "Clear grade"
            assert row.field.label in row.editor.clear_button.accessibleDescription()


def test_the_scrolling_form_a_tab_stops_on_is_named_by_the_form(qtbot):
    """Tab lands on the scroll area before the first question: unnamed, a screen reader said
    nothing there (AT-SPI: a "filler" with no name)."""
    from auditor.ui.widgets.form_renderer import ScrollingForm

    form = FormLibrary().latest("case_file_audit")
    scroll = ScrollingForm(FormView(form, "child_in_care"))
    qtbot.addWidget(scroll)
    assert scroll.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert scroll.accessibleName() == form.title
