"""One rounding rule for shares of grades, and every display showing the same numbers: Home's chart
and its band line, the practice week's grade table, the QA report's bars and the summary table."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.graphics.shapes import String

from auditor.domain.activities import Category
from auditor.domain.grades import Band, Grade
from auditor.domain.practice_weeks import Progress, Tally, WeekStatus
from auditor.domain.summary import GradeCounts, SummaryRow, grade_percentages
from auditor.reports.charts import share_bars
from auditor.reports.data import GroupGrades
from auditor.services.practice.dto import WeekDTO, WeekSummary
from auditor.ui.home.home_page import bands_text
from auditor.ui.practice.week_progress import WeekProgressView
from auditor.ui.widgets.grade_chart import GradeChart

O, G, RI, I = Grade.ordered()
counts_of_grades = st.fixed_dictionaries({g: st.integers(0, 60) for g in Grade.ordered()})


def test_the_published_cases():
    # 1 of 8: 12.5% is a half, which goes up: 13% on every screen (Home used to say 12%).
    assert grade_percentages({O: 1, G: 0, RI: 7, I: 0}) == {O: 13, G: 0, RI: 87, I: 0}
    # 1 O, 2 G of 8: 12.5 + 25 = 37.5 -> the band is 38% and so are O% + G%.
    assert grade_percentages({O: 1, G: 2, RI: 5, I: 0}) == {O: 13, G: 25, RI: 62, I: 0}
    # halves inside a band go to the better grade
    assert grade_percentages({O: 1, G: 1, RI: 1, I: 1}) == {O: 25, G: 25, RI: 25, I: 25}
    assert grade_percentages({O: 1, G: 1, RI: 2, I: 4}) == {O: 13, G: 12, RI: 25, I: 50}
    # the published 2016 figures: 82 audits, 39% good or better
    shares = grade_percentages({O: 1, G: 31, RI: 41, I: 9})
    assert shares[O] + shares[G] == 39 and sum(shares.values()) == 100


@given(counts_of_grades)
def test_the_rule_gives_whole_shares_adding_up_within_each_band(counts):
    shares = grade_percentages(counts)
    total = sum(counts.values())
    if not total:
        assert set(shares.values()) == {0}
        return
    assert sum(shares.values()) == 100
    c = GradeCounts.of(counts)
    assert (shares[O] + shares[G], shares[RI] + shares[I]) == c.percentages
    for g in Grade:
        exact = 100 * counts[g] / total
        assert abs(shares[g] - exact) < 1, (g, counts)
        assert counts[g] or shares[g] == 0
    good_exact = 100 * c.good_or_better / total
    assert c.percentages[0] == int(good_exact + 0.5)  # a half goes up
    assert Band.GOOD_OR_BETTER is O.band


def _bar_labels(counts: GradeCounts) -> dict[str, int]:
    drawing = share_bars([GroupGrades("Audits", counts)], 2000)
    found = {}
    for item in drawing.contents:
        if isinstance(item, String) and (m := re.fullmatch(r"(O|G|RI|I) (\d+)%", item.text)):
            found[m[1]] = int(m[2])
    return found


def _week_summary(counts: GradeCounts) -> WeekSummary:
    week = WeekDTO(1, "W", dt.date(2027, 2, 1), dt.date(2027, 2, 5), (), WeekStatus.RUNNING, (), ())
    grades = {c: GradeCounts() for c in Category}
    grades[Category.AUDIT] = counts
    return WeekSummary(week, Progress(Tally(8, 1)), grades, [], counts.total)


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60, deadline=None
)
@given(counts=counts_of_grades)
def test_every_display_shows_the_same_percentages(qtbot, counts):
    c = GradeCounts.of(counts)
    shares = c.grade_percentages
    good, poor = c.percentages
    chart = GradeChart()
    qtbot.addWidget(chart)
    chart.set_counts(counts)
    week = WeekProgressView()
    qtbot.addWidget(week)
    week.show_summary(_week_summary(c))
    row = SummaryRow("2026-27", Category.AUDIT, c).as_dict()
    if not c.total:
        assert bands_text(counts) == "" and _bar_labels(c) == {}
        return
    assert chart.labels() == {g: f"{counts[g]} ({shares[g]}%)" for g in Grade.ordered()}
    assert f"good or better ({good}%)" in bands_text(counts)
    for code, pct in _bar_labels(c).items():
        assert pct == shares[Grade.parse(code)], (code, counts)
    audits = 0  # the first row of the week's grade table is audits
    assert week.grades.item(audits, 4).text() == f"{good}%"
    assert week.grades.item(audits, 8).text() == f"{poor}%"
    assert (row["good_or_better_pct"], row["ri_or_inadequate_pct"]) == (good, poor)
    assert week.bar.text() == "1 of 8 done (13%)"  # Qt's own %p would say 12%
