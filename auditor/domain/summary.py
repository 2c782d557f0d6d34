"""Counting grades into the council's table: O, G, O+G (%), RI, I, RI+I (%), total."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from auditor.domain.activities import Category
from auditor.domain.grades import Grade
from auditor.domain.periods import FinancialYear, financial_year_of_month

#: Below this many graded items a percentage swings on one or two items; reports say so.
SMALL_SAMPLE = 10

SUMMARY_COLUMNS = (
    "period", "activity", "outstanding", "good", "good_or_better", "good_or_better_pct",
    "requires_improvement", "inadequate", "ri_or_inadequate", "ri_or_inadequate_pct", "total",
)


def split_percentages(good_or_better: int, total: int) -> tuple[int, int]:
    """Whole-number shares of the two bands that always add up to 100 (halves round up)."""
    if total <= 0:
        return 0, 0
    good_pct = (200 * good_or_better + total) // (2 * total)
    return good_pct, 100 - good_pct


@dataclass
class GradeCounts:
    counts: dict[Grade, int] = field(default_factory=lambda: {g: 0 for g in Grade})

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
        return split_percentages(self.good_or_better, self.total)

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
        monthly: Iterable[tuple[int, int, Category, Grade, int]]) -> list[SummaryRow]:
    """Fold (year, month, category, grade, count) tuples into one row per financial year and category.

    The database does the heavy counting per month; this keeps the financial-year rule in one place.
    """
    table: dict[tuple[FinancialYear, Category], GradeCounts] = {}
    for year, month, category, grade, n in monthly:
        key = (financial_year_of_month(year, month), category)
        table.setdefault(key, GradeCounts()).add(grade, n)
    return [SummaryRow(fy.label, cat, table[(fy, cat)])
            for fy, cat in sorted(table, key=lambda k: (k[0], k[1].order))]
