"""A small bar chart of grade counts, drawn with QPainter (QtCharts is not part of the install)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from auditor.domain.grades import Grade
from auditor.domain.summary import GradeCounts
from auditor.ui.shell import look

COLOURS = look.GRADE_COLOURS


def paint_bar(painter: QPainter, bar: QRectF, grade: Grade) -> None:
    """A bar in the grade's colour with the grade's white pattern over it, so that the grades
    stay apart in greyscale and for readers who do not see the colours."""
    painter.fillRect(bar, QColor(COLOURS[grade]))
    pattern = look.GRADE_PATTERNS[grade]
    if pattern is not Qt.BrushStyle.NoBrush:
        painter.fillRect(bar, QBrush(QColor("white"), pattern))


class GradeSwatch(QWidget):
    """A legend's sample of a grade: the same colour and pattern as the grade's bars."""

    def __init__(self, grade: Grade, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grade = grade
        side = self.fontMetrics().height()
        self.setFixedSize(QSize(side * 2, side))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        paint_bar(painter, QRectF(self.rect()), self.grade)
        painter.end()


class GradeLegend(QWidget):
    """Which colour and pattern is which grade, for the charts that stack grades."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.swatches: list[GradeSwatch] = []
        for grade in Grade.ordered():
            swatch = GradeSwatch(grade, self)
            self.swatches.append(swatch)
            layout.addWidget(swatch)
            label = QLabel(grade.short_label, self)
            look.apply(label, "subtitle")
            layout.addWidget(label)
            layout.addSpacing(swatch.height() // 2)
        layout.addStretch(1)
        self.setAccessibleName("Key: " + ", ".join(g.short_label for g in Grade.ordered()))


class GradeChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts: dict[Grade, int] = dict.fromkeys(Grade, 0)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Audits by final grade")

    def set_counts(self, counts: dict[Grade, int]) -> None:
        self.counts = {g: counts.get(g, 0) for g in Grade.ordered()}
        total = sum(self.counts.values())
        self.setAccessibleDescription(
            ", ".join(f"{g.short_label} {n}" for g, n in self.counts.items()) + f"; total {total}"
        )
        self.update()

    def labels(self) -> dict[Grade, str]:
        """What each bar says: its count and its share, by the one rounding rule."""
        shares = GradeCounts.of(self.counts).grade_percentages
        total = sum(self.counts.values())
        return {g: f"{n} ({shares[g]}%)" if total else str(n) for g, n in self.counts.items()}

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(360, line * 4 * 2)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        label_width = max(metrics.horizontalAdvance(g.short_label) for g in Grade) + 12
        total = sum(self.counts.values())
        biggest = max(self.counts.values()) or 1
        bar_space = max(
            self.width() - label_width - metrics.horizontalAdvance("000 (100%)") - 16, 10
        )
        row_height = self.height() / 4
        labels = self.labels()
        if total == 0:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No closed audits yet")
            painter.end()
            return
        for i, (grade, n) in enumerate(self.counts.items()):
            top = i * row_height
            painter.setPen(self.palette().text().color())
            painter.drawText(
                QRectF(0, top, label_width, row_height),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                grade.short_label,
            )
            width = bar_space * n / biggest
            bar = QRectF(label_width, top + row_height * 0.2, width, row_height * 0.6)
            paint_bar(painter, bar, grade)
            painter.drawText(
                QRectF(label_width + width + 6, top, 200, row_height),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                labels[grade],
            )
        painter.end()
