"""The case sampler: reproducible from its seed, stratified, theme-aware, and keeping recently
audited cases out."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from auditor.domain.errors import RuleViolation, ValidationError
from auditor.domain.sampling import Candidate, Criteria, months_before, propose, swap

TODAY = dt.date(2027, 3, 15)


def population(n_north=30, n_south=10) -> list[Candidate]:
    out = []
    for i in range(n_north):
        out.append(
            Candidate(
                f"N-{i:03}",
                "North",
                "child_in_need" if i % 3 else "child_protection",
                frozenset({"neglect"} if i % 2 else set()),
            )
        )
    for i in range(n_south):
        out.append(Candidate(f"S-{i:03}", "South", "child_in_care", frozenset({"neglect"})))
    return out


def refs(proposal) -> list[str]:
    return [c.reference for c in proposal.chosen]


def test_the_same_seed_gives_the_same_sample_whatever_the_order():
    cases = population()
    first = propose(cases, Criteria(seed=7, today=TODAY))
    shuffled = cases[:]
    random.Random(1).shuffle(shuffled)
    assert refs(propose(shuffled, Criteria(seed=7, today=TODAY))) == refs(first)
    assert refs(propose(cases, Criteria(seed=8, today=TODAY))) != refs(first)
    assert len(first.chosen) == 20 and len(set(refs(first))) == 20


def test_strata_get_their_proportional_share():
    proposal = propose(population(), Criteria(size=20, seed=3, today=TODAY))
    by_stratum: dict[str, int] = {}
    for c in proposal.chosen:
        by_stratum[c.stratum] = by_stratum.get(c.stratum, 0) + 1
    # 20 child in need + 10 child protection in North, 10 child in care in South: 40 in all.
    assert by_stratum == {
        "North · child_in_need": 10,
        "North · child_protection": 5,
        "South · child_in_care": 5,
    }


def test_a_theme_keeps_only_tagged_cases_and_counts_the_rest():
    proposal = propose(population(), Criteria(size=100, seed=1, theme="neglect", today=TODAY))
    assert all("neglect" in c.tags for c in proposal.chosen)
    assert proposal.eligible == 25 and proposal.excluded_theme == 15
    assert proposal.shortfall == 75 and len(proposal.chosen) == 25


def test_cases_audited_in_the_last_twelve_months_are_left_out():
    recent = Candidate("R-1", "North", "child_in_need", last_audited=dt.date(2026, 4, 15))
    older = Candidate("R-2", "North", "child_in_need", last_audited=dt.date(2026, 2, 15))
    edge = Candidate("R-3", "North", "child_in_need", last_audited=dt.date(2026, 3, 15))
    proposal = propose([recent, older, edge], Criteria(size=5, seed=1, today=TODAY))
    assert sorted(refs(proposal)) == ["R-2", "R-3"] and proposal.excluded_recent == 1
    six = propose([recent, older, edge], Criteria(size=5, seed=1, today=TODAY, exclusion_months=6))
    assert sorted(refs(six)) == ["R-1", "R-2", "R-3"]  # 11 months ago is outside 6 months
    none = propose([recent], Criteria(size=5, seed=1, today=TODAY, exclusion_months=0))
    assert refs(none) == ["R-1"]


def test_months_before_handles_month_ends_and_years():
    assert months_before(dt.date(2027, 3, 31), 1) == dt.date(2027, 2, 28)
    assert months_before(dt.date(2027, 1, 15), 12) == dt.date(2026, 1, 15)
    assert months_before(dt.date(2024, 3, 30), 1) == dt.date(2024, 2, 29)


def test_a_swap_takes_the_next_case_of_the_same_stratum_and_needs_a_reason():
    proposal = propose(population(), Criteria(size=4, seed=5, today=TODAY))
    out = proposal.chosen[0]
    in_sample = set(refs(proposal))
    replacement = swap(
        out.reference,
        "Does not fit the theme",
        out.stratum,
        in_sample,
        set(in_sample),
        proposal.orders,
    )
    order = proposal.orders[out.stratum]
    assert replacement == next(r for r in order if r not in in_sample)
    assert replacement == swap(
        out.reference,
        "Does not fit the theme",
        out.stratum,
        in_sample,
        set(in_sample),
        proposal.orders,
    )  # reproducible
    with pytest.raises(ValidationError, match="Say why"):
        swap(out.reference, "", out.stratum, in_sample, set(in_sample), proposal.orders)
    with pytest.raises(RuleViolation, match="not in this sample"):
        swap("X-1", "Not relevant now", "", in_sample, set(in_sample), proposal.orders)


def test_nothing_left_to_swap_in_is_explained():
    proposal = propose(population(2, 0), Criteria(size=2, seed=1, today=TODAY))
    chosen = set(refs(proposal))
    with pytest.raises(RuleViolation, match="no other eligible case"):
        swap(
            proposal.chosen[0].reference,
            "In care proceedings",
            proposal.chosen[0].stratum,
            chosen,
            chosen,
            proposal.orders,
        )


def test_a_size_below_one_is_refused():
    with pytest.raises(ValidationError, match="at least one case"):
        propose(population(), Criteria(size=0, today=TODAY))
