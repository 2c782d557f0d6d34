"""Importing graded activity from before the application: all rows or none.

The file is read by ``tabular`` within fixed bounds; here its first row must name the columns, each
known column once, and every row must hold a real date, activity and grade. A file is refused as a
whole, in one message that lists at most ``MAX_LISTED`` problems and quotes at most a few dozen
characters of any cell; its first line quotes no cell, so it may be logged.

A re-import is recognised by content: the hash of the rows as they would be stored, in any
order (``content_hash``). Order does not matter because the same rows sorted another way count
every grade twice just the same; so a file saved again with other line endings, a byte-order
mark, capitalised column names or as a workbook instead of CSV is the same import. The hash is
unique in the database, so two imports of one file racing each other make one batch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import String, insert, select
from sqlalchemy.exc import IntegrityError

from auditor.domain.activities import Category
from auditor.domain.clock import Clock
from auditor.domain.errors import RuleViolation, ValidationError
from auditor.domain.grades import Grade
from auditor.domain.periods import parse_date
from auditor.domain.permissions import Action, Principal
from auditor.services.access.guard import check
from auditor.services.reference.columns import ColumnSet, listed, read_table, refused
from auditor.services.reference.tabular import Cell, display_name, quote
from db.engine import Database
from db.models import HistoricGrade, ImportBatch

REQUIRED = ("date", "activity", "grade")
OPTIONAL = ("team", "case_ref", "auditor", "theme")
COLUMNS = ColumnSet(REQUIRED, OPTIONAL)
VALUE_QUOTE = 40  # of a cell quoted in a row's problem
EARLIEST = dt.date(2000, 1, 1)  # before it, a date is a typing slip (1066, 0001)
#: the canonical form of a row for ``content_hash``; migration 0007 has a frozen copy
HASH_COLUMNS = ("activity_on", "category", "grade", "team", "case_ref", "auditor", "theme")
_DATE = re.compile(
    r"(?P<day>\d{4}-\d{1,2}-\d{1,2}|\d{1,2}([/.-])\d{1,2}\2\d{4})"
    r"(?:[ T](?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d{1,6})?)?)?"
)
GRADE_WORDS = "a grade (Outstanding, Good, Requires improvement, Inadequate or O, G, RI, I)"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_T = TypeVar("_T")


def _text_limits() -> dict[str, int]:
    """The longest text each optional column keeps: the database's limits, so nothing is cut
    short. A column of unlimited text has no limit."""
    limits: dict[str, int] = {}
    for key in OPTIONAL:
        column_type = HistoricGrade.__table__.c[key].type
        if isinstance(column_type, String) and column_type.length is not None:
            limits[key] = column_type.length
    return limits


TEXT_LIMITS = _text_limits()


@dataclass(frozen=True)
class ImportResult:
    batch_id: int
    rows: int
    by_category: dict[str, int]


def content_hash(rows: list[dict[str, Any]]) -> str:
    lines = sorted(
        json.dumps([str(row[c]) for c in HASH_COLUMNS], ensure_ascii=False) for row in rows
    )
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


# -------------------------------------------------------------------------------------- the rows


def strict_date(value: Cell, today: dt.date) -> dt.date:
    """The whole cell as a date from ``EARLIEST`` to today: 2019-04-30 or 30/04/2019 (a time of
    day after it is allowed), or a workbook's date cell."""
    if isinstance(value, dt.datetime):
        day = value.date()
    else:
        match = _DATE.fullmatch(value)
        hours, minutes, seconds = (int(match[g] or 0) for g in "hms") if match else (0, 0, 0)
        if match is None or hours > 23 or minutes > 59 or seconds > 59:
            raise ValidationError(
                f"{quote(value, VALUE_QUOTE)} is not a date; write it as 2019-04-30 or 30/04/2019"
            )
        day = parse_date(match["day"])
    if day < EARLIEST:
        raise ValidationError(
            f"the date {_uk(day)} is before {EARLIEST.year}; give dates from {_uk(EARLIEST)} to "
            "today"
        )
    if day > today:
        raise ValidationError(f"the date {_uk(day)} is in the future")
    return day


def _uk(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"  # strftime writes the year 1 as "1"


def _parsed(parse: Callable[[str], _T], value: str, what: str, reasons: list[str]) -> _T | None:
    try:
        return parse(value)
    except ValidationError:
        reasons.append(f"{quote(value, VALUE_QUOTE)} is not {what}")
        return None


def _check_row(values: Mapping[str, Cell], today: dt.date) -> tuple[dict[str, Any] | None, str]:
    """The row ready to insert, or why not."""
    text = {k: str(v).strip() for k, v in values.items() if not isinstance(v, dt.datetime)}
    present = {k for k, v in values.items() if isinstance(v, dt.datetime) or text[k]}
    reasons = [f"the {key} is missing" for key in REQUIRED if key not in present]
    day = None
    if "date" in present:
        try:
            day = strict_date(values["date"], today)
        except ValidationError as exc:
            reasons.append(str(exc))
    category = grade = None
    if text.get("activity"):
        category = _parsed(
            Category.parse, text["activity"], "an activity (audit, observation or dip)", reasons
        )
    if text.get("grade"):
        grade = _parsed(Grade.parse, text["grade"], GRADE_WORDS, reasons)
    for key, limit in TEXT_LIMITS.items():
        if len(text.get(key, "")) > limit:
            reasons.append(f"the {key} is {len(text[key])} characters long; at most {limit} fit")
        elif _CONTROL.search(text.get(key, "")):
            reasons.append(f"the {key} holds a control character")
    if reasons or day is None or category is None or grade is None:
        return None, "; ".join(reasons)
    return {
        "activity_on": day,
        "category": category.value,
        "grade": grade.value,
        **{k: text.get(k, "") for k in OPTIONAL},
    }, ""


def check_rows(path: Path, today: dt.date, sheet: str | None = None) -> list[dict[str, Any]]:
    """Every row of the file ready to insert; or a refusal naming what is wrong."""
    name = display_name(path)
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for row in read_table(path, COLUMNS, sheet):
        checked, why = _check_row(row.values, today)
        if checked is None:
            problems.append(f"row {row.number}: {why}")
        else:
            rows.append(checked)
    if problems:
        raise refused(
            name,
            f"{len(problems)} row(s) have problems (rows are numbered as in a spreadsheet, the "
            "header is row 1). Correct them and import the whole file again:",
            listed(problems, "rows with problems"),
        )
    if not rows:
        raise ValidationError(f"{name} has no rows to import.")
    return rows


class HistoryImportService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def import_file(self, path: Path, sheet: str | None = None, *, who: Principal) -> ImportResult:
        with self.db.reading() as s:  # refused before the file is even opened
            check(s, who, Action.IMPORT_HISTORY)
        path = Path(path)
        if not path.is_file():
            raise ValidationError(f"There is no file at {path}.")
        rows = check_rows(path, self.clock.today(), sheet)
        digest = content_hash(rows)
        try:
            return self._insert(path, rows, digest, who)
        except _AlreadyThere:
            with self.db.reading() as s:
                earlier = s.scalar(select(ImportBatch).where(ImportBatch.content_hash == digest))
            raise _already_imported(earlier) from None

    def _insert(
        self, path: Path, rows: list[dict[str, Any]], digest: str, who: Principal
    ) -> ImportResult:
        with path.open("rb") as source:
            checksum = hashlib.file_digest(source, "sha256").hexdigest()
        with self.db.transaction() as s:
            check(s, who, Action.IMPORT_HISTORY)
            earlier = s.scalar(select(ImportBatch).where(ImportBatch.content_hash == digest))
            if earlier is not None:
                raise _already_imported(earlier)
            batch = ImportBatch(
                file_name=path.name[:260],
                imported_at=self.clock.now(),
                row_count=len(rows),
                checksum=checksum,
                content_hash=digest,
            )
            s.add(batch)
            try:
                s.flush()
            except IntegrityError:  # the same rows, committed by another import meanwhile
                raise _AlreadyThere from None
            s.execute(insert(HistoricGrade), [{**row, "batch_id": batch.id} for row in rows])
            counts: dict[str, int] = {}
            for row in rows:
                counts[row["category"]] = counts.get(row["category"], 0) + 1
            return ImportResult(batch.id, len(rows), counts)


class _AlreadyThere(Exception):
    """The unique content hash refused the batch: another import got there first."""


def _already_imported(earlier: ImportBatch | None) -> RuleViolation:
    when = "" if earlier is None else f" on {earlier.imported_at:%d/%m/%Y at %H:%M}"
    source = "" if earlier is None else f" (from {display_name(Path(earlier.file_name))})"
    return RuleViolation(
        f"These rows were already imported{when}{source}; importing them again would count "
        "every grade twice. Nothing was imported."
    )
