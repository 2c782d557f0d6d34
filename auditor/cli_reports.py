"""``python main.py pdf ...``, ``agreement`` and ``export``: documents and figures from the command line."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from auditor.cli_format import render, to_json
from auditor.domain.agreement import ORDER, Agreement
from auditor.domain.errors import ValidationError
from auditor.domain.summary import SMALL_SAMPLE
from auditor.reports.data import DEFAULT_MARKING, AgreementReport
from auditor.services import Services


def marking(p: argparse.ArgumentParser) -> None:
    p.add_argument("--marking", default=DEFAULT_MARKING, metavar="TEXT",
                   help=f"sensitivity marking on every page (default {DEFAULT_MARKING}; "
                        "'' for none)")


def add_report_commands(sub: argparse._SubParsersAction) -> None:
    from auditor.cli import _Parser, date_arg
    pdf = sub.add_parser("pdf", help="PDF documents: an audit summary or the QA report"
                         ).add_subparsers(dest="action", required=True, metavar="DOCUMENT",
                                          parser_class=_Parser)

    p = pdf.add_parser("audit", help="summary of one audit, observation or dip sample")
    p.add_argument("audit_id", type=int, metavar="ID")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    p.add_argument("--as", dest="user", metavar="USERNAME",
                   help="produce it as this person sees the audit (drafts and blind grades hidden "
                        "as on screen); without it, as someone outside the audit")
    marking(p)
    p.set_defaults(handler=cmd_pdf_audit)

    p = pdf.add_parser("qa-report", help="the QA report for a period")
    p.add_argument("--from", dest="start", type=date_arg, required=True, metavar="DATE")
    p.add_argument("--to", dest="end", type=date_arg, required=True, metavar="DATE")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    p.add_argument("--as", dest="user", metavar="USERNAME", help="named as its author")
    marking(p)
    p.set_defaults(handler=cmd_pdf_qa)

    p = pdf.add_parser("practice-week", help="a practice week's plan, progress, grades, findings")
    p.add_argument("week", metavar="WEEK", help="number or name")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    p.add_argument("--as", dest="user", metavar="USERNAME", help="named as its author")
    marking(p)
    p.set_defaults(handler=cmd_pdf_week)
    _add_figures_commands(sub)


def _add_figures_commands(sub: argparse._SubParsersAction) -> None:
    from auditor.cli import date_arg
    p = sub.add_parser("agreement", help="consistency between first and second audits")
    p.add_argument("--by", choices=("domain", "auditor"),
                   help="one row per area of practice or per first-line auditor")
    p.add_argument("--from", dest="start", type=date_arg, metavar="DATE")
    p.add_argument("--to", dest="end", type=date_arg, metavar="DATE")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(handler=cmd_agreement)

    p = sub.add_parser("export", help="all activities in a period as a spreadsheet or CSV")
    p.add_argument("format", choices=("xlsx", "csv"))
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    p.add_argument("--from", dest="start", type=date_arg, metavar="DATE")
    p.add_argument("--to", dest="end", type=date_arg, metavar="DATE")
    p.add_argument("--table", choices=("audits", "domain-grades", "summary"), default="audits",
                   help="csv: which table; xlsx: 'summary' gives the aggregate table alone, with "
                        "no case identifiers (default: every sheet)")
    marking(p)
    p.set_defaults(handler=cmd_export)


def _check_suffix(path: Path, suffix: str) -> None:
    if path.suffix.lower() != suffix:
        raise ValidationError(f"The output file should end in {suffix} (got '{path.name}').")


def cmd_pdf_audit(services: Services, args: argparse.Namespace) -> None:
    _check_suffix(args.output, ".pdf")
    path = services.reports.write_activity_pdf(args.audit_id, args.output, args.user, args.marking)
    print(f"Wrote the summary of audit {args.audit_id} to {path}.")


def cmd_pdf_qa(services: Services, args: argparse.Namespace) -> None:
    _check_suffix(args.output, ".pdf")
    author = services.directory.person(args.user).name if args.user else ""
    path = services.reports.write_qa_pdf(args.start, args.end, args.output, args.marking, author)
    print(f"Wrote the QA report for {args.start:%d/%m/%Y} to {args.end:%d/%m/%Y} to {path}.")


def cmd_pdf_week(services: Services, args: argparse.Namespace) -> None:
    _check_suffix(args.output, ".pdf")
    author = services.directory.person(args.user).name if args.user else ""
    path = services.reports.write_week_pdf(args.week, args.output, args.marking, author)
    print(f"Wrote the practice week summary to {path}.")


def cmd_export(services: Services, args: argparse.Namespace) -> None:
    _check_suffix(args.output, f".{args.format}")
    table = args.table if args.format == "csv" or args.table == "summary" else "audits"
    path = services.reports.write_export(args.format, args.output, args.start, args.end,
                                         table=table, marking=args.marking)
    what = ("the grade table (no case identifiers)" if table == "summary" else
            "every activity and domain grade" if args.format == "xlsx" else f"the {table} table")
    print(f"Exported {what} to {path}." + (
        f" Marked {args.marking}: handle it accordingly." if table != "summary" else ""))


def agreement_json(a: Agreement) -> dict[str, Any]:
    return {"grades": a.n, "audits": a.audits, "exact": a.exact, "exact_pct": a.exact_pct,
            "within_one_pct": a.within_one_pct,
            "kappa": None if a.kappa is None else round(a.kappa, 4),
            "raised": a.raised, "lowered": a.lowered,
            "matrix": {"rows_first_audit": [g.code for g in ORDER],
                       "columns_second_audit": [g.code for g in ORDER],
                       "counts": [list(r) for r in a.matrix]},
            "enough_data": a.enough_data, "small_sample": a.is_small}


def _pct(value: int | None) -> str:
    return "-" if value is None else f"{value}%"


def _row(name: str, a: Agreement) -> list[Any]:
    return [name, a.n, a.audits, _pct(a.exact_pct), _pct(a.within_one_pct),
            a.kappa_text if a.kappa is not None else "-", _pct(a.raised_pct), _pct(a.lowered_pct)]


def cmd_agreement(services: Services, args: argparse.Namespace) -> None:
    report = services.reports.agreement(args.start, args.end)
    if args.format == "json":
        print(to_json(_as_json(report, args.by)))
        return
    if report.overall_grade.n == 0 and report.all_domains.n == 0:
        print("Not enough data: no audit has been graded by both a first and a second auditor"
              + (" in this period." if args.start or args.end else " yet."))
        return
    headers = ("", "grades", "audits", "same", "within one", "kappa", "raised", "lowered")
    if args.by:
        rows = report.by_domain if args.by == "domain" else report.by_auditor
        headers = ("area" if args.by == "domain" else "first auditor",) + headers[1:]
        print(render("table", headers, [_row(r.name, r.agreement) for r in rows]))
    else:
        print(render("table", headers, [_row("overall grade", report.overall_grade),
                                        _row("all area grades", report.all_domains)]))
        print("\nOverall grade, first audit (rows) against second audit (columns):")
        a = report.overall_grade
        print(render("table", ("first \\ second", *[g.code for g in ORDER]),
                     [[g.code, *a.matrix[i]] for i, g in enumerate(ORDER)]))
        print("\n" + a.describe())
    print(f"\n'raised' and 'lowered': how often the second audit gave a better or worse grade. "
          f"Rows with fewer than {SMALL_SAMPLE} grades are volatile.")


def _as_json(report: AgreementReport, by: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"from": report.start, "to": report.end}
    if by == "domain":
        out["by_domain"] = [{"area": r.name, **agreement_json(r.agreement)}
                            for r in report.by_domain]
    elif by == "auditor":
        out["by_auditor"] = [{"first_auditor": r.name, **agreement_json(r.agreement)}
                             for r in report.by_auditor]
    else:
        out["overall_grade"] = agreement_json(report.overall_grade)
        out["all_domains"] = agreement_json(report.all_domains)
    return out
