"""Who may run which report, and what each of them is shown: the role × action table, the reach of
their reading, an account switched off, and the access log's lines for files written."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from auditor.domain.permissions import AccessEventKind, NotPermitted, Scope
from auditor.domain.reference import Role
from auditor.services.access.log import LogFilter
from db.models import Person, RoleScope
from tests.builders import who

ADMIN = "admin.ann"
TEAM_READER = "sm.tess"  # a service manager whose council limits them to their team (South)


@pytest.fixture
def south(services, org) -> int:
    """An audit of a South case, started by South's team manager, beside the North audits."""
    d = services.directory
    d.add_person(ADMIN, "Ann Admin", [Role.ADMINISTRATOR])
    d.add_person("sw.sam", "Sam Worker", [Role.SOCIAL_WORKER], "South", org.other_manager)
    d.add_person(TEAM_READER, "Tess Service", [Role.SERVICE_MANAGER], "South")
    d.add_case("CF-S", "child_in_need", "South", "sw.sam")
    with services.db.transaction() as s:
        s.add(RoleScope(role=Role.SERVICE_MANAGER, scope=Scope.TEAM))
    return services.audits.start("CF-S", by=who(services, org.other_manager))


def exported_ids(services, username: str, tmp_path) -> set[int]:
    path = services.reports.write_export(
        "csv", tmp_path / f"{username}.csv", who=who(services, username)
    ).path
    return set(pd.read_csv(path, encoding="utf-8-sig")["audit_id"])


def test_roles_without_the_action_are_refused_before_anything_is_read(
    services, org, south, tmp_path
):
    start, end = dt.date(2020, 4, 1), dt.date(2030, 3, 31)
    worker, manager, admin = (who(services, u) for u in (org.worker, org.manager, ADMIN))
    reports = services.reports
    refused = [
        lambda: services.summary.by_financial_year(who=worker),
        lambda: services.summary.monthly_counts(who=worker),
        lambda: reports.qa_report(start, end, who=manager),
        lambda: reports.write_qa_pdf(start, end, tmp_path / "qa.pdf", who=manager),
        lambda: reports.write_qa_html(start, end, tmp_path / "qa.html", who=manager),
        lambda: reports.agreement(who=manager),
        lambda: reports.practice_week_report(1, who=manager),
        lambda: reports.write_week_pdf(1, tmp_path / "w.pdf", who=manager),
        lambda: reports.export_data(who=manager),
        # an unknown format would be a ValidationError: the role is refused first
        lambda: reports.write_export("ods", tmp_path / "x.ods", who=manager),
        lambda: reports.insights(who=admin),
        lambda: reports.activity_summary(south, who=admin),
    ]
    for call in refused:
        with pytest.raises(NotPermitted, match="You may not"):
            call()
    written = {"qa.pdf", "qa.html", "w.pdf", "x.ods"} & {p.name for p in tmp_path.iterdir()}
    assert not written
    assert services.summary.by_financial_year(who=manager) == []  # a team manager may


def test_an_account_switched_off_is_refused_at_once(services, org, south, tmp_path):
    qa = who(services, org.qa)
    assert services.reports.export_data(who=qa).audits
    with services.db.transaction() as s:
        s.get_one(Person, qa.person_id).active = False
    for call in (
        lambda: services.reports.export_data(who=qa),
        lambda: services.reports.qa_report(dt.date(2020, 4, 1), dt.date(2030, 3, 31), who=qa),
        lambda: services.reports.agreement(who=qa),
        lambda: services.summary.by_financial_year(who=qa),
    ):
        with pytest.raises(NotPermitted, match="no longer active"):
            call()


def test_an_export_holds_only_the_audits_the_exporter_may_read(
    services, org, closed_audit, south, tmp_path
):
    assert exported_ids(services, org.qa, tmp_path) == {closed_audit, south}
    assert exported_ids(services, TEAM_READER, tmp_path) == {south}  # their team's only
    data = services.reports.export_data(who=who(services, TEAM_READER))
    assert {r["audit_id"] for r in data.audits} == {south}
    assert {r["audit_id"] for r in data.domain_grades} <= {south}
    assert data.summary  # the aggregate grade table counts every team (no case identifiers)


def test_exports_and_reports_are_logged_by_file_name_format_and_rows(
    services, org, closed_audit, south, tmp_path
):
    qa = who(services, org.qa)
    result = services.reports.write_export("xlsx", tmp_path / "book.xlsx", who=qa)
    services.reports.write_qa_pdf(
        dt.date(2020, 4, 1), dt.date(2030, 3, 31), tmp_path / "board.pdf", who=qa
    )
    events = services.access_log.events(qa, LogFilter(username=org.qa))
    lines = {e.kind: e.detail for e in events}
    assert lines[AccessEventKind.EXPORTED] == f"xlsx audits: book.xlsx, {result.rows} rows"
    assert lines[AccessEventKind.PRINTED_REPORT] == "QA report: board.pdf"
    assert all(str(tmp_path) not in e.detail and "CF-" not in e.detail for e in events)


def test_home_and_the_moderation_figures_count_only_what_the_reader_may_see(
    services, org, closed_audit, south
):
    today = dt.date.today()
    mine = services.reports.insights(today, who=who(services, org.manager))
    theirs = services.reports.insights(today, who=who(services, org.other_manager))
    assert sum(q.counts.total for q in mine.quarters) == 1  # North's closed audit
    assert sum(q.counts.total for q in theirs.quarters) == 0  # South has none closed
    assert theirs.agreement.n == 0 and mine.agreement.n == 1
    everyone = services.reports.agreement(who=who(services, org.qa))
    limited = services.reports.agreement(who=who(services, TEAM_READER))
    assert everyone.overall_grade.n == 1 and limited.overall_grade.n == 0
