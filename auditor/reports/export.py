"""Spreadsheet and CSV exports for QA leads' own analysis (pandas, openpyxl).

The workbook has an "About" sheet (sensitivity marking, period, what each sheet holds), then "Audits"
(one row per activity), "Domain grades" (one row per domain grade) and "Summary" (the grade table,
aggregate only). Sheets are streamed with openpyxl's write-only mode so that a long export reports its
progress and can be stopped between rows; an aggregate-only export holds the summary alone and no case
identifiers.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from auditor.domain.summary import SUMMARY_COLUMNS
from auditor.reports.data import AuditExport
from auditor.reports.output import (IsCancelled, Progress, atomic_path, check_cancelled,
                                    never_cancelled, no_progress)

AUDIT_COLUMNS = ("audit_id", "activity", "kind", "stage", "case_reference", "case_type", "team",
                 "worker", "first_auditor", "second_auditor", "first_audit_grade", "final_grade",
                 "final_grade_code", "good_or_better", "started", "completed", "due", "theme",
                 "practice_week")
DOMAIN_COLUMNS = ("audit_id", "case_reference", "team", "tier", "part", "auditor", "domain_id",
                  "domain", "grade", "grade_code")
#: Columns that identify a case; never in an aggregate export.
IDENTIFIERS = frozenset({"audit_id", "case_reference", "worker"})
CHUNK = 500


def frames(data: AuditExport) -> dict[str, pd.DataFrame]:
    """The export's tables as DataFrames, columns in a fixed order even when empty."""
    return {
        "Audits": pd.DataFrame(data.audits, columns=list(AUDIT_COLUMNS)),
        "Domain grades": pd.DataFrame(data.domain_grades, columns=list(DOMAIN_COLUMNS)),
        "Summary": pd.DataFrame(data.summary, columns=list(SUMMARY_COLUMNS)),
    }


def _period(data: AuditExport) -> str:
    if data.start is None and data.end is None:
        return "all dates"
    return f"{data.start or 'the start'} to {data.end or 'today'}"


def _about(data: AuditExport, aggregate_only: bool) -> list[list[str]]:
    rows = [[data.info.marking or ""], [f"{data.info.title}: {_period(data)}"],
            [f"Generated {data.info.generated:%d/%m/%Y %H:%M} by Auditor"
             + (f" for {data.info.author}" if data.info.author else "")], []]
    if aggregate_only:
        rows.append(["Summary: completed, graded items per financial year and activity. "
                     "Aggregate counts only; no case identifiers."])
    else:
        rows += [["Audits: one row per activity started or completed in the period. Case "
                  "references identify children's records: handle as marked above."],
                 ["Domain grades: one row per graded area of each submitted audit (tier 2 = "
                  "first audit, tier 3 = second audit). First-audit grades of a blind second audit "
                  "still under way are left out."],
                 ["Summary: the grade table (aggregate counts only)."]]
    return rows


def write_xlsx(data: AuditExport, path: Path | str, progress: Progress = no_progress,
               cancelled: IsCancelled = never_cancelled, aggregate_only: bool = False) -> Path:
    from openpyxl import Workbook
    tables = frames(data)
    if aggregate_only:
        tables = {"Summary": tables["Summary"]}
    target = Path(path)
    with atomic_path(target) as tmp:
        book = Workbook(write_only=True)
        book.properties.title = f"{data.info.title} ({data.info.marking})"
        book.properties.keywords = data.info.marking
        book.properties.creator = "Auditor"
        about = book.create_sheet("About")
        for row in _about(data, aggregate_only):
            about.append(row)
        try:
            _write_sheets(book, tables, progress, cancelled)
        finally:
            book.save(tmp)  # also closes the sheets' temporary files; a cancelled file is dropped
    return target


def _write_sheets(book, tables: dict[str, pd.DataFrame], progress: Progress,
                  cancelled: IsCancelled) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    bold = Font(bold=True)
    total = sum(len(df) for df in tables.values()) or 1
    done = 0
    for name, df in tables.items():
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"
        header = []
        for column in df.columns:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for chunk in _chunks(df):
            check_cancelled(cancelled)
            for row in chunk:
                sheet.append(row)
            done += len(chunk)
            progress(done, total, f"Writing {name.lower()}")


def _chunks(df: pd.DataFrame) -> Iterable[list[list]]:
    rows = df.astype(object).where(df.notna(), None).values.tolist()
    for i in range(0, len(rows), CHUNK):
        yield [[_cell(v) for v in row] for row in rows[i:i + CHUNK]]


def _cell(value: object) -> object:
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def write_csv(data: AuditExport, table: str, path: Path | str, progress: Progress = no_progress,
              cancelled: IsCancelled = never_cancelled) -> Path:
    """One table as UTF-8 CSV (with a byte-order mark, so Excel reads "Zoë" correctly)."""
    df = frames(data)[{"audits": "Audits", "domain-grades": "Domain grades",
                       "summary": "Summary"}[table]]
    if table == "summary":
        assert not IDENTIFIERS & set(df.columns)
    check_cancelled(cancelled)
    target = Path(path)
    with atomic_path(target) as tmp:
        df.to_csv(tmp, index=False, encoding="utf-8-sig", date_format="%Y-%m-%d")
    progress(1, 1, "Done")
    return target
