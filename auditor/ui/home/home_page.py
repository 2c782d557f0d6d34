"""Home: what is waiting for me, and how this financial year looks so far."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from auditor.domain.grades import Grade
from auditor.domain.periods import FinancialYear
from auditor.domain.permissions import Action, Principal
from auditor.domain.summary import GradeCounts
from auditor.domain.workflow import AuditState
from auditor.services import Services
from auditor.ui.home.insights import InsightsRow
from auditor.ui.shell import look
from auditor.ui.shell.background import Loader, Runner, SyncRunner
from auditor.ui.shell.errors import shown_in
from auditor.ui.widgets.grade_chart import GradeChart


class WorkList(QFrame):
    """One queue of work ('Self-reviews to write', ...) as a keyboard-friendly list."""

    open_audit = Signal(int)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        look.apply(self, "card")
        self.title = title
        self.heading = QLabel(self)
        self.list = QListWidget(self)
        self.list.setAccessibleName(title)
        self.list.itemActivated.connect(self._on_item_activated)
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.heading)
        layout.addWidget(self.list)

    def set_items(self, items: list[tuple[str, int | None, bool]]) -> None:
        """(text, audit number to open or None, overdue?)"""
        self.heading.setText(f"<b>{self.title}</b> ({len(items)})")
        self.list.clear()
        for text, audit_id, overdue in items:
            item = QListWidgetItem(("⚠ " if overdue else "") + text)
            item.setData(Qt.ItemDataRole.UserRole, audit_id)
            if overdue:
                item.setForeground(Qt.GlobalColor.darkRed)
            self.list.addItem(item)
        if not items:
            empty = QListWidgetItem("Nothing waiting")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(empty)
        line = self.list.fontMetrics().height() + 8
        self.list.setFixedHeight(line * min(max(len(items), 1), 6) + 8)

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        audit_id = item.data(Qt.ItemDataRole.UserRole)
        if audit_id is not None:
            self.open_audit.emit(audit_id)


class HomePage(QScrollArea):
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
        self.focus_pending = False
        body = QWidget(self)
        layout = QVBoxLayout(body)
        title = QLabel(f"Hello, {principal.name.split()[0]}", body)
        look.apply(title, "pageTitle")
        self.loading = QLabel("Loading…", body)
        look.apply(self.loading, "subtitle")
        self.loading.hide()
        heading = QHBoxLayout()
        heading.addWidget(title, 1)
        heading.addWidget(self.loading)
        layout.addLayout(heading)
        self.loader = Loader(runner or SyncRunner(), self, self.loading.setVisible)
        self.lists = {
            key: WorkList(label, body)
            for key, label in (
                ("self_reviews", "Self-reviews to write"),
                ("first_audits", "First audits to do"),
                ("second_audits", "Second audits to do"),
                ("to_close", "Differences and actions to agree"),
                ("actions", "Actions I own"),
                ("practice_week", "My practice-week work"),
            )
        }
        grid = QGridLayout()
        for i, work in enumerate(self.lists.values()):
            work.open_audit.connect(self.open_audit)
            grid.addWidget(work, i // 2, i % 2)
        layout.addLayout(grid)
        self.year_title = QLabel(body)
        look.apply(self.year_title, "pageTitle")
        layout.addWidget(self.year_title)
        dash = QHBoxLayout()
        chart_card = self.chart_card = QFrame(body)
        look.apply(chart_card, "card")
        chart_layout = QVBoxLayout(chart_card)
        chart_layout.addWidget(QLabel("<b>Closed audits by final grade</b>", chart_card))
        self.chart = GradeChart(chart_card)
        chart_layout.addWidget(self.chart)
        self.bands = QLabel(chart_card)
        look.apply(self.bands, "subtitle")
        self.bands.setWordWrap(True)
        chart_layout.addWidget(self.bands)
        dash.addWidget(chart_card, 3)
        self.states = QLabel(body)
        look.apply(self.states, "card")
        self.states.setTextFormat(Qt.TextFormat.RichText)
        self.states.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.states.setMargin(10)
        dash.addWidget(self.states, 2)
        layout.addLayout(dash)
        self.insights = InsightsRow(body)
        layout.addWidget(self.insights)
        layout.addStretch()
        self.setWidget(body)
        self.setWidgetResizable(True)

    def focus_work_when_loaded(self) -> None:
        """Focus the work (``focus_work``) once the next refresh has arrived: at sign-in."""
        self.focus_pending = True

    def focus_work(self) -> None:
        """Focus the first list with something waiting (else the first list): back from an
        audit, the next thing to do is one Enter away."""
        lists = [w.list for w in self.lists.values()]
        waiting = [
            li for li in lists if li.count() and li.item(0).flags() != Qt.ItemFlag.NoItemFlags
        ]
        target = (waiting or lists)[0]
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        if target.count() and target.currentRow() < 0:
            target.setCurrentRow(0)

    def refresh(self, today: dt.date | None = None) -> None:
        """Fetch my work and this year's figures in the background, then show them."""
        today = today or dt.date.today()
        work, reports, principal = self.services.work, self.services.reports, self.principal
        year = FinancialYear.of(today)
        reads = principal.may(Action.READ_AUDITS)  # else nothing of the audits is theirs to see
        for part in (self.year_title, self.chart_card, self.states, self.insights):
            part.setVisible(reads)

        def fetch() -> tuple:
            if not reads:
                return (None, None, None)
            return (
                work.my_work(who=principal, today=today),
                work.dashboard(year.first_day, year.last_day, today, who=principal),
                reports.insights(today, who=principal),
            )

        self.loader.request(
            fetch, lambda found: self._show(today, *found), shown_in(self, "Home cannot be shown")
        )

    def _show(self, today: dt.date, work, board, insights) -> None:
        if work is None:  # no audits are theirs to read (an administrator's sign-in)
            for each in self.lists.values():
                each.set_items([])
            self.focus_pending = False
            return
        self._show_work(today, work)
        if self.focus_pending and self.isVisible():  # not if they have moved on meanwhile
            self.focus_work()
        self.focus_pending = False
        self._show_year(today, board)
        self.insights.set_insights(insights)

    def _show_work(self, today: dt.date, work) -> None:
        def items(entries):
            return [
                (
                    f"{e.case_reference or 'No case'} · {e.what}"
                    + (f" · due {e.due_on:%d/%m/%Y}" if e.due_on else "")
                    + (" · draft saved" if e.has_draft else ""),
                    e.audit_id,
                    bool(e.due_on and e.due_on < today),
                )
                for e in entries
            ]

        for key in ("self_reviews", "first_audits", "second_audits", "to_close"):
            self.lists[key].set_items(items(getattr(work, key)))
        self.lists["actions"].set_items(
            [
                (
                    f"{a.description} ({a.case_reference or 'no case'}) · due {a.due_on:%d/%m/%Y}",
                    a.audit_id,
                    a.is_overdue(today),
                )
                for a in work.actions
            ]
        )
        self.lists["practice_week"].set_items(
            [
                (
                    f"{p.day:%a %d/%m} · {p.what}"
                    + (f" · {p.case_reference}" if p.case_reference else "")
                    + ("" if p.audit_id else " · start it in Practice weeks (Ctrl+3)"),
                    p.audit_id,
                    p.day < today,
                )
                for p in work.practice_week
            ]
        )

    def _show_year(self, today: dt.date, board) -> None:
        year = FinancialYear.of(today)
        self.year_title.setText(f"This financial year, {year.label}")
        self.chart.set_counts(board.grade_counts)
        self.bands.setText(bands_text(board.grade_counts))
        rows = "".join(
            f"<tr><td>{s.label}</td><td align='right'>&nbsp;{board.by_state.get(s, 0)}</td></tr>"
            for s in AuditState
            if s not in (AuditState.IN_PROGRESS, AuditState.CANCELLED)
        )
        self.states.setText(
            f"<b>Audits by stage</b><table>{rows}</table><br><b>Follow-up actions</b><br>"
            f"{board.open_actions} open, <span style='color:#a4161a'>{board.overdue_actions} "
            "overdue today</span><br><i>every open action, whenever it was agreed (the QA "
            "report counts only the actions agreed in its period)</i>"
        )


def bands_text(grade_counts: dict[Grade, int]) -> str:
    """The line under Home's chart: good or better, as a count and a share (the band rule)."""
    counts = GradeCounts.of(grade_counts)
    if not counts.total:
        return ""
    return (
        f"{counts.good_or_better} of {counts.total} good or better "
        f"({counts.percentages[0]}%)."
        + (" Few audits so far: percentages move a lot." if counts.is_small else "")
    )
