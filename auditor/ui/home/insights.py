"""Home's second row: audits closed per quarter (stacked by grade) and this year's agreement between
first and second audits."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from auditor.domain.agreement import kappa_band
from auditor.domain.grades import Grade
from auditor.domain.words import counted
from auditor.reports.data import GroupGrades
from auditor.ui.shell import look
from auditor.ui.widgets.grade_chart import GradeLegend, paint_bar


class QuarterChart(QWidget):
    """Stacked columns: audits closed in each financial quarter, coloured by final grade."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.quarters: list[GroupGrades] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Audits closed by quarter")

    def set_quarters(self, quarters: list[GroupGrades]) -> None:
        self.quarters = quarters
        self.setAccessibleDescription(
            "; ".join(
                f"{q.name}: {q.counts.total} ({q.counts.percentages[0]}% good or better)"
                for q in quarters
            )
        )
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, self.fontMetrics().height() * 9)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        metrics = self.fontMetrics()
        line = metrics.height()
        biggest = max((q.counts.total for q in self.quarters), default=0)
        if not biggest:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No closed audits yet")
            painter.end()
            return
        top, bottom = line + 4, self.height() - line - 6
        slot = self.width() / len(self.quarters)
        width = min(slot * 0.6, 46)
        for i, quarter in enumerate(self.quarters):
            x = slot * i + (slot - width) / 2
            y: float = bottom
            for grade in Grade.ordered():
                h = (bottom - top) * quarter.counts[grade] / biggest
                paint_bar(painter, QRectF(x, y - h, width, h), grade)
                y -= h
            painter.setPen(self.palette().text().color())
            painter.drawText(
                QRectF(x - 10, y - line - 2, width + 20, line),
                Qt.AlignmentFlag.AlignCenter,
                str(quarter.counts.total),
            )
            label = (
                quarter.name.split()[0]
                if slot < metrics.horizontalAdvance(quarter.name) + 6
                else quarter.name
            )
            painter.drawText(
                QRectF(slot * i, bottom + 3, slot, line), Qt.AlignmentFlag.AlignCenter, label
            )
        painter.end()


class InsightsRow(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        chart_card = QFrame(self)
        look.apply(chart_card, "card")
        chart_layout = QVBoxLayout(chart_card)
        self.chart_title = QLabel("<b>Audits closed by quarter</b>", chart_card)
        chart_layout.addWidget(self.chart_title)
        self.chart = QuarterChart(chart_card)
        chart_layout.addWidget(self.chart)
        legend = GradeLegend(chart_card)
        chart_layout.addWidget(legend)
        self.agreement = QLabel(self)
        look.apply(self.agreement, "card")
        self.agreement.setTextFormat(Qt.TextFormat.RichText)
        self.agreement.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.agreement.setWordWrap(True)
        self.agreement.setMargin(10)
        self.agreement.setAccessibleName("Agreement between first and second audits")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(chart_card, 3)
        layout.addWidget(self.agreement, 2)

    def set_insights(self, insights) -> None:
        self.chart.set_quarters(list(insights.quarters))
        a = insights.agreement
        if not a.enough_data:
            body = (
                "Not enough data yet: no audit this year has been graded by both a first and "
                "a second auditor."
            )
        else:
            band = kappa_band(a.kappa)
            body = (
                f"The second audit gave the same overall grade in <b>{a.exact_pct}%</b> of "
                f"{counted(a.audits, 'audit')}, and a grade within one step in <b>{a.within_one_pct}%"
                f"</b>.<br>Agreement beyond chance: <b>{band or a.kappa_text}</b>."
                + f"<br>The second audit raised {counted(a.raised, 'grade')} and lowered "
                + f"{counted(a.lowered, 'grade')}."
                + ("<br><i>Few audits so far: these figures move a lot.</i>" if a.is_small else "")
            )
        self.agreement.setToolTip(
            f"Weighted kappa (quadratic): {a.kappa_text}. 1 is full agreement, 0 is what chance "
            "alone would give."
            if a.enough_data
            else ""
        )
        self.agreement.setText(
            f"<b>Do auditors agree? ({insights.year})</b><br>{body}<br>"
            "<span style='color:#4a5560'>Details: Moderation tab.</span>"
        )
