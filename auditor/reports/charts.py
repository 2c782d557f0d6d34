"""Vector charts for the QA report (reportlab.graphics), readable when printed in black and white:
grades run dark (Outstanding), middle (Requires improvement), light (Good), Inadequate is hatched;
every segment wide enough carries its code and share in words."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from auditor.domain.grades import Grade
from auditor.reports.data import GroupGrades
from auditor.reports.style import BOLD, FONT, GRADE_FILL, GRADE_TEXT, GREY, INK, RULE

BAR = 13
GAP = 6


def _hatch(x: float, y: float, w: float, h: float, step: float = 4.0) -> list[Line]:
    """White 45° lines inside the rectangle (x, y, w, h)."""
    lines = []
    c = -h
    while c < w:
        t0, t1 = max(0.0, -c), min(h, w - c)
        if t1 > t0:
            lines.append(
                Line(
                    x + c + t0,
                    y + t0,
                    x + c + t1,
                    y + t1,
                    strokeColor=colors.white,
                    strokeWidth=0.9,
                )
            )
        c += step
    return lines


def _segment(d: Drawing, grade: Grade, x: float, y: float, w: float, h: float) -> None:
    d.add(Rect(x, y, w, h, fillColor=GRADE_FILL[grade], strokeColor=colors.white, strokeWidth=0.5))
    if grade is Grade.INADEQUATE:
        for line in _hatch(x, y, w, h):
            d.add(line)


def legend(d: Drawing, x: float, y: float) -> None:
    for grade in Grade.ordered():
        _segment(d, grade, x, y, 10, 8)
        d.add(String(x + 13, y + 1, grade.short_label, fontName=FONT, fontSize=7.5, fillColor=INK))
        x += 24 + 4.3 * len(grade.short_label)


def share_bars(rows: Sequence[GroupGrades], width: float, label_width: float = 120) -> Drawing:
    """One 100% bar per row (a period, a team, a domain), with the number graded at the end."""
    height = len(rows) * (BAR + GAP) + 26
    d = Drawing(width, height)
    bar_w = width - label_width - 44
    y = height - BAR - 4
    for row in rows:
        d.add(
            String(
                0, y + 3.5, _fit(row.name, label_width), fontName=FONT, fontSize=7.5, fillColor=INK
            )
        )
        total = row.counts.total
        shares = row.counts.grade_percentages
        x = label_width
        if total == 0:
            d.add(Rect(x, y, bar_w, BAR, fillColor=None, strokeColor=RULE, strokeWidth=0.5))
            d.add(String(x + 4, y + 3.5, "none graded", fontName=FONT, fontSize=7, fillColor=GREY))
        for grade in Grade.ordered():
            n = row.counts[grade]
            if not n:
                continue
            w = bar_w * n / total
            _segment(d, grade, x, y, w, BAR)
            words = f"{grade.code} {shares[grade]}%"
            if w > 6 + 4.2 * len(words):
                d.add(
                    String(
                        x + w / 2,
                        y + 3.5,
                        words,
                        fontName=BOLD,
                        fontSize=7,
                        fillColor=GRADE_TEXT[grade],
                        textAnchor="middle",
                    )
                )
            x += w
        d.add(
            String(
                label_width + bar_w + 4,
                y + 3.5,
                f"n={total}" + ("*" if total and row.counts.is_small else ""),
                fontName=FONT,
                fontSize=7.5,
                fillColor=INK,
            )
        )
        y -= BAR + GAP
    legend(d, label_width, 2)
    return d


def count_columns(rows: Sequence[GroupGrades], width: float, height: float = 150) -> Drawing:
    """Stacked columns of counts (audits by quarter), with each column's total above it."""
    d = Drawing(width, height)
    left, bottom, top = 26, 30, 14
    plot_h = height - bottom - top
    biggest = max((r.counts.total for r in rows), default=0) or 1
    step = _nice_step(biggest)
    ceiling = step * -(-biggest // step)
    for k in range(0, ceiling + 1, step):
        y = bottom + plot_h * k / ceiling
        d.add(Line(left, y, width, y, strokeColor=RULE, strokeWidth=0.4))
        d.add(
            String(
                left - 4,
                y - 2.5,
                str(k),
                fontName=FONT,
                fontSize=7,
                fillColor=GREY,
                textAnchor="end",
            )
        )
    slot = (width - left) / max(len(rows), 1)
    col_w = min(slot * 0.6, 38)
    for i, row in enumerate(rows):
        x = left + slot * i + (slot - col_w) / 2
        y = bottom
        for grade in Grade.ordered():
            n = row.counts[grade]
            if n:
                h = plot_h * n / ceiling
                _segment(d, grade, x, y, col_w, h)
                y += h
        d.add(
            String(
                x + col_w / 2,
                y + 3,
                str(row.counts.total),
                fontName=BOLD,
                fontSize=7.5,
                fillColor=INK,
                textAnchor="middle",
            )
        )
        d.add(
            String(
                x + col_w / 2,
                bottom - 10,
                row.name,
                fontName=FONT,
                fontSize=7,
                fillColor=INK,
                textAnchor="middle",
            )
        )
    legend(d, left, 2)
    return d


def _nice_step(biggest: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if biggest / step <= 6:
            return step
    return 10000


def _fit(name: str, width: float) -> str:
    limit = int(width / 4.1)
    return name if len(name) <= limit else name[: limit - 1] + "…"
