"""Practice weeks under the product's rules: the blind rule on every read path, and planned work
that starts once and only once (in the service and in the database)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import sqlite3

import pytest

from auditor.domain.activities import ActivityKind
from auditor.domain.errors import NotFound
from auditor.domain.grades import Grade
from auditor.domain.practice_weeks import FindingKind, WeekStatus
from auditor.domain.workflow import AuditState, Part
from auditor.services import open_services
from auditor.services.practice import weeks as weeks_module
from tests.builders import CliDriver, build_org, feedback_answers, fill, who
from tests.reports.conftest import pdf_text, without_dates

MON = dt.date(2027, 2, 1)
WEEK = "Blind rule week"


def _week_waiting_for_blind_second_audit(services, org, first: Grade) -> int:
    """A running week: an observation done and graded Good, and an audit whose first audit (every
    grade ``first``) is in, with a finding by its first auditor; the blind second audit is not."""
    weeks = services.weeks
    week = weeks.create(
        WEEK, MON, MON + dt.timedelta(days=4), by=who(services, org.qa), teams=["North"]
    )
    weeks.set_participant(week, org.senior, [MON], by=who(services, org.qa))
    audit_item = weeks.allocate(
        week,
        org.senior,
        MON,
        ActivityKind.CASE_FILE_AUDIT,
        by=who(services, org.qa),
        case_reference=org.case,
    )
    obs_item = weeks.allocate(
        week,
        org.senior,
        MON,
        ActivityKind.OBSERVATION,
        by=who(services, org.qa),
        case_reference=org.cic_case,
        detail="home_visit",
    )
    weeks.set_status(week, WeekStatus.RUNNING, by=who(services, org.qa))
    _, obs = weeks.start_allocation(obs_item, by=who(services, org.senior))
    services.audits.submit(
        obs,
        Part.RECORD,
        by=who(services, org.senior),
        answers=fill(services.forms.latest("practice_observation"), None, grade=Grade.GOOD),
    )
    _, audit_id = weeks.start_allocation(audit_item, by=who(services, org.senior))
    a = services.audits
    a.submit(
        audit_id,
        Part.SELF_REVIEW,
        by=who(services, org.worker),
        answers=fill(services.forms.latest("self_review")),
    )
    a.submit(
        audit_id,
        Part.FAMILY_FEEDBACK,
        by=who(services, org.senior),
        answers=feedback_answers(services),
    )
    a.submit(
        audit_id,
        Part.FIRST_AUDIT,
        by=who(services, org.senior),
        answers=fill(services.forms.latest("case_file_audit"), grade=first),
    )
    services.findings.add(
        audit_id,
        FindingKind.DEVELOPMENT,
        f"Planning was {first.label}",
        by=who(services, org.senior),
        domain_id="planning",
    )
    assert (
        services.views.detail(audit_id, who=who(services, org.qa)).row.state
        is AuditState.SECOND_AUDIT
    )
    return week


def _everything_shown_about_the_week(services, db_path, tmp_path, capsys, week) -> dict:
    cli = CliDriver(db_path, services, tmp_path, capsys, user="ap.fay")
    shown = {
        "week": dataclasses.asdict(services.weeks.week(week, who=who(services, "ap.fay"))),
        "summary": repr(services.weeks.summary(week, who=who(services, "ap.fay"))),
        "qa_weeks": repr(
            services.reports.qa_report(
                dt.date(2026, 4, 1),
                dt.date(2027, 3, 31),
                today=dt.date(2027, 3, 1),
                who=who(services, "hos.eve"),
            ).practice_weeks
        ),
    }
    for command in (
        ["week", "show", WEEK],
        ["week", "show", WEEK, "--format", "json"],
        ["week", "summary", WEEK],
        ["week", "summary", WEEK, "--format", "json"],
        ["week", "progress", WEEK],
        ["finding", "list", "2"],
    ):
        code, out = cli(*command)
        assert code == 0, out
        shown[" ".join(command)] = out
    for name, command in (
        ("week.pdf", ["pdf", "practice-week", WEEK]),
        ("qa.pdf", ["pdf", "qa-report", "--from", "2026-04-01", "--to", "2027-03-31"]),
    ):
        code, out = cli(*command, "-o", str(tmp_path / name))
        assert code == 0, out
        shown[name] = without_dates(pdf_text(tmp_path / name))
    return shown


def test_no_practice_week_view_shows_a_first_audit_awaiting_its_blind_second_audit(
    template_db, tmp_path, capsys
):
    outputs = []
    for first in (Grade.INADEQUATE, Grade.OUTSTANDING):
        folder = tmp_path / first.value
        folder.mkdir()
        db_path = folder / "auditor.db"
        shutil.copy(template_db, db_path)
        services = open_services(db_path)
        try:
            org = build_org(services)
            week = _week_waiting_for_blind_second_audit(services, org, first)
            outputs.append(
                _everything_shown_about_the_week(services, db_path, folder, capsys, week)
            )
        finally:
            services.close()
    inadequate, outstanding = outputs
    assert set(inadequate) == set(outstanding)
    for view in inadequate:
        assert inadequate[view] == outstanding[view], view
    # and the week still shows what anyone may see: the observation's grade, the audit under way
    summary = json.loads(inadequate[f"week summary {WEEK} --format json"])
    assert [(r["activity"], r["G"], r["total"]) for r in summary["grades"] if r["total"]] == [
        ("Observations", 1, 1)
    ]
    assert "Planning was" not in inadequate["week.pdf"]


def test_a_planned_dip_sample_starts_once_and_then_opens(services, org):
    week = services.weeks.create("W", MON, MON + dt.timedelta(days=4), by=who(services, org.qa))
    services.weeks.set_participant(week, org.senior, [MON], by=who(services, org.qa))
    item = services.weeks.allocate(
        week,
        org.senior,
        MON,
        ActivityKind.DIP_SAMPLE,
        by=who(services, org.qa),
        detail="dip_statutory_visits",
    )
    services.weeks.set_status(week, WeekStatus.RUNNING, by=who(services, org.qa))
    first = services.weeks.start_allocation(item, by=who(services, org.senior))
    again = services.weeks.start_allocation(item, by=who(services, org.senior))
    assert first == again and first[0] == "dip"
    assert [s.id for s in services.dips.sessions(org.senior, who=who(services, org.qa))] == [
        first[1]
    ]
    [planned] = services.weeks.week(week, who=who(services, org.qa)).allocations
    assert planned.started and planned.dip_session_id == first[1] and not planned.done


def test_a_second_start_at_the_same_moment_rolls_back_and_opens_the_first(services, org):
    """Two starts that both passed the check: the second one's link finds the item taken, so its
    session is not kept and it opens the first one's."""
    week = services.weeks.create("W", MON, MON + dt.timedelta(days=4), by=who(services, org.qa))
    services.weeks.set_participant(week, org.senior, [MON], by=who(services, org.qa))
    item = services.weeks.allocate(
        week,
        org.senior,
        MON,
        ActivityKind.DIP_SAMPLE,
        by=who(services, org.qa),
        detail="dip_statutory_visits",
    )
    services.weeks.set_status(week, WeekStatus.RUNNING, by=who(services, org.qa))
    _, session = services.weeks.start_allocation(item, by=who(services, org.senior))
    with pytest.raises(weeks_module._AlreadyStarted):
        services.dips.start_session(
            "dip_statutory_visits",
            by=who(services, org.senior),
            link=weeks_module._linker(item, weeks_module.Allocation.dip_session_id),
        )
    assert [s.id for s in services.dips.sessions(org.senior, who=who(services, org.qa))] == [
        session
    ]


def test_starting_an_item_the_organiser_removes_at_that_moment_says_so(services, org, monkeypatch):
    """The item passed the checks, then the organiser removed it before its session was linked:
    the start rolls back and says the item is gone (it used to fail with an AttributeError)."""
    week = services.weeks.create("W", MON, MON + dt.timedelta(days=4), by=who(services, org.qa))
    services.weeks.set_participant(week, org.senior, [MON], by=who(services, org.qa))
    item = services.weeks.allocate(
        week,
        org.senior,
        MON,
        ActivityKind.DIP_SAMPLE,
        by=who(services, org.qa),
        detail="dip_statutory_visits",
    )
    services.weeks.set_status(week, WeekStatus.RUNNING, by=who(services, org.qa))
    begin = services.weeks._begin

    def organiser_removes_it_first(*args):
        services.weeks.remove_allocation(item, by=who(services, org.qa))
        return begin(*args)

    monkeypatch.setattr(services.weeks, "_begin", organiser_removes_it_first)
    with pytest.raises(NotFound, match="just been removed from the plan; nothing was started"):
        services.weeks.start_allocation(item, by=who(services, org.senior))
    assert services.dips.sessions(org.senior, who=who(services, org.qa)) == []
    assert services.weeks.week(week, who=who(services, org.qa)).allocations == ()


def test_the_database_links_an_activity_to_one_planned_item_only(services, org, db_path):
    week = services.weeks.create("W", MON, MON + dt.timedelta(days=4), by=who(services, org.qa))
    services.weeks.set_participant(week, org.senior, [MON], by=who(services, org.qa))
    items = [
        services.weeks.allocate(
            week,
            org.senior,
            MON,
            ActivityKind.DIP_SAMPLE,
            by=who(services, org.qa),
            detail="dip_statutory_visits",
        )
        for _ in range(2)
    ]
    services.weeks.set_status(week, WeekStatus.RUNNING, by=who(services, org.qa))
    _, session = services.weeks.start_allocation(items[0], by=who(services, org.senior))
    with sqlite3.connect(db_path) as conn, pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        conn.execute("UPDATE allocation SET dip_session_id = ? WHERE id = ?", (session, items[1]))
    conn.close()
