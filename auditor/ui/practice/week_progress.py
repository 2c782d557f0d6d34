"""A practice week's progress against its plan, its grades so far and its recurring findings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from auditor.domain.activities import Category
from auditor.domain.grades import Grade
from auditor.domain.practice_weeks import FindingKind, Tally
from auditor.domain.summary import SMALL_SAMPLE
from auditor.domain.words import counted
from auditor.services.practice.dto import WeekSummary
from auditor.ui.shell import look

GRADE_HEADERS = [
    "Activity",
    "Outstanding",
    "Good",
    "Good or better",
    "Good or better %",
    "Requires improvement",
    "Inadequate",
    "Requires improvement or inadequate",
    "Requires improvement or inadequate %",
    "Total",
]
#: the self-assessment's short codes, for whoever knows them (tooltips on the headers)
HEADER_TIPS = {
    "Outstanding": "O",
    "Good": "G",
    "Good or better": "O+G: Outstanding and Good together",
    "Good or better %": "O+G %",
    "Requires improvement": "RI: Requires improvement to be good",
    "Inadequate": "I",
    "Requires improvement or inadequate": "RI+I: Requires improvement and Inadequate together",
    "Requires improvement or inadequate %": "RI+I %",
}


def _table(
    parent: QWidget, name: str, headers: list[str], stretch_last: bool = False
) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setAccessibleName(name)
    table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
    table.setHorizontalHeaderLabels(headers)
    for column, text in enumerate(headers):
        item = table.horizontalHeaderItem(column)
        if item is not None and text in HEADER_TIPS:
            item.setToolTip(f"{text} ({HEADER_TIPS[text]})")
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(stretch_last)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return table


def _fill(table: QTableWidget, rows: list[list[object]]) -> list[list[QTableWidgetItem]]:
    """Puts the rows in the table, sized to fit; returns the items made, by row and column."""
    table.setRowCount(len(rows))
    items: list[list[QTableWidgetItem]] = []
    for r, row in enumerate(rows):
        items.append([])
        for c, value in enumerate(row):
            item = QTableWidgetItem(str(value))
            if isinstance(value, int):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
            items[r].append(item)
    height = (
        table.horizontalHeader().sizeHint().height()
        + table.verticalHeader().defaultSectionSize() * len(rows)
    )
    table.setFixedHeight(height + 2 * table.frameWidth() + 2)
    table.resizeColumnsToContents()
    if not table.horizontalHeader().stretchLastSection():  # as wide as its columns, no wider
        table.setFixedWidth(
            sum(table.columnWidth(c) for c in range(table.columnCount()))
            + 2 * table.frameWidth()
            + 2
        )
    return items


class WeekProgressView(QScrollArea):
    """Planned against done (per day, person and activity), grades so far, findings."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.headline = QLabel(body)
        look.apply(self.headline, "sectionTitle")
        self.bar = QProgressBar(body)
        self.bar.setAccessibleName("Planned work done")
        self.bar.setTextVisible(True)
        layout.addWidget(self.headline)
        layout.addWidget(self.bar)
        grid = QGridLayout()
        self.by_day = _table(body, "Progress by day", ["Day", "Planned", "Done", "%"])
        self.by_person = _table(body, "Progress by person", ["Person", "Planned", "Done", "%"])
        self.by_activity = _table(
            body, "Progress by activity", ["Activity", "Planned", "Done", "%"]
        )
        for col, (title, table) in enumerate(
            (
                ("By day", self.by_day),
                ("By person", self.by_person),
                ("By activity", self.by_activity),
            )
        ):
            box = QGroupBox(title, body)
            QVBoxLayout(box).addWidget(table)
            grid.addWidget(box, 0, col, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(3, 1)
        layout.addLayout(grid)
        grades_box = QGroupBox("Grades so far, by activity", body)
        grades_layout = QVBoxLayout(grades_box)
        self.grades = _table(grades_box, "Grades by activity", GRADE_HEADERS)
        self.small_note = QLabel(grades_box)
        look.apply(self.small_note, "help")
        grades_layout.addWidget(self.grades, 0, Qt.AlignmentFlag.AlignLeft)
        grades_layout.addWidget(self.small_note)
        layout.addWidget(grades_box)
        findings_box = QGroupBox("Recurring findings", body)
        findings_layout = QVBoxLayout(findings_box)
        self.findings = _table(
            findings_box,
            "Recurring findings",
            ["Kind", "Area", "Times", "For example"],
            stretch_last=True,
        )
        self.no_findings = QLabel(
            "No findings recorded yet. Observers and auditors add them "
            "to each activity, tagged with the area they are about.",
            findings_box,
        )
        look.apply(self.no_findings, "help")
        self.no_findings.setWordWrap(True)
        findings_layout.addWidget(self.findings)
        findings_layout.addWidget(self.no_findings)
        layout.addWidget(findings_box)
        layout.addStretch()
        self.setWidget(body)
        self.setWidgetResizable(True)

    def show_summary(self, summary: WeekSummary) -> None:
        p = summary.progress
        self.headline.setText(
            f"{p.overall.done} of {p.overall.planned} planned items done"
            + (
                f" · {counted(summary.activities, 'activity', 'activities')} recorded in the week"
                if summary.activities
                else ""
            )
        )
        self.bar.setRange(0, max(p.overall.planned, 1))
        self.bar.setValue(p.overall.done)
        # Qt's own %p truncates (1 of 8 would read 12%); the tables use the one rounding rule.
        self.bar.setFormat(f"{p.overall.done} of {p.overall.planned} done ({p.overall.percent}%)")

        def rows(tallies: dict[str, Tally]) -> list[list[object]]:
            return [[k, t.planned, t.done, f"{t.percent}%"] for k, t in tallies.items()]

        _fill(self.by_day, rows({f"{d:%a %d/%m}": t for d, t in p.by_day.items()}))
        _fill(self.by_person, rows(p.by_person))
        _fill(self.by_activity, rows({c.label: t for c, t in p.by_activity.items()}))
        grade_rows = []
        for category in Category:
            c = summary.grades[category]
            good, poor = c.percentages
            grade_rows.append(
                [
                    category.label,
                    c[Grade.OUTSTANDING],
                    c[Grade.GOOD],
                    c.good_or_better,
                    f"{good}%" if c.total else "–",
                    c[Grade.REQUIRES_IMPROVEMENT],
                    c[Grade.INADEQUATE],
                    c.ri_or_inadequate,
                    f"{poor}%" if c.total else "–",
                    c.total,
                ]
            )
        _fill(self.grades, grade_rows)
        small = [c.label.lower() for c in Category if 0 < summary.grades[c].total < SMALL_SAMPLE]
        self.small_note.setText(
            f"Fewer than {SMALL_SAMPLE} graded {', '.join(small)}: those "
            "percentages move a lot with one grade."
            if small
            else ""
        )
        self.small_note.setVisible(bool(small))
        items = _fill(
            self.findings,
            [[f.kind.label, f.domain, f.count, f.examples[0]] for f in summary.findings],
        )
        for row, f in zip(items, summary.findings, strict=True):
            colour = look.GREEN if f.kind is FindingKind.STRENGTH else look.AMBER
            row[0].setForeground(QColor(colour))
        self.findings.setVisible(bool(summary.findings))
        self.no_findings.setVisible(not summary.findings)
