"""Regenerate docs/screenshots/*.png from a fresh demo database (offscreen; no display needed).

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from auditor.domain.workflow import AuditState, Part  # noqa: E402
from auditor.services import open_services  # noqa: E402
from auditor.services.audit_views import AuditFilter  # noqa: E402
from auditor.services.demo import build_demo  # noqa: E402
from auditor.ui.app import make_application  # noqa: E402
from auditor.ui.background import SyncRunner  # noqa: E402
from auditor.ui.main_window import MainWindow  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def save(widget, name: str) -> None:
    QApplication.processEvents()
    widget.grab().save(str(OUT / f"{name}.png"))
    print(f"wrote {OUT / name}.png")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    make_application(sys.argv[:1])
    services = open_services(Path(tempfile.mkdtemp()) / "demo.db", create=True)
    build_demo(services)
    [second] = services.views.rows(AuditFilter(states=(AuditState.SECOND_AUDIT,)), limit=1)
    reconciling = services.views.rows(AuditFilter(states=(AuditState.RECONCILIATION,)), limit=1)[0]
    reviewer = services.views.detail(reconciling.id).row.second_auditor
    second_by = next(p.username for p in services.directory.people()
                     if services.audits.writable_parts(second.id, p.username) == [Part.SECOND_AUDIT])
    window = MainWindow(services, services.directory.person(second_by), SyncRunner())
    window.resize(1400, 900)
    window.show()
    save(window, "home")
    window.tabs.setCurrentWidget(window.audits)
    save(window, "audit_list")
    window.open_audit(second.id)
    save(window, "audit_editor_blind_second_audit")
    reviewer_name = next(p.username for p in services.directory.people() if p.name == reviewer)
    window.close()
    window = MainWindow(services, services.directory.person(reviewer_name), SyncRunner())
    window.resize(1400, 900)
    window.show()
    editor = window.open_audit(reconciling.id)
    save(editor, "reconciliation")
    window.close()
    practice_weeks(services)
    report_screens(services)
    report_pages(services)


def practice_weeks(services) -> None:
    """The QA lead's view of the practice week under way: the plan, then progress and summary."""
    window = MainWindow(services, services.directory.person("ap.brennan"), SyncRunner())
    window.resize(1400, 900)
    window.show()
    window.tabs.setCurrentWidget(window.weeks)
    save(window, "practice_week_plan")
    window.weeks.tabs.setCurrentWidget(window.weeks.progress)
    save(window, "practice_week_progress")
    window.close()


def report_screens(services) -> None:
    """The Reports screen with a QA report previewed, and the moderation dashboard."""
    lead = services.directory.person("psw.fraser")
    window = MainWindow(services, lead, SyncRunner())
    window.resize(1400, 900)
    window.show()
    window.tabs.setCurrentWidget(window.reports)
    window.reports.period.preset.setCurrentIndex(0)          # this financial year
    window.reports.preview_button.click()
    save(window, "reports")
    window.tabs.setCurrentWidget(window.moderation)
    window.moderation.period.preset.setCurrentIndex(2)       # the last 12 months
    window.moderation.tabs.setCurrentIndex(2)                # by first-line auditor
    save(window, "moderation")
    window.tabs.setCurrentWidget(window.home)
    window.close()


def report_pages(services) -> None:
    """Page images (pdftoppm, 60 dpi) of each kind of PDF report, made from the demo data."""
    import datetime as dt
    import shutil
    import subprocess
    from auditor.domain.activities import ActivityKind
    from auditor.domain.periods import FinancialYear
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found (install poppler-utils): PDF page images skipped")
        return
    closed = services.views.rows(AuditFilter(states=(AuditState.CLOSED,)))
    def first(kind):
        return next(r for r in closed if r.kind is kind and (
            kind is not ActivityKind.CASE_FILE_AUDIT or r.final_grade.needs_follow_up))
    year = FinancialYear.of(dt.date.today())   # compared with the year before
    work = Path(tempfile.mkdtemp())
    documents = {
        "report_audit_summary": lambda p: services.reports.write_activity_pdf(
            first(ActivityKind.CASE_FILE_AUDIT).id, p, "psw.fraser"),
        "report_observation": lambda p: services.reports.write_activity_pdf(
            first(ActivityKind.OBSERVATION).id, p, "psw.fraser"),
        "report_dip": lambda p: services.reports.write_activity_pdf(
            first(ActivityKind.DIP_SAMPLE).id, p, "psw.fraser"),
        "report_qa": lambda p: services.reports.write_qa_pdf(
            year.first_day, year.last_day, p, author="Helen Fraser"),
        "report_practice_week": lambda p: services.reports.write_week_pdf(
            services.weeks.weeks()[0].id, p, author="Zoë Brennan"),
    }
    for old in OUT.glob("report_*.png"):
        old.unlink()
    for name, write in documents.items():
        pdf = write(work / f"{name}.pdf")
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(OUT / name)], check=True)
        print(f"wrote {OUT / name}-*.png")


if __name__ == "__main__":
    main()
