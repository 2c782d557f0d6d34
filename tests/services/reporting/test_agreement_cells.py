"""The agreement counts kept as audits close: closing adds exactly that audit's pairs, nothing else
changes them, and reading them gives what the join over the audits gives (0005 back-fills them)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter

from sqlalchemy import select

from auditor.domain.grades import Grade
from auditor.services import open_services
from auditor.services.demo.build import build_demo
from auditor.services.reporting.agreement import OVERALL, agreement_report
from db.models import AgreementAudits, AgreementCell, DomainGrade, Response
from tests.builders import run_to, who
from tests.db.schema_steps import rewind, upgrade
from tests.reports.conftest import close_audit


def kept(services) -> Counter:
    """(month, first auditor, area, first grade, second grade) -> n, and the audit counts."""
    with services.db.reading() as s:
        out = Counter(
            {
                (c.month, c.first_auditor_id, c.area, c.first_grade, c.second_grade): c.n
                for c in s.scalars(select(AgreementCell))
            }
        )
        out.update(
            {
                (a.month, a.first_auditor_id, "audits"): a.with_area_pair * 1000 + a.with_any_pair
                for a in s.scalars(select(AgreementAudits))
            }
        )
    return out


def pairs_of(services, audit_id: int) -> Counter:
    with services.db.reading() as s:
        tiers = {
            r.part: r for r in s.scalars(select(Response).where(Response.audit_id == audit_id))
        }
        first, second = tiers["first_audit"], tiers["second_audit"]
        grades = {
            r.id: {
                g.domain_id: g.grade
                for g in s.scalars(select(DomainGrade).where(DomainGrade.response_id == r.id))
            }
            for r in (first, second)
        }
    g1, g2 = grades[first.id], grades[second.id]
    out = Counter({(area, g, g2[area]): 1 for area, g in g1.items() if area in g2})
    out[(OVERALL, first.overall_grade, second.overall_grade)] += 1
    return out


def same_both_ways(services, periods) -> None:
    for start, end in periods:
        with services.db.reading() as s:
            assert agreement_report(s, start, end, {}) == agreement_report(
                s, start, end, {}, cached=False
            ), (start, end)


def test_closing_adds_exactly_its_pairs_and_cancelling_or_reconciling_adds_nothing(services, org):
    dropped = run_to(services, org, "reconciliation", first=Grade.OUTSTANDING, final=Grade.GOOD)
    assert kept(services) == Counter()  # in reconciliation: nothing counted yet
    services.audits.cancel(
        dropped, by=who(services, org.manager), reason="Case transferred to another council"
    )
    assert kept(services) == Counter()
    kept_audit = run_to(services, org, "reconciliation", first=Grade.GOOD, final=Grade.INADEQUATE)
    services.audits.note_difference(
        kept_audit, OVERALL, "Agreed at moderation.", by=who(services, org.senior)
    )
    assert kept(services) == Counter()  # reconciling: still nothing
    close_audit(services, org, kept_audit)
    today = dt.date.today()
    month = today.replace(day=1)
    added = kept(services)
    expected = pairs_of(services, kept_audit)
    assert {
        (area, a, b): n
        for (m, _who, area, a, b), n in ((k, v) for k, v in added.items() if len(k) == 5)
    } == dict(expected)
    assert {k[0] for k in added} == {month} and sum(expected.values()) > 1
    assert [v for k, v in added.items() if len(k) == 3] == [1001]  # one audit, areas and overall
    same_both_ways(
        services,
        [
            (None, None),
            (month, today),
            (today, today),
            (month - dt.timedelta(days=40), today + dt.timedelta(days=40)),
            (today + dt.timedelta(days=1), None),
        ],
    )
    with services.db.reading() as s:
        assert agreement_report(s, None, None, {}).overall_grade.n == 1


def test_0005_back_fills_the_counts_of_a_0004_database_holding_closed_audits(tmp_path):
    path = tmp_path / "demo.db"
    services = open_services(path, create=True)
    build_demo(services)  # through the services: the counts kept as each audit closed
    as_closed = kept(services)
    services.close()
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT count(*) FROM audit WHERE state = 'closed'").fetchone()[0]
    conn.close()
    rewind(path, "0004")  # the schema as 0004 left it, data and all
    upgrade(path)
    services = open_services(path)
    try:
        assert kept(services) == as_closed and len(as_closed) > 20 and rows > 0
        with services.db.reading() as s:
            assert agreement_report(s, None, None, {}).overall_grade.n > 0
        today = dt.date.today()
        same_both_ways(
            services,
            [
                (None, None),
                (today - dt.timedelta(days=400), today),
                (today.replace(day=1) - dt.timedelta(days=200), None),
                (None, today - dt.timedelta(days=90)),
            ],
        )
    finally:
        services.close()
