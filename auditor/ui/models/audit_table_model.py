"""All audits as a Qt table model: pages of rows fetched as the view scrolls; sorting and filtering
done by the database, so 500,000 audits stay smooth. Each page seeks past the last row already
shown (keyset paging), so scrolling to the end costs no more per page than the first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from auditor.services.audits.views import AuditFilter
from auditor.services.dto import AuditRow

PAGE = 200
Index = QModelIndex | QPersistentModelIndex

# (header, sort key, how to show a row's cell)
COLUMNS: list[tuple[str, str, Callable[[AuditRow], Any]]] = [
    ("No.", "id", lambda r: str(r.id)),
    ("Case", "case", lambda r: r.case_reference or ""),
    ("Activity", "kind", lambda r: r.kind.label),
    ("Stage", "state", lambda r: r.state.label),
    ("Team", "team", lambda r: r.team or ""),
    ("Worker", "worker", lambda r: r.worker or ""),
    ("First auditor", "first_auditor", lambda r: r.first_auditor or ""),
    ("Second auditor", "second_auditor", lambda r: r.second_auditor or ""),
    ("Final grade", "final_grade", lambda r: r.final_grade.short_label if r.final_grade else ""),
    ("Started", "created", lambda r: f"{r.created_on:%d/%m/%Y}"),
    ("Completed", "completed", lambda r: f"{r.completed_on:%d/%m/%Y}" if r.completed_on else ""),
]
COL_ID, COL_CASE, COL_GRADE = 0, 1, 8
ROW_ROLE = Qt.ItemDataRole.UserRole  # the AuditRow itself


class AuditTableModel(QAbstractTableModel):
    """``rows_source(filter, after=id of the last row shown or None, limit, sort, descending)`` and
    ``count_source(filter)`` are the services' calls, so the model needs no database and tests can
    count the fetches."""

    def __init__(self, rows_source: Callable[..., list[AuditRow]],
                 count_source: Callable[[AuditFilter], int], parent: Any = None) -> None:
        super().__init__(parent)
        self._rows_source, self._count_source = rows_source, count_source
        self._rows: list[AuditRow] = []
        self._total = 0
        self.filter = AuditFilter()
        self.sort_key, self.descending = "id", True

    # ------------------------------------------------------------------------------ loading
    def reload(self, new_filter: AuditFilter | None = None) -> None:
        self.beginResetModel()
        if new_filter is not None:
            self.filter = new_filter
        self._total = self._count_source(self.filter)
        self._rows = []
        self._fetch_page()
        self.endResetModel()

    def _next_page(self) -> list[AuditRow]:
        return self._rows_source(self.filter, after=self._rows[-1].id if self._rows else None,
                                 limit=PAGE, sort=self.sort_key, descending=self.descending)

    def _fetch_page(self) -> list[AuditRow]:
        page = self._next_page()
        self._rows.extend(page)
        return page

    @property
    def total(self) -> int:
        return self._total

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802 (Qt override)
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802 (Qt override)
        if parent.isValid():
            return
        start = len(self._rows)
        page = self._next_page()
        if not page:
            self._total = start
            return
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    # ---------------------------------------------------------------------------------- model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt override)
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()][2](row)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == COL_GRADE and row.final_grade:
            return row.final_grade.label
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == COL_ID:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt override)
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1]
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self.sort_key, self.descending):
            self.sort_key, self.descending = key, descending
            self.reload()

    def row_at(self, row: int) -> AuditRow:
        return self._rows[row]
