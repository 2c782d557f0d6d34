"""The practice-week summary PDF: what a QA lead takes to the board after a practice week."""

from __future__ import annotations

import datetime as dt

import pytest

from auditor.domain.activities import ActivityKind
from auditor.domain.permissions import NotPermitted, Scope
from auditor.domain.practice_weeks import FindingKind, WeekStatus
from auditor.domain.reference import Role
from auditor.domain.workflow import Part
from db.models import RoleScope
from tests.builders import CliDriver, Org, fill, who
from tests.reports.conftest import pdf_metadata, pdf_text

MON = dt.date(2027, 2, 1)


def run_week(services, org) -> int:
    week = services.weeks.create(
        "Łódź exchange week",
        MON,
        MON + dt.timedelta(days=4),
        by=who(services, org.qa),
        themes=["Neglect"],
        teams=["North"],
    )
    services.weeks.set_participant(week, org.senior, [MON], by=who(services, org.qa))
    item = services.weeks.allocate(
        week,
        org.senior,
        MON,
        ActivityKind.OBSERVATION,
        by=who(services, org.qa),
        case_reference=org.case,
        detail="home_visit",
    )
    services.weeks.allocate(
        week,
        org.senior,
        MON,
        ActivityKind.DIP_SAMPLE,
        by=who(services, org.qa),
        detail="dip_pathway_plans",
    )
    services.weeks.set_status(week, WeekStatus.RUNNING, by=who(services, org.qa))
    _, audit_id = services.weeks.start_allocation(item, by=who(services, org.senior))
    for _ in range(2):
        services.findings.add(
            audit_id,
            FindingKind.STRENGTH,
            "Zoë's wishes shaped the plan",
            by=who(services, org.senior),
            domain_id="child_voice",
        )
    services.audits.submit(
        audit_id,
        Part.RECORD,
        by=who(services, org.senior),
        answers=fill(
            services.forms.latest("practice_observation"),
            None,
            preset={"overall": {"grade": "O", "rationale": "Exemplary."}},
        ),
    )
    return week


def test_the_week_summary_holds_grades_progress_findings_and_the_plan(services, org, tmp_path):
    week = run_week(services, org)
    path = services.reports.write_week_pdf(
        week, tmp_path / "week.pdf", author="Fay Quality", who=who(services, Org.qa)
    )
    text = " ".join(pdf_text(path).split())
    assert "Practice week: Łódź exchange week" in text
    assert "1 of 2 planned activities done (50%)" in text
    assert "Observations 1 0 1 (100%) 0 0 0 (0%) 1*" in text  # the council's row layout
    assert "Zoë's wishes shaped the plan" in text and text.count("Zoë's wishes") == 1
    assert "Observation of practice: Home visit" in text and "CF-1" in text
    assert "Dip sample: pathway plans" in text and "Not yet" in text
    pages, meta, fonts = pdf_metadata(path)
    assert meta["/Title"] == "Practice week summary, Łódź exchange week"
    assert meta["/Author"] == "Fay Quality"
    assert all("DejaVu" in f for f in fonts)
    assert text.count("OFFICIAL-SENSITIVE") == 2 * pages


def test_the_cli_writes_it_and_refuses_an_unknown_week(db_path, services, org, tmp_path, capsys):
    run_week(services, org)
    cli = CliDriver(db_path, services, tmp_path, capsys, user=org.qa)
    code, out = cli(
        "pdf",
        "practice-week",
        "Łódź exchange week",
        "-o",
        str(tmp_path / "w.pdf"),
        "--marking",
        "PROTECT-PRACTICE-WEEK",
    )
    assert code == 0 and (tmp_path / "w.pdf").exists()
    text = pdf_text(tmp_path / "w.pdf")
    pages = pdf_metadata(tmp_path / "w.pdf")[0]
    assert text.count("PROTECT-PRACTICE-WEEK") == 2 * pages  # top and bottom of every page
    assert "OFFICIAL-SENSITIVE" not in text  # not the default marking
    code, out = cli("pdf", "practice-week", "No such week", "-o", str(tmp_path / "x.pdf"))
    assert code == 2 and "no practice week" in out.lower()
    assert not (tmp_path / "x.pdf").exists()
    manager = CliDriver(db_path, services, tmp_path, capsys, user=org.manager)
    code, out = manager("pdf", "practice-week", "Łódź exchange week", "-o", str(tmp_path / "m.pdf"))
    assert code == 2 and len(out.strip().splitlines()) == 1  # a team manager plans no weeks
    assert not (tmp_path / "m.pdf").exists()


def test_the_week_report_lists_only_the_allocations_the_reader_may_see(services, org):
    week = run_week(services, org)
    report = services.reports.practice_week_report(week, who=who(services, org.qa))
    assert len(report.plan) == 2  # QA reads every team
    with services.db.transaction() as s:  # the council limits advanced practitioners to their own
        s.add(RoleScope(role=Role.ADVANCED_PRACTITIONER, scope=Scope.OWN))
    limited = services.reports.practice_week_report(week, who=who(services, org.qa))
    assert limited.plan == ()  # another person's observation and dip: not theirs to see
    senior = services.reports.practice_week_report(week, who=who(services, org.senior))
    assert len(senior.plan) == 2  # the one doing them sees both
    with pytest.raises(NotPermitted, match="plan a practice week"):
        services.reports.practice_week_report(week, who=who(services, org.manager))
