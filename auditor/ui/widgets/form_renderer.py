"""The one form renderer: any form definition becomes widgets, with values()/set_values() and one
``changed`` signal. No form has hand-built widgets."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from auditor.domain.forms import Field, FieldType, FormDefinition
from auditor.ui.shell import look
from auditor.ui.widgets import wheel_guard
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
from auditor.ui.widgets.grade_picker import GradeEditor

#: field type -> editor class. One entry per type; the renderer knows nothing else about types.
EDITORS: dict[FieldType, type[FieldEditor]] = {
    FieldType.TEXT: TextEditor,
    FieldType.TEXTAREA: TextAreaEditor,
    FieldType.CHOICE: ChoiceEditor,
    FieldType.YES_NO: ChoiceEditor,
    FieldType.MULTICHOICE: MultiChoiceEditor,
    FieldType.DATE: DateEditor,
    FieldType.NUMBER: NumberEditor,
    FieldType.PEOPLE: PeopleEditor,
    FieldType.GRADE: GradeEditor,
}


class FieldRow(QWidget):
    """A question: its label, help, editor and (when there is one) the problem to fix."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(3)
        marker = " *" if field.required and field.type is not FieldType.GRADE else ""
        self.label = QLabel(f"<b>{_escape(field.label)}</b>{marker}", self)
        self.label.setWordWrap(True)
        layout.addWidget(self.label)
        if field.help:
            help_label = QLabel(field.help, self)
            look.apply(help_label, "help")
            help_label.setWordWrap(True)
            layout.addWidget(help_label)
        self.editor = EDITORS[field.type](field, self)
        self.label.setBuddy(self.editor.focus_target())
        # On Linux a screen reader names an input by its label (the buddy relation): a drop-down's
        # own name there is its current value. So the label says "required" in words, not "*".
        # A grade's "*" is on its rationale, but choosing the grade is required too.
        self.label.setAccessibleName(f"{field.label} (required)" if field.required else field.label)
        if marker:  # said as well as shown: the "*" alone is not read out as "required"
            for widget in self.editor.input_widgets():
                widget.setAccessibleName(f"{widget.accessibleName()} (required)")
        layout.addWidget(self.editor)
        self.problem = QLabel(self)
        look.apply(self.problem, "problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        self.editor.set_problem(text)


class FormView(QWidget):
    changed = Signal()

    def __init__(
        self,
        form: FormDefinition,
        case_type: str | None = None,
        *,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.form = form
        self.case_type = case_type
        self.rows: dict[str, FieldRow] = {}
        self._groups: list[tuple[QGroupBox, list[FieldRow]]] = []
        layout = QVBoxLayout(self)
        if form.description:
            intro = QLabel(form.description, self)
            intro.setWordWrap(True)
            look.apply(intro, "help")
            layout.addWidget(intro)
        for section in form.sections:
            if section.applies_to(case_type):
                fields = [f for f in section.fields if f.applies_to(case_type)]
                self._add_group(section.title, section.help, fields, layout)
        if form.overall:
            self._add_group("Overall judgement", "", [form.overall], layout)
        layout.addStretch()
        wheel_guard.guard(self)
        for row in self.rows.values():
            row.editor.set_read_only(read_only)
            row.editor.changed.connect(self._on_editor_changed)
        self._update_visibility()

    def _add_group(
        self, title: str, help_text: str, fields: list[Field], layout: QVBoxLayout
    ) -> None:
        if not fields:
            return
        group = QGroupBox(self)
        group.setAccessibleName(title)
        inner = QVBoxLayout(group)
        inner.addWidget(look.apply(QLabel(title, group), "sectionTitle"))
        if help_text:
            label = QLabel(help_text, group)
            look.apply(label, "help")
            label.setWordWrap(True)
            inner.addWidget(label)
        rows = []
        for field in fields:
            row = FieldRow(field, group)
            self.rows[field.id] = row
            rows.append(row)
            inner.addWidget(row)
        self._groups.append((group, rows))
        layout.addWidget(group)

    def _on_editor_changed(self) -> None:
        self._update_visibility()
        self.changed.emit()

    def _update_visibility(self) -> None:
        answers = self._raw_values()
        for row in self.rows.values():
            cond = row.field.visible_if
            row.setVisible(cond is None or cond.holds(answers))
        for group, rows in self._groups:
            group.setVisible(any(not r.isHidden() for r in rows))

    def _raw_values(self) -> dict[str, Any]:
        return {fid: row.editor.value() for fid, row in self.rows.items()}

    def values(self) -> dict[str, Any]:
        """The answers of every shown question that has one."""
        out = {}
        for fid, value in self._raw_values().items():
            if self.rows[fid].isHidden() or value in (None, "", [], {}):
                continue
            out[fid] = value
        return out

    def set_values(self, answers: dict[str, Any]) -> None:
        for fid, row in self.rows.items():
            row.editor.blockSignals(True)
            row.editor.set_value(answers.get(fid))
            row.editor.blockSignals(False)
        self._update_visibility()

    def show_problems(self, field_ids: list[str], problems: list[str]) -> None:
        """Put each problem next to its question; problems without a question are ignored here."""
        self.clear_problems()
        for fid, text in zip(field_ids, problems, strict=False):
            if fid in self.rows:
                self.rows[fid].show_problem(text)

    def clear_problems(self) -> None:
        for row in self.rows.values():
            row.show_problem("")

    def first_row(self, field_ids: list[str]) -> FieldRow | None:
        return next((self.rows[f] for f in field_ids if f in self.rows), None)


class ScrollingForm(QScrollArea):
    """A FormView in a scroll area that can bring a question into view."""

    def __init__(self, view: FormView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.setWidget(view)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        # Tab stops here (a keyboard user scrolls it with the arrows): say what it holds
        self.setAccessibleName(view.form.title)

    def reveal(self, field_ids: list[str]) -> None:
        row = self.view.first_row(field_ids)
        if row is not None:
            self.ensureWidgetVisible(row, 0, 40)
            row.editor.focus_target().setFocus()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
