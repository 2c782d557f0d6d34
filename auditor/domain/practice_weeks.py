"""Practice weeks: the rules for planning one, and the arithmetic of its progress and findings.

A practice week runs over a date range (up to two weeks). Senior managers and the QA team take part,
each giving up to four days; the plan allocates audits, observations and dips to a person on one of
their days. The services load the facts into these plain objects, ask here, then write.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from auditor.domain.activities import ActivityKind, Category
from auditor.domain.errors import RuleViolation, ValidationError
from auditor.domain.grades import Grade
from auditor.domain.summary import GradeCounts, whole_percent

MAX_DAYS_PER_PERSON = 4
MAX_SPAN_DAYS = 14

OBSERVATION_TYPES: dict[str, str] = {
    "home_visit": "Home visit",
    "cp_conference": "Child protection conference",
    "core_group": "Core group meeting",
    "cin_meeting": "Child in need meeting",
    "cic_review": "Child in care review",
    "family_meeting": "Family meeting or family group conference",
    "supervision": "Supervision",
    "duty_front_door": "Duty or front door (MASH) work",
    "virtual": "Virtual visit or meeting",
}


class WeekStatus(StrEnum):
    PLANNED = "planned"
    RUNNING = "running"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"planned": "Planned", "running": "Under way", "closed": "Closed"}[self.value]


_NEXT = {WeekStatus.PLANNED: WeekStatus.RUNNING, WeekStatus.RUNNING: WeekStatus.CLOSED}


class FindingKind(StrEnum):
    STRENGTH = "strength"
    DEVELOPMENT = "development"

    @property
    def label(self) -> str:
        return "Strength" if self is FindingKind.STRENGTH else "Area for development"

    @classmethod
    def parse(cls, text: object) -> FindingKind:
        key = str(text or "").strip().lower()
        key = {
            "strengths": "strength",
            "area for development": "development",
            "areas for development": "development",
            "develop": "development",
            "weakness": "development",
        }.get(key, key)
        try:
            return cls(key)
        except ValueError:
            raise ValidationError(
                f"'{text}' is not a kind of finding: use strength or development."
            ) from None


def check_dates(starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on < starts_on:
        raise ValidationError("A practice week cannot end before it starts; check the dates.")
    if (ends_on - starts_on).days + 1 > MAX_SPAN_DAYS:
        raise ValidationError(
            f"A practice week spans at most {MAX_SPAN_DAYS} days (two weeks); "
            f"{starts_on:%d/%m/%Y} to {ends_on:%d/%m/%Y} is longer."
        )


def next_status(current: WeekStatus, wanted: WeekStatus) -> WeekStatus:
    """Planned -> under way -> closed, one step at a time."""
    if _NEXT.get(current) is not wanted:
        if current is WeekStatus.CLOSED:
            raise RuleViolation("This practice week is closed; it can no longer be changed.")
        raise RuleViolation(
            f"A practice week that is {current.label.lower()} cannot become "
            f"{wanted.label.lower()}; it goes planned, then under way, then closed."
        )
    return wanted


def check_open(status: WeekStatus) -> None:
    if status is WeekStatus.CLOSED:
        raise RuleViolation("This practice week is closed; its plan can no longer be changed.")


def check_days(name: str, days: Iterable[dt.date], starts_on: dt.date, ends_on: dt.date) -> None:
    """A participant's days: inside the week, at most four."""
    days = sorted(set(days))
    if not days:
        raise ValidationError(f"Give at least one day that {name} will give to the practice week.")
    outside = [d for d in days if not starts_on <= d <= ends_on]
    if outside:
        raise ValidationError(
            f"{outside[0]:%d/%m/%Y} is outside the practice week "
            f"({starts_on:%d/%m/%Y} to {ends_on:%d/%m/%Y})."
        )
    if len(days) > MAX_DAYS_PER_PERSON:
        raise RuleViolation(
            f"{name} would give {len(days)} days; each person gives up to "
            f"{MAX_DAYS_PER_PERSON} days to a practice week."
        )


@dataclass(frozen=True)
class PlannedWork:
    """What an allocation asks for, checked against the week before it is written."""

    person: str
    person_days: frozenset[dt.date]
    day: dt.date
    kind: ActivityKind
    case_team: str | None = None
    practitioner: str | None = None
    detail: str = ""


def check_allocation(work: PlannedWork, teams_in_scope: frozenset[str]) -> None:
    if not work.person_days:
        raise RuleViolation(
            f"{work.person} is not taking part in this practice week; add them "
            "with the days they give first."
        )
    if work.day not in work.person_days:
        days = ", ".join(f"{d:%a %d/%m}" for d in sorted(work.person_days))
        raise RuleViolation(
            f"{work.person} is not giving {work.day:%A %d/%m/%Y} to the practice "
            f"week; their days are {days}."
        )
    if work.kind is ActivityKind.OBSERVATION:
        if work.detail and work.detail not in OBSERVATION_TYPES:
            raise ValidationError(
                f"'{work.detail}' is not a kind of observation; use one of "
                f"{', '.join(OBSERVATION_TYPES)}."
            )
        if work.practitioner and work.practitioner == work.person:
            raise RuleViolation(
                "Nobody observes their own practice: choose another observer or "
                "another practitioner."
            )
    elif work.kind.is_three_tier and work.case_team is None:
        raise ValidationError("An audit in the plan needs the case it is about.")
    if work.case_team is not None and teams_in_scope and work.case_team not in teams_in_scope:
        raise RuleViolation(
            f"The case belongs to {work.case_team}, which is not one of this "
            f"practice week's teams ({', '.join(sorted(teams_in_scope))})."
        )


# ------------------------------------------------------------------------------------- progress
@dataclass(frozen=True)
class AllocationFacts:
    person: str
    day: dt.date
    category: Category
    done: bool


@dataclass
class Tally:
    planned: int = 0
    done: int = 0

    @property
    def percent(self) -> int:
        return whole_percent(self.done, self.planned)


@dataclass
class Progress:
    overall: Tally = field(default_factory=Tally)
    by_day: dict[dt.date, Tally] = field(default_factory=dict)
    by_person: dict[str, Tally] = field(default_factory=dict)
    by_activity: dict[Category, Tally] = field(default_factory=dict)


def progress(allocations: Iterable[AllocationFacts]) -> Progress:
    """Planned against done, overall and per day, per person and per activity type."""
    result = Progress()
    for a in allocations:
        for tally in (
            result.overall,
            result.by_day.setdefault(a.day, Tally()),
            result.by_person.setdefault(a.person, Tally()),
            result.by_activity.setdefault(a.category, Tally()),
        ):
            tally.planned += 1
            tally.done += a.done
    result.by_day = dict(sorted(result.by_day.items()))
    result.by_person = dict(sorted(result.by_person.items()))
    result.by_activity = dict(sorted(result.by_activity.items(), key=lambda kv: kv[0].order))
    return result


def grades_by_activity(graded: Iterable[tuple[Category, Grade]]) -> dict[Category, GradeCounts]:
    table: dict[Category, GradeCounts] = {c: GradeCounts() for c in Category}
    for category, grade in graded:
        table[category].add(grade)
    return table


@dataclass(frozen=True)
class RecurringFinding:
    kind: FindingKind
    domain: str  # the domain's title, or "Not tied to one area"
    count: int
    examples: tuple[str, ...]


def recurring_findings(
    findings: Iterable[tuple[FindingKind, str, str]], examples: int = 3
) -> list[RecurringFinding]:
    """Strengths and areas for development counted by domain, most frequent first."""
    counts: Counter[tuple[FindingKind, str]] = Counter()
    texts: dict[tuple[FindingKind, str], list[str]] = {}
    for kind, domain, text in findings:
        key = (kind, domain or "Not tied to one area")
        counts[key] += 1
        if text not in texts.setdefault(key, []):
            texts[key].append(text)
    ordered = sorted(
        counts.items(), key=lambda kv: (kv[0][0] is not FindingKind.STRENGTH, -kv[1], kv[0][1])
    )
    return [
        RecurringFinding(kind, domain, n, tuple(texts[(kind, domain)][:examples]))
        for (kind, domain), n in ordered
    ]
