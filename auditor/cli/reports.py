"""``summary``, ``pdf``, ``agreement`` and ``export``: documents and figures from the command line."""

from __future__ import annotations

import argparse
import enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.cli.common import (
    Commands,
    Format,
    add_period,
    command,
    formats,
    group,
    number_arg,
    render,
    to_json,
)
from auditor.domain.errors import ValidationError

if TYPE_CHECKING:
    from auditor.domain.agreement import Agreement
    from auditor.reports.data import AgreementReport
    from auditor.services import Services

#: ``auditor.reports.data.DEFAULT_MARKING``, for the help text without importing the report data
#: (a test keeps the two equal)
DEFAULT_MARKING_TEXT = "OFFICIAL-SENSITIVE"


class Document(enum.StrEnum):
    """The QA report's two forms: HTML with real headings and table headers (to publish, readable
    by a screen reader) and PDF (to print; reportlab cannot tag it)."""

    PDF = "pdf"
    HTML = "html"


def marking(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--marking",
        default=None,
        metavar="TEXT",
        help=f"sensitivity marking on every page (default {DEFAULT_MARKING_TEXT}; '' for none)",
    )


def _marking(args: argparse.Namespace) -> str:
    from auditor.reports.data import DEFAULT_MARKING

    return DEFAULT_MARKING if args.marking is None else str(args.marking)


def output(p: argparse.ArgumentParser) -> None:
    """``-o FILE`` and ``--force``: never over the database or its backups, and over another
    existing file only when asked."""
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")


def _target(services: Services, args: argparse.Namespace, suffix: str) -> Path:
    """Where to write: the suffix checked, then refused over the database, its journals or its
    backups, and over an existing file without --force."""
    from auditor.services.maintenance import check_output

    _check_suffix(args.output, suffix)
    return check_output(services.path, args.output, replace=args.force)


def register(sub: Commands) -> None:
    p = command(sub, "summary", cmd_summary, "grade counts per financial year and activity")
    add_period(p)
    p.add_argument(
        "--format", choices=formats(Format.TABLE, Format.CSV, Format.JSON), default=Format.TABLE
    )

    pdf = group(sub, "pdf", "PDF documents: an audit summary or the QA report", metavar="DOCUMENT")
    p = command(pdf, "audit", cmd_pdf_audit, "summary of one audit, observation or dip sample")
    p.add_argument("audit_id", type=number_arg, metavar="ID")
    output(p)
    marking(p)

    p = command(pdf, "qa-report", cmd_pdf_qa, "the QA report for a period")
    add_period(p, required=True)
    output(p)
    p.add_argument(
        "--format",
        choices=[d.value for d in Document],
        default=Document.PDF.value,
        help="html: the accessible version to publish (headings, table headers); "
        "pdf (default): for printing",
    )
    marking(p)

    p = command(
        pdf, "practice-week", cmd_pdf_week, "a practice week's plan, progress, grades, findings"
    )
    p.add_argument("week", metavar="WEEK", help="number or name")
    output(p)
    marking(p)
    _register_figures(sub)


def _register_figures(sub: Commands) -> None:
    p = command(sub, "agreement", cmd_agreement, "consistency between first and second audits")
    p.add_argument(
        "--by",
        choices=("domain", "auditor"),
        help="one row per area of practice or per first-line auditor",
    )
    add_period(p)
    p.add_argument("--format", choices=formats(Format.TABLE, Format.JSON), default=Format.TABLE)

    p = command(sub, "export", cmd_export, "all activities in a period as a spreadsheet or CSV")
    p.add_argument("format", choices=formats(Format.XLSX, Format.CSV))
    output(p)
    add_period(p)
    p.add_argument(
        "--table",
        choices=("audits", "domain-grades", "summary"),
        default="audits",
        help="csv: which table; xlsx: 'summary' gives the aggregate table alone, with "
        "no case identifiers (default: every sheet)",
    )
    marking(p)


def cmd_summary(services: Services, args: argparse.Namespace) -> None:
    from auditor.domain.summary import SMALL_SAMPLE, SUMMARY_COLUMNS

    summary = services.summary.by_financial_year(args.start, args.end, who=args.who)
    rows = [r.as_dict() for r in summary]
    if args.format == Format.JSON:
        print(to_json(rows))
        return
    print(render(args.format, SUMMARY_COLUMNS, [[r[c] for c in SUMMARY_COLUMNS] for r in rows]))
    if args.format == Format.TABLE and any(r.counts.total < SMALL_SAMPLE for r in summary):
        print(
            f"\nNote: rows with fewer than {SMALL_SAMPLE} graded items give volatile percentages."
        )


def _check_suffix(path: Path, suffix: str) -> None:
    if path.suffix.lower() != suffix:
        raise ValidationError(f"The output file should end in {suffix} (got '{path.name}').")


def cmd_pdf_audit(services: Services, args: argparse.Namespace) -> None:
    target = _target(services, args, ".pdf")
    path = services.reports.write_activity_pdf(
        args.audit_id, target, who=args.who, marking=_marking(args)
    )
    print(f"Wrote the summary of audit {args.audit_id} to {path}.")


def cmd_pdf_qa(services: Services, args: argparse.Namespace) -> None:
    html = args.format == Document.HTML
    target = _target(services, args, ".html" if html else ".pdf")
    author = args.who.name
    write = services.reports.write_qa_html if html else services.reports.write_qa_pdf
    path = write(args.start, args.end, target, _marking(args), author, who=args.who)
    print(f"Wrote the QA report for {args.start:%d/%m/%Y} to {args.end:%d/%m/%Y} to {path}.")


def cmd_pdf_week(services: Services, args: argparse.Namespace) -> None:
    target = _target(services, args, ".pdf")
    author = args.who.name
    path = services.reports.write_week_pdf(args.week, target, _marking(args), author, who=args.who)
    print(f"Wrote the practice week summary to {path}.")


def cmd_export(services: Services, args: argparse.Namespace) -> None:
    target = _target(services, args, f".{args.format}")
    table = args.table if args.format == Format.CSV or args.table == "summary" else "audits"
    asked = _marking(args)
    written = services.reports.write_export(
        args.format, target, args.start, args.end, table=table, marking=asked, who=args.who
    )
    path, marked = _written(written, args.format, asked)
    what = (
        "the grade table (no case identifiers)"
        if table == "summary"
        else "every activity and domain grade"
        if args.format == Format.XLSX
        else f"the {table} table"
    )
    if marked:
        handling = f" Marked {marked}: handle it accordingly."
    elif table == "summary":
        handling = ""
    else:
        handling = " The file carries no sensitivity marking (a CSV file has no place for one)" + (
            f"; it holds case references: handle it as {asked}."
            if asked
            else "; it holds case references."
        )
    print(f"Exported {what} to {path}.{handling}")


def _written(result: Any, fmt: str, asked: str) -> tuple[Path, str]:
    """The file written and the marking it carries ('' for none), as the export reports them: a
    result with ``path`` and ``marking``; or a bare path, from an export that writes the marking
    into every workbook (its About sheet and title) and into no CSV file."""
    if isinstance(result, Path):
        return result, asked if fmt == Format.XLSX else ""
    return Path(result.path), str(result.marking or "")


def agreement_json(a: Agreement) -> dict[str, Any]:
    from auditor.domain.agreement import ORDER

    return {
        "grades": a.n,
        "audits": a.audits,
        "exact": a.exact,
        "exact_pct": a.exact_pct,
        "within_one_pct": a.within_one_pct,
        "kappa": None if a.kappa is None else round(a.kappa, 4),
        "raised": a.raised,
        "lowered": a.lowered,
        "matrix": {
            "rows_first_audit": [g.code for g in ORDER],
            "columns_second_audit": [g.code for g in ORDER],
            "counts": [list(r) for r in a.matrix],
        },
        "enough_data": a.enough_data,
        "small_sample": a.is_small,
    }


def _pct(value: int | None) -> str:
    return "-" if value is None else f"{value}%"


def _row(name: str, a: Agreement) -> list[Any]:
    return [
        name,
        a.n,
        a.audits,
        _pct(a.exact_pct),
        _pct(a.within_one_pct),
        a.kappa_text if a.kappa is not None else "-",
        _pct(a.raised_pct),
        _pct(a.lowered_pct),
    ]


def cmd_agreement(services: Services, args: argparse.Namespace) -> None:
    from auditor.domain.agreement import ORDER
    from auditor.domain.summary import SMALL_SAMPLE

    report = services.reports.agreement(args.start, args.end, who=args.who)
    if args.format == Format.JSON:
        print(to_json(_as_json(report, args.by)))
        return
    if report.overall_grade.n == 0 and report.all_domains.n == 0:
        print(
            "Not enough data: no audit has been graded by both a first and a second auditor"
            + (" in this period." if args.start or args.end else " yet.")
        )
        return
    headers = ("", "grades", "audits", "same", "within one", "kappa", "raised", "lowered")
    if args.by:
        rows = report.by_domain if args.by == "domain" else report.by_auditor
        headers = ("area" if args.by == "domain" else "first auditor",) + headers[1:]
        print(render(Format.TABLE, headers, [_row(r.name, r.agreement) for r in rows]))
    else:
        print(
            render(
                Format.TABLE,
                headers,
                [
                    _row("overall grade", report.overall_grade),
                    _row("all area grades", report.all_domains),
                ],
            )
        )
        print("\nOverall grade, first audit (rows) against second audit (columns):")
        a = report.overall_grade
        print(
            render(
                Format.TABLE,
                ("first \\ second", *[g.code for g in ORDER]),
                [[g.code, *a.matrix[i]] for i, g in enumerate(ORDER)],
            )
        )
        print("\n" + a.describe())
    print(
        f"\n'raised' and 'lowered': how often the second audit gave a better or worse grade. "
        f"Rows with fewer than {SMALL_SAMPLE} grades are volatile."
    )


def _as_json(report: AgreementReport, by: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"from": report.start, "to": report.end}
    if by == "domain":
        out["by_domain"] = [
            {"area": r.name, **agreement_json(r.agreement)} for r in report.by_domain
        ]
    elif by == "auditor":
        out["by_auditor"] = [
            {"first_auditor": r.name, **agreement_json(r.agreement)} for r in report.by_auditor
        ]
    else:
        out["overall_grade"] = agreement_json(report.overall_grade)
        out["all_domains"] = agreement_json(report.all_domains)
    return out
