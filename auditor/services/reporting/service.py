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

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from auditor.domain.activities import ActivityKind, Category
from auditor.domain.agreement import Agreement
from auditor.domain.disclosure import check_may_print
from auditor.domain.errors import ValidationError
from auditor.domain.periods import FinancialYear
from auditor.domain.permissions import AccessEventKind, Action, Principal, Scope
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
from auditor.services.access.guard import check
from auditor.services.access.log import record, record_refusal
from auditor.services.access.scope import OutOfReach, require_read, visible_audits
from auditor.services.audits.facts import get_audit, load_facts
from auditor.services.audits.views import AuditViews
from auditor.services.dto import AuditDetail
from auditor.services.reference.records import person_ref
from auditor.services.reporting import export as rx
from auditor.services.reporting import queries as rq
from auditor.services.reporting.activity import ActivitySummaryBuilder
from auditor.services.reporting.agreement import agreement_report
from db.engine import Database
from db.models import Audit, Person
from forms import FormLibrary

if TYPE_CHECKING:
    from auditor.domain.clock import Clock
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


def _file_name(path: Path | str) -> str:
    """A written file as the access log names it: by its name, never by what it holds."""
    return Path(path).name


class ReportService:
    """Every call is made for the person signed in (``who``) and checked first, in its own session:
    the role × action table, then the records ``who`` may read. Printing one audit, writing a report
    and exporting are recorded in the access log, which names files by name and audits by number.
    Aggregates (the QA report, the moderation figures) carry no case identifiers."""

    def __init__(
        self,
        db: Database,
        forms: FormLibrary,
        views: AuditViews,
        week_summary: Callable[..., WeekSummary] | None = None,
        clock: Clock | None = None,
    ) -> None:
        from auditor.domain.clock import SystemClock

        self.db, self.forms, self.views = db, forms, views
        self.week_summary = week_summary
        self.clock: Clock = clock or SystemClock()

    # ------------------------------------------------------------------------ one activity
    def activity_summary(
        self, audit_id: int, *, who: Principal, marking: str = DEFAULT_MARKING
    ) -> ActivitySummary:
        """One audit, observation or dip as ``who`` may see it (drafts and blind grades hidden by
        the same rules as on screen): ``PRINT_AUDIT``, an audit within ``who``'s reach, and only
        people involved in it may print it. Reading it here is logged as a view of the audit;
        ``write_activity_pdf`` logs the print instead."""
        try:
            with self.db.transaction() as s:
                summary, fresh = self._activity_summary(s, audit_id, who, marking)
                record(
                    s,
                    AccessEventKind.VIEWED_AUDIT,
                    self.clock.now(),
                    person_id=fresh.person_id,
                    audit_id=audit_id,
                    detail="print preview",
                )
        except OutOfReach as refused:
            record_refusal(self.db, self.clock.now(), who, refused, "print preview")
            raise
        return summary

    def _activity_summary(
        self, s: Session, audit_id: int, who: Principal, marking: str
    ) -> tuple[ActivitySummary, Principal]:
        person, fresh = check(s, who, Action.PRINT_AUDIT)
        audit = get_audit(s, audit_id)
        require_read(s, fresh, audit)
        ref = person_ref(person)
        check_may_print(load_facts(s, audit, self.forms), ref)
        detail = self._detail(s, audit, person)
        kind = detail.row.kind
        title = TITLES.get(kind) or (
            "Case-file audit summary"
            if kind is ActivityKind.CASE_FILE_AUDIT
            else f"{kind.label}: summary"
        )
        if detail.row.case_reference:
            title += f" — {detail.row.case_reference}"
        info = DocumentInfo(
            title=title, marking=marking, author=ref.name, subject=f"{kind.label} number {audit_id}"
        )
        return ActivitySummaryBuilder(self.forms).build(detail, info), fresh

    def _detail(self, s: Session, audit: Audit, person: Person) -> AuditDetail:
        """The audit as ``person`` may see it, read without logging a view: printing logs its own
        line."""
        return self.views._detail(s, audit, person_ref(person))

    def write_activity_pdf(
        self,
        audit_id: int,
        path: Path | str,
        *,
        who: Principal,
        marking: str = DEFAULT_MARKING,
    ) -> Path:
        """One audit's PDF (the rules of ``activity_summary``), recorded as printed, by file name."""
        from auditor.reports.audit_pdf import write_activity_pdf

        try:
            with self.db.reading() as s:
                summary, fresh = self._activity_summary(s, audit_id, who, marking)
        except OutOfReach as refused:
            record_refusal(self.db, self.clock.now(), who, refused, "print")
            raise
        written = write_activity_pdf(summary, path)
        self._log(fresh, AccessEventKind.PRINTED_AUDIT, _file_name(written), audit_id)
        return written

    def _log(
        self, who: Principal, kind: AccessEventKind, detail: str, audit_id: int | None = None
    ) -> None:
        """One line of the access log, once the file it names has been written."""
        with self.db.transaction() as s:
            record(
                s, kind, self.clock.now(), person_id=who.person_id, audit_id=audit_id, detail=detail
            )

    # ---------------------------------------------------------------------------- QA report
    def qa_report(
        self,
        start: dt.date,
        end: dt.date,
        marking: str = DEFAULT_MARKING,
        author: str = "",
        today: dt.date | None = None,
        *,
        who: Principal,
    ) -> QAReport:
        """The QA report (``RUN_QA_REPORT``): aggregate figures over every team's work, with no
        case identifiers."""
        with self.db.reading() as s:
            _, fresh = check(s, who, Action.RUN_QA_REPORT)
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
        weeks = tuple(self._with_plan(w, fresh) for w in report.practice_weeks)
        return replace(report, practice_weeks=weeks)

    def _with_plan(self, line: PracticeWeekLine, who: Principal) -> PracticeWeekLine:
        """Add the practice-week service's view: plan against done, grades so far, findings."""
        if self.week_summary is None:
            return line
        summary = self.week_summary(line.week_id, who=who)
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
        self,
        week_id: int | str,
        marking: str = DEFAULT_MARKING,
        author: str = "",
        *,
        who: Principal,
    ) -> PracticeWeekReport:
        """A practice week's plan, progress and findings (``PLAN_PRACTICE_WEEK``). Its plan names
        cases and people, so it lists only the allocations ``who`` may see: those whose activity is
        within their reach, and those not yet started that are theirs (every one at ALL reach)."""
        with self.db.reading() as s:
            _, fresh = check(s, who, Action.PLAN_PRACTICE_WEEK)
        if self.week_summary is None:
            raise ValidationError("Practice weeks are not available in this database.")
        summary = self.week_summary(week_id, who=fresh)
        w = summary.week
        seen = self._visible_ids(fresh, [a.audit_id for a in w.allocations])
        plan = tuple(
            PlanLine(
                a.day, a.person_name, a.what, a.case_reference or "", a.done, a.grade, a.audit_id
            )
            for a in w.allocations
            if (
                a.audit_id in seen
                if a.audit_id is not None
                else fresh.scope is Scope.ALL or a.person_username == fresh.username
            )
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
        self,
        week_id: int | str,
        path: Path | str,
        marking: str = DEFAULT_MARKING,
        author: str = "",
        *,
        who: Principal,
    ) -> Path:
        """The practice week's PDF (the rules of ``practice_week_report``), recorded as printed."""
        report = self.practice_week_report(week_id, marking, author, who=who)
        from auditor.reports.week_pdf import write_week_pdf

        written = write_week_pdf(report, path)
        self._log(who, AccessEventKind.PRINTED_REPORT, f"practice week: {_file_name(written)}")
        return written

    def _visible_ids(self, who: Principal, ids: list[int | None]) -> set[int]:
        """Which of the audits ``ids`` ``who`` may read."""
        wanted = sorted({i for i in ids if i is not None})
        if not wanted:
            return set()
        with self.db.reading() as s:
            return set(s.scalars(select(Audit.id).where(Audit.id.in_(wanted), visible_audits(who))))

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
        *,
        who: Principal,
    ) -> Path:
        """The QA report as a PDF (``RUN_QA_REPORT``), recorded as printed."""
        progress(0, 3, "Counting grades")
        report = self.qa_report(start, end, marking, author, today, who=who)
        progress(1, 3, "Laying out the report")
        from auditor.reports.qa_pdf import write_qa_pdf

        path = write_qa_pdf(report, path, cancelled)
        self._log(who, AccessEventKind.PRINTED_REPORT, f"QA report: {_file_name(path)}")
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
        *,
        who: Principal,
    ) -> Path:
        """The QA report as accessible HTML (headings, table headers): the version to publish."""
        progress(0, 3, "Counting grades")
        report = self.qa_report(start, end, marking, author, today, who=who)
        progress(1, 3, "Writing the accessible report")
        from auditor.reports.qa_html import write_qa_html

        path = write_qa_html(report, path, cancelled)
        self._log(who, AccessEventKind.PRINTED_REPORT, f"QA report: {_file_name(path)}")
        progress(3, 3, "Done")
        return path

    # ---------------------------------------------------------------------------- agreement
    def agreement(
        self, start: dt.date | None = None, end: dt.date | None = None, *, who: Principal
    ) -> AgreementReport:
        """The moderation figures (``VIEW_MODERATION``), over the audits ``who`` may read: they
        name first auditors, though no case."""
        with self.db.reading() as s:
            _, fresh = check(s, who, Action.VIEW_MODERATION)
            if start and end:
                check_window(start, end)
            labels = rq.domain_labels(s, self.forms)
            return agreement_report(s, start, end, labels, visible=_reach(fresh))

    def insights(self, today: dt.date | None = None, *, who: Principal) -> Insights:
        """What Home shows beside the chart (``READ_AUDITS``), over the audits ``who`` may read."""
        with self.db.reading() as s:
            _, fresh = check(s, who, Action.READ_AUDITS)
            today = today or dt.date.today()
            year = FinancialYear.of(today)
            visible = _reach(fresh)
            report = agreement_report(s, year.first_day, year.last_day, {}, visible=visible)
            quarters = rq.quarterly(s, today, visible=visible)
        return Insights(year.label, report.overall_grade, tuple(quarters))

    # ------------------------------------------------------------------------------ exports
    def export_data(
        self,
        start: dt.date | None = None,
        end: dt.date | None = None,
        marking: str = DEFAULT_MARKING,
        author: str = "",
        *,
        who: Principal,
    ) -> AuditExport:
        """The export's rows in memory (``EXPORT``): only the audits ``who`` may read; the summary
        table is the aggregate grade table. Recorded as an export."""
        with self.db.transaction() as s:
            _, fresh = check(s, who, Action.EXPORT)
            if start and end:
                check_window(start, end)
            visible = _reach(fresh)
            labels = rq.domain_labels(s, self.forms)
            audits = rx.audit_rows(s, start, end, visible)
            domains = rx.domain_grade_rows(s, start, end, labels, visible)
            record(
                s,
                AccessEventKind.EXPORTED,
                self.clock.now(),
                person_id=fresh.person_id,
                detail=f"data: {len(audits)} audit rows, {len(domains)} grade rows",
            )
        summary = self._summary_rows(start, end)
        return AuditExport(
            DocumentInfo("Auditor export", marking, author), start, end, audits, domains, summary
        )

    def _summary_rows(self, start: dt.date | None, end: dt.date | None) -> list[dict[str, Any]]:
        """The aggregate grade table, unchecked: callers have checked ``EXPORT`` already."""
        from auditor.services.reporting.summary import SummaryService

        return [r.as_dict() for r in SummaryService(self.db).rows(start, end)]

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
        who: Principal,
    ) -> ExportResult:
        """Write an .xlsx workbook (every table) or one table as .csv, streaming the rows from the
        database (``EXPORT``; only the audits ``who`` may read). ``table='summary'`` is the
        aggregate grade table alone, with no case identifiers. The result says whether the file
        carries the marking (a workbook does, CSV does not). Recorded in the access log with the
        file's name, format and row count."""
        result = self._write_export(
            fmt, path, start, end, table, marking, author, progress, cancelled, who
        )
        self._log(
            who,
            AccessEventKind.EXPORTED,
            f"{fmt} {table}: {_file_name(result.path)}, {result.rows} rows",
        )
        return result

    def _write_export(
        self,
        fmt: str,
        path: Path | str,
        start: dt.date | None,
        end: dt.date | None,
        table: str,
        marking: str,
        author: str,
        progress: Progress,
        cancelled: IsCancelled,
        who: Principal,
    ) -> ExportResult:
        with self.db.reading() as s:
            _, fresh = check(s, who, Action.EXPORT)
        visible = _reach(fresh)
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
                rx.iter_audit_rows(s, start, end, visible),
                rx.audit_count(s, start, end, visible),
            )
            grades = export.Table(
                "Domain grades",
                export.DOMAIN_COLUMNS,
                rx.iter_domain_grade_rows(s, start, end, labels, visible),
                rx.domain_grade_count(s, start, end, visible),
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


def _reach(who: Principal) -> ColumnElement[bool] | None:
    """The condition on the audits ``who`` may read, or None at ALL reach (every audit, so the
    kept agreement counts still serve)."""
    return None if who.scope is Scope.ALL else visible_audits(who)
