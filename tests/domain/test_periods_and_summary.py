import datetime as dt

import pytest

from auditor.domain.activities import ActivityKind, Category
from auditor.domain.errors import ValidationError
from auditor.domain.grades import Grade
from auditor.domain.periods import FinancialYear, parse_date
from auditor.domain.summary import GradeCounts, summarise_by_financial_year, whole_percent


@pytest.mark.parametrize(
    "day, label",
    [
        (dt.date(2019, 4, 1), "2019-20"),
        (dt.date(2020, 3, 31), "2019-20"),
        (dt.date(2020, 1, 15), "2019-20"),
        (dt.date(1999, 12, 31), "1999-00"),
    ],
)
def test_financial_years_run_april_to_march(day, label):
    assert FinancialYear.of(day).label == label


def test_financial_year_bounds():
    fy = FinancialYear(2019)
    assert (fy.first_day, fy.last_day) == (dt.date(2019, 4, 1), dt.date(2020, 3, 31))


@pytest.mark.parametrize(
    "text",
    [
        "2019-04-30",
        "30/04/2019",
        "30/04/19",
        "2019-04-30 00:00:00",
        dt.datetime(2019, 4, 30, 9, 0),
        dt.date(2019, 4, 30),
    ],
)
def test_dates_in_iso_and_uk_forms(text):
    assert parse_date(text) == dt.date(2019, 4, 30)


@pytest.mark.parametrize("text", ["", "31/02/2019", "April 2019", "2019/13/01"])
def test_bad_dates_are_refused(text):
    with pytest.raises(ValidationError):
        parse_date(text)


def test_published_2016_figures():
    counts = GradeCounts()
    for grade, n in (
        (Grade.OUTSTANDING, 1),
        (Grade.GOOD, 31),
        (Grade.REQUIRES_IMPROVEMENT, 41),
        (Grade.INADEQUATE, 9),
    ):
        counts.add(grade, n)
    assert (counts.good_or_better, counts.ri_or_inadequate, counts.total) == (32, 50, 82)
    assert counts.percentages == (39, 61)


def bands(good: int, total: int) -> tuple[int, int]:
    counts = GradeCounts()
    counts.add(Grade.GOOD, good)
    counts.add(Grade.INADEQUATE, total - good)
    return counts.percentages


def test_percentages_are_whole_and_add_to_100():
    for total in range(1, 250):
        for good in range(total + 1):
            a, b = bands(good, total)
            assert a + b == 100 and abs(a - 100 * good / total) <= 0.5, (good, total)


def test_halves_round_up_and_empty_is_zero():
    assert bands(1, 8) == (13, 87)
    assert bands(0, 0) == (0, 0)
    assert (whole_percent(1, 8), whole_percent(3, 8), whole_percent(0, 0)) == (13, 38, 0)


def test_monthly_counts_fold_into_financial_years_and_categories():
    rows = summarise_by_financial_year(
        [
            (2019, 3, Category.AUDIT, Grade.GOOD, 2),  # 2018-19
            (2019, 4, Category.AUDIT, Grade.GOOD, 1),  # 2019-20
            (2020, 3, Category.AUDIT, Grade.INADEQUATE, 1),  # 2019-20
            (2019, 6, Category.DIP, Grade.OUTSTANDING, 4),
            (2019, 5, Category.OBSERVATION, Grade.REQUIRES_IMPROVEMENT, 3),
        ]
    )
    assert [(r.period, r.category) for r in rows] == [
        ("2018-19", Category.AUDIT),
        ("2019-20", Category.AUDIT),
        ("2019-20", Category.OBSERVATION),
        ("2019-20", Category.DIP),
    ]
    assert rows[1].as_dict()["total"] == 2 and rows[1].as_dict()["good_or_better_pct"] == 50


def test_activity_kinds_fall_into_reporting_categories():
    assert {k: k.category for k in ActivityKind} == {
        ActivityKind.CASE_FILE_AUDIT: Category.AUDIT,
        ActivityKind.THEMATIC_AUDIT: Category.AUDIT,
        ActivityKind.SELF_EVALUATION_AUDIT: Category.AUDIT,
        ActivityKind.OBSERVATION: Category.OBSERVATION,
        ActivityKind.DIP_SAMPLE: Category.DIP,
    }
    assert Category.parse("Observations") is Category.OBSERVATION
    with pytest.raises(ValidationError, match="audit, observation or dip"):
        Category.parse("visit")
