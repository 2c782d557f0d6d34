"""Contrast: every colour pair the app's look declares is at least 4.5:1 for text and 3:1 for
graphics (WCAG 2.2 AA), and the grades stay apart in greyscale."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from auditor.domain.grades import Grade
from auditor.reports import style as pdf_style
from auditor.ui.shell import contrast, look
from auditor.ui.widgets.grade_chart import GradeChart

ROLE = QPalette.ColorRole
GROUP = QPalette.ColorGroup
UI = Path(__file__).resolve().parents[3] / "auditor" / "ui"
#: (text, background) pairs of the palette that widgets actually draw text with.
TEXT_PAIRS = [
    (ROLE.WindowText, ROLE.Window),
    (ROLE.Text, ROLE.Base),
    (ROLE.Text, ROLE.AlternateBase),
    (ROLE.ButtonText, ROLE.Button),
    (ROLE.PlaceholderText, ROLE.Base),
    (ROLE.HighlightedText, ROLE.Highlight),
    (ROLE.ToolTipText, ROLE.ToolTipBase),
]


def seen(colour: QColor, background: QColor) -> str:
    """What the eye sees: a translucent colour (Fusion's placeholder is black at 50%) over its
    background."""
    a = colour.alphaF()
    mix = [
        round(a * c + (1 - a) * b)
        for c, b in zip(
            (colour.red(), colour.green(), colour.blue()),
            (background.red(), background.green(), background.blue()),
            strict=True,
        )
    ]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def test_the_ratio_follows_wcag() -> None:
    assert contrast.ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast.ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast.ratio("#777777", "#777777") == pytest.approx(1.0)
    assert contrast.ratio("#bebebe", "#efefef") == pytest.approx(1.62, abs=0.01)  # as reported
    assert contrast.ratio("#767676", "#fff") == pytest.approx(4.54, abs=0.01)  # WCAG's own example
    with pytest.raises(ValueError):
        contrast.rgb("grey")


@pytest.fixture
def palette(qapp: QApplication):
    before = qapp.palette()
    look.set_up_application(qapp)
    yield qapp.palette()
    qapp.setPalette(before)


@pytest.mark.parametrize("group", [GROUP.Active, GROUP.Inactive, GROUP.Disabled], ids=str)
def test_every_palette_text_pair_is_readable(palette: QPalette, group: QPalette.ColorGroup) -> None:
    low = []
    for text, background in TEXT_PAIRS:
        bg = palette.color(group, background)
        fg = seen(palette.color(group, text), bg)
        value = contrast.ratio(fg, bg.name())
        if value < contrast.TEXT_MINIMUM:
            low.append(f"{text.name} {fg} on {background.name} {bg.name()}: {value:.2f}:1")
    assert not low, low


def test_read_only_and_disabled_text_is_readable_on_every_background(palette: QPalette) -> None:
    backgrounds = {
        palette.color(g, r).name()
        for g in (GROUP.Active, GROUP.Inactive, GROUP.Disabled)
        for r in (ROLE.Base, ROLE.Window, ROLE.Button, ROLE.AlternateBase)
    }
    muted = palette.color(GROUP.Disabled, ROLE.Text).name()
    for bg in backgrounds:
        assert contrast.ratio(muted, bg) >= contrast.TEXT_MINIMUM, (muted, bg)


@pytest.mark.parametrize("role", sorted(r for r, (c, _) in look._TEXT.items() if c))
def test_text_roles_are_readable_on_the_window_and_on_cards(role: str, palette: QPalette) -> None:
    colour = look._TEXT[role][0]
    assert colour is not None
    for background in (look.WINDOW, "#ffffff"):
        assert contrast.ratio(colour, background) >= contrast.TEXT_MINIMUM, (role, background)


@pytest.mark.parametrize("grade", list(Grade.ordered()), ids=lambda g: g.code)
def test_grade_badges_are_readable(qtbot, grade: Grade) -> None:
    label = QLabel(grade.code)
    qtbot.addWidget(label)
    look.badge(label, grade)
    text = label.palette().color(ROLE.WindowText).name()
    background = label.palette().color(ROLE.Window).name()
    assert contrast.ratio(text, background) >= contrast.TEXT_MINIMUM, (grade, text, background)


def _colours_in_source() -> set[str]:
    """Every colour the UI code writes text in: inline HTML colours and Qt's named colours."""
    found: set[str] = set()
    for path in UI.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        found |= {m.lower() for m in re.findall(r"color:\s*(#[0-9a-fA-F]{6})", source)}
        for name in re.findall(r"Qt\.GlobalColor\.(\w+)", source):
            found.add(QColor(getattr(Qt.GlobalColor, name)).name())
    return found


def test_text_colours_written_in_the_ui_code_are_readable(palette: QPalette) -> None:
    backgrounds = ("#ffffff", look.WINDOW, palette.color(ROLE.AlternateBase).name())
    colours = _colours_in_source() | {look.GREY, look.RED, look.GREEN, look.AMBER, look.MUTED}
    colours |= set(look.GRADE_COLOURS.values())
    low = [
        (c, bg, round(contrast.ratio(c, bg), 2))
        for c in sorted(colours)
        for bg in backgrounds
        if contrast.ratio(c, bg) < contrast.TEXT_MINIMUM
    ]
    assert not low


def test_chart_fills_stand_out_and_neighbours_differ_by_contrast_or_pattern() -> None:
    grades = list(Grade.ordered())
    for grade in grades:
        for background in ("#ffffff", look.WINDOW):
            fill = look.GRADE_COLOURS[grade]
            assert contrast.ratio(fill, background) >= contrast.GRAPHICS_MINIMUM, grade
    for a, b in itertools.pairwise(grades):
        apart = contrast.ratio(look.GRADE_COLOURS[a], look.GRADE_COLOURS[b])
        patterned = look.GRADE_PATTERNS[a] != look.GRADE_PATTERNS[b]
        assert apart >= contrast.GRAPHICS_MINIMUM or patterned, (a, b)
    assert len(set(look.GRADE_PATTERNS.values())) == len(grades)


def _bar_signature(image: QImage, rect: QRect) -> tuple[int, int, int]:
    """(share of light pixels in %, share of rows that are all light in %, mean grey of the dark
    pixels) inside a bar: the tone and the pattern a reader sees without colour."""
    light = dark = dark_sum = light_rows = 0
    for y in range(rect.top(), rect.bottom()):
        row = [QColor(image.pixel(x, y)).lightness() for x in range(rect.left(), rect.right())]
        light_rows += all(g > 200 for g in row)
        light += sum(g > 200 for g in row)
        dark_pixels = [g for g in row if g <= 200]
        dark += len(dark_pixels)
        dark_sum += sum(dark_pixels)
    total = rect.width() * rect.height()
    rows = round(100 * light_rows / rect.height())
    return round(100 * light / total), rows, dark_sum // max(dark, 1)


def test_grade_chart_bars_are_told_apart_in_greyscale(qtbot) -> None:
    chart = GradeChart()
    qtbot.addWidget(chart)
    chart.resize(QSize(480, 200))
    chart.set_counts(dict.fromkeys(Grade, 5))
    image = chart.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    row = chart.height() / 4
    label_width = max(chart.fontMetrics().horizontalAdvance(g.short_label) for g in Grade) + 12
    signatures = []
    for i in range(4):
        top = int(i * row + row * 0.3)
        rect = QRect(label_width + 4, top, 60, max(int(row * 0.4), 4))
        signatures.append(_bar_signature(image, rect))
    for a in range(4):
        for b in range(a + 1, 4):
            (light_a, rows_a, grey_a), (light_b, rows_b, grey_b) = signatures[a], signatures[b]
            assert (
                abs(light_a - light_b) >= 8
                or abs(rows_a - rows_b) >= 5
                or abs(grey_a - grey_b) >= 40
            ), signatures


def test_pdf_grade_fills_stand_out_on_white_and_stay_apart() -> None:
    fills = {g: pdf_style.GRADE_FILL[g].hexval().replace("0x", "#") for g in Grade.ordered()}
    for grade, fill in fills.items():
        assert contrast.ratio(fill, "#ffffff") >= contrast.GRAPHICS_MINIMUM, (grade, fill)
    greys = sorted(contrast.grey_level(f) for f in fills.values())
    hatched = {Grade.INADEQUATE}
    plain = [contrast.grey_level(fills[g]) for g in fills if g not in hatched]
    plain.sort()
    assert all(b - a >= 30 for a, b in itertools.pairwise(plain)), greys
