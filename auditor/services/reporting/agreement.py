"""Agreement between first and second audits, counted by the database.

Which audits count: three-tier audits **closed** in the period (their closing date between start
and end), with both the first and the second audit submitted. The closing date is the one date every
other figure uses (the grade table, by team, by area): the final grade exists once the audit closes,
and an audit still being reconciled, or cancelled, is not a finished judgement.

The database counts the pairs of (first grade, second grade) grouped by first-line auditor and area
(the overall grade is one more "area"), leaving at most 16 cells per group; the per-area, per-auditor
and pooled matrices are sums of those cells, and kappa is worked out from each matrix in the domain.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import Select, and_, exists, func, literal, select
from sqlalchemy.orm import Session, aliased

from auditor.domain.activities import THREE_TIER_KINDS
from auditor.domain.agreement import Agreement, from_counts
from auditor.domain.grades import Grade
from auditor.domain.workflow import AuditState, Part, ResponseStatus
from auditor.reports.data import AgreementReport, AgreementRow
from db.models import Audit, DomainGrade, Person, Response

OVERALL = "overall"
Cells = dict[tuple[Grade, Grade], int]


def _tiers(start: dt.date | None, end: dt.date | None) -> tuple[Select[Any], Any, Any]:
    """Closed three-tier audits in the period joined to their submitted first and second audits."""
    first, second = aliased(Response), aliased(Response)
    query = (
        select()
        .select_from(Audit)
        .join(
            first,
            and_(
                first.audit_id == Audit.id,
                first.part == Part.FIRST_AUDIT.value,
                first.status == ResponseStatus.SUBMITTED,
            ),
        )
        .join(
            second,
            and_(
                second.audit_id == Audit.id,
                second.part == Part.SECOND_AUDIT.value,
                second.status == ResponseStatus.SUBMITTED,
            ),
        )
        .where(Audit.state == AuditState.CLOSED.value, Audit.kind.in_(THREE_TIER_KINDS))
    )
    if start is not None:
        query = query.where(Audit.completed_on >= start)
    if end is not None:
        query = query.where(Audit.completed_on <= end)
    return query, first, second


def _cells(
    s: Session, start: dt.date | None, end: dt.date | None
) -> dict[tuple[int | None, str], Cells]:
    """(first auditor, area) -> {(first grade, second grade): count}, the overall grade included."""
    tiers, first, second = _tiers(start, end)
    g1, g2 = aliased(DomainGrade), aliased(DomainGrade)
    auditor, n = Audit.first_auditor_id, func.count()
    domains = (
        tiers.add_columns(auditor, g1.domain_id, g1.grade, g2.grade, n)
        .join(g1, g1.response_id == first.id)
        .join(g2, and_(g2.response_id == second.id, g2.domain_id == g1.domain_id))
        .group_by(auditor, g1.domain_id, g1.grade, g2.grade)
    )
    overall = (
        tiers.add_columns(auditor, literal(OVERALL), first.overall_grade, second.overall_grade, n)
        .where(first.overall_grade.is_not(None), second.overall_grade.is_not(None))
        .group_by(auditor, first.overall_grade, second.overall_grade)
    )
    grade = {g.value: g for g in Grade}
    out: dict[tuple[int | None, str], Cells] = defaultdict(dict)
    for query in (domains, overall):
        for who, area, a, b, count in s.execute(query):
            out[(who, area)][(grade[a], grade[b])] = count
    return out


def _audit_counts(
    s: Session, start: dt.date | None, end: dt.date | None
) -> dict[int | None, tuple[int, int]]:
    """First auditor -> (audits with an area graded by both tiers, audits with any pair)."""
    tiers, first, second = _tiers(start, end)
    g1, g2 = aliased(DomainGrade), aliased(DomainGrade)
    area_pair = exists().where(
        g1.response_id == first.id, g2.response_id == second.id, g2.domain_id == g1.domain_id
    )
    overall_pair = and_(first.overall_grade.is_not(None), second.overall_grade.is_not(None))
    query = tiers.add_columns(
        Audit.first_auditor_id,
        func.count().filter(area_pair),
        func.count().filter(overall_pair | area_pair),
    ).group_by(Audit.first_auditor_id)
    return {who: (areas, any_pair) for who, areas, any_pair in s.execute(query)}


def _total(cells: list[Cells]) -> list[tuple[Grade, Grade, int]]:
    summed: Cells = defaultdict(int)
    for group in cells:
        for pair, n in group.items():
            summed[pair] += n
    return [(a, b, n) for (a, b), n in summed.items()]


def agreement_report(
    s: Session, start: dt.date | None, end: dt.date | None, labels: dict[str, str]
) -> AgreementReport:
    """Exact and within-one agreement and weighted kappa: overall, per area, per first auditor."""
    cells = _cells(s, start, end)
    audits = _audit_counts(s, start, end)
    areas = sorted({area for _who, area in cells} - {OVERALL})
    auditors = sorted({who for who, _area in cells if who is not None})

    def area_agreement(area: str) -> Agreement:
        groups = [c for (_who, a), c in cells.items() if a == area]
        # one pair per audit and area: the pairs are the audits
        return from_counts(_total(groups), sum(sum(c.values()) for c in groups))

    overall = area_agreement(OVERALL)
    pooled = from_counts(
        _total([c for (_w, a), c in cells.items() if a != OVERALL]),
        sum(n for n, _any in audits.values()),
    )
    names = (
        dict(s.execute(select(Person.id, Person.name).where(Person.id.in_(auditors))).all())
        if auditors
        else {}
    )
    by_area = sorted(
        (
            AgreementRow(labels.get(a, a.replace("_", " ").capitalize()), area_agreement(a))
            for a in areas
        ),
        key=lambda r: (r.agreement.exact_pct or 0, r.name),
    )
    by_auditor = sorted(
        (
            AgreementRow(
                names.get(p, f"Person {p}"),
                from_counts(
                    _total([c for (w, _a), c in cells.items() if w == p]), audits.get(p, (0, 0))[1]
                ),
            )
            for p in auditors
        ),
        key=lambda r: r.name,
    )
    return AgreementReport(overall, pooled, tuple(by_area), tuple(by_auditor), start, end)
