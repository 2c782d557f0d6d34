"""The grade table: completed, graded items per financial year and activity category."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, func, literal, select, type_coerce, union_all

from auditor.domain.activities import ActivityKind, Category
from auditor.domain.grades import Grade
from auditor.domain.summary import SummaryRow, summarise_by_financial_year
from auditor.domain.workflow import AuditState
from db.engine import Database
from db.models import Audit, HistoricGrade


class SummaryService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def monthly_counts(self, start: dt.date | None = None, end: dt.date | None = None
                       ) -> list[tuple[int, int, Category, Grade, int]]:
        """(year, month, category, grade, count) for closed audits and imported history.

        SQLite stores dates as ISO text, so the year and month are the first characters; the
        covering index on (state, completed_on, kind, final_grade) answers this without the table.
        """
        day = Audit.completed_on
        # As plain text: the union mixes activity kinds with the history's categories.
        live = (select(func.substr(day, 1, 7).label("month"),
                       type_coerce(Audit.kind, String).label("kind"),
                       type_coerce(Audit.final_grade, String).label("grade"),
                       func.count().label("n"))
                .where(Audit.state == AuditState.CLOSED.value, Audit.final_grade.is_not(None))
                .group_by("month", "kind", "grade"))
        hday = HistoricGrade.activity_on
        history = (select(func.substr(hday, 1, 7).label("month"), HistoricGrade.category.label("kind"),
                          HistoricGrade.grade.label("grade"), func.count().label("n"))
                   .group_by("month", "kind", "grade"))
        if start:
            live, history = live.where(day >= start), history.where(hday >= start)
        if end:
            live, history = live.where(day <= end), history.where(hday <= end)
        history = history.add_columns(literal(1).label("historic"))
        live = live.add_columns(literal(0).label("historic"))
        out = []
        with self.db.reading() as s:
            for month, kind, grade, n, historic in s.execute(union_all(live, history)):
                category = Category(kind) if historic else ActivityKind(kind).category
                out.append((int(month[:4]), int(month[5:7]), category, Grade(grade), n))
        return out

    def by_financial_year(self, start: dt.date | None = None,
                          end: dt.date | None = None) -> list[SummaryRow]:
        return summarise_by_financial_year(self.monthly_counts(start, end))
