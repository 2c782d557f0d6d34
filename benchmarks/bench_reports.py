"""Report benchmarks: one audit summary PDF, the QA report over 10,000 audits, the xlsx export.

    ./scripts/dev bench        (or: .venv/bin/python benchmarks/bench_reports.py [--audits N])

Each figure is a median, printed beside a baseline measured in the same run:
- audit summary PDF (demo data, after start-up, printed by the principal social worker, who reads
  every team) vs a bare reportlab document of the same number of pages in Helvetica, no data
  gathering (target: under 0.2 s); then the same from the command line, signed in as them;
- the QA report over N closed audits (5 financial years, with both tiers' domain grades), run by a
  head of service, vs a bare reportlab document of the same page count (target: under 5 s);
- the xlsx export of N audits (every audit and domain grade), by the same head of service, vs
  pandas ``to_excel`` (openpyxl) of the same rows already in memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_engine import build
from common import median_seconds, report
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table

from auditor.domain.workflow import AuditState
from auditor.reports.export import frames
from auditor.services import open_services
from auditor.services.access.accounts import DEMO_PASSWORD
from auditor.services.audits.views import AuditFilter
from auditor.services.demo.build import build_demo

ROOT = Path(__file__).resolve().parent.parent
#: Who prints the audit PDF (a principal social worker: may print, and reads every team).
PRINTER = "psw.fraser"


def pages(path: Path) -> int:
    with open(path, "rb") as handle:
        return len(PdfReader(handle).pages)


def bare_document(path: Path, page_count: int) -> None:
    """A plain reportlab document: per page a heading, paragraphs and a 12-row table."""
    styles = getSampleStyleSheet()
    story = []
    for page in range(page_count):
        story.append(Paragraph(f"Page {page + 1}", styles["Heading1"]))
        story += [
            Paragraph(
                "Evidence on file meets the standard; some minor gaps noted. " * 4,
                styles["BodyText"],
            )
            for _ in range(6)
        ]
        story.append(Table([[f"Row {r}", "Good", "Requires improvement", r] for r in range(12)]))
        story.append(PageBreak())
    SimpleDocTemplate(str(path), pagesize=A4).build(story)


def bench_audit_pdf(folder: Path, runs: int) -> None:
    path = folder / "demo.db"
    services = open_services(path, create=True)
    build_demo(services, today=dt.date(2026, 11, 1))
    printer = services.accounts.principal_of(PRINTER)
    closed = [
        r
        for r in services.views.rows(AuditFilter(states=(AuditState.CLOSED,)), who=printer)
        if r.kind.is_three_tier
    ]
    audit_id = closed[0].id
    out = folder / "audit.pdf"
    services.reports.write_activity_pdf(audit_id, out, who=printer)  # start-up: fonts, imports
    made = median_seconds(
        lambda: services.reports.write_activity_pdf(audit_id, out, who=printer), runs
    )
    bare_path = folder / "bare-audit.pdf"
    bare = median_seconds(lambda: bare_document(bare_path, pages(out)), runs)
    report(f"audit summary PDF ({pages(out)} pages)", made, "bare reportlab", bare, "< 200 ms")
    services.close()
    began = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--db",
            str(path),
            "pdf",
            "audit",
            str(audit_id),
            "-o",
            str(folder / "cli.pdf"),
            "--user",
            PRINTER,
        ],
        check=True,
        capture_output=True,
        env=dict(os.environ, AUDITOR_PASSWORD=DEMO_PASSWORD),
    )
    print(
        f"{'  (the same from the CLI, process wall time)':<44} {time.perf_counter() - began:8.2f} s"
    )


def bench_big(folder: Path, audits: int, runs: int) -> None:
    path = folder / "big.db"
    began = time.perf_counter()
    build(path, audits)
    print(f"Built {audits:,} closed audits in {time.perf_counter() - began:.1f} s")
    services = open_services(path, daily_backup=False)
    hos = services.accounts.principal_of("hos")  # may run the QA report and export; reads all
    start, end = dt.date(2019, 4, 1), dt.date(2024, 3, 31)
    out = folder / "qa.pdf"
    services.reports.write_qa_pdf(start, end, out, who=hos)
    made = median_seconds(lambda: services.reports.write_qa_pdf(start, end, out, who=hos), runs)
    bare_path = folder / "bare-qa.pdf"
    bare = median_seconds(lambda: bare_document(bare_path, pages(out)), runs)
    report(
        f"QA report over {audits:,} audits ({pages(out)} pages)",
        made,
        "bare reportlab",
        bare,
        "< 5 s",
    )

    xlsx = folder / "export.xlsx"
    exported = median_seconds(
        lambda: services.reports.write_export("xlsx", xlsx, who=hos), max(runs // 2, 1)
    )
    data = services.reports.export_data(who=hos)
    tables = frames(data)
    raw_path = folder / "raw.xlsx"

    def raw_to_excel() -> None:
        import pandas as pd

        with pd.ExcelWriter(raw_path, engine="openpyxl") as writer:
            for name, df in tables.items():
                df.to_excel(writer, sheet_name=name, index=False)

    raw = median_seconds(raw_to_excel, max(runs // 2, 1))
    report(
        f"xlsx export of {audits:,} audits ({len(data.domain_grades):,} grades)",
        exported,
        "pandas to_excel",
        raw,
        "faster than the baseline",
    )
    services.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--audits", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="auditor-bench-reports-"))
    bench_audit_pdf(folder, max(args.runs * 3, 5))
    bench_big(folder, args.audits, args.runs)


if __name__ == "__main__":
    main()
