"""The periods a QA report compares, and the honest sentence that describes the change between them.

A report over whole financial years has one row per year plus the year before it for comparison; a
report over any other window (a rolling twelve months, a quarter) compares the window with the window
of the same length just before it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from auditor.domain.activities import Category
from auditor.domain.errors import ValidationError
from auditor.domain.periods import FinancialYear
from auditor.domain.summary import SMALL_SAMPLE, GradeCounts

NOUNS = {
    Category.AUDIT: "audits",
    Category.OBSERVATION: "observations",
    Category.DIP: "dip samples",
}


@dataclass(frozen=True)
class ReportPeriod:
    label: str
    start: dt.date
    end: dt.date
    comparison: bool = False  # before the reported window, shown for the trajectory only

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def uk(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def check_window(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValidationError(
            f"The period ends ({uk(end)}) before it starts ({uk(start)}); "
            "give the earlier date first."
        )
    if (end - start).days > 366 * 10:
        raise ValidationError("A report covers at most ten years; choose a shorter period.")


def is_whole_financial_years(start: dt.date, end: dt.date) -> bool:
    return FinancialYear.of(start).first_day == start and FinancialYear.of(end).last_day == end


def report_periods(start: dt.date, end: dt.date) -> list[ReportPeriod]:
    """The rows of a report on [start, end], oldest first, the comparison period first of all."""
    check_window(start, end)
    if is_whole_financial_years(start, end):
        first = FinancialYear.of(start)
        last = FinancialYear.of(end)
        before = FinancialYear(first.start_year - 1)
        out = [ReportPeriod(before.label, before.first_day, before.last_day, comparison=True)]
        out += [
            ReportPeriod(
                FinancialYear(y).label, FinancialYear(y).first_day, FinancialYear(y).last_day
            )
            for y in range(first.start_year, last.start_year + 1)
        ]
        return out
    length = end - start
    before_end = start - dt.timedelta(days=1)
    before_start = before_end - length
    return [
        ReportPeriod(f"{uk(before_start)} – {uk(before_end)}", before_start, before_end, True),
        ReportPeriod(f"{uk(start)} – {uk(end)}", start, end),
    ]


def trajectory(
    category: Category, before: GradeCounts, after: GradeCounts, before_label: str, after_label: str
) -> str:
    """One sentence on the change in the share of good or better items, with counts beside it so
    that a rising share is not mistaken for more good work when volumes fell (and vice versa)."""
    noun = NOUNS[category]
    if after.total == 0 and before.total == 0:
        return f"No {noun} were completed in {before_label} or {after_label}."
    if before.total == 0:
        share = after.percentages[0]
        return (
            f"{after.total} {noun} were completed in {after_label} ({share}% good or better); "
            f"there were none in {before_label} to compare with."
        )
    if after.total == 0:
        return (
            f"No {noun} were completed in {after_label}, against {before.total} in {before_label}."
        )
    was, now = before.percentages[0], after.percentages[0]
    if now == was:
        change = f"the share of good or better {noun} stayed at {now}%"
    else:
        change = (
            f"the share of good or better {noun} {'rose' if now > was else 'fell'} from "
            f"{was}% to {now}%"
        )
    counts = f"({before.total} to {after.total})"
    if after.total == before.total:
        volume = f"with the same number completed ({after.total})"
    else:
        more = after.total > before.total
        volume = f"{'more' if more else 'fewer'} {noun} were completed {counts}"
        same_direction = (now > was) == more or now == was
        volume = ("and " if same_direction else "although ") + volume
    good_before, good_after = before.good_or_better, after.good_or_better
    goods = ""
    if (now > was) != (good_after > good_before) and now != was and good_after != good_before:
        goods = f"; in numbers, {good_after} were good or better against {good_before}"
    sentence = f"Between {before_label} and {after_label}, {change}, {volume}{goods}."
    if before.is_small or after.is_small:
        sentence += (
            f" With fewer than {SMALL_SAMPLE} {noun} in a period, one or two "
            "judgements move the percentage a lot."
        )
    return sentence
