"""Practice weeks: the list, and for the chosen week its plan, progress and summary.

Senior managers and the QA team plan (set up a week, say who gives which days, add work, start and
close it); everyone can follow progress; each person starts their own planned work from here."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from auditor.domain.errors import AuditorError
from auditor.domain.permissions import Action, Principal
from auditor.domain.practice_weeks import WeekStatus
from auditor.services import Services
from auditor.services.practice.dto import WeekDTO, WeekSummary
from auditor.ui.models.allocation_table_model import ROW_ROLE, SORT_ROLE, AllocationTableModel
from auditor.ui.practice.week_dialogs import AllocationDialog, DaysDialog, NewWeekDialog
from auditor.ui.practice.week_progress import WeekProgressView
from auditor.ui.shell import file_dialogs, look, report_settings
from auditor.ui.shell.background import Loader, Runner, SyncRunner
from auditor.ui.shell.errors import show_problem, shown_in
from auditor.ui.widgets.permitted import permit


class PracticeWeeksPage(QWidget):
    #: ("audit", audit id) or ("dip", dip session id): planned work the user has just started
    open_activity = Signal(str, int)

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
        self.runner = runner or SyncRunner()
        self.list_loader = Loader(self.runner, self)
        self.week_loader = Loader(self.runner, self, self._on_week_loading)
        self.may_plan = principal.may(Action.PLAN_PRACTICE_WEEK)
        self.week: WeekDTO | None = None
        self._wanted: int | None = None  # a week to choose once the list is back
        self.loaded = False  # filled when first shown, then on refresh
        self.weeks = QListWidget(self)
        self.weeks.setAccessibleName("Practice weeks")
        self.weeks.setSpacing(3)
        self.weeks.currentItemChanged.connect(lambda _c, _p: self._on_week_chosen())
        self.new_week = QPushButton("&New practice week…", self)
        self.new_week.clicked.connect(self._on_new_week)
        permit(self.new_week, principal, Action.PLAN_PRACTICE_WEEK)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.weeks, 1)
        left_layout.addWidget(self.new_week)
        right = self._build_week_panel()
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        # The week list as wide as a week's name at the font in use (260 px at the usual size).
        splitter.setSizes([max(260, self.fontMetrics().horizontalAdvance("M") * 22), 1000])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def _build_week_panel(self) -> QWidget:
        panel = QWidget(self)
        self.title = QLabel(panel)
        look.apply(self.title, "pageTitle")
        self.facts = QLabel(panel)
        self.facts.setWordWrap(True)
        look.apply(self.facts, "subtitle")
        self.status_button = QPushButton(panel)
        self.status_button.clicked.connect(self._on_status_clicked)
        permit(self.status_button, self.principal, Action.PLAN_PRACTICE_WEEK)
        self.pdf_button = QPushButton("E&xport the summary as PDF…", panel)
        self.pdf_button.clicked.connect(self._on_pdf_clicked)
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.facts)
        header.addLayout(titles, 1)
        header.addWidget(self.pdf_button, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.status_button, 0, Qt.AlignmentFlag.AlignTop)
        self.tabs = QTabWidget(panel)
        self.tabs.addTab(self._build_plan_tab(), "P&lan")
        self.progress = WeekProgressView(panel)
        self.tabs.addTab(self.progress, "Progress and s&ummary")
        self.empty = QLabel(
            "No practice week yet. Senior managers and the QA team set one up "
            "with “New practice week…”.",
            panel,
        )
        look.apply(self.empty, "help")
        layout = QVBoxLayout(panel)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.empty)
        return panel

    def _build_plan_tab(self) -> QWidget:
        tab = QWidget(self)
        self.people = QLabel(tab)
        self.people.setWordWrap(True)
        self.people.setTextFormat(Qt.TextFormat.RichText)
        self.model = AllocationTableModel(tab)
        proxy = QSortFilterProxyModel(tab)
        proxy.setSourceModel(self.model)
        proxy.setSortRole(SORT_ROLE)
        self.table = QTableView(tab)
        self.table.setAccessibleName("The plan")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.table.setModel(proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(lambda _i: self._on_start_clicked())
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._update_buttons())
        self.days_button = QPushButton("People and da&ys…", tab)
        self.add_button = QPushButton("Add &to the plan…", tab)
        self.remove_button = QPushButton("Remo&ve from the plan", tab)
        self.start_button = QPushButton("Start this wor&k", tab)
        self.days_button.clicked.connect(self._on_days_clicked)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.start_button.clicked.connect(self._on_start_clicked)
        for b in (self.days_button, self.add_button, self.remove_button):
            permit(b, self.principal, Action.PLAN_PRACTICE_WEEK)
        buttons = QHBoxLayout()
        for b in (self.days_button, self.add_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch()
        buttons.addWidget(self.start_button)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.people)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        return tab

    # ------------------------------------------------------------------------------ showing
    def refresh(self) -> None:
        """The list of weeks and the chosen week, fetched in the background."""
        self.loaded = True
        self.list_loader.request(
            partial(self.services.weeks.weeks, who=self.principal),
            self._show_weeks,
            shown_in(self, "The practice weeks cannot be shown"),
        )

    def _show_weeks(self, weeks: list[WeekDTO]) -> None:
        chosen = self._wanted or (self.week.id if self.week else None)
        self._wanted = None
        self.weeks.blockSignals(True)
        self.weeks.clear()
        for week in weeks:
            item = QListWidgetItem(
                f"{week.name}\n{week.starts_on:%d/%m} – {week.ends_on:%d/%m/%Y}"
                f" · {week.status.label}",
                self.weeks,
            )
            item.setData(Qt.ItemDataRole.UserRole, week.id)
            if week.id == chosen or (chosen is None and week.status is WeekStatus.RUNNING):
                self.weeks.setCurrentItem(item)
        if self.weeks.currentRow() < 0 and self.weeks.count():
            self.weeks.setCurrentRow(0)
        self.weeks.blockSignals(False)
        self._on_week_chosen()

    def _on_week_chosen(self) -> None:
        """Fetch the chosen week, its plan and its summary in the background, then show them."""
        item = self.weeks.currentItem()
        if item is None:
            self.week_loader.drop()
            self._show_week(None)
            return
        weeks, week_id = self.services.weeks, item.data(Qt.ItemDataRole.UserRole)
        principal = self.principal

        def fetch() -> tuple[WeekDTO, object]:
            week = weeks.week(week_id, who=principal)
            return week, weeks.summary(week.id, who=principal)

        self.week_loader.request(
            fetch,
            lambda found: self._show_week(*found),
            shown_in(self, "The practice week cannot be shown"),
        )

    def _on_week_loading(self, loading: bool) -> None:
        if loading and self.week is not None:
            self.facts.setText("Loading…")

    def _show_week(self, week: WeekDTO | None, summary: WeekSummary | None = None) -> None:
        self.week = week
        self.tabs.setVisible(self.week is not None)
        self.status_button.setVisible(self.week is not None)
        self.pdf_button.setVisible(self.week is not None)
        self.empty.setVisible(self.week is None)
        if self.week is None:
            self.title.setText("Practice weeks")
            self.facts.setText("")
            return
        w = self.week
        self.title.setText(w.name)
        self.facts.setText(
            f"{w.starts_on:%A %d %B} to {w.ends_on:%A %d %B %Y} · {w.status.label}"
            f" · Themes: {'; '.join(w.themes) or 'none set'} · Teams: "
            f"{', '.join(w.teams) or 'all teams'}"
        )
        self.people.setText(
            "<b>Taking part:</b> "
            + (
                "; ".join(
                    f"{p.name} ({', '.join(f'{d:%a %d/%m}' for d in p.days)})"
                    for p in w.participants
                )
                or "nobody yet — add people and the days they give."
            )
        )
        self.model.set_rows(list(w.allocations))
        if summary is not None:
            self.progress.show_summary(summary)
        self._update_buttons()

    def _update_buttons(self) -> None:
        w = self.week
        open_week = w is not None and w.status is not WeekStatus.CLOSED
        for b in (self.days_button, self.add_button):
            b.setEnabled(self.may_plan and open_week)
        chosen = self.chosen()
        self.remove_button.setEnabled(
            self.may_plan and open_week and chosen is not None and not chosen.started
        )
        started = chosen is not None and chosen.started
        self.start_button.setEnabled(
            chosen is not None
            and chosen.person_username == self.principal.username
            and (started or (w is not None and w.status is WeekStatus.RUNNING))
        )
        self.start_button.setText("&Open this work" if started else "Start this wor&k")
        nxt = {WeekStatus.PLANNED: "Start the &week", WeekStatus.RUNNING: "&Close the week"}
        self.status_button.setText(nxt.get(w.status, "Closed") if w else "")
        self.status_button.setEnabled(
            self.may_plan and w is not None and w.status is not WeekStatus.CLOSED
        )

    def chosen(self):
        index = self.table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    # ------------------------------------------------------------------------------ actions
    def _run(self, dialog) -> None:
        if dialog.exec():
            self._on_week_chosen()

    def _on_new_week(self) -> None:
        dialog = NewWeekDialog(self.services, self.principal, self)
        if dialog.exec() and dialog.week_id is not None:
            self._wanted = dialog.week_id  # chosen when the list arrives
            self.refresh()

    def _on_days_clicked(self) -> None:
        if self.week is not None:  # otherwise the button is hidden
            self._run(DaysDialog(self.services, self.principal, self.week, self))

    def _on_add_clicked(self) -> None:
        if self.week is not None:  # otherwise the button is hidden
            self._run(AllocationDialog(self.services, self.principal, self.week, self))

    def _on_remove_clicked(self) -> None:
        chosen = self.chosen()
        try:
            self.services.weeks.remove_allocation(chosen.id, by=self.principal)
        except AuditorError as error:
            show_problem(self, error)
        self._on_week_chosen()

    def _on_start_clicked(self) -> None:
        chosen = self.chosen()
        if chosen is None or not self.start_button.isEnabled():
            return
        try:
            kind, number = self.services.weeks.start_allocation(chosen.id, by=self.principal)
        except AuditorError as error:
            show_problem(self, error)
            return
        self._on_week_chosen()
        self.open_activity.emit(kind, number)

    def _on_pdf_clicked(self) -> None:
        week = self.week
        if week is None:  # otherwise the button is hidden
            return
        name = "".join(c if c.isalnum() else "-" for c in week.name).strip("-").lower()
        path = file_dialogs.save_file(
            self,
            "Save the practice week summary",
            report_settings.save_folder() / f"{name}-summary.pdf",
            ".pdf",
            self.services.path,
        )
        if path is None:
            return
        report_settings.remember_folder(path)
        reports, week_id, marking = self.services.reports, week.id, report_settings.marking()
        author, principal = self.principal.name, self.principal
        self.pdf_button.setEnabled(False)  # one at a time
        self.runner.start_job(
            lambda _job: reports.write_week_pdf(week_id, path, marking, author, who=principal),
            self._on_pdf_saved,
            self._on_pdf_failed,
        )

    def _on_pdf_saved(self, written: Path) -> None:
        self.pdf_button.setEnabled(True)
        self.facts.setText(
            self.facts.text().split(" · Summary saved")[0] + f" · Summary saved to {written}"
        )

    def _on_pdf_failed(self, error: BaseException) -> None:
        self.pdf_button.setEnabled(True)
        shown_in(self, "The PDF could not be saved")(error)

    def _on_status_clicked(self) -> None:
        week = self.week
        if week is None:  # otherwise the button is hidden
            return
        wanted = WeekStatus.RUNNING if week.status is WeekStatus.PLANNED else WeekStatus.CLOSED
        if wanted is WeekStatus.CLOSED and any(not a.done for a in week.allocations):
            left = sum(not a.done for a in week.allocations)
            answer = QMessageBox.question(
                self,
                "Close the practice week?",
                f"{left} planned items are not done. Closing "
                "the week keeps them in the summary as not done, and the plan can no longer "
                "change. Close it?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            self.services.weeks.set_status(week.id, wanted, by=self.principal)
        except AuditorError as error:
            show_problem(self, error)
        self.refresh()
