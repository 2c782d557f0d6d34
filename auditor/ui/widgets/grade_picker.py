"""Grading one domain: the four grades with their descriptors side by side, and the rationale.

This is the product's answer to "no shared understanding of what good looks like": the auditor
always sees what each grade means for this domain while choosing. Keys O, G, R and I choose a grade.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from auditor.domain.forms import Field
from auditor.domain.grades import Grade
from auditor.ui.shell import look
from auditor.ui.widgets.field_editors import FieldEditor

KEYS = {
    Qt.Key.Key_O: Grade.OUTSTANDING,
    Qt.Key.Key_G: Grade.GOOD,
    Qt.Key.Key_R: Grade.REQUIRES_IMPROVEMENT,
    Qt.Key.Key_I: Grade.INADEQUATE,
}


class GradeEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.group = QButtonGroup(self)
        self.buttons: dict[Grade, QRadioButton] = {}
        self.rows: dict[Grade, QFrame] = {}
        grid_host = QWidget(self)
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        for row, grade in enumerate(Grade.ordered()):
            frame = QFrame(grid_host)
            frame.setObjectName("gradeRow")
            inner = QGridLayout(frame)
            inner.setContentsMargins(6, 4, 6, 4)
            button = QRadioButton(f"{grade.short_label} ({grade.code})", frame)
            button.setAccessibleName(f"{field.label}: {grade.label}")
            button.setMinimumWidth(button.sizeHint().width())
            descriptor = field.descriptors.for_grade(grade) if field.descriptors else ""
            text = QLabel(descriptor, frame)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            text.setAccessibleDescription(descriptor)
            button.setAccessibleDescription(descriptor)
            inner.addWidget(button, 0, 0, Qt.AlignmentFlag.AlignTop)
            inner.addWidget(text, 0, 1)
            inner.setColumnStretch(1, 1)
            inner.setColumnMinimumWidth(0, 210)
            self.group.addButton(button)
            self.buttons[grade] = button
            self.rows[grade] = frame
            grid.addWidget(frame, row, 0)
            button.toggled.connect(self._on_button_toggled)
        self.column.addWidget(grid_host)
        self.clear_button = QPushButton("Clear grade", self)
        self.clear_button.setFlat(True)
        # nine "Clear grade" buttons on one form: the description says which question it clears
        self.clear_button.setAccessibleDescription(f"Takes away the grade for {field.label}.")
        self.clear_button.clicked.connect(self._on_clear_clicked)
        self.column.addWidget(self.clear_button, alignment=Qt.AlignmentFlag.AlignLeft)
        # the same picker grades files and observed practice: words that fit both
        label = QLabel(
            "<b>Why this grade?</b> * (required — what you read, saw or heard that supports it)",
            self,
        )
        self.rationale = QPlainTextEdit(self)
        self.rationale.setAccessibleName(f"{field.label}: why this grade? (required)")
        self.rationale.setAccessibleDescription("Required. Say what supports the grade chosen.")
        self.rationale.setTabChangesFocus(True)
        line = self.rationale.fontMetrics().lineSpacing()
        self.rationale.setMinimumHeight(line * 3 + 12)
        self.rationale.setMaximumHeight(line * 7 + 12)
        label.setBuddy(self.rationale)
        label.setAccessibleName(self.rationale.accessibleName())  # the question, not "* (…)"
        self.rationale.textChanged.connect(self._on_rationale_changed)
        self._loading = False
        self.column.addWidget(label)
        self.column.addWidget(self.rationale)

    # --------------------------------------------------------------------------------------- state
    def grade(self) -> Grade | None:
        return next((g for g, b in self.buttons.items() if b.isChecked()), None)

    def choose(self, grade: Grade | None) -> None:
        if grade is None:
            self.group.setExclusive(False)
            for b in self.buttons.values():
                b.setChecked(False)
            self.group.setExclusive(True)
        else:
            self.buttons[grade].setChecked(True)
        self._restyle()

    def _restyle(self) -> None:
        chosen = self.grade()
        for grade, frame in self.rows.items():
            look.set_chosen(frame, grade is chosen)

    # -------------------------------------------------------------------------------------- events
    def _on_button_toggled(self, checked: bool) -> None:
        if checked and not self._loading:
            self._restyle()
            self.changed.emit()

    def _on_clear_clicked(self) -> None:
        if self.grade() is not None:
            self.choose(None)
            self.changed.emit()

    def _on_rationale_changed(self) -> None:
        if not self._loading:
            self.changed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        grade = KEYS.get(Qt.Key(event.key()))
        if (
            grade is not None
            and not self.rationale.hasFocus()
            and self.isEnabled()
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            self.choose(grade)
            self.buttons[grade].setFocus()
            self.changed.emit()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------------------ editor face
    def value(self) -> dict[str, Any] | None:
        grade, text = self.grade(), self.rationale.toPlainText().strip()
        if grade is None and not text:
            return None
        return {"grade": grade.value if grade else None, "rationale": text}

    def set_value(self, value: Any) -> None:
        self._loading = True
        value = value or {}
        raw = value.get("grade") if isinstance(value, dict) else value
        self.choose(Grade.parse(raw) if raw else None)
        self.rationale.setPlainText(value.get("rationale", "") if isinstance(value, dict) else "")
        self._loading = False

    def set_read_only(self, read_only: bool) -> None:
        for b in self.buttons.values():
            b.setEnabled(not read_only or b.isChecked())
        self.clear_button.setVisible(not read_only)
        self.rationale.setReadOnly(read_only)

    def focus_target(self) -> QWidget:
        chosen = self.grade()
        return self.buttons[chosen or Grade.OUTSTANDING]

    def input_widgets(self) -> list[QWidget]:
        return [*self.buttons.values(), self.rationale]
