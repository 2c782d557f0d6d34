"""Choosing cases for a thematic audit or a quarterly self-evaluation.

Random but reproducible: the same seed and the same cases give the same sample, whatever order the
database returns them in. Stratified: the sample is shared out between team x case type in proportion
to the eligible cases in each (largest remainders, ties broken by name). Cases audited within the
exclusion window (12 months unless set otherwise) are left out, and so, if a theme is given, are cases
not tagged with it. A proposed case can be swapped for the next one from the same stratum's seeded
order, and the reason is kept.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from auditor.domain.errors import RuleViolation, ValidationError

DEFAULT_SIZE = 20
DEFAULT_EXCLUSION_MONTHS = 12


@dataclass(frozen=True)
class Candidate:
    reference: str
    team: str
    case_type: str
    tags: frozenset[str] = frozenset()
    last_audited: dt.date | None = None

    @property
    def stratum(self) -> str:
        return f"{self.team} · {self.case_type}"


@dataclass(frozen=True)
class Criteria:
    size: int = DEFAULT_SIZE
    seed: int = 0
    theme: str = ""
    teams: frozenset[str] = frozenset()
    case_types: frozenset[str] = frozenset()
    exclusion_months: int = DEFAULT_EXCLUSION_MONTHS
    today: dt.date = field(default_factory=dt.date.today)

    def check(self) -> None:
        if self.size < 1:
            raise ValidationError("A sample needs at least one case.")
        if self.exclusion_months < 0:
            raise ValidationError("The exclusion window is a number of months, 0 or more.")

    @property
    def excluded_since(self) -> dt.date:
        return months_before(self.today, self.exclusion_months)


@dataclass(frozen=True)
class Proposal:
    chosen: tuple[Candidate, ...]
    eligible: int
    excluded_recent: int
    excluded_theme: int
    shortfall: int  # asked for more than there were eligible cases
    #: each stratum's seeded order, so swaps can take "the next one" reproducibly
    orders: dict[str, tuple[str, ...]] = field(default_factory=dict)


def new_seed() -> int:
    """A seed to show the user when they did not give one."""
    return random.SystemRandom().randrange(1, 100_000)


def months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last = [
        31,
        29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][month - 1]
    return dt.date(year, month, min(day.day, last))


def propose(candidates: list[Candidate], criteria: Criteria) -> Proposal:
    criteria.check()
    in_scope = [
        c
        for c in candidates
        if (not criteria.teams or c.team in criteria.teams)
        and (not criteria.case_types or c.case_type in criteria.case_types)
    ]
    recent = [
        c
        for c in in_scope
        if c.last_audited is not None
        and criteria.exclusion_months > 0
        and c.last_audited > criteria.excluded_since
    ]
    not_recent = [c for c in in_scope if c not in recent]
    eligible = [c for c in not_recent if not criteria.theme or criteria.theme in c.tags]
    strata: dict[str, list[Candidate]] = {}
    for c in sorted(eligible, key=lambda c: c.reference):
        strata.setdefault(c.stratum, []).append(c)
    rng = random.Random(criteria.seed)
    orders = {}
    for name in sorted(strata):
        members = strata[name]
        rng.shuffle(members)
        orders[name] = tuple(c.reference for c in members)
    quotas = _allocate(min(criteria.size, len(eligible)), {k: len(v) for k, v in strata.items()})
    chosen = [c for name in sorted(strata) for c in strata[name][: quotas[name]]]
    return Proposal(
        tuple(chosen),
        len(eligible),
        len(recent),
        len(not_recent) - len(eligible),
        max(criteria.size - len(eligible), 0),
        orders,
    )


def _allocate(size: int, counts: dict[str, int]) -> dict[str, int]:
    """Share ``size`` between strata in proportion to their counts: whole parts first, then the
    largest remainders (ties: the larger stratum, then by name)."""
    total = sum(counts.values())
    if not total:
        return dict.fromkeys(counts, 0)
    exact = {k: size * n / total for k, n in counts.items()}
    quotas = {k: int(v) for k, v in exact.items()}
    left = size - sum(quotas.values())
    order = sorted(counts, key=lambda k: (-(exact[k] - quotas[k]), -counts[k], k))
    for k in order:
        if left == 0:
            break
        if quotas[k] < counts[k]:
            quotas[k] += 1
            left -= 1
    return quotas


def swap(
    out: str,
    reason: str,
    stratum: str,
    in_sample: set[str],
    used: set[str],
    orders: dict[str, tuple[str, ...]],
) -> str:
    """The case that replaces ``out``: the next unused one in the same stratum's seeded order, else
    in the other strata's orders (by name). ``used`` holds every case ever proposed or swapped out."""
    if len(reason.strip()) < 5:
        raise ValidationError(
            'Say why the case is swapped out (for example "does not fit the '
            'theme" or "in proceedings"); the reason is kept with the sample.'
        )
    if out not in in_sample:
        raise RuleViolation(f"{out} is not in this sample.")
    for name in [stratum] + sorted(k for k in orders if k != stratum):
        for reference in orders.get(name, ()):
            if reference not in used:
                return reference
    raise RuleViolation(
        "There is no other eligible case left to swap in; widen the teams, case "
        "types or theme, or shorten the exclusion window."
    )
