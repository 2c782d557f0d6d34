"""The 'All audits' page: filters, search by case reference, and the table."""

from __future__ import annotations

import datetime as dt
from functools import partial

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from auditor.domain.activities import ActivityKind
from auditor.domain.grades import Grade
from auditor.domain.periods import FinancialYear
from auditor.domain.permissions import Action, Principal, refusal
from auditor.domain.workflow import AuditState
from auditor.services import Services
from auditor.services.audits.views import AuditFilter
from auditor.ui.models.audit_table_model import ROW_ROLE, AuditTableModel
from auditor.ui.shell import look
from auditor.ui.shell.background import Runner
from auditor.ui.shell.errors import shown_in
from auditor.ui.widgets.flow_layout import FlowLayout
from auditor.ui.widgets.spoken import name_for_screen_readers


def _combo(name: str, items: list[tuple[str, object]], parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    name_for_screen_readers(combo, name)
    combo.addItem(f"Any {name.lower()}", None)
    for label, value in items:
        combo.addItem(label, value)
    return combo


class AuditListPage(QWidget):
    open_audit = Signal(int)

    def __init__(
        self,
        services: Services,
        principal: Principal,
        parent: QWidget | None = None,
        *,
        runner: Runner | None = None,
    ) -> None:
        super().__init__(parent)
        self.services, self.principal = services, principal
        views = services.views  # only the audits the person may read: the services filter them
        self.model = AuditTableModel(
            partial(views.rows, who=principal), partial(views.count, who=principal), self, runner
        )
        self.model.reloaded.connect(self._on_model_reloaded)
        self.model.loading_changed.connect(self._on_model_loading)
        self.model.failed.connect(shown_in(self, "The audits cannot be listed"))
        self._sized = False
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search case reference, e.g. CF-105")
        self.search.setAccessibleName("Search by case reference")
        self.search.setClearButtonEnabled(True)
        hint = self.search.fontMetrics().horizontalAdvance(self.search.placeholderText())
        self.search.setMinimumWidth(max(240, hint + 40))  # the whole hint, at any font size
        self.state = _combo("Stage", [(s.label, s) for s in AuditState], self)
        self.kind = _combo("Activity", [(k.label, k) for k in ActivityKind], self)
        self.team = _combo(
            "Team", [(t.name, t.name) for t in services.directory.teams(who=principal)], self
        )
        labels = services.directory.case_type_labels(who=principal)
        self.case_type = _combo("Case type", sorted((v, k) for k, v in labels.items()), self)
        self.grade = _combo("Final grade", [(g.short_label, g) for g in Grade.ordered()], self)
        self.auditor = _combo(
            "Auditor",
            [
                (p.name, p.username)
                for p in services.directory.people(who=principal)
                if p.roles and any(r.is_manager for r in p.roles)
            ],
            self,
        )
        this_year = FinancialYear.of(dt.date.today()).start_year
        self.period = _combo(
            "Period",
            [
                (FinancialYear(y).label, FinancialYear(y))
                for y in range(this_year, this_year - 6, -1)
            ],
            self,
        )
        clear = QPushButton("Clear filters", self)
        clear.clicked.connect(self._on_clear_clicked)
        # A row that wraps: eight filters need 1555 px side by side, more than a laptop has.
        filters = FlowLayout()
        filters.addWidget(self.search, 2)
        for combo in (
            self.state,
            self.kind,
            self.team,
            self.case_type,
            self.grade,
            self.auditor,
            self.period,
        ):
            filters.addWidget(combo, 1)
            combo.activated.connect(self._on_filter_changed)
        filters.addWidget(clear)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Audits")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        # Column widths from the first rows only: measuring a whole page froze the window 0.1 s.
        self.table.horizontalHeader().setResizeContentsPrecision(40)
        self.table.activated.connect(self._on_table_activated)
        self.count_label = QLabel(self)
        self.count_label.setWordWrap(True)  # a refusal is a sentence, not a count
        look.apply(self.count_label, "subtitle")
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self._on_filter_changed)
        self.search.textEdited.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._on_filter_changed)

    def current_filter(self) -> AuditFilter:
        period: FinancialYear | None = self.period.currentData()
        # Qt hands a StrEnum back as a plain str: read it through its enum again.
        state, kind, grade = (
            self.state.currentData(),
            self.kind.currentData(),
            self.grade.currentData(),
        )
        state = AuditState(state) if state else None
        kind = ActivityKind(kind) if kind else None
        return AuditFilter(
            states=(state,) if state else (),
            kinds=(kind,) if kind else (),
            team=self.team.currentData(),
            case_type=self.case_type.currentData(),
            final_grade=grade,
            auditor=self.auditor.currentData(),
            case_search=self.search.text().strip(),
            started_from=period.first_day if period else None,
            started_to=period.last_day if period else None,
        )

    def refresh(self) -> None:
        """Ask for the list as filtered; it is shown when it arrives."""
        if not self.principal.may(Action.READ_AUDITS):  # e.g. an administrator's sign-in
            self.count_label.setText(refusal(Action.READ_AUDITS))
            return
        self.model.reload(self.current_filter())

    def _on_model_reloaded(self) -> None:
        if not self._sized and self.model.rowCount():  # once: later lists keep the user's widths
            self.table.resizeColumnsToContents()
            self._sized = True
        self._say_count()

    def _on_model_loading(self, loading: bool) -> None:
        if loading:
            self.count_label.setText("Loading…")
        else:
            self._say_count()

    def _say_count(self) -> None:
        if not self.principal.may(Action.READ_AUDITS):
            return
        total = self.model.total
        self.count_label.setText(
            f"{total:,} audit{'s' if total != 1 else ''} — double-click or press Enter to open one"
        )

    def _on_filter_changed(self, *_args: object) -> None:
        self._search_timer.stop()
        self.refresh()

    def _on_clear_clicked(self) -> None:
        self.search.clear()
        for combo in (
            self.state,
            self.kind,
            self.team,
            self.case_type,
            self.grade,
            self.auditor,
            self.period,
        ):
            combo.setCurrentIndex(0)
        self.refresh()

    def _on_table_activated(self, index: QModelIndex) -> None:
        self.open_audit.emit(self.model.data(index, ROW_ROLE).id)
