"""The key of a stacked grade chart shows each grade as its bars are drawn: colour and pattern, so
that it can be read in greyscale and by someone who does not see the colours."""

from __future__ import annotations

from itertools import combinations

from PySide6.QtGui import QImage

from auditor.domain.grades import Grade
from auditor.ui.widgets.grade_chart import GradeLegend


def _grey(image: QImage) -> bytes:
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    return bytes(grey.constBits())


def test_every_grade_has_a_swatch_that_differs_from_the_others_in_greyscale(qtbot) -> None:
    legend = GradeLegend()
    qtbot.addWidget(legend)
    legend.show()
    qtbot.waitExposed(legend)
    assert [s.grade for s in legend.swatches] == list(Grade.ordered())
    images = {s.grade: _grey(s.grab().toImage()) for s in legend.swatches}
    for a, b in combinations(Grade.ordered(), 2):
        assert images[a] != images[b], f"{a.short_label} and {b.short_label} look the same in grey"
    # not merely a shade apart: the patterned ones carry more than one grey level
    levels = {g: len(set(images[g])) for g in images}
    assert sum(1 for n in levels.values() if n > 1) >= 3, levels


def test_the_key_names_each_grade_for_a_screen_reader(qtbot) -> None:
    legend = GradeLegend()
    qtbot.addWidget(legend)
    for grade in Grade.ordered():
        assert grade.short_label in legend.accessibleName()
