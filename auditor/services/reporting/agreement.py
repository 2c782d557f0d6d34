"""Agreement between first and second audits, counted by the database.

Which audits count: three-tier audits **closed** in the period (their closing date between start
and end), with both the first and the second audit submitted. The closing date is the one date every
other figure uses (the grade table, by team, by area): the final grade exists once the audit closes,
and an audit still being reconciled, or cancelled, is not a finished judgement.

The database counts the pairs of (first grade, second grade) grouped by first-line auditor and area
(the overall grade is one more "area"), leaving at most 16 cells per group; the per-area, per-auditor
and pooled matrices are sums of those cells, and kappa is worked out from each matrix in the domain.

Closed audits are final (no step leaves the closed state, and grades are editable only while open),
so the counts are kept by closing month in ``agreement_cell`` and ``agreement_audits``: closing an
audit adds its pairs in the same transaction (``record_closed_audit``). A report reads the whole
months of its period from those tables and counts the (at most two) partial months at its edges
with the join over the audits, restricted to those days.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Select,
    Update,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    true,
    update,
)
from sqlalchemy.orm import Session, aliased

from auditor.domain.activities import THREE_TIER_KINDS
from auditor.domain.agreement import Agreement, from_counts
from auditor.domain.grades import Grade
from auditor.domain.workflow import AuditState, Part, ResponseStatus
from auditor.reports.data import AgreementReport, AgreementRow
from db.models import AgreementAudits, AgreementCell, Audit, DomainGrade, Person, Response

OVERALL = "overall"
Cells = dict[tuple[Grade, Grade], int]
#: (closing month, first auditor, area, first grade, second grade) -> pairs
MonthCells = dict[tuple[dt.date | None, int | None, str, str, str], int]
#: (closing month, first auditor) -> [audits with an area pair, audits with any pair]
MonthAudits = dict[tuple[dt.date | None, int | None], list[int]]


def _tiers(where: ColumnElement[bool]) -> tuple[Select[Any], Any, Any]:
    """Closed three-tier audits (``where`` also holds) joined to their submitted first and second
    audits."""
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
        .where(Audit.state == AuditState.CLOSED.value, Audit.kind.in_(THREE_TIER_KINDS), where)
    )
    return query, first, second


def _days(start: dt.date | None, end: dt.date | None) -> ColumnElement[bool]:
    """Audits closed between ``start`` and ``end`` (either open-ended)."""
    conditions = [Audit.completed_on >= start] if start is not None else []
    if end is not None:
        conditions.append(Audit.completed_on <= end)
    return and_(true(), *conditions)


def _month(day: dt.date | None) -> dt.date | None:
    return None if day is None else day.replace(day=1)


def _counted(s: Session, where: ColumnElement[bool]) -> tuple[MonthCells, MonthAudits]:
    """The pairs and audits of the closed audits ``where`` selects, by closing month: the join."""
    tiers, first, second = _tiers(where)
    g1, g2 = aliased(DomainGrade), aliased(DomainGrade)
    day, auditor, n = Audit.completed_on, Audit.first_auditor_id, func.count()
    domains = (
        tiers.add_columns(day, auditor, g1.domain_id, g1.grade, g2.grade, n)
        .join(g1, g1.response_id == first.id)
        .join(g2, and_(g2.response_id == second.id, g2.domain_id == g1.domain_id))
        .group_by(day, auditor, g1.domain_id, g1.grade, g2.grade)
    )
    overall = (
        tiers.add_columns(
            day, auditor, literal(OVERALL), first.overall_grade, second.overall_grade, n
        )
        .where(first.overall_grade.is_not(None), second.overall_grade.is_not(None))
        .group_by(day, auditor, first.overall_grade, second.overall_grade)
    )
    cells: MonthCells = defaultdict(int)
    for query in (domains, overall):
        for when, who, area, a, b, count in s.execute(query):
            cells[(_month(when), who, area, a, b)] += count
    area_pair = exists().where(
        g1.response_id == first.id, g2.response_id == second.id, g2.domain_id == g1.domain_id
    )
    overall_pair = and_(first.overall_grade.is_not(None), second.overall_grade.is_not(None))
    per_audit = tiers.add_columns(
        day, auditor, func.count().filter(area_pair), func.count().filter(overall_pair | area_pair)
    ).group_by(day, auditor)
    audits: MonthAudits = defaultdict(lambda: [0, 0])
    for when, who, areas, any_pair in s.execute(per_audit):
        counts = audits[(_month(when), who)]
        counts[0] += areas
        counts[1] += any_pair
    return cells, audits


# ------------------------------------------------------------------------------ the kept counts
def _same(column: Any, value: object) -> ColumnElement[bool]:
    same: ColumnElement[bool] = column.is_(None) if value is None else column == value
    return same


def _rowcount(s: Session, statement: Update) -> int:
    """How many rows an UPDATE changed (SQLAlchemy types execute() as a plain Result)."""
    return cast(CursorResult[Any], s.execute(statement)).rowcount


def record_closed_audit(s: Session, audit_id: int) -> None:
    """Add a closing audit's pairs to the kept counts; call in the transaction that closes it."""
    s.flush()
    cells, audits = _counted(s, Audit.id == audit_id)
    for (month, who, area, a, b), n in cells.items():
        key = (
            _same(AgreementCell.month, month),
            _same(AgreementCell.first_auditor_id, who),
            AgreementCell.area == area,
            AgreementCell.first_grade == a,
            AgreementCell.second_grade == b,
        )
        changed = _rowcount(s, update(AgreementCell).where(*key).values(n=AgreementCell.n + n))
        if changed == 0:
            s.add(
                AgreementCell(
                    month=month, first_auditor_id=who, area=area, first_grade=a, second_grade=b, n=n
                )
            )
    for (month, who), (areas, any_pair) in audits.items():
        key2 = (_same(AgreementAudits.month, month), _same(AgreementAudits.first_auditor_id, who))
        bump = (
            update(AgreementAudits)
            .where(*key2)
            .values(
                with_area_pair=AgreementAudits.with_area_pair + areas,
                with_any_pair=AgreementAudits.with_any_pair + any_pair,
            )
        )
        if _rowcount(s, bump) == 0:
            s.add(
                AgreementAudits(
                    month=month, first_auditor_id=who, with_area_pair=areas, with_any_pair=any_pair
                )
            )
    s.flush()


def rebuild_agreement_counts(s: Session) -> None:
    """Count every closed audit afresh (for data written around the services: generators, tests)."""
    s.execute(delete(AgreementCell))
    s.execute(delete(AgreementAudits))
    cells, audits = _counted(s, true())
    if cells:
        s.execute(
            insert(AgreementCell),
            [
                dict(month=m, first_auditor_id=w, area=area, first_grade=a, second_grade=b, n=n)
                for (m, w, area, a, b), n in cells.items()
            ],
        )
    if audits:
        s.execute(
            insert(AgreementAudits),
            [
                dict(month=m, first_auditor_id=w, with_area_pair=x, with_any_pair=y)
                for (m, w), (x, y) in audits.items()
            ],
        )


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def split_period(
    start: dt.date | None, end: dt.date | None
) -> tuple[
    tuple[dt.date | None, dt.date | None] | None, list[tuple[dt.date | None, dt.date | None]]
]:
    """(whole months [from, before) read from the kept counts, or None; the partial days at the
    edges, counted with the join)."""
    low = None if start is None else start if start.day == 1 else _next_month(start)
    high = (
        None
        if end is None
        else _next_month(end)
        if _next_month(end) == end + dt.timedelta(days=1)
        else end.replace(day=1)
    )
    if low is not None and high is not None and low >= high:
        return None, [(start, end)]
    edges: list[tuple[dt.date | None, dt.date | None]] = []
    if start is not None and low is not None and start < low:
        edges.append((start, low - dt.timedelta(days=1)))
    if end is not None and high is not None and high <= end:
        edges.append((high, end))
    return (low, high), edges


def _kept(s: Session, low: dt.date | None, high: dt.date | None) -> tuple[MonthCells, MonthAudits]:
    """The kept counts of the months from ``low`` up to (not including) ``high``."""

    def months(column: Any) -> ColumnElement[bool]:
        conditions = [column >= low] if low is not None else []
        if high is not None:
            conditions.append(column < high)
        return and_(true(), *conditions)

    c, a = AgreementCell, AgreementAudits
    cells: MonthCells = {
        (None, who, area, g1, g2): n
        for who, area, g1, g2, n in s.execute(
            select(c.first_auditor_id, c.area, c.first_grade, c.second_grade, func.sum(c.n))
            .where(months(c.month))
            .group_by(c.first_auditor_id, c.area, c.first_grade, c.second_grade)
        )
    }
    audits: MonthAudits = {
        (None, who): [x, y]
        for who, x, y in s.execute(
            select(a.first_auditor_id, func.sum(a.with_area_pair), func.sum(a.with_any_pair))
            .where(months(a.month))
            .group_by(a.first_auditor_id)
        )
    }
    return cells, audits


def _gather(
    s: Session,
    start: dt.date | None,
    end: dt.date | None,
    cached: bool,
    visible: ColumnElement[bool] | None = None,
) -> tuple[dict[tuple[int | None, str], Cells], dict[int | None, tuple[int, int]]]:
    """(first auditor, area) -> cells, and first auditor -> (audits with an area pair, with any).
    With ``visible`` only those audits count, with the join (the kept counts hold every audit)."""
    cached = cached and visible is None
    whole, edges = split_period(start, end) if cached else (None, [(start, end)])
    parts = [_kept(s, *whole)] if whole is not None else []
    parts += [_counted(s, and_(_days(a, b), _or_all(visible))) for a, b in edges]
    grade = {g.value: g for g in Grade}
    cells: dict[tuple[int | None, str], Cells] = defaultdict(lambda: defaultdict(int))
    audits: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    for part_cells, part_audits in parts:
        for (_m, who, area, a, b), n in part_cells.items():
            cells[(who, area)][(grade[a], grade[b])] += n
        for (_m, who), (x, y) in part_audits.items():
            audits[who][0] += x
            audits[who][1] += y
    return ({k: dict(v) for k, v in cells.items()}, {who: (x, y) for who, (x, y) in audits.items()})


def _or_all(visible: ColumnElement[bool] | None) -> ColumnElement[bool]:
    return true() if visible is None else visible


def _total(cells: list[Cells]) -> list[tuple[Grade, Grade, int]]:
    summed: Cells = defaultdict(int)
    for group in cells:
        for pair, n in group.items():
            summed[pair] += n
    return [(a, b, n) for (a, b), n in summed.items()]


def agreement_report(
    s: Session,
    start: dt.date | None,
    end: dt.date | None,
    labels: dict[str, str],
    *,
    cached: bool = True,
    visible: ColumnElement[bool] | None = None,
) -> AgreementReport:
    """Exact and within-one agreement and weighted kappa: overall, per area, per first auditor.
    ``cached=False`` counts everything with the join (what the kept counts must equal);
    ``visible`` (``visible_audits(who)``) counts only the audits someone may read."""
    cells, audits = _gather(s, start, end, cached, visible)
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
