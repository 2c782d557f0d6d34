"""All audits as a Qt table model: pages of rows fetched as the view scrolls; sorting and filtering
done by the database, so 50,000 audits stay smooth."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from auditor.services.audits.views import AuditFilter
from auditor.services.dto import AuditRow
from auditor.ui.shell.background import Loader, Runner, SyncRunner

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
    ``count_source(filter)`` are the services' calls (keyset paging: a later page costs what the
    first does), so the model needs no database and tests can count the fetches.

    They run through ``runner`` (in the app, off the GUI thread): ``reload`` shows the new count and
    first page when they arrive (``reloaded``), a later page is inserted when it arrives, and an
    answer for an older filter or sort order is dropped. ``loading_changed(bool)`` says when the
    model waits; ``failed(error)`` when a fetch failed."""

    loading_changed = Signal(bool)
    reloaded = Signal()
    failed = Signal(object)

    def __init__(
        self,
        rows_source: Callable[..., list[AuditRow]],
        count_source: Callable[[AuditFilter], int],
        parent: Any = None,
        runner: Runner | None = None,
    ) -> None:
        super().__init__(parent)
        self._rows_source, self._count_source = rows_source, count_source
        self._rows: list[AuditRow] = []
        self._total = 0
        self.filter = AuditFilter()
        self.sort_key, self.descending = "id", True
        runner = runner or SyncRunner()
        self._lists = Loader(runner, self, self._on_loading)
        self._pages = Loader(runner, self, self._on_loading)

    # ------------------------------------------------------------------------------ loading
    def reload(self, new_filter: AuditFilter | None = None) -> None:
        if new_filter is not None:
            self.filter = new_filter
        page = self._page_call(0)
        count, flt = self._count_source, self.filter
        self._pages.drop()  # a page of the list as it was is no longer wanted
        self._lists.request(lambda: (count(flt), page()), self._on_reloaded, self.failed.emit)

    def _on_reloaded(self, found: tuple[int, list[AuditRow]]) -> None:
        self.beginResetModel()
        self._total, self._rows = found[0], list(found[1])
        self.endResetModel()
        self.reloaded.emit()

    def _page_call(self, offset: int) -> Callable[[], list[AuditRow]]:
        """The service call for the page at ``offset`` of the current list (run elsewhere): the
        rows after the one shown last."""
        rows, flt, key, descending = self._rows_source, self.filter, self.sort_key, self.descending
        after = self._rows[offset - 1].id if offset else None
        return lambda: rows(flt, after=after, limit=PAGE, sort=key, descending=descending)

    def _on_loading(self, _loading: bool) -> None:
        self.loading_changed.emit(self.loading)

    @property
    def loading(self) -> bool:
        return self._lists.loading or self._pages.loading

    @property
    def total(self) -> int:
        return self._total

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total and not self.loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid() or self.loading:
            return
        start = len(self._rows)
        self._pages.request(
            self._page_call(start), lambda page: self._on_page(start, page), self.failed.emit
        )

    def _on_page(self, start: int, page: list[AuditRow]) -> None:
        if start != len(self._rows):
            return
        if not page:
            self._total = start
            return
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    # ---------------------------------------------------------------------------------- model
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
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

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
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
