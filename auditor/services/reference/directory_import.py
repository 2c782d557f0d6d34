"""Importing teams, people or cases from a CSV file or a workbook: all rows or none.

The file is read as ``import-history`` reads it (``tabular``, ``columns``): the first row names the
columns, compared without case or spaces. Every row is checked by the rules of a single add
(``directory_rules``), against the database and the rows before and after it, inside the one write
transaction that then stores them: a file with any bad row stores nothing and is refused in one
message naming each bad row (as a spreadsheet numbers it), the column and what to do.

A person's line manager may be anyone in the database or anywhere in the same file, above or below;
a case's team and worker must be in the database already (import teams, then people, then cases).
A file whose every row is there already (imported before) is refused in so many words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from auditor.domain.clock import Clock
from auditor.domain.errors import RuleViolation, ValidationError
from auditor.domain.permissions import Action, Principal
from auditor.services.access.guard import check
from auditor.services.dto import DirectoryImportResult, DirectoryKind
from auditor.services.reference import directory_rules as rules
from auditor.services.reference.columns import (
    ColumnSet,
    DataRow,
    read_table,
    refuse_rows,
    refused,
)
from auditor.services.reference.tabular import Cell, display_name, quote
from db.engine import Database
from db.models import Case, CaseAllocation, CaseTag, CaseType, Person, PersonRole, Team

__all__ = ["COLUMNS", "DirectoryImportResult", "DirectoryImportService", "DirectoryKind"]

#: Rows below the header a file may hold: a council's whole caseload fits in one file.
MAX_ROWS = 100_000

COLUMNS: dict[DirectoryKind, ColumnSet] = {
    DirectoryKind.TEAMS: ColumnSet(("name",), ("service",), spaced=True),
    DirectoryKind.PEOPLE: ColumnSet(
        ("username", "name", "roles"), ("team", "line_manager"), spaced=True
    ),
    DirectoryKind.CASES: ColumnSet(
        ("reference", "case_type", "team"), ("worker", "tags"), spaced=True
    ),
}
#: The column naming each row, and what a row of each kind is called in messages.
KEY_COLUMN = {
    DirectoryKind.TEAMS: "name",
    DirectoryKind.PEOPLE: "username",
    DirectoryKind.CASES: "reference",
}


@dataclass
class FileKnown:
    """What exists, as the rules of an import ask it: the database read once, and for people the
    usernames of the file itself (a line manager may be further down)."""

    teams: set[str]
    people: dict[str, rules.Staff]
    cases: set[str]
    labels: dict[str, str]
    in_file: dict[str, rules.Staff] = field(default_factory=dict)

    @classmethod
    def load(cls, s: Session, kind: DirectoryKind) -> FileKnown:
        team_names = dict(s.execute(select(Team.id, Team.name)).all())
        staff = {
            username: rules.Staff(username, team_names.get(team_id) if team_id else None)
            for username, team_id in s.execute(select(Person.username, Person.team_id))
        }
        cases = set(s.scalars(select(Case.reference))) if kind is DirectoryKind.CASES else set()
        labels = {c.code: c.label for c in s.scalars(select(CaseType))}
        return cls(set(team_names.values()), staff, cases, labels)

    def has_team(self, name: str) -> bool:
        return name in self.teams

    def staff(self, username: str) -> rules.Staff | None:
        return self.people.get(username) or self.in_file.get(username)

    def has_username(self, username: str) -> bool:
        return username in self.people

    def has_case(self, reference: str) -> bool:
        return reference in self.cases

    def case_type_labels(self) -> dict[str, str]:
        return self.labels


def _text(values: Mapping[str, Cell], key: str) -> str:
    value = values.get(key, "")
    return value.strftime("%d/%m/%Y") if not isinstance(value, str) else value


@dataclass
class _Outcome:
    """The rows that passed, and the problems of the rest, as listed to the user."""

    accepted: list[tuple[int, Any]] = field(default_factory=list)
    found: list[tuple[int, str]] = field(default_factory=list)  # (row, what is wrong there)
    already_there: int = 0  # rows whose only problem is that they exist already

    def take(self, number: int, checked: rules.Checked[Any], key_column: str) -> None:
        if not checked.problems:
            self.accepted.append((number, checked.value))
            return
        if all(p.kind is RuleViolation and p.column == key_column for p in checked.problems):
            self.already_there += 1
        for p in checked.problems:
            self.problem(number, f"{p.column}: {p.text}")

    def duplicate(self, number: int, column: str, value: str, first: int) -> None:
        self.problem(
            number,
            f"{column}: {quote(value, rules.VALUE_QUOTE)} is in row {first} as well; keep one "
            "of the two rows",
        )

    def problem(self, number: int, text: str) -> None:
        self.found.append((number, text))

    @property
    def bad_rows(self) -> int:
        return len({number for number, _text in self.found})

    @property
    def problems(self) -> list[str]:
        """In the order of the rows, then as found."""
        ordered = sorted(enumerate(self.found), key=lambda item: (item[1][0], item[0]))
        return [f"row {number}, {text}" for _i, (number, text) in ordered]


class DirectoryImportService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def import_teams(
        self, path: Path, sheet: str | None = None, *, who: Principal
    ) -> DirectoryImportResult:
        return self._import(DirectoryKind.TEAMS, Path(path), sheet, who)

    def import_people(
        self, path: Path, sheet: str | None = None, *, who: Principal
    ) -> DirectoryImportResult:
        """People without sign-ins: an administrator gives each one (``AccountService.create``)."""
        return self._import(DirectoryKind.PEOPLE, Path(path), sheet, who)

    def import_cases(
        self, path: Path, sheet: str | None = None, *, who: Principal
    ) -> DirectoryImportResult:
        return self._import(DirectoryKind.CASES, Path(path), sheet, who)

    def _import(
        self, kind: DirectoryKind, path: Path, sheet: str | None, who: Principal
    ) -> DirectoryImportResult:
        with self.db.reading() as s:  # refused before the file is even opened
            check(s, who, Action.IMPORT_DIRECTORY)
        if not path.is_file():
            raise ValidationError(f"There is no file at {path}.")
        name = display_name(path)
        rows = read_table(path, COLUMNS[kind], sheet, MAX_ROWS)
        if not rows:
            raise ValidationError(f"{name} has no rows to import.")
        with self.db.transaction() as s:
            me, _ = check(s, who, Action.IMPORT_DIRECTORY)
            known = FileKnown.load(s, kind)
            outcome = _CHECKS[kind](rows, known)
            _refuse(name, kind, len(rows), outcome)
            accepted = [value for _number, value in outcome.accepted]
            if kind is DirectoryKind.CASES:
                _insert_cases(s, accepted, self.clock.now(), me.id)
            else:
                _INSERTS[kind](s, accepted)
        return DirectoryImportResult(kind, len(outcome.accepted), path.name)


def _refuse(name: str, kind: DirectoryKind, total: int, outcome: _Outcome) -> None:
    if outcome.already_there == total:
        raise refused(
            name,
            f"all of its {total} {kind.value} are there already: the file was imported "
            "before. Import only new rows.",
        )
    if outcome.problems:
        raise refuse_rows(name, outcome.bad_rows, outcome.problems)


def _first_rows(
    rows: Iterable[DataRow], key: Callable[[DataRow], str], column: str, outcome: _Outcome
) -> list[DataRow]:
    """The rows whose key no earlier row has; each later repeat is a problem."""
    first: dict[str, int] = {}
    kept = []
    for row in rows:
        value = key(row)
        if value and value in first:
            outcome.duplicate(row.number, column, value, first[value])
            continue
        first.setdefault(value, row.number)
        kept.append(row)
    return kept


# ------------------------------------------------------------------------------------------ teams


def _check_teams(rows: list[DataRow], known: FileKnown) -> _Outcome:
    outcome = _Outcome()
    for row in _first_rows(rows, lambda r: rules.squeeze(_text(r.values, "name")), "name", outcome):
        checked = rules.check_team(_text(row.values, "name"), _text(row.values, "service"), known)
        outcome.take(row.number, checked, "name")
    return outcome


def _insert_teams(s: Session, teams: list[rules.NewTeam]) -> None:
    s.execute(insert(Team), [{"name": t.name, "service": t.service} for t in teams])


# ----------------------------------------------------------------------------------------- people


def _username(row: DataRow) -> str:
    return _text(row.values, "username").strip().lower()


def _check_people(rows: list[DataRow], known: FileKnown) -> _Outcome:
    outcome = _Outcome()
    kept = _first_rows(rows, _username, "username", outcome)
    known.in_file = {
        _username(r): rules.Staff(_username(r), rules.squeeze(_text(r.values, "team")) or None)
        for r in kept
    }
    for row in kept:
        v = row.values
        checked = rules.check_person(
            _text(v, "username"),
            _text(v, "name"),
            _text(v, "roles"),
            _text(v, "team") or None,
            _text(v, "line_manager") or None,
            known,
        )
        outcome.take(row.number, checked, "username")
    _refuse_circles(outcome)
    return outcome


def _refuse_circles(outcome: _Outcome) -> None:
    """Line managers within the file that go round in a circle (a manages b, b manages a): each
    person of a circle is named once, in time proportional to the number of people."""
    manager = {p.username: p.line_manager for _n, p in outcome.accepted}
    rows = {p.username: n for n, p in outcome.accepted}
    settled: set[str] = set()  # known to lead up to someone outside any circle, or reported
    for start in manager:
        path: list[str] = []
        on_path: set[str] = set()
        who: str | None = start
        while who is not None and who in manager and who not in settled and who not in on_path:
            path.append(who)
            on_path.add(who)
            who = manager[who]
        if who is not None and who in on_path:
            circle = path[path.index(who) :]
            for i, member in enumerate(circle):
                ring = " → ".join(circle[i:] + circle[:i] + [member])
                outcome.problem(
                    rows[member],
                    f"line manager: the line managers go round in a circle ({ring}); someone in "
                    "it must have a line manager outside it, or none",
                )
        settled.update(path)


def _insert_people(s: Session, people: list[rules.NewPerson]) -> None:
    team_ids = dict(s.execute(select(Team.name, Team.id)).all())
    s.execute(
        insert(Person),
        [
            {"username": p.username, "name": p.name, "team_id": team_ids.get(p.team or "")}
            for p in people
        ],
    )
    ids = dict(s.execute(select(Person.username, Person.id)).all())
    s.execute(
        insert(PersonRole),
        [{"person_id": ids[p.username], "role": r.value} for p in people for r in p.roles],
    )
    managed = [
        {"id": ids[p.username], "line_manager_id": ids[p.line_manager]}
        for p in people
        if p.line_manager
    ]
    if managed:
        s.execute(update(Person), managed)


# ------------------------------------------------------------------------------------------ cases


def _reference(row: DataRow) -> str:
    return _text(row.values, "reference").strip().upper()


def _check_cases(rows: list[DataRow], known: FileKnown) -> _Outcome:
    outcome = _Outcome()
    for row in _first_rows(rows, _reference, "reference", outcome):
        v = row.values
        checked = rules.check_case(
            _text(v, "reference"),
            _text(v, "case_type"),
            _text(v, "team"),
            _text(v, "worker") or None,
            known,
            _text(v, "tags"),
        )
        outcome.take(row.number, checked, "reference")
    return outcome


def _insert_cases(s: Session, cases: list[rules.NewCase], at: dt.datetime, by: int | None) -> None:
    """The cases, each with its first allocation (from ``at``), and their tags."""
    team_ids = dict(s.execute(select(Team.name, Team.id)).all())
    person_ids = dict(s.execute(select(Person.username, Person.id)).all())
    s.execute(
        insert(Case),
        [
            {
                "reference": c.reference,
                "case_type": c.case_type,
                "team_id": team_ids[c.team],
                "worker_id": person_ids[c.worker] if c.worker else None,
            }
            for c in cases
        ],
    )
    ids = dict(s.execute(select(Case.reference, Case.id)).all())
    s.execute(
        insert(CaseAllocation),
        [
            {
                "case_id": ids[c.reference],
                "team_id": team_ids[c.team],
                "worker_id": person_ids[c.worker] if c.worker else None,
                "from_at": at,
                "changed_by_id": by,
            }
            for c in cases
        ],
    )
    tagged = [c for c in cases if c.tags]
    if tagged:
        s.execute(
            insert(CaseTag),
            [{"case_id": ids[c.reference], "tag": t} for c in tagged for t in c.tags],
        )


_CHECKS: dict[DirectoryKind, Callable[[list[DataRow], FileKnown], _Outcome]] = {
    DirectoryKind.TEAMS: _check_teams,
    DirectoryKind.PEOPLE: _check_people,
    DirectoryKind.CASES: _check_cases,
}
_INSERTS: dict[DirectoryKind, Callable[[Session, list[Any]], None]] = {
    DirectoryKind.TEAMS: _insert_teams,
    DirectoryKind.PEOPLE: _insert_people,
}
