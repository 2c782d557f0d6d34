"""Importing graded activity from before the application: all rows or none."""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import String, insert, select

from auditor.domain.activities import Category
from auditor.domain.clock import Clock
from auditor.domain.errors import RuleViolation, ValidationError
from auditor.domain.grades import Grade
from auditor.domain.periods import parse_date
from db.engine import Database
from db.models import HistoricGrade, ImportBatch

if TYPE_CHECKING:
    import pandas as pd

REQUIRED = ("date", "activity", "grade")
OPTIONAL = ("team", "case_ref", "auditor", "theme")
MAX_LISTED = 50
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


def _spreadsheet_errors() -> tuple[type[BaseException], ...]:
    """What a bad file makes pandas and openpyxl raise. Anything else is a bug and propagates."""
    import pandas as pd
    from openpyxl.utils.exceptions import InvalidFileException

    return (
        pd.errors.ParserError,
        pd.errors.EmptyDataError,
        zipfile.BadZipFile,
        InvalidFileException,
        OSError,
    )


def _check_workbook(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            if "[Content_Types].xml" not in archive.namelist():
                raise ValidationError(
                    f"{path.name} is not an Excel workbook; save it from Excel "
                    "as .xlsx, or as CSV UTF-8."
                )
    except zipfile.BadZipFile:
        raise ValidationError(
            f"{path.name} could not be read as a spreadsheet: it is not an Excel workbook (.xlsx)."
        ) from None


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV or Excel sheet as text, with tidy column names."""
    import pandas as pd  # imported here: it costs a noticeable part of the app's start-up

    suffix = path.suffix.lower()
    if not path.is_file():
        raise ValidationError(f"There is no file at {path}.")
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise ValidationError(f"{path.name}: import a .csv or .xlsx file.")
    try:
        if suffix == ".csv":
            frame = pd.read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                encoding="utf-8-sig",
                skipinitialspace=True,
                skip_blank_lines=False,
            )
        else:
            _check_workbook(path)
            frame = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
    except UnicodeDecodeError:
        raise ValidationError(
            f"{path.name} is not a UTF-8 CSV file. In Excel use "
            "'Save as: CSV UTF-8', or import the .xlsx file itself."
        ) from None
    except _spreadsheet_errors() as exc:
        raise ValidationError(f"{path.name} could not be read as a spreadsheet: {exc}") from None
    frame.columns = ["_".join(str(c).strip().lower().split()) for c in frame.columns]
    return frame


def _too_long(values: Mapping[str, str]) -> list[str]:
    """One length limit per optional column: the database column's own."""
    return [
        f"the {key} is {len(values[key])} characters long; at most {limit} fit"
        for key, limit in TEXT_LIMITS.items()
        if len(values.get(key, "")) > limit
    ]


def _parse(
    parse: Callable[[str], _T], values: Mapping[str, str], key: str, reasons: list[str]
) -> _T | None:
    """The column's value read by ``parse``, or None with the reason added to ``reasons``."""
    if not values[key]:
        reasons.append(f"the {key} is missing")
        return None
    try:
        return parse(values[key])
    except ValidationError as exc:
        reasons.append(str(exc))
        return None


def check_rows(frame: pd.DataFrame, today: dt.date) -> tuple[list[dict[str, Any]], list[str]]:
    """Validated rows ready to insert, and a problem per bad row (numbered as in a spreadsheet)."""
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ValidationError(
            f"The file has no {', '.join(repr(m) for m in missing)} column. The first row must name "
            f"the columns: {', '.join(REQUIRED)} (required) and {', '.join(OPTIONAL)} (optional)."
        )
    present = [c for c in OPTIONAL if c in frame.columns]
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for index, record in enumerate(frame[list(REQUIRED) + present].itertuples(index=False)):
        values = dict(zip(list(REQUIRED) + present, (str(v).strip() for v in record), strict=True))
        if not any(values.values()):
            continue  # a blank line
        reasons: list[str] = []
        day: dt.date | None = None
        try:
            day = parse_date(values["date"])
            if day > today:
                reasons.append(f"the date {day:%d/%m/%Y} is in the future")
        except ValidationError as exc:
            reasons.append(str(exc))
        category = _parse(Category.parse, values, "activity", reasons)
        grade = _parse(Grade.parse, values, "grade", reasons)
        reasons += _too_long(values)
        if reasons or day is None or category is None or grade is None:  # None: a reason is given
            problems.append(f"row {index + 2}: " + "; ".join(reasons))
            continue
        rows.append(
            {
                "activity_on": day,
                "category": category.value,
                "grade": grade.value,
                **{k: values.get(k, "") for k in OPTIONAL},
            }
        )
    return rows, problems


class HistoryImportService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def import_file(self, path: Path) -> ImportResult:
        path = Path(path)
        frame = read_table(path)
        rows, problems = check_rows(frame, self.clock.today())
        if problems:
            listed = problems[:MAX_LISTED]
            more = len(problems) - len(listed)
            if more:
                listed.append(f"... and {more} more rows with problems")
            raise ValidationError(
                f"{path.name}: nothing was imported because {len(problems)} row(s) have problems "
                "(rows are numbered as in a spreadsheet, the header is row 1). Correct them and "
                "import the whole file again:",
                listed,
            )
        if not rows:
            raise ValidationError(f"{path.name} has no rows to import.")
        checksum = hashlib.sha256(path.read_bytes()).hexdigest()
        with self.db.transaction() as s:
            earlier = s.scalar(select(ImportBatch).where(ImportBatch.checksum == checksum))
            if earlier is not None:
                raise RuleViolation(
                    f"This file was already imported on {earlier.imported_at:%d/%m/%Y at %H:%M} "
                    f"(as {earlier.file_name}); importing it again would count every row twice."
                )
            batch = ImportBatch(
                file_name=path.name,
                imported_at=self.clock.now(),
                row_count=len(rows),
                checksum=checksum,
            )
            s.add(batch)
            s.flush()
            for row in rows:
                row["batch_id"] = batch.id
            s.execute(insert(HistoricGrade), rows)
            counts: dict[str, int] = {}
            for row in rows:
                counts[row["category"]] = counts.get(row["category"], 0) + 1
            return ImportResult(batch.id, len(rows), counts)
