"""The grade table and the quarters are counted with SQL that PostgreSQL runs too: no SQLite-only
date functions (substr on a date, strftime), and the months still come out right."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event, update

from auditor.domain.activities import Category
from auditor.domain.grades import Grade
from db.models import Audit
from tests.builders import Org, run_to, who
from tests.reports.conftest import close_audit

SQLITE_ONLY = ("substr(", "strftime(", "julianday(")


def test_summary_and_quarters_use_portable_sql_and_count_by_month(services, org):
    audit_id = run_to(services, org, "reconciliation", first=Grade.GOOD, final=Grade.GOOD)
    close_audit(services, org, audit_id)
    with services.db.transaction() as s:
        s.execute(
            update(Audit).where(Audit.id == audit_id).values(completed_on=dt.date(2026, 3, 31))
        )  # last day of 2025-26
    statements = []
    event.listen(
        services.db.engine,
        "before_cursor_execute",
        lambda *args: statements.append(args[2].lower()),
    )
    months = services.summary.monthly_counts(who=who(services, Org.qa))
    quarters = services.reports.insights(dt.date(2026, 5, 1), who=who(services, Org.qa)).quarters
    assert months == [(2026, 3, Category.AUDIT, Grade.GOOD, 1)]
    assert [(q.name, q.counts.total) for q in quarters if q.counts.total] == [("Q4 2025-26", 1)]
    assert statements and not [s for s in statements if any(f in s for f in SQLITE_ONLY)]
