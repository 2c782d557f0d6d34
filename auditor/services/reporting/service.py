"""Reports: gather what a document needs in one read-only session, return it as plain data, and (for
the ``write_*`` calls) hand it to the writers in ``auditor.reports``. reportlab and pandas load only
when a document is written, so opening the app does not pay for them."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.domain.activities import ActivityKind, Category
from auditor.domain.agreement import Agreement
from auditor.domain.disclosure import check_may_print
from auditor.domain.errors import ValidationError
from auditor.domain.periods import FinancialYear
from auditor.domain.practice_weeks import FindingKind
from auditor.domain.report_periods import check_window, report_periods, trajectory, uk
from auditor.reports.data import (
    DEFAULT_MARKING,
    ActivitySummary,
    AgreementReport,
    AuditExport,
    DocumentInfo,
    GradeTableRow,
    GroupGrades,
    PlanLine,
    PracticeWeekLine,
    PracticeWeekReport,
    QAReport,
)
from auditor.reports.output import IsCancelled, Progress, never_cancelled, no_progress
from auditor.services.audits.facts import get_audit, load_facts
from auditor.services.audits.views import AuditViews
from auditor.services.reference.directory import find_person, person_ref
from auditor.services.reporting import export as rx
from auditor.services.reporting import queries as rq
from auditor.services.reporting.activity import ActivitySummaryBuilder
from auditor.services.reporting.agreement import agreement_report
from db.engine import Database
from forms import FormLibrary

if TYPE_CHECKING:
    from auditor.reports.export import ExportResult
    from auditor.services.practice.dto import WeekSummary

log = logging.getLogger(__name__)

TITLES = {
    ActivityKind.OBSERVATION: "Observation summary",
    ActivityKind.DIP_SAMPLE: "Dip sample summary",
}
EXPORT_FORMATS = ("xlsx", "csv")
EXPORT_TABLES = ("audits", "domain-grades", "summary")


@dataclass(frozen=True)
class Insights:
    """What Home shows beside the grade chart: this year's agreement and audits by quarter."""

    year: str
    agreement: Agreement
    quarters: tuple[GroupGrades, ...]


class ReportService:
    def __init__(
        self,
        db: Database,
        forms: FormLibrary,
        views: AuditViews,
        week_summary: Callable[[int | str], WeekSummary] | None = None,
    ) -> None:
        self.db, self.forms, self.views = db, forms, views
        self.week_summary = week_summary

    # ------------------------------------------------------------------------ one activity
    def activity_summary(
        self, audit_id: int, viewer: str | None = None, marking: str = DEFAULT_MARKING
    ) -> ActivitySummary:
        """One audit, observation or dip as ``viewer`` may see it (drafts and blind grades hidden
        by the same rules as on screen). Without a viewer: as someone outside the audit."""
        author = ""
        if viewer:
            with self.db.reading() as s:
                audit = get_audit(s, audit_id)
                person = person_ref(find_person(s, viewer))
                check_may_print(load_facts(s, audit, self.forms), person)
                author = person.name
        detail = self.views.detail(audit_id, viewer)
        kind = detail.row.kind
        title = TITLES.get(kind) or (
            "Case-file audit summary"
            if kind is ActivityKind.CASE_FILE_AUDIT
            else f"{kind.label}: summary"
        )
        if detail.row.case_reference:
            title += f" — {detail.row.case_reference}"
        info = DocumentInfo(
            title=title, marking=marking, author=author, subject=f"{kind.label} number {audit_id}"
        )
        return ActivitySummaryBuilder(self.forms).build(detail, info)

    def write_activity_pdf(
        self,
        audit_id: int,
        path: Path | str,
        viewer: str | None = None,
        marking: str = DEFAULT_MARKING,
    ) -> Path:
        summary = self.activity_summary(audit_id, viewer, marking)
        from auditor.reports.audit_pdf import write_activity_pdf

        return write_activity_pdf(summary, path)

    # ---------------------------------------------------------------------------- QA report
    def qa_report(
        self,
        start: dt.date,
        end: dt.date,
        marking: str = DEFAULT_MARKING,
        author: str = "",
        today: dt.date | None = None,
    ) -> QAReport:
        today = today or dt.date.today()
        periods = [
            replace(p, label=f"{p.label} (to {uk(today)})") if p.start <= today < p.end else p
            for p in report_periods(start, end)
        ]
        with self.db.reading() as s:
            labels = rq.domain_labels(s, self.forms)
            table = []
            for period in periods:
                counts = rq.grade_counts(s, period.start, period.end)
                table += [
                    GradeTableRow(period, c, counts[c])
                    for c in Category
                    if counts[c].total or c is Category.AUDIT
                ]
            report = QAReport(
                info=DocumentInfo(
                    title=f"Quality assurance report, {periods[-1].label}"
                    if len(periods) == 2
                    else f"Quality assurance report, {periods[1].label} to {periods[-1].label}",
                    marking=marking,
                    author=author,
                    subject="Audit, observation and dip-sample grades",
                ),
                start=start,
                end=end,
                table=tuple(table),
                trajectories=tuple(self._trajectories(table)),
                by_team=tuple(rq.by_team(s, start, end)),
                by_domain=tuple(rq.by_domain(s, start, end, labels)),
                agreement=agreement_report(s, start, end, labels),
                actions=rq.action_stats(s, start, end, today),
                practice_weeks=tuple(rq.practice_weeks(s, start, end)),
                over_time=tuple(rq.quarterly(s, min(end, today))),
                includes_history=rq.has_history(s, periods[0].start, end),
            )
        weeks = tuple(self._with_plan(w) for w in report.practice_weeks)
        return replace(report, practice_weeks=weeks)

    def _with_plan(self, line: PracticeWeekLine) -> PracticeWeekLine:
        """Add the practice-week service's view: plan against done, grades so far, findings."""
        if self.week_summary is None:
            return line
        summary = self.week_summary(line.week_id)
        week, done = summary.week, summary.progress.overall
        details = [
            ("Teams", ", ".join(week.teams) or "All teams"),
            ("Taking part", ", ".join(p.name for p in week.participants) or "Nobody yet"),
            (
                "Plan",
                f"{done.done} of {done.planned} planned activities done ({done.percent}%)"
                if done.planned
                else "Nothing planned",
            ),
        ]
        for kind in FindingKind:
            found = [f for f in summary.findings if f.kind is kind][:3]
            if found:
                details.append(
                    (
                        f"Recurring: {kind.label.lower()}",
                        "; ".join(f"{f.domain} ({f.count})" for f in found),
                    )
                )
        return replace(
            line,
            counts=summary.grades or line.counts,
            activities=summary.activities,
            status=week.status.label,
            details=tuple(details) + line.details,
        )

    # ------------------------------------------------------------------------ practice week
    def practice_week_report(
        self, week_id: int | str, marking: str = DEFAULT_MARKING, author: str = ""
    ) -> PracticeWeekReport:
        if self.week_summary is None:
            raise ValidationError("Practice weeks are not available in this database.")
        summary = self.week_summary(week_id)
        w = summary.week
        plan = tuple(
            PlanLine(a.day, a.person_name, a.what, a.case_reference or "", a.done, a.grade)
            for a in w.allocations
        )
        return PracticeWeekReport(
            info=DocumentInfo(
                title=f"Practice week summary, {w.name}",
                marking=marking,
                author=author,
                subject="Practice week: plan, progress, grades and findings",
            ),
            name=w.name,
            starts_on=w.starts_on,
            ends_on=w.ends_on,
            status=w.status.label,
            themes=w.themes,
            teams=w.teams,
            participants=tuple((p.name, p.days) for p in w.participants),
            progress=summary.progress,
            grades=summary.grades,
            findings=tuple(summary.findings),
            plan=plan,
            activities=summary.activities,
        )

    def write_week_pdf(
        self, week_id: int | str, path: Path | str, marking: str = DEFAULT_MARKING, author: str = ""
    ) -> Path:
        report = self.practice_week_report(week_id, marking, author)
        from auditor.reports.week_pdf import write_week_pdf

        return write_week_pdf(report, path)

    @staticmethod
    def _trajectories(table: list[GradeTableRow]) -> list[str]:
        out = []
        for category in Category:
            rows = [r for r in table if r.category is category]
            if len(rows) < 2 or not any(r.counts.total for r in rows):
                continue
            for before, after in itertools.pairwise(rows):
                out.append(
                    trajectory(
                        category,
                        before.counts,
                        after.counts,
                        before.period.label,
                        after.period.label,
                    )
                )
        return out

    def write_qa_pdf(
        self,
        start: dt.date,
        end: dt.date,
        path: Path | str,
        marking: str = DEFAULT_MARKING,
        author: str = "",
        today: dt.date | None = None,
        progress: Progress = no_progress,
        cancelled: IsCancelled = never_cancelled,
    ) -> Path:
        progress(0, 3, "Counting grades")
        report = self.qa_report(start, end, marking, author, today)
        progress(1, 3, "Laying out the report")
        from auditor.reports.qa_pdf import write_qa_pdf

        path = write_qa_pdf(report, path, cancelled)
        progress(3, 3, "Done")
        return path

    def write_qa_html(
        self,
        start: dt.date,
        end: dt.date,
        path: Path | str,
        marking: str = DEFAULT_MARKING,
        author: str = "",
        today: dt.date | None = None,
        progress: Progress = no_progress,
        cancelled: IsCancelled = never_cancelled,
    ) -> Path:
        """The QA report as accessible HTML (headings, table headers): the version to publish."""
        progress(0, 3, "Counting grades")
        report = self.qa_report(start, end, marking, author, today)
        progress(1, 3, "Writing the accessible report")
        from auditor.reports.qa_html import write_qa_html

        path = write_qa_html(report, path, cancelled)
        progress(3, 3, "Done")
        return path

    # ---------------------------------------------------------------------------- agreement
    def agreement(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> AgreementReport:
        if start and end:
            check_window(start, end)
        with self.db.reading() as s:
            return agreement_report(s, start, end, rq.domain_labels(s, self.forms))

    def insights(self, today: dt.date | None = None) -> Insights:
        today = today or dt.date.today()
        year = FinancialYear.of(today)
        with self.db.reading() as s:
            report = agreement_report(s, year.first_day, year.last_day, {})
            quarters = rq.quarterly(s, today)
        return Insights(year.label, report.overall_grade, tuple(quarters))

    # ------------------------------------------------------------------------------ exports
    def export_data(
        self,
        start: dt.date | None = None,
        end: dt.date | None = None,
        marking: str = DEFAULT_MARKING,
        author: str = "",
    ) -> AuditExport:
        if start and end:
            check_window(start, end)
        with self.db.reading() as s:
            labels = rq.domain_labels(s, self.forms)
            audits = rx.audit_rows(s, start, end)
            domains = rx.domain_grade_rows(s, start, end, labels)
        summary = self._summary_rows(start, end)
        return AuditExport(
            DocumentInfo("Auditor export", marking, author), start, end, audits, domains, summary
        )

    def _summary_rows(self, start: dt.date | None, end: dt.date | None) -> list[dict[str, Any]]:
        from auditor.services.reporting.summary import SummaryService

        return [r.as_dict() for r in SummaryService(self.db).by_financial_year(start, end)]

    def write_export(
        self,
        fmt: str,
        path: Path | str,
        start: dt.date | None = None,
        end: dt.date | None = None,
        *,
        table: str = "audits",
        marking: str = DEFAULT_MARKING,
        author: str = "",
        progress: Progress = no_progress,
        cancelled: IsCancelled = never_cancelled,
    ) -> ExportResult:
        """Write an .xlsx workbook (every table) or one table as .csv, streaming the rows from the
        database. ``table='summary'`` is the aggregate grade table alone, with no case identifiers.
        The result says whether the file carries the marking (a workbook does, CSV does not)."""
        if fmt not in EXPORT_FORMATS:
            raise ValidationError(f"Unknown export format '{fmt}'; use xlsx or csv.")
        if table not in EXPORT_TABLES:
            raise ValidationError(f"Unknown table '{table}'; use {', '.join(EXPORT_TABLES)}.")
        if start and end:
            check_window(start, end)
        from auditor.reports import export

        progress(0, 100, "Reading the audits")
        info = DocumentInfo("Auditor export", marking, author)
        summary = export.summary_table(self._summary_rows(start, end))
        if table == "summary":
            if fmt == "csv":
                return export.write_csv(summary, path, progress, cancelled, aggregate_only=True)
            return export.write_xlsx(
                info,
                export.period_text(start, end),
                [summary],
                path,
                progress,
                cancelled,
                aggregate_only=True,
            )
        with self.db.reading() as s:
            labels = rq.domain_labels(s, self.forms)
            audits = export.Table(
                "Audits",
                export.AUDIT_COLUMNS,
                rx.iter_audit_rows(s, start, end),
                rx.audit_count(s, start, end),
            )
            grades = export.Table(
                "Domain grades",
                export.DOMAIN_COLUMNS,
                rx.iter_domain_grade_rows(s, start, end, labels),
                rx.domain_grade_count(s, start, end),
            )
            if fmt == "csv":
                return export.write_csv(
                    audits if table == "audits" else grades, path, progress, cancelled
                )
            return export.write_xlsx(
                info,
                export.period_text(start, end),
                [audits, grades, summary],
                path,
                progress,
                cancelled,
            )
