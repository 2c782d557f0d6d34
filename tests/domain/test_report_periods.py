"""The periods a QA report compares, and the trajectory sentence."""

import datetime as dt

import pytest

from auditor.domain.activities import Category
from auditor.domain.errors import ValidationError
from auditor.domain.grades import Grade
from auditor.domain.report_periods import report_periods, trajectory
from auditor.domain.summary import GradeCounts


def counts(o, g, ri, i):
    c = GradeCounts()
    for grade, n in zip(Grade.ordered(), (o, g, ri, i), strict=True):
        c.add(grade, n)
    return c


def test_a_financial_year_is_compared_with_the_year_before():
    periods = report_periods(dt.date(2020, 4, 1), dt.date(2021, 3, 31))
    assert [(p.label, p.comparison) for p in periods] == [("2019-20", True), ("2020-21", False)]


def test_several_years_give_one_row_each():
    periods = report_periods(dt.date(2019, 4, 1), dt.date(2021, 3, 31))
    assert [p.label for p in periods] == ["2018-19", "2019-20", "2020-21"]


def test_a_rolling_window_is_compared_with_the_same_length_before():
    before, window = report_periods(dt.date(2025, 6, 1), dt.date(2026, 5, 31))
    assert before.comparison and not window.comparison
    assert (before.start, before.end) == (dt.date(2024, 6, 1), dt.date(2025, 5, 31))
    assert window.label == "1 Jun 2025 – 31 May 2026"


def test_backwards_dates_are_refused():
    with pytest.raises(ValidationError, match="before it starts"):
        report_periods(dt.date(2026, 1, 1), dt.date(2025, 1, 1))


def test_trajectory_is_honest_when_volumes_fall():
    # The council's pattern: a better share from far fewer audits.
    before, after = counts(1, 46, 30, 5), counts(2, 22, 8, 1)  # 47/82 = 57%, 24/33 = 73%
    sentence = trajectory(Category.AUDIT, before, after, "2019-20", "2020-21")
    assert sentence.startswith(
        "Between 2019-20 and 2020-21, the share of good or better audits "
        "rose from 57% to 73%, although fewer audits were completed "
        "(82 to 33)"
    )
    assert "24 were good or better against 47" in sentence


def test_trajectory_notes_small_numbers_and_missing_years():
    small = trajectory(Category.DIP, counts(0, 2, 1, 0), counts(0, 1, 1, 0), "A", "B")
    assert "fell from 67% to 50%" in small and "fewer than 10 dip samples" in small
    assert "none in A to compare" in trajectory(
        Category.OBSERVATION, GradeCounts(), counts(1, 1, 0, 0), "A", "B"
    )
    assert (
        trajectory(Category.AUDIT, GradeCounts(), GradeCounts(), "A", "B")
        == "No audits were completed in A or B."
    )
    same = trajectory(Category.AUDIT, counts(0, 10, 10, 0), counts(0, 20, 20, 0), "A", "B")
    assert "stayed at 50%, and more audits were completed (20 to 40)" in same
