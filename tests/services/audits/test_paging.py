"""All audits in pages: walking every page with keyset paging gives exactly the order of one big
ORDER BY (sort value, id), for every column, both ways, with filters and missing values."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import case, insert, select, text
from sqlalchemy.orm import aliased

from auditor.domain.activities import ActivityKind
from auditor.domain.grades import Grade
from auditor.domain.workflow import AuditState
from auditor.services.audits.views import SORT_KEYS, AuditFilter
from db.models import Audit, Case, Person, Team
from tests.builders import admin_of, who


def many_audits(services, n=230, seed=5):
    """Audits with duplicate names among people, and missing cases, teams, auditors and dates."""
    rng = random.Random(seed)
    d = services.directory
    for i in range(6):
        d.add_person(
            f"tm.twin{i}",
            "Sam Twin" if i % 2 else f"Alex {chr(65 + i)}",
            [services.directory.person("tm.ben", who=admin_of(services)).roles[0]],
            "North",
            who=admin_of(services),
        )
    people = [p.id for p in d.people(who=admin_of(services))]
    cases = [c.id for c in d.cases(who=admin_of(services))]
    with services.db.reading() as s:
        teams = list(s.scalars(select(Team.id)))
    rows = []
    under_way: set[int] = set()  # one three-tier audit under way per case (ux_audit_open_case)
    for audit_id in range(1, n + 1):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(20))  # many ties
        kind = rng.choice(list(ActivityKind))
        state = rng.choice(list(AuditState))
        case_id = rng.choice(cases + [None])
        if case_id is not None and kind.is_three_tier and state.is_open:
            if case_id in under_way:
                state = AuditState.CLOSED
            under_way.add(case_id)
        rows.append(
            dict(
                id=audit_id,
                kind=kind.value,
                state=state.value,
                case_id=case_id,
                team_id=rng.choice(teams + [None]),
                worker_id=rng.choice(people + [None]),
                first_auditor_id=rng.choice(people + [None]),
                second_auditor_id=rng.choice(people + [None] * 4),
                form_id="case_file_audit",
                form_version=1,
                blind=True,
                theme="",
                created_by_id=people[0],
                created_at=dt.datetime.combine(day, dt.time(rng.randrange(3))),
                final_grade=rng.choice([g.value for g in Grade] + [None]),
                completed_on=rng.choice([day, None]),
                cancelled_reason="",
                self_review_waived_reason="",
            )
        )
    with services.db.transaction() as s:
        s.execute(insert(Audit), rows)


def one_big_order_by(services, sort, descending, state=None):
    """The reference: one query ordered by the sort value then id (SQLite puts NULLs first when
    ascending; an ungraded audit sorts after Inadequate)."""
    joined = {
        "case": (Case, Audit.case_id, Case.reference),
        "team": (Team, Audit.team_id, Team.name),
    }
    query = select(Audit.id)
    if sort in joined:
        table, key, value = joined[sort]
        query = query.outerjoin(table, table.id == key)
    elif sort in ("worker", "first_auditor", "second_auditor"):
        person = aliased(Person)
        query = query.outerjoin(person, person.id == getattr(Audit, f"{sort}_id"))
        value = person.name
    else:
        value = {
            "id": Audit.id,
            "kind": Audit.kind,
            "state": Audit.state,
            "created": Audit.created_at,
            "completed": Audit.completed_on,
            "final_grade": case({g.value: g.rank for g in Grade}, value=Audit.final_grade, else_=9),
        }[sort]
    if state:
        query = query.where(Audit.state == state.value)
    order = (value.desc(), Audit.id.desc()) if descending else (value.asc(), Audit.id.asc())
    with services.db.reading() as s:
        return list(s.scalars(query.order_by(*order)))


@pytest.mark.parametrize("sort", SORT_KEYS)
def test_keyset_pages_follow_the_sort_exactly(services, org, sort):
    many_audits(services)
    qa = who(services, org.qa)
    for descending in (False, True):
        for state in (None, AuditState.CLOSED):
            f = AuditFilter(states=(state,) if state else ())
            walked, after = [], None
            while True:
                page = services.views.rows(
                    f, who=qa, after=after, limit=7, sort=sort, descending=descending
                )
                if not page:
                    break
                walked += [r.id for r in page]
                after = page[-1].id
            expected = one_big_order_by(services, sort, descending, state)
            assert walked == expected, (sort, descending, state)
            assert [
                r.id for r in services.views.rows(f, who=qa, sort=sort, descending=descending)
            ] == expected
            assert [
                r.id
                for r in services.views.rows(
                    f, who=qa, offset=5, limit=9, sort=sort, descending=descending
                )
            ] == expected[5:14]
    assert services.views.count(who=who(services, org.qa)) == 230


def test_a_page_reads_names_and_labels(services, org):
    from tests.builders import run_to

    audit_id = run_to(services, org, "second_audit")
    [row] = services.views.rows(AuditFilter(), who=who(services, org.qa), limit=1, sort="worker")
    assert (row.id, row.worker, row.first_auditor, row.case_reference, row.team) == (
        audit_id,
        "Amy Worker",
        "Ben Manager",
        "CF-1",
        "North",
    )
    with services.db.reading() as s:
        assert s.execute(text("SELECT count(*) FROM audit")).scalar() == 1
