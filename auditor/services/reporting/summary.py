"""The grade table: completed, graded items per financial year and activity category."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import func, select

from auditor.domain.activities import ActivityKind, Category
from auditor.domain.grades import Grade
from auditor.domain.permissions import Action, Principal
from auditor.domain.summary import SummaryRow, summarise_by_financial_year
from auditor.domain.workflow import AuditState
from auditor.services.access.guard import check
from db.engine import Database
from db.models import Audit, HistoricGrade


class SummaryService:
    """The grade table: an aggregate with no case identifiers, so it counts every team's work for
    whoever may run it (``RUN_SUMMARY``)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def monthly_counts(
        self, start: dt.date | None = None, end: dt.date | None = None, *, who: Principal
    ) -> list[tuple[int, int, Category, Grade, int]]:
        """(year, month, category, grade, count) for closed audits and imported history.

        The database counts per day (portable SQL: no date functions, which differ between SQLite
        and PostgreSQL) and Python folds the days into months. The covering index on (state,
        completed_on, kind, final_grade) hands the days over in order, without the table.
        """
        with self.db.reading() as s:
            check(s, who, Action.RUN_SUMMARY)
        return self.counted(start, end)

    def counted(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[tuple[int, int, Category, Grade, int]]:
        """``monthly_counts`` without asking who: for the services' own use only (the export's
        summary sheet, whose caller has been checked already). Aggregate: no case identifiers."""
        day = Audit.completed_on
        live = (
            select(
                day.label("day"),
                Audit.kind.label("kind"),
                Audit.final_grade.label("grade"),
                func.count().label("n"),
            )
            .where(Audit.state == AuditState.CLOSED.value, Audit.final_grade.is_not(None))
            .group_by(day, Audit.kind, Audit.final_grade)
        )
        hday = HistoricGrade.activity_on
        history = select(
            hday.label("day"),
            HistoricGrade.category.label("kind"),
            HistoricGrade.grade.label("grade"),
            func.count().label("n"),
        ).group_by(hday, HistoricGrade.category, HistoricGrade.grade)
        if start:
            live, history = live.where(day >= start), history.where(hday >= start)
        if end:
            live, history = live.where(day <= end), history.where(hday <= end)
        months: dict[tuple[int, int, Category, Grade], int] = defaultdict(int)
        with self.db.reading() as s:
            for query, historic in ((live, False), (history, True)):
                for when, kind, grade, n in s.execute(query):
                    category = Category(kind) if historic else ActivityKind(kind).category
                    months[(when.year, when.month, category, Grade(grade))] += n
        return [(*key, n) for key, n in months.items()]

    def by_financial_year(
        self, start: dt.date | None = None, end: dt.date | None = None, *, who: Principal
    ) -> list[SummaryRow]:
        """The grade table by financial year (``RUN_SUMMARY``)."""
        return summarise_by_financial_year(self.monthly_counts(start, end, who=who))

    def rows(self, start: dt.date | None = None, end: dt.date | None = None) -> list[SummaryRow]:
        """``by_financial_year`` without asking who: for the services' own use only."""
        return summarise_by_financial_year(self.counted(start, end))
