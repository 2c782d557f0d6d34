"""Counting grades into the council's table: O, G, O+G (%), RI, I, RI+I (%), total."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from auditor.domain.activities import Category
from auditor.domain.grades import Band, Grade
from auditor.domain.periods import FinancialYear, financial_year_of_month

#: Below this many graded items a percentage swings on one or two items; reports say so.
SMALL_SAMPLE = 10

SUMMARY_COLUMNS = (
    "period",
    "activity",
    "outstanding",
    "good",
    "good_or_better",
    "good_or_better_pct",
    "requires_improvement",
    "inadequate",
    "ri_or_inadequate",
    "ri_or_inadequate_pct",
    "total",
)


def whole_percent(part: int, total: int) -> int:
    """``part`` of ``total`` as a whole-number percentage; an exact half rounds up (12.5 -> 13).

    Python's ``round`` sends halves to the even number (12.5 -> 12); reports never use it."""
    if total <= 0:
        return 0
    return (200 * part + total) // (2 * total)


def grade_percentages(counts: Mapping[Grade, int]) -> dict[Grade, int]:
    """The one rounding rule for shares of grades: whole numbers that add up to 100, in which the
    two grades of each band add up to that band's share (O% + G% is the good-or-better %).

    First the bands: good or better is rounded to the nearest whole number, an exact half up, and
    RI or inadequate takes the rest. Then each band's share is split between its two grades: each
    gets its exact share rounded down, and any point left over goes to the grade with the larger
    remainder — on an exact tie, to the better grade (Outstanding before Good, Requires
    improvement before Inadequate). A grade with no items always shows 0%.
    """
    total = sum(counts.get(g, 0) for g in Grade)
    out = dict.fromkeys(Grade.ordered(), 0)
    if total <= 0:
        return out
    good = counts.get(Grade.OUTSTANDING, 0) + counts.get(Grade.GOOD, 0)
    band_share = {Band.GOOD_OR_BETTER: whole_percent(good, total)}
    band_share[Band.RI_OR_INADEQUATE] = 100 - band_share[Band.GOOD_OR_BETTER]
    for band, share in band_share.items():
        grades = [g for g in Grade.ordered() if g.band is band]
        exact = {g: divmod(100 * counts.get(g, 0), total) for g in grades}
        for g in grades:
            out[g] = exact[g][0]
        left = share - sum(out[g] for g in grades)
        # larger remainder first; ties to the better grade (sorted() keeps the scale's order)
        for g in sorted(grades, key=lambda g: -exact[g][1])[: max(left, 0)]:
            out[g] += 1
    return out


@dataclass
class GradeCounts:
    counts: dict[Grade, int] = field(default_factory=lambda: dict.fromkeys(Grade, 0))

    @classmethod
    def of(cls, counts: Mapping[Grade, int]) -> GradeCounts:
        return cls({g: counts.get(g, 0) for g in Grade})

    def add(self, grade: Grade, n: int = 1) -> None:
        self.counts[grade] += n

    def __getitem__(self, grade: Grade) -> int:
        return self.counts[grade]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def good_or_better(self) -> int:
        return self.counts[Grade.OUTSTANDING] + self.counts[Grade.GOOD]

    @property
    def ri_or_inadequate(self) -> int:
        return self.counts[Grade.REQUIRES_IMPROVEMENT] + self.counts[Grade.INADEQUATE]

    @property
    def percentages(self) -> tuple[int, int]:
        """(good or better %, RI or inadequate %): whole numbers adding up to 100."""
        shares = self.grade_percentages
        return (
            (
                shares[Grade.OUTSTANDING] + shares[Grade.GOOD],
                shares[Grade.REQUIRES_IMPROVEMENT] + shares[Grade.INADEQUATE],
            )
            if self.total
            else (0, 0)
        )

    @property
    def grade_percentages(self) -> dict[Grade, int]:
        """Each grade's whole-number share, by the one rule in ``grade_percentages``."""
        return grade_percentages(self.counts)

    @property
    def is_small(self) -> bool:
        return self.total < SMALL_SAMPLE


@dataclass(frozen=True)
class SummaryRow:
    period: str
    category: Category
    counts: GradeCounts

    def as_dict(self) -> dict[str, object]:
        c = self.counts
        gob_pct, ri_pct = c.percentages
        return {
            "period": self.period,
            "activity": self.category.value,
            "outstanding": c[Grade.OUTSTANDING],
            "good": c[Grade.GOOD],
            "good_or_better": c.good_or_better,
            "good_or_better_pct": gob_pct,
            "requires_improvement": c[Grade.REQUIRES_IMPROVEMENT],
            "inadequate": c[Grade.INADEQUATE],
            "ri_or_inadequate": c.ri_or_inadequate,
            "ri_or_inadequate_pct": ri_pct,
            "total": c.total,
        }


def summarise_by_financial_year(
    monthly: Iterable[tuple[int, int, Category, Grade, int]],
) -> list[SummaryRow]:
    """Fold (year, month, category, grade, count) tuples into one row per financial year and category.

    The database does the heavy counting per month; this keeps the financial-year rule in one place.
    """
    table: dict[tuple[FinancialYear, Category], GradeCounts] = {}
    for year, month, category, grade, n in monthly:
        key = (financial_year_of_month(year, month), category)
        table.setdefault(key, GradeCounts()).add(grade, n)
    return [
        SummaryRow(fy.label, cat, table[(fy, cat)])
        for fy, cat in sorted(table, key=lambda k: (k[0], k[1].order))
    ]
