"""The house style of every PDF: A4, DejaVu Sans (Helvetica cannot draw "Ł"), the sensitivity marking
at the top and bottom of each page, "Page x of y" and the generation date, and the PDF's metadata."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from auditor.domain.grades import Grade
from auditor.paths import resource
from auditor.reports.data import DocumentInfo
from auditor.reports.output import atomic_path

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
INK = colors.HexColor("#1b1f23")
NAVY = colors.HexColor("#1d3d6b")
GREY = colors.HexColor("#5a6570")
RULE = colors.HexColor("#c5ccd3")
SHADE = colors.HexColor("#eef2f6")
MARK_RED = colors.HexColor("#a4161a")
#: Grade colours, each at least 3:1 on white and 30 grey levels from the next plain one (O dark,
#: RI middle, G light; I, close to RI in grey, is hatched).
GRADE_FILL = {
    Grade.OUTSTANDING: colors.HexColor("#14452f"),
    Grade.GOOD: colors.HexColor("#4f9d69"),
    Grade.REQUIRES_IMPROVEMENT: colors.HexColor("#8a5a00"),
    Grade.INADEQUATE: colors.HexColor("#b42318"),
}
#: Light tints for grade cells in tables: the words carry the grade, the tint helps the eye.
GRADE_TINT = {
    Grade.OUTSTANDING: colors.HexColor("#cde3d6"),
    Grade.GOOD: colors.HexColor("#e4f1e8"),
    Grade.REQUIRES_IMPROVEMENT: colors.HexColor("#fcebc5"),
    Grade.INADEQUATE: colors.HexColor("#f6d2cd"),
}
GRADE_TEXT = {
    Grade.OUTSTANDING: colors.white,
    Grade.GOOD: colors.white,
    Grade.REQUIRES_IMPROVEMENT: colors.white,
    Grade.INADEQUATE: colors.white,
}
#: Every table starts in DejaVu Sans; reportlab's default cell font is Helvetica (Latin-1 only).
FONT_CMD = ("FONT", (0, 0), (-1, -1), FONT, 8.5)
PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
WIDTH = PAGE_W - 2 * MARGIN


@functools.cache
def register_fonts() -> None:
    """Register the bundled DejaVu Sans once per process (about 30 ms)."""
    for name, file in ((FONT, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(resource(f"fonts/{file}"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
    # Charts start each drawing in the graphics default font (Helvetica): make it DejaVu Sans.
    from reportlab.graphics import shapes

    shapes.STATE_DEFAULTS["fontName"] = FONT


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=9.5,
        leading=13,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=4,
    )
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=GREY),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11, spaceAfter=0),
        "cellbold": ParagraphStyle(
            "cellbold", parent=base, fontName=BOLD, fontSize=8.5, leading=11, spaceAfter=0
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=BOLD,
            fontSize=19,
            leading=24,
            textColor=NAVY,
            spaceAfter=2,
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=10.5, leading=14, textColor=GREY, spaceAfter=10
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=BOLD,
            fontSize=13,
            leading=17,
            textColor=NAVY,
            spaceBefore=12,
            spaceAfter=6,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=BOLD,
            fontSize=10.5,
            leading=14,
            textColor=INK,
            spaceBefore=8,
            spaceAfter=3,
        ),
        "quote": ParagraphStyle(
            "quote",
            parent=base,
            leftIndent=10,
            borderPadding=(4, 6, 4, 6),
            borderColor=RULE,
            borderWidth=0,
            backColor=SHADE,
            spaceBefore=2,
            spaceAfter=8,
        ),
        "note": ParagraphStyle("note", parent=base, fontSize=8.5, leading=11.5, textColor=GREY),
    }


def text(value: object) -> str:
    """User text made safe for a Paragraph: markup escaped, line breaks kept."""
    return escape(str(value or "")).replace("\n", "<br/>")


def para(value: object, style: str = "body", markup: bool = False) -> Paragraph:
    return Paragraph(str(value) if markup else text(value), styles()[style])


def day(value: dt.date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else "–"


def grade_cell(grade: Grade | None, *, short: bool = False) -> Paragraph:
    if grade is None:
        return para("–", "cell")
    return para(grade.code if short else grade.short_label, "cellbold")


def grade_styles(cells: Sequence[tuple[int, int, Grade | None]]) -> list[tuple]:
    """Table style commands that colour grade cells (col, row, grade)."""
    out: list[tuple] = []
    for col, row, grade in cells:
        if grade is not None:
            out.append(("BACKGROUND", (col, row), (col, row), GRADE_TINT[grade]))
    return out


def grid_table(
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    *,
    header_rows: int = 1,
    extra: Sequence[tuple[object, ...]] = (),
    align_right_from: int | None = None,
) -> Table:
    """A plain ruled table with a shaded header, repeated on each page it spans."""
    table = Table(rows, colWidths=list(widths), repeatRows=header_rows)
    style = [
        FONT_CMD,
        ("FONT", (0, 0), (-1, header_rows - 1), BOLD, 8.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, NAVY),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if align_right_from is not None:
        style.append(("ALIGN", (align_right_from, 0), (-1, -1), "RIGHT"))
    table.setStyle(TableStyle(style + list(extra)))
    return table


def facts_table(pairs: Sequence[tuple[str, object]], label_width: float = 44 * mm) -> Table:
    """Label / value pairs, two columns, no header."""
    rows = [
        [para(label, "cellbold"), value if isinstance(value, Flowable) else para(value, "cell")]
        for label, value in pairs
    ]
    table = Table(rows, colWidths=[label_width, WIDTH - label_width])
    table.setStyle(
        TableStyle(
            [
                FONT_CMD,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _canvas_class(info: DocumentInfo) -> type[rl_canvas.Canvas]:
    """A canvas that holds the pages back until the end, so each footer can say "of y"."""

    class MarkedCanvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs) -> None:
            kwargs["initialFontName"] = FONT  # else every page starts in Helvetica
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                _decorate(self, info, total)
                super().showPage()
            super().save()

    return MarkedCanvas


def _decorate(c: rl_canvas.Canvas, info: DocumentInfo, total: int) -> None:
    c.saveState()
    marking = info.marking.strip()
    if marking:
        c.setFont(BOLD, 9)
        c.setFillColor(MARK_RED)
        c.drawCentredString(PAGE_W / 2, PAGE_H - 10 * mm, marking)
        c.drawCentredString(PAGE_W / 2, 5 * mm, marking)
    c.setFont(FONT, 7.5)
    c.setFillColor(GREY)
    c.drawString(MARGIN, 12 * mm, info.title)
    c.drawString(
        MARGIN,
        9 * mm,
        f"Generated {info.generated:%d/%m/%Y %H:%M} by Auditor"
        + (f" for {info.author}" if info.author else ""),
    )
    c.drawRightString(PAGE_W - MARGIN, 12 * mm, f"Page {c.getPageNumber()} of {total}")
    c.setStrokeColor(RULE)
    c.setLineWidth(0.5)
    c.line(MARGIN, PAGE_H - 12 * mm, PAGE_W - MARGIN, PAGE_H - 12 * mm)
    c.line(MARGIN, 15.5 * mm, PAGE_W - MARGIN, 15.5 * mm)
    c.restoreState()


def build_pdf(path: Path | str, info: DocumentInfo, story: list[Flowable]) -> Path:
    """Lay out ``story`` on marked A4 pages and write it to ``path`` all-or-nothing."""
    register_fonts()
    target = Path(path)
    with atomic_path(target) as tmp:
        doc = SimpleDocTemplate(
            str(tmp),
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=17 * mm,
            bottomMargin=20 * mm,
            title=info.title,
            author=info.author or "Auditor",
            subject=info.subject or info.title,
            creator="Auditor",
            producer="Auditor (reportlab)",
            keywords=info.marking,
        )
        doc.build(story, canvasmaker=_canvas_class(info))
    return target
