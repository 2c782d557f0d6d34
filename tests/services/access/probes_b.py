"""Helper B's part of the whole-matrix and read-path tests: the reporting services.

``PROBES``: for each action the reporting services guard, the one call that needs it (on a copy of
the demo database, every role reading ALL). ``READ_PATHS``: for each reporting path that shows
audits, the ids it shows ``who`` (a refused role is shown nothing)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory

from sqlalchemy import select

from auditor.domain.errors import AuditorError
from auditor.domain.periods import FinancialYear
from auditor.domain.permissions import Action, NotPermitted, Principal
from auditor.services import Services
from db.models import Audit, PracticeWeek


def _first_audit(services: Services) -> int:
    with services.db.reading() as s:
        return s.scalar(select(Audit.id).order_by(Audit.id)) or 1


def _first_week(services: Services) -> int:
    with services.db.reading() as s:
        return s.scalar(select(PracticeWeek.id).order_by(PracticeWeek.id)) or 1


def _this_year() -> tuple[dt.date, dt.date]:
    year = FinancialYear.of(dt.date.today())
    return year.first_day, year.last_day


def _export_csv(services: Services, who: Principal) -> object:
    with TemporaryDirectory() as folder:
        return services.reports.write_export("csv", Path(folder) / "probe.csv", who=who)


PROBES: dict[Action, Callable[[Services, Principal], object]] = {
    Action.RUN_SUMMARY: lambda services, who: services.summary.by_financial_year(who=who),
    Action.PRINT_AUDIT: lambda services, who: services.reports.activity_summary(
        _first_audit(services), who=who
    ),
    Action.RUN_QA_REPORT: lambda services, who: services.reports.qa_report(*_this_year(), who=who),
    Action.PLAN_PRACTICE_WEEK: lambda services, who: services.reports.practice_week_report(
        _first_week(services), who=who
    ),
    Action.VIEW_MODERATION: lambda services, who: services.reports.agreement(who=who),
    Action.READ_AUDITS: lambda services, who: services.reports.insights(who=who),
    Action.EXPORT: _export_csv,
}


def _exported(services: Services, who: Principal) -> set[int]:
    try:
        data = services.reports.export_data(who=who)
    except NotPermitted:
        return set()
    return {r["audit_id"] for r in data.audits} | {r["audit_id"] for r in data.domain_grades}


def _printable(services: Services, who: Principal) -> set[int]:
    """Every audit whose summary (the PDF's content) ``who`` is given."""
    with services.db.reading() as s:
        ids = list(s.scalars(select(Audit.id).order_by(Audit.id)))
    shown = set()
    for audit_id in ids:
        try:
            services.reports.activity_summary(audit_id, who=who)
        except AuditorError:  # NotPermitted, or the rule that only people involved may print
            continue
        shown.add(audit_id)
    return shown


def _week_plans(services: Services, who: Principal) -> set[int]:
    with services.db.reading() as s:
        weeks = list(s.scalars(select(PracticeWeek.id)))
    shown: set[int] = set()
    for week_id in weeks:
        try:
            report = services.reports.practice_week_report(week_id, who=who)
        except NotPermitted:
            return set()
        shown |= {line.audit_id for line in report.plan if line.audit_id is not None}
    return shown


READ_PATHS: dict[str, Callable[[Services, Principal], set[int]]] = {
    "reports.export_data": _exported,
    "reports.activity_summary": _printable,
    "reports.practice_week_report": _week_plans,
}
