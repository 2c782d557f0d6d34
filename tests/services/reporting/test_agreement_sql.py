"""Agreement counted by the database equals the per-pair computation, and counts the right audits:
closed ones (never cancelled), by their closing date."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import pytest
from sqlalchemy import insert, select, update

from auditor.domain.agreement import agreement
from auditor.domain.grades import Grade
from auditor.domain.periods import FinancialYear
from auditor.services.reporting.agreement import OVERALL, agreement_report, rebuild_agreement_counts
from db.models import Audit, DomainGrade, Response
from tests.builders import Org, run_to, who
from tests.reports.conftest import close_audit

GRADES = [g.value for g in Grade]
STATES = ["closed"] * 6 + ["cancelled", "reconciliation", "second_audit"]
KINDS = ["case_file_audit"] * 4 + ["thematic_audit", "observation"]
AREAS = ["child_voice", "assessment", "planning", "recording", "permanence"]
DAY0 = dt.date(2023, 4, 1)


def random_audits(services, seed: int, n: int = 160) -> None:
    """Audits in random states with random, sometimes missing, grades by 3 auditors (or none)."""
    rng = random.Random(seed)
    audits, responses, grades = [], [], []
    people = [p.id for p in services.directory.people()]
    for audit_id in range(1, n + 1):
        done = DAY0 + dt.timedelta(days=rng.randrange(730))
        audits.append(
            dict(
                id=audit_id,
                kind=rng.choice(KINDS),
                state=rng.choice(STATES),
                form_id="case_file_audit",
                form_version=1,
                blind=True,
                theme="",
                created_by_id=people[0],
                cancelled_reason="",
                created_at=dt.datetime.combine(done, dt.time(9)),
                self_review_waived_reason="",
                first_auditor_id=rng.choice(people[:3] + [None]),
                completed_on=done if rng.random() < 0.9 else None,
            )
        )
        for offset, part in ((0, "first_audit"), (n, "second_audit")):
            if rng.random() < 0.08:
                continue  # that tier never written
            rid = audit_id + offset
            responses.append(
                dict(
                    id=rid,
                    audit_id=audit_id,
                    part=part,
                    form_id="case_file_audit",
                    form_version=1,
                    author_id=people[0],
                    status="submitted" if rng.random() < 0.9 else "draft",
                    overall_grade=rng.choice(GRADES) if rng.random() < 0.9 else None,
                    overall_rationale="",
                    created_at=dt.datetime(2024, 1, 1),
                    updated_at=dt.datetime(2024, 1, 1),
                )
            )
            grades += [
                dict(response_id=rid, domain_id=area, grade=rng.choice(GRADES), rationale="")
                for area in AREAS
                if rng.random() < 0.85
            ]
    with services.db.transaction() as s:
        s.execute(insert(Audit), audits)
        s.execute(insert(Response), responses)
        s.execute(insert(DomainGrade), grades)
        rebuild_agreement_counts(s)  # written around the services: count the closed ones


def per_pair(services, start, end):
    """The old computation, one pair at a time in Python, over the audits that should count."""
    with services.db.reading() as s:
        audits = {a.id: a for a in s.scalars(select(Audit))}
        responses = list(s.scalars(select(Response)))
        by_response = defaultdict(dict)
        for g in s.scalars(select(DomainGrade)):
            by_response[g.response_id][g.domain_id] = Grade(g.grade)
    tiers = defaultdict(dict)
    for r in responses:
        if r.status == "submitted":
            tiers[r.audit_id][r.part] = r
    per_area, per_auditor = defaultdict(list), defaultdict(list)
    area_audits, auditor_audits = defaultdict(set), defaultdict(set)
    for audit_id, parts in tiers.items():
        audit = audits[audit_id]
        day = audit.completed_on
        if (
            audit.state != "closed"
            or audit.kind == "observation"
            or len(parts) < 2
            or (start and (day is None or day < start))
            or (end and (day is None or day > end))
        ):
            continue
        first, second = parts["first_audit"], parts["second_audit"]
        pairs = [
            (area, grade, by_response[second.id][area])
            for area, grade in by_response[first.id].items()
            if area in by_response[second.id]
        ]
        if first.overall_grade and second.overall_grade:
            pairs.append((OVERALL, Grade(first.overall_grade), Grade(second.overall_grade)))
        for area, a, b in pairs:
            per_area[area].append((a, b))
            area_audits[area].add(audit_id)
            if audit.first_auditor_id is not None:
                per_auditor[audit.first_auditor_id].append((a, b))
                auditor_audits[audit.first_auditor_id].add(audit_id)
    overall = agreement(per_area.pop(OVERALL, []), len(area_audits.pop(OVERALL, set())))
    pooled = agreement(
        [p for pairs in per_area.values() for p in pairs], len(set().union(*area_audits.values()))
    )
    return (
        overall,
        pooled,
        {a: agreement(p, len(area_audits[a])) for a, p in per_area.items()},
        {who: agreement(p, len(auditor_audits[who])) for who, p in per_auditor.items()},
    )


def random_periods(rng: random.Random) -> list[tuple[dt.date, dt.date]]:
    """Whole months, partial months at either edge or both, within one month, one day."""

    def day() -> dt.date:
        return DAY0 + dt.timedelta(days=rng.randrange(730))

    month = day().replace(day=1)
    later = (month + dt.timedelta(days=32 * rng.randrange(1, 9))).replace(day=1)
    one = day()
    a, b = sorted([day(), day()])
    return [
        (month, later - dt.timedelta(days=1)),  # whole months
        (a, b),  # partial at both edges
        (month, b if b > month else month + dt.timedelta(days=40)),
        (a, later - dt.timedelta(days=1) if later > a else a + dt.timedelta(days=60)),
        (month + dt.timedelta(days=3), month + dt.timedelta(days=20)),  # inside a month
        (month, month + dt.timedelta(days=27)),
        (one, one),
    ]  # one day


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_sql_counts_equal_the_per_pair_computation_on_random_data(services, org, seed):
    random_audits(services, seed)
    rng = random.Random(seed)
    names = {p.name: p.id for p in services.directory.people()}
    windows = [
        (None, None),
        (DAY0 + dt.timedelta(days=rng.randrange(300)), None),
        (None, DAY0 + dt.timedelta(days=rng.randrange(300, 730))),
    ] + random_periods(rng)
    for start, end in windows:
        overall, pooled, areas, auditors = per_pair(services, start, end)
        with services.db.reading() as s:
            report = agreement_report(s, start, end, {a: a for a in AREAS})
            assert report == agreement_report(s, start, end, {a: a for a in AREAS}, cached=False)
        assert report.overall_grade == overall and (overall.n > 0 or start is not None)
        assert report.all_domains == pooled
        assert {r.name: r.agreement for r in report.by_domain} == areas
        assert {names[r.name]: r.agreement for r in report.by_auditor} == auditors


def test_cancelled_audits_do_not_count_in_agreement(services, org):
    audit_id = run_to(services, org, "reconciliation", first=Grade.GOOD, final=Grade.INADEQUATE)
    assert (
        services.reports.agreement(who=who(services, Org.qa)).overall_grade.n == 0
    )  # not closed yet
    services.audits.cancel(
        audit_id, by=who(services, org.manager), reason="Case transferred to another council"
    )
    report = services.reports.agreement(who=who(services, Org.qa))
    assert report.overall_grade.n == 0 and report.all_domains.n == 0
    assert report.by_auditor == () and report.by_domain == ()


def test_agreement_counts_an_audit_in_the_period_it_closed_like_the_grade_table(services, org):
    audit_id = run_to(services, org, "reconciliation", first=Grade.GOOD, final=Grade.GOOD)
    close_audit(services, org, audit_id)  # second audit submitted today, closed today...
    this_year = FinancialYear.of(dt.date.today())
    next_year = FinancialYear(this_year.start_year + 1)
    with services.db.transaction() as s:  # ...but say it closed at the start of next year
        s.execute(
            update(Audit).where(Audit.id == audit_id).values(completed_on=next_year.first_day)
        )
        rebuild_agreement_counts(s)  # written around the services (a closed audit is final)
    for year, expected in ((this_year, 0), (next_year, 1)):
        agree = services.reports.agreement(
            year.first_day, year.last_day, who=who(services, Org.qa)
        ).overall_grade
        table = services.reports.qa_report(
            year.first_day, year.last_day, who=who(services, Org.qa)
        ).table
        graded = sum(r.counts.total for r in table if r.period.start == year.first_day)
        assert (agree.n, agree.audits, graded) == (expected, expected, expected)
