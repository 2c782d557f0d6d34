"""A dip-sample session as an editable grid: one row per case, one column per question of the dip
form, then the grade, why, and whether the row is saved. The model holds each row's answers as the
form stores them; saving is the page's job (it is told through ``row_edited``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from auditor.domain.errors import FormDefinitionError, ValidationError
from auditor.domain.forms import Field, FieldType, FormDefinition
from auditor.domain.grades import Grade
from auditor.domain.periods import parse_date
from auditor.services.practice.dto import DipRowDTO
from auditor.ui.shell import look

Index = QModelIndex | QPersistentModelIndex
EDITABLE = (
    FieldType.YES_NO,
    FieldType.CHOICE,
    FieldType.DATE,
    FieldType.TEXT,
    FieldType.TEXTAREA,
    FieldType.NUMBER,
)
CHOICES_ROLE = Qt.ItemDataRole.UserRole + 1  # [(value, label)] for the combo-box delegate


@dataclass
class DipRow:
    case_reference: str
    answers: dict[str, Any] = field(default_factory=dict)
    audit_id: int | None = None
    status: str = "Not saved yet"
    problem: bool = False
    graded: bool = False

    @staticmethod
    def of(dto: DipRowDTO) -> DipRow:
        return DipRow(
            dto.case_reference,
            dict(dto.answers),
            dto.audit_id,
            "Graded" if dto.submitted else "Draft",
            False,
            dto.submitted,
        )


class DipTableModel(QAbstractTableModel):
    row_edited = Signal(int)  # the row whose answers changed

    def __init__(self, form: FormDefinition, parent: Any = None) -> None:
        super().__init__(parent)
        self.form = form
        self.questions: list[Field] = [
            f for s in form.sections for f in s.fields if f.type in EDITABLE
        ]
        if form.overall is None:  # parse_form refuses a dip-sample form without one
            raise FormDefinitionError(
                f"The form '{form.id}' has no overall grade, so it cannot be used for a dip sample."
            )
        self.grade_field: Field = form.overall
        self.rows: list[DipRow] = []
        self.read_only = False
        n = len(self.questions)
        self.col_grade, self.col_why, self.col_status = n + 1, n + 2, n + 3

    # ------------------------------------------------------------------------------ contents
    def set_rows(self, rows: list[DipRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def add_case(self, reference: str) -> int:
        row = len(self.rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self.rows.append(DipRow(reference))
        self.endInsertRows()
        return row

    def remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.rows[row]
        self.endRemoveRows()

    def set_status(
        self,
        row: int,
        status: str,
        *,
        problem: bool = False,
        graded: bool | None = None,
        audit_id: int | None = None,
    ) -> None:
        r = self.rows[row]
        r.status, r.problem = status, problem
        if graded is not None:
            r.graded = graded
        if audit_id is not None:
            r.audit_id = audit_id
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.col_status))

    def grade_of(self, row: int) -> Grade | None:
        value = (self.rows[row].answers.get(self.grade_field.id) or {}).get("grade")
        return Grade.parse(value) if value else None

    def set_grade(self, row: int, grade: Grade) -> None:
        current = dict(self.rows[row].answers.get(self.grade_field.id) or {})
        current["grade"] = grade.value
        current.setdefault("rationale", "")
        self._store(row, self.grade_field.id, current, self.col_grade)

    def _store(self, row: int, key: str, value: Any, column: int) -> None:
        answers = self.rows[row].answers
        if value in (None, ""):
            answers.pop(key, None)
        else:
            answers[key] = value
        self.dataChanged.emit(self.index(row, column), self.index(row, column))
        self.row_edited.emit(row)

    # ------------------------------------------------------------------------------ Qt model
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.col_status + 1

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or not 0 <= section <= self.col_status:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if 1 <= section <= len(self.questions):
                return _short(self.questions[section - 1].label)
            return {
                0: "Case",
                self.col_grade: "Grade (O/G/R/I)",
                self.col_why: "Why this grade",
                self.col_status: "Saved",
            }[section]
        full = (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole)
        if role in full and 1 <= section <= len(self.questions):
            return self.questions[section - 1].label  # the whole question, for hover and readers
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if (
            not self.read_only
            and 1 <= index.column() <= self.col_why
            and index.column() != self.col_grade
            and not self.rows[index.row()].graded
        ):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r, col = self.rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(index.row(), col, long=role != Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.EditRole and 1 <= col <= self.col_why:
            return self._text(index.row(), col, long=False)
        if role == CHOICES_ROLE and 1 <= col <= len(self.questions):
            return _choices(self.questions[col - 1])
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == self.col_status:
                return QColor(look.RED if r.problem else look.GREEN if r.graded else look.GREY)
            if col == self.col_grade and (grade := self.grade_of(index.row())):
                return QColor(look.GRADE_COLOURS[grade])
        if role == Qt.ItemDataRole.ToolTipRole and col == self.col_status and r.problem:
            return r.status
        return None

    def _text(self, row: int, col: int, *, long: bool) -> str:
        r = self.rows[row]
        if col == 0:
            return r.case_reference
        if col == self.col_grade:
            grade = self.grade_of(row)
            return (grade.label if long else grade.code) if grade else ""
        if col == self.col_why:
            return (r.answers.get(self.grade_field.id) or {}).get("rationale", "")
        if col == self.col_status:
            return r.status
        question = self.questions[col - 1]
        value = r.answers.get(question.id)
        if value in (None, ""):
            return ""
        if question.type is FieldType.DATE:
            return f"{dt.date.fromisoformat(value):%d/%m/%Y}"
        if question.type in (FieldType.CHOICE, FieldType.YES_NO):
            return dict(_choices(question)).get(value, str(value))
        return str(value)

    def setData(
        self,
        index: Index,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        row, col = index.row(), index.column()
        if col == self.col_why:
            current = dict(self.rows[row].answers.get(self.grade_field.id) or {})
            current["rationale"] = str(value).strip()
            self._store(row, self.grade_field.id, current, col)
            return True
        question = self.questions[col - 1]
        try:
            self._store(row, question.id, _parse(question, value), col)
        except ValidationError as error:
            self.set_status(row, str(error), problem=True)
            return False
        return True


def _short(label: str, limit: int = 60) -> str:
    return label if len(label) <= limit else label[: limit - 1].rsplit(" ", 1)[0] + "…"


def _choices(question: Field) -> list[tuple[str, str]]:
    if question.type is FieldType.YES_NO:
        return [("yes", "Yes"), ("no", "No")]
    return [(c.value, c.label) for c in question.choices]


def _parse(question: Field, value: Any) -> Any:
    text = str(value).strip() if value is not None else ""
    if not text:
        return None
    if question.type is FieldType.DATE:
        return parse_date(text).isoformat()
    if question.type is FieldType.NUMBER:
        try:
            return int(text)
        except ValueError:
            raise ValidationError(f"'{text}' is not a whole number.") from None
    if question.type in (FieldType.CHOICE, FieldType.YES_NO):
        by_label = {label.lower(): v for v, label in _choices(question)}
        values = {v for v, _ in _choices(question)}
        if text in values:
            return text
        if text.lower() in by_label:
            return by_label[text.lower()]
        raise ValidationError(f"Choose one of: {', '.join(lbl for _, lbl in _choices(question))}.")
    return text
