"""A practice week's plan as a Qt table model: one row per planned piece of work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from auditor.services.practice.dto import AllocationDTO
from auditor.ui.shell import look

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole  # the AllocationDTO
SORT_ROLE = Qt.ItemDataRole.UserRole + 1

# (header, shown text, raw value for sorting)
COLUMNS: list[tuple[str, Callable[[AllocationDTO], str], Callable[[AllocationDTO], Any]]] = [
    ("Day", lambda a: f"{a.day:%a %d/%m}", lambda a: a.day),
    ("Who", lambda a: a.person_name, lambda a: a.person_name),
    ("What", lambda a: a.what, lambda a: a.what),
    ("Case", lambda a: a.case_reference or "", lambda a: a.case_reference or ""),
    ("Practitioner", lambda a: a.practitioner or "", lambda a: a.practitioner or ""),
    (
        "Done",
        lambda a: "Done" if a.done else ("Started" if a.started else "Not yet"),
        lambda a: (a.done, a.started),
    ),
    ("Grade", lambda a: a.grade.code if a.grade else "", lambda a: a.grade.rank if a.grade else 9),
    ("Note", lambda a: a.note, lambda a: a.note),
]
COL_DONE, COL_GRADE = 5, 6


class AllocationTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AllocationDTO] = []

    def set_rows(self, rows: list[AllocationDTO]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> AllocationDTO:
        return self._rows[index]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation is Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        a = self._rows[index.row()]
        _, shown, raw = COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if role == Qt.ItemDataRole.AccessibleTextRole and index.column() == COL_GRADE:
                return a.grade.label if a.grade else "Not graded"
            return shown(a)
        if role == SORT_ROLE:
            return raw(a)
        if role == ROW_ROLE:
            return a
        if role == Qt.ItemDataRole.ForegroundRole:
            if index.column() == COL_DONE:
                return QColor(look.GREEN if a.done else look.GREY)
            if index.column() == COL_GRADE and a.grade:
                return QColor(look.GRADE_COLOURS[a.grade])
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == COL_GRADE and a.grade:
            return a.grade.label
        return None
