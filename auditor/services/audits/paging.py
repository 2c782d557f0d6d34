"""Keyset paging of All audits: each page seeks past the last row shown, on (sort value, id), so the
last page costs what the first does, and no sort reads the whole table.

Two kinds of sort:
- a column of the audit itself (number, started, completed): seek on (column, id) with an index on
  the column; audits without a value (not completed) form their own run, first when ascending;
- a name or label reached through a key (case, team, worker, auditors, activity, stage, final
  grade): the few distinct keys are put in order in Python (people by name, cases by reference,
  grades by rank), then the audits are read group by group in that order, each group by id through
  the index on its key. Groups are read a batch at a time, so a selective filter over thousands of
  cases still takes only a handful of queries. Audits without the key form a group of their own,
  first when ascending (last for the final grade: ungraded after Inadequate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, select, tuple_
from sqlalchemy.orm import Session

from auditor.domain.activities import ActivityKind
from auditor.domain.grades import Grade
from auditor.domain.workflow import AuditState
from db.models import Audit, Case, Person, Team

BATCH = 64
COLUMN_SORTS = {"id": Audit.id, "created": Audit.created_at, "completed": Audit.completed_on}
KEY_COLUMNS = {
    "case": Audit.case_id,
    "team": Audit.team_id,
    "worker": Audit.worker_id,
    "first_auditor": Audit.first_auditor_id,
    "second_auditor": Audit.second_auditor_id,
    "kind": Audit.kind,
    "state": Audit.state,
    "final_grade": Audit.final_grade,
}
SORT_KEYS = (
    "id",
    "case",
    "kind",
    "state",
    "team",
    "worker",
    "first_auditor",
    "second_auditor",
    "final_grade",
    "created",
    "completed",
)


@dataclass(frozen=True)
class Group:
    """Audits whose key is one of ``keys`` (None: audits without one), sharing one sort value."""

    keys: tuple[Any, ...]

    @property
    def is_null(self) -> bool:
        return self.keys == (None,)


def _named(rows: Sequence[tuple[Any, str]]) -> list[Group]:
    """Keys grouped by their name, names in order (two people may share a name)."""
    by_name: dict[str, list[Any]] = {}
    for key, name in rows:
        by_name.setdefault(name, []).append(key)
    return [Group(tuple(by_name[name])) for name in sorted(by_name)]


def groups_for(s: Session, sort: str) -> list[Group]:
    """Every group of the sort, in ascending order."""
    null = Group((None,))
    if sort == "kind":
        return [Group((v,)) for v in sorted(k.value for k in ActivityKind)]
    if sort == "state":
        return [Group((v,)) for v in sorted(st.value for st in AuditState)]
    if sort == "final_grade":
        return [Group((g.value,)) for g in Grade.ordered()] + [null]
    if sort == "team":
        return [null, *_named(s.execute(select(Team.id, Team.name)).all())]
    if sort == "case":
        return [null, *_named(s.execute(select(Case.id, Case.reference)).all())]
    if sort in ("worker", "first_auditor", "second_auditor"):
        return [null, *_named(s.execute(select(Person.id, Person.name)).all())]
    raise ValueError(f"unknown sort key {sort!r}")


def page_ids(
    s: Session,
    query: Select[Any],
    sort: str,
    descending: bool,
    after: int | None,
    limit: int | None,
) -> list[int]:
    """The ids of the next page of ``query`` (a filtered ``select(Audit.id)``) after audit ``after``
    (None: from the start); ``limit`` None reads to the end."""
    if sort in COLUMN_SORTS:
        return _column_page(s, query, sort, descending, after, limit)
    column = KEY_COLUMNS[sort]
    groups = groups_for(s, sort)
    if descending:
        groups.reverse()
    start, seek = 0, None
    if after is not None:
        key = s.scalar(select(column).where(Audit.id == after))
        start = next((i for i, g in enumerate(groups) if key in g.keys), len(groups))
        seek = Audit.id < after if descending else Audit.id > after
    out: list[int] = []
    i = start
    while i < len(groups) and (limit is None or len(out) < limit):
        if (i == start and seek is not None) or groups[i].is_null:
            batch = groups[i : i + 1]
        else:
            batch = list(_until_null(groups[i : i + BATCH]))
        remaining = None if limit is None else limit - len(out)
        out += _read_batch(
            s, query, column, batch, seek if i == start else None, descending, remaining
        )
        i += len(batch)
    return out


def _until_null(groups: list[Group]) -> list[Group]:
    for n, g in enumerate(groups):
        if g.is_null:
            return groups[:n] or [g]
    return groups


def _read_batch(
    s: Session,
    query: Select[Any],
    column: Any,
    batch: list[Group],
    seek: ColumnElement[bool] | None,
    descending: bool,
    limit: int | None,
) -> list[int]:
    order_id = Audit.id.desc() if descending else Audit.id.asc()
    if batch[0].is_null:
        query = query.where(column.is_(None))
    else:
        query = query.where(column.in_([k for g in batch for k in g.keys]))
    if seek is not None:
        query = query.where(seek)
    if len(batch) == 1:
        query = query.order_by(order_id)
    else:
        position = case({k: n for n, g in enumerate(batch) for k in g.keys}, value=column)
        query = query.order_by(position, order_id)
    if limit is not None:
        query = query.limit(limit)
    return list(s.scalars(query))


def _column_page(
    s: Session,
    query: Select[Any],
    sort: str,
    descending: bool,
    after: int | None,
    limit: int | None,
) -> list[int]:
    """Seek on (column, id); audits without a value come first ascending, last descending."""
    column = COLUMN_SORTS[sort]
    nullable = sort == "completed"
    runs = [True, False] if nullable else [False]  # True: the run without a value
    if descending:
        runs.reverse()
    value = None
    if after is not None:
        value = s.scalar(select(column).where(Audit.id == after))
        runs = runs[runs.index(nullable and value is None) :]
    out: list[int] = []
    for n, without in enumerate(runs):
        if limit is not None and len(out) >= limit:
            break
        seek = after is not None and n == 0
        if without:
            q = query.where(column.is_(None)).order_by(
                Audit.id.desc() if descending else Audit.id.asc()
            )
            if seek:
                q = q.where(Audit.id < after if descending else Audit.id > after)
        else:
            q = query.where(column.is_not(None)) if nullable else query
            if seek and column is not Audit.id:
                key = tuple_(column, Audit.id)
                q = q.where(
                    key < tuple_(value, after) if descending else key > tuple_(value, after)
                )
            elif seek:
                q = q.where(Audit.id < after if descending else Audit.id > after)
            q = q.order_by(
                *(
                    (column.desc(), Audit.id.desc())
                    if descending
                    else (column.asc(), Audit.id.asc())
                )
            )
        if limit is not None:
            q = q.limit(limit - len(out))
        out += list(s.scalars(q))
    return out
