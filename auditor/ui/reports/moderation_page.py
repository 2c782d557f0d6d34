"""The moderation dashboard: how consistently first-line managers and second auditors grade.

For audits graded by both tiers in the chosen period: exact and within-one agreement, weighted kappa,
the first-against-second matrix of overall grades, and the same figures per area of practice and per
first-line auditor (with the direction in which the second audit moved their grades).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from auditor.domain.agreement import ORDER, Agreement, direction, kappa_band
from auditor.domain.permissions import Action, Principal, refusal
from auditor.domain.summary import SMALL_SAMPLE
from auditor.reports.data import AgreementRow
from auditor.services import Services
from auditor.ui.shell import look
from auditor.ui.shell.background import Loader, Runner, SyncRunner
from auditor.ui.shell.errors import shown_in
from auditor.ui.widgets.period_picker import PeriodPicker

DIAGONAL = QColor("#e7f0fb")
BEYOND_CHANCE = "Agreement beyond chance"
#: the technical term, for whoever wants it (tooltips): the screens use plain words
KAPPA_TIP = (
    "Weighted kappa (quadratic): 1 is full agreement, 0 is what chance alone would give; "
    "grades one step apart get partial credit."
)
COLUMNS = ("Grades (audits)", "Same grade", "Within one", "Beyond chance", "Raised", "Lowered")
HEADER_TIPS = {"Beyond chance": KAPPA_TIP}


def pct(value: int | None) -> str:
    return "–" if value is None else f"{value}%"


def _item(text: object, *, right: bool = True, sort_value: float | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(str(text))
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if sort_value is not None:
        item.setData(Qt.ItemDataRole.UserRole, sort_value)
    return item


def _table(headers: list[str], parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
    table.setHorizontalHeaderLabels(headers)
    for column, text in enumerate(headers):  # the whole header, even where a column is narrow
        item = table.horizontalHeaderItem(column)
        if item is not None:
            item.setToolTip(HEADER_TIPS.get(text, text))
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # never cut off
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.setAlternatingRowColors(True)
    return table


class Figure(QFrame):
    """One headline number with its caption."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        look.apply(self, "card")
        self.value = QLabel("–", self)
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        self.value.setFont(font)
        self.caption = QLabel(caption, self)
        self.caption.setWordWrap(True)
        look.apply(self.caption, "subtitle")
        layout = QVBoxLayout(self)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        self.setAccessibleName(caption)

    def set(self, value: str, caption: str | None = None) -> None:
        self.value.setText(value)
        if caption is not None:
            self.caption.setText(caption)
        self.setAccessibleDescription(f"{self.caption.text()}: {value}")


class ModerationPage(QWidget):
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
        self.loader = Loader(runner or SyncRunner(), self, self._on_loading)
        title = QLabel("Moderation: consistency between first and second audits", self)
        look.apply(title, "pageTitle")
        intro = QLabel(
            "Each audit is graded by the worker's manager and then, independently, by a "
            "senior manager. How often they agree shows whether managers share an "
            "understanding of what good looks like.",
            self,
        )
        intro.setWordWrap(True)
        look.apply(intro, "help")
        self.period = PeriodPicker(self)
        self.period.changed.connect(self.refresh)
        self.figures = {
            key: Figure(caption, self)
            for key, caption in (
                ("exact", "Same overall grade"),
                ("within", "Overall grade within one step"),
                ("kappa", BEYOND_CHANCE),
                ("n", "Audits compared"),
            )
        }
        self.figures["kappa"].setToolTip(KAPPA_TIP)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.matrix = _table(
            ["First audit \\ second audit"] + [g.short_label for g in ORDER] + ["Total"], self
        )
        self.matrix.setAccessibleName("Overall grade: first audit against second audit")
        self.domains = _table(["Area of practice", *COLUMNS], self)
        self.domains.setAccessibleName("Agreement by area of practice")
        self.auditors = _table(["First-line auditor", *COLUMNS, "Tendency"], self)
        self.auditors.setAccessibleName("Agreement by first-line auditor")
        self._lay_out(title, intro)
        self._loaded = False

    def _lay_out(self, title: QLabel, intro: QLabel) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.period)
        cards = QHBoxLayout()
        for figure in self.figures.values():
            cards.addWidget(figure)
        layout.addLayout(cards)
        layout.addWidget(self.summary)
        tabs = QTabWidget(self)
        matrix_box = QWidget(tabs)
        grid = QGridLayout(matrix_box)
        grid.addWidget(
            QLabel(
                "Overall grade: first audit (rows) against second audit (columns). "
                "The shaded diagonal is agreement.",
                matrix_box,
            ),
            0,
            0,
        )
        grid.addWidget(self.matrix, 1, 0)
        tabs.addTab(matrix_box, "Overall grades")
        tabs.addTab(self.domains, "By area of practice")
        tabs.addTab(self.auditors, "By first-line auditor")
        self.tabs = tabs
        layout.addWidget(tabs, 1)

    def showEvent(self, event) -> None:
        if not self._loaded:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        """Compute the figures for the chosen period in the background, then show them."""
        self._loaded = True
        start, end = self.period.period()
        if end < start:
            self.loader.drop()
            self.summary.setText("The period ends before it starts.")
            return
        if not self.principal.may(Action.VIEW_MODERATION):  # the services would refuse it
            self.loader.drop()
            self.summary.setText(refusal(Action.VIEW_MODERATION))
            return
        reports, principal = self.services.reports, self.principal
        self.loader.request(
            lambda: reports.agreement(start, end, who=principal),
            self._show,
            shown_in(self, "The figures cannot be shown"),
        )

    def _on_loading(self, loading: bool) -> None:
        if loading:
            self.summary.setText("Loading…")

    def _show(self, report) -> None:
        overall = report.overall_grade
        self.figures["exact"].set(pct(overall.exact_pct))
        self.figures["within"].set(pct(overall.within_one_pct))
        band = kappa_band(overall.kappa)
        self.figures["kappa"].set(
            overall.kappa_text if overall.kappa is not None else "–",
            BEYOND_CHANCE + (f": {band}" if band else ""),
        )
        self.figures["n"].set(
            str(overall.audits), f"Audits compared ({report.all_domains.n} area grades)"
        )
        self.summary.setText(
            overall.describe()
            + (
                f" Fewer than {SMALL_SAMPLE} audits: treat these figures as a prompt for a conversation."
                if overall.enough_data and overall.is_small
                else ""
            )
        )
        self._fill_matrix(overall)
        self._fill_rows(self.domains, report.by_domain, tendency=False)
        self._fill_rows(self.auditors, report.by_auditor, tendency=True)

    def _fill_matrix(self, a: Agreement) -> None:
        self.matrix.setRowCount(5)
        bold = QFont(self.matrix.font())
        bold.setBold(True)
        for i, grade in enumerate(ORDER):
            self.matrix.setItem(i, 0, _item(grade.short_label, right=False))
            for j in range(4):
                cell = _item(a.matrix[i][j])
                if i == j:
                    cell.setBackground(QBrush(DIAGONAL))
                    cell.setFont(bold)
                self.matrix.setItem(i, j + 1, cell)
            self.matrix.setItem(i, 5, _item(sum(a.matrix[i])))
        self.matrix.setItem(4, 0, _item("Total", right=False))
        for j in range(4):
            self.matrix.setItem(4, j + 1, _item(sum(a.matrix[i][j] for i in range(4))))
        self.matrix.setItem(4, 5, _item(a.n))

    @staticmethod
    def _fill_rows(table: QTableWidget, rows: tuple[AgreementRow, ...], tendency: bool) -> None:
        table.setSortingEnabled(False)
        table.setRowCount(len(rows))
        grey = QBrush(QColor(look.GREY))
        for r, row in enumerate(rows):
            a = row.agreement
            cells = [
                _item(row.name, right=False),
                _item(f"{a.n} ({a.audits})"),
                _item(pct(a.exact_pct)),
                _item(pct(a.within_one_pct)),
                _item(a.kappa_text if a.kappa is not None else "–"),
                _item(pct(a.raised_pct)),
                _item(pct(a.lowered_pct)),
            ]
            if tendency:
                cells.append(_item(direction(a), right=False))
            for c, cell in enumerate(cells):
                if a.is_small:
                    cell.setForeground(grey)
                    cell.setToolTip(
                        f"Fewer than {SMALL_SAMPLE} grades: the percentages move a lot."
                    )
                table.setItem(r, c, cell)
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
