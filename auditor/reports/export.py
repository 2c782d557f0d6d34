"""Spreadsheet and CSV exports for QA leads' own analysis.

The workbook has an "About" sheet (sensitivity marking, period, what each sheet holds), then "Audits"
(one row per activity), "Domain grades" (one row per domain grade) and "Summary" (the grade table,
aggregate only); every sheet prints with the marking in its header and footer. Rows are streamed
from the database to the file (xlsxwriter's constant-memory mode, the csv module), so memory does not
grow with the data; a long export reports its progress and can be stopped between chunks of rows.
An aggregate-only export holds the summary alone and is refused if it would hold a case identifier.

Values that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return: a person called ``=HYPERLINK(...)``) are written as text in the workbook, and with
a leading apostrophe in CSV, where there is no other way to say "text".
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.domain.errors import OutputError
from auditor.domain.summary import SUMMARY_COLUMNS
from auditor.reports.data import AuditExport, DocumentInfo
from auditor.reports.output import (
    IsCancelled,
    Progress,
    atomic_path,
    check_cancelled,
    never_cancelled,
    no_progress,
)

if TYPE_CHECKING:
    import pandas as pd

AUDIT_COLUMNS = (
    "audit_id",
    "activity",
    "kind",
    "stage",
    "case_reference",
    "case_type",
    "team",
    "worker",
    "first_auditor",
    "second_auditor",
    "first_audit_grade",
    "final_grade",
    "final_grade_code",
    "good_or_better",
    "started",
    "completed",
    "due",
    "theme",
    "practice_week",
)
DOMAIN_COLUMNS = (
    "audit_id",
    "case_reference",
    "team",
    "tier",
    "part",
    "auditor",
    "domain_id",
    "domain",
    "grade",
    "grade_code",
)
#: Columns that identify a case; never in an aggregate export.
IDENTIFIERS = frozenset({"audit_id", "case_reference", "worker"})
#: What a spreadsheet may take as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2_000
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class Table:
    """One sheet or CSV file: its columns and its rows (any iterable, read once)."""

    sheet: str
    columns: tuple[str, ...]
    rows: Iterable[Mapping[str, Any]]
    total: int | None = None  # how many rows to expect, for progress


@dataclass(frozen=True)
class ExportResult:
    """What was written. ``marking`` is the sensitivity marking inside the file, "" when the file
    carries none (CSV has nowhere to put one and stay machine-readable). Path-like: callers that
    treat the result as the file's path keep working."""

    path: Path
    marking: str
    rows: int

    @property
    def marked(self) -> bool:
        return bool(self.marking)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def parent(self) -> Path:
        return self.path.parent

    def __fspath__(self) -> str:
        return os.fspath(self.path)

    def __str__(self) -> str:
        return str(self.path)


def frames(data: AuditExport) -> dict[str, pd.DataFrame]:
    """The export's tables as DataFrames, columns in a fixed order even when empty (pandas is
    imported here only: the exports themselves do not need it)."""
    import pandas as pd

    return {
        "Audits": pd.DataFrame(data.audits, columns=list(AUDIT_COLUMNS)),
        "Domain grades": pd.DataFrame(data.domain_grades, columns=list(DOMAIN_COLUMNS)),
        "Summary": pd.DataFrame(data.summary, columns=list(SUMMARY_COLUMNS)),
    }


def tables_of(data: AuditExport) -> list[Table]:
    """The export's tables from rows already in memory."""
    return [
        Table("Audits", AUDIT_COLUMNS, data.audits, len(data.audits)),
        Table("Domain grades", DOMAIN_COLUMNS, data.domain_grades, len(data.domain_grades)),
        summary_table(data.summary),
    ]


def summary_table(rows: Sequence[Mapping[str, Any]]) -> Table:
    return Table("Summary", SUMMARY_COLUMNS, rows, len(rows))


def period_text(start: dt.date | None, end: dt.date | None) -> str:
    if start is None and end is None:
        return "all dates"
    return f"{start or 'the start'} to {end or 'today'}"


def check_aggregate(tables: Sequence[Table]) -> None:
    """Refuse an aggregate export that would carry a case identifier (a real check, not an
    ``assert``: ``python -O`` must not switch privacy off)."""
    for table in tables:
        leaked = sorted(IDENTIFIERS & set(table.columns))
        if leaked:
            raise OutputError(
                f"The aggregate export would include case identifiers ({', '.join(leaked)} in "
                f"{table.sheet}); nothing was written. Export the full tables instead, or report "
                "this as a fault."
            )


def csv_safe(value: Any) -> Any:
    """A value as CSV should hold it: text that a spreadsheet would run gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _about(info: DocumentInfo, period: str, aggregate_only: bool) -> list[str]:
    rows = [
        info.marking or "",
        f"{info.title}: {period}",
        f"Generated {info.generated:%d/%m/%Y %H:%M} by Auditor"
        + (f" for {info.author}" if info.author else ""),
        "",
    ]
    if aggregate_only:
        return rows + [
            "Summary: completed, graded items per financial year and activity. "
            "Aggregate counts only; no case identifiers."
        ]
    return rows + [
        "Audits: one row per activity started or completed in the period. Case references "
        "identify children's records: handle as marked above.",
        "Domain grades: one row per graded area of each submitted audit (tier 2 = first audit, "
        "tier 3 = second audit). First-audit grades of a blind second audit still under way are "
        "left out.",
        "Summary: the grade table (aggregate counts only).",
    ]


def write_xlsx(
    info: DocumentInfo,
    period: str,
    tables: Sequence[Table],
    path: Path | str,
    progress: Progress = no_progress,
    cancelled: IsCancelled = never_cancelled,
    aggregate_only: bool = False,
) -> ExportResult:
    import xlsxwriter

    if aggregate_only:
        check_aggregate(tables)
    target = Path(path)
    total = sum(t.total or 0 for t in tables) or 1
    with atomic_path(target) as tmp:
        book = xlsxwriter.Workbook(
            str(tmp),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "default_date_format": DATE_FORMAT,
            },
        )
        try:
            book.set_properties(
                {
                    "title": f"{info.title} ({info.marking})",
                    "keywords": info.marking,
                    "author": "Auditor",
                }
            )
            about = _sheet(book, "About", info.marking)
            for r, line in enumerate(_about(info, period, aggregate_only)):
                about.write_string(r, 0, line)
            written = 0
            for table in tables:
                written = _write_sheet(
                    book, table, info.marking, written, total, progress, cancelled
                )
        finally:
            book.close()  # a cancelled file is closed too, then dropped by atomic_path
    progress(total, total, "Done")  # the expected total is an estimate: say plainly it is finished
    return ExportResult(target, info.marking, written)


def _sheet(book: Any, name: str, marking: str) -> Any:
    sheet = book.add_worksheet(name)
    mark = marking.replace("&", "&&")
    sheet.set_header(f"&C{mark}")
    sheet.set_footer(f"&L{mark}&RPage &P of &N")
    return sheet


def _write_sheet(
    book: Any,
    table: Table,
    marking: str,
    written: int,
    total: int,
    progress: Progress,
    cancelled: IsCancelled,
) -> int:
    sheet = _sheet(book, table.sheet, marking)
    sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, table.columns, book.add_format({"bold": True}))
    columns = table.columns
    r = 0
    for r, row in enumerate(table.rows, start=1):
        # strings_to_formulas is off: every str is written as text, never as a formula
        sheet.write_row(r, 0, [row.get(c) for c in columns])
        if r % CHUNK == 0:
            check_cancelled(cancelled)
            progress(written + r, total, f"Writing {table.sheet.lower()}")
    check_cancelled(cancelled)
    progress(written + r, total, f"Writing {table.sheet.lower()}")
    return written + r


def write_csv(
    table: Table,
    path: Path | str,
    progress: Progress = no_progress,
    cancelled: IsCancelled = never_cancelled,
    aggregate_only: bool = False,
) -> ExportResult:
    """One table as UTF-8 CSV (with a byte-order mark, so Excel reads "Zoë" correctly), streamed.
    CSV carries no sensitivity marking: a marking line would stop it being plain, machine-readable
    CSV, so the result says so (``marking`` is "")."""
    if aggregate_only:
        check_aggregate([table])
    target = Path(path)
    total = table.total or 1
    n = 0
    with atomic_path(target) as tmp:
        with open(tmp, "w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(table.columns)
            for n, row in enumerate(table.rows, start=1):
                writer.writerow([csv_safe(row.get(c)) for c in table.columns])
                if n % CHUNK == 0:
                    check_cancelled(cancelled)
                    progress(n, total, f"Writing {table.sheet.lower()}")
        check_cancelled(cancelled)
    progress(total, total, "Done")
    return ExportResult(target, "", n)
