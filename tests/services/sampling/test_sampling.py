"""Sampling against a real database: tags, the 12-month exclusion from real audits, saving, swaps
with reasons, starting the audits; and the same through the command line."""

from __future__ import annotations

import datetime as dt

import pytest

from auditor.domain.activities import ActivityKind
from auditor.domain.errors import RuleViolation, ValidationError
from auditor.domain.permissions import NotPermitted
from auditor.domain.sampling import Criteria
from tests.builders import CliDriver, admin_of, who


@pytest.fixture
def cases(services, org):
    for i in range(12):
        services.directory.add_case(
            f"CF-{100 + i}",
            "child_in_need" if i % 2 else "child_protection",
            "North" if i < 8 else "South",
            org.worker,
            who=admin_of(services),
        )
    for i in range(0, 12, 3):
        services.sampling.tag(
            f"CF-{100 + i}", ["Neglect", "domestic abuse"], by=who(services, org.qa)
        )
    return [f"CF-{100 + i}" for i in range(12)]


def test_recently_audited_cases_are_left_out_and_theme_tags_respected(services, org, cases):
    services.audits.start(
        "CF-100", by=who(services, org.manager)
    )  # audited today: out for 12 months
    today = dt.date.today()
    proposal = services.sampling.propose(
        Criteria(size=50, seed=1, today=today), by=who(services, org.qa)
    )
    chosen = {c.reference for c in proposal.chosen}
    assert "CF-100" not in chosen and "CF-101" in chosen and proposal.excluded_recent == 1
    later = services.sampling.propose(
        Criteria(size=50, seed=1, today=today.replace(year=today.year + 1) + dt.timedelta(days=1)),
        by=who(services, org.qa),
    )
    assert "CF-100" in {c.reference for c in later.chosen}
    themed = services.sampling.propose(
        Criteria(size=50, seed=1, theme="neglect", today=today), by=who(services, org.qa)
    )
    assert {c.reference for c in themed.chosen} == {"CF-103", "CF-106", "CF-109"}
    assert services.sampling.tags(who=who(services, org.qa)) == {"domestic_abuse": 4, "neglect": 4}
    with pytest.raises(ValidationError, match="No case is tagged 'exploitation'"):
        services.sampling.propose(Criteria(theme="exploitation"), by=who(services, org.qa))


def test_a_saved_sample_keeps_its_seed_swaps_with_reasons_and_starts_audits(services, org, cases):
    criteria = Criteria(size=4, seed=7, teams=frozenset({"North"}))
    first = services.sampling.propose(criteria, by=who(services, org.qa))
    assert [
        c.reference for c in services.sampling.propose(criteria, by=who(services, org.qa)).chosen
    ] == [c.reference for c in first.chosen]
    with pytest.raises(NotPermitted, match="You may not build a case sample"):
        services.sampling.save("Thematic", "thematic", criteria, by=who(services, org.worker))
    number = services.sampling.save("Neglect audit", "thematic", criteria, by=who(services, org.qa))
    sample = services.sampling.sample(number, who=who(services, org.qa))
    assert [c.reference for c in sample.cases] == [c.reference for c in first.chosen]
    out = sample.cases[0].reference
    new = services.sampling.swap(number, out, "Does not fit the theme", by=who(services, org.qa))
    sample = services.sampling.sample(number, who=who(services, org.qa))
    assert sample.cases[0].swapped_out_reason == "Does not fit the theme"
    assert new in [c.reference for c in sample.in_sample] and len(sample.in_sample) == 4
    started = services.sampling.start_audits(number, by=who(services, org.qa))
    assert len(started) == 4
    detail = services.views.detail(started[0], who=who(services, org.qa))
    assert detail.row.kind is ActivityKind.THEMATIC_AUDIT
    assert all(
        c.audit_id for c in services.sampling.sample(number, who=who(services, org.qa)).in_sample
    )
    assert (
        services.sampling.start_audits(number, by=who(services, org.qa)) == []
    )  # nothing left to start


def test_start_audits_starts_none_if_any_case_cannot_start(services, org, cases):
    services.directory.add_case("CF-900", "child_in_need", "South", None, who=admin_of(services))
    number = services.sampling.save(
        "Self-evaluation",
        "self_evaluation",
        Criteria(size=20, seed=2, teams=frozenset({"South"})),
        by=who(services, org.qa),
    )
    with pytest.raises(RuleViolation, match="CF-900 has no allocated social worker"):
        services.sampling.start_audits(number, by=who(services, org.qa))
    assert all(
        c.audit_id is None
        for c in services.sampling.sample(number, who=who(services, org.qa)).cases
    )


def test_the_command_line_samples_reproducibly_and_refuses_plainly(
    db_path, services, org, cases, tmp_path, capsys
):
    cli = CliDriver(db_path, services, tmp_path, capsys, user=org.qa)
    code, first = cli("sample", "--size", "5", "--seed", "7", "--team", "North")
    assert code == 0 and "Seed 7: 5 of 11 eligible cases" in first
    assert cli("sample", "--size", "5", "--seed", "7", "--team", "North")[1] == first
    code, out = cli(
        "sample",
        "--size",
        "3",
        "--seed",
        "7",
        "--save",
        "Q3 self-evaluation",
        "--purpose",
        "self_evaluation",
    )
    assert code == 0 and "Saved as sample 1" in out
    ref = services.sampling.sample(1, who=who(services, org.qa)).cases[0].reference
    code, out = cli("samples", "swap", "1", ref, "--reason", "x")
    assert code == 2 and "Say why" in out
    code, out = cli("samples", "swap", "1", ref, "--reason", "In care proceedings")
    assert code == 0 and "swapped in" in out
    code, out = cli("samples", "show", "1")
    assert "In care proceedings" in out
    code, out = cli("cases", "tag", "CF-101", "exploitation")
    assert code == 0 and "exploitation" in out
    code, out = cli("sample", "--case-type", "nonsense")
    assert code == 2 and "not a case type" in out
    code, out = cli("sample", "--size", "0")
    assert code == 2 and "at least one case" in out
