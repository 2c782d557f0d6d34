"""Practice weeks through the services: plan, rules, starting planned work, progress and summary."""

from __future__ import annotations

import datetime as dt

import pytest

from auditor.domain.activities import ActivityKind, Category
from auditor.domain.errors import RuleViolation, ValidationError
from auditor.domain.grades import Grade
from auditor.domain.permissions import NotPermitted
from auditor.domain.practice_weeks import FindingKind, WeekStatus
from auditor.domain.workflow import AuditState, Part
from tests.builders import fill, who

MON = dt.date(2027, 2, 1)
TUE, WED, THU, FRI = (MON + dt.timedelta(days=i) for i in range(1, 5))
OBS = ActivityKind.OBSERVATION
DIP = ActivityKind.DIP_SAMPLE


@pytest.fixture
def week(services, org):
    week_id = services.weeks.create(
        "February 2027",
        MON,
        FRI + dt.timedelta(days=7),
        by=who(services, org.qa),
        themes=["Neglect"],
        teams=["North"],
    )
    services.weeks.set_participant(week_id, org.senior, [MON, TUE], by=who(services, org.qa))
    services.weeks.set_participant(week_id, org.senior_lm, [WED], by=who(services, org.qa))
    return week_id


def observation_answers(services, **preset):
    return fill(services.forms.latest("practice_observation"), None, preset=preset)


def test_only_senior_or_qa_plan_and_the_dates_must_make_sense(services, org):
    with pytest.raises(NotPermitted, match="You may not plan a practice week"):
        services.weeks.create("W", MON, FRI, by=who(services, org.manager))
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        services.weeks.create("W", FRI, MON, by=who(services, org.qa))
    with pytest.raises(ValidationError, match="at most 14 days"):
        services.weeks.create("W", MON, MON + dt.timedelta(days=20), by=who(services, org.qa))
    services.weeks.create("W", MON, FRI, by=who(services, org.qa))
    with pytest.raises(ValidationError, match="already a practice week"):
        services.weeks.create("W", MON, FRI, by=who(services, org.qa))


def test_participants_give_up_to_four_days_inside_the_week(services, org, week):
    with pytest.raises(RuleViolation, match="up to 4 days"):
        services.weeks.set_participant(
            week, org.senior, [MON, TUE, WED, THU, FRI], by=who(services, org.qa)
        )
    with pytest.raises(ValidationError, match="outside the practice week"):
        services.weeks.set_participant(
            week, org.senior, [MON - dt.timedelta(days=1)], by=who(services, org.qa)
        )
    with pytest.raises(RuleViolation, match="not a senior manager"):
        services.weeks.set_participant(week, org.manager, [MON], by=who(services, org.qa))
    detail = services.weeks.week(week, who=who(services, org.qa))
    assert [(p.username, p.days) for p in detail.participants] == [
        ("sswm.dan", (WED,)),
        ("hos.eve", (MON, TUE)),
    ]


def test_allocations_follow_the_plan_rules(services, org, week):
    with pytest.raises(RuleViolation, match="not taking part"):
        services.weeks.allocate(
            week, org.qa, MON, OBS, by=who(services, org.qa), practitioner=org.worker
        )
    with pytest.raises(RuleViolation, match="not giving Wednesday"):
        services.weeks.allocate(
            week, org.senior, WED, OBS, by=who(services, org.qa), practitioner=org.worker
        )
    with pytest.raises(RuleViolation, match="Nobody observes their own practice"):
        services.weeks.allocate(
            week, org.senior, MON, OBS, by=who(services, org.qa), practitioner=org.senior
        )
    with pytest.raises(ValidationError, match="needs the case"):
        services.weeks.allocate(
            week, org.senior, MON, ActivityKind.CASE_FILE_AUDIT, by=who(services, org.qa)
        )
    with pytest.raises(ValidationError, match="Say which dip sample"):
        services.weeks.allocate(
            week, org.senior, MON, DIP, by=who(services, org.qa), detail="nonsense"
        )
    services.directory.add_case("CF-S1", "child_in_need", "South", None)
    with pytest.raises(RuleViolation, match="not one of this practice week's teams"):
        services.weeks.allocate(
            week,
            org.senior,
            MON,
            ActivityKind.CASE_FILE_AUDIT,
            by=who(services, org.qa),
            case_reference="CF-S1",
        )
    with pytest.raises(RuleViolation, match="has work planned"):
        services.weeks.allocate(
            week, org.senior, TUE, OBS, by=who(services, org.qa), case_reference=org.case
        )
        services.weeks.set_participant(week, org.senior, [MON], by=who(services, org.qa))
    allocation = services.weeks.week(week, who=who(services, org.qa)).allocations[0]
    assert allocation.practitioner == "Amy Worker"  # the case's worker is the one observed


def test_planned_work_starts_only_when_the_week_is_under_way_and_by_its_person(services, org, week):
    obs = services.weeks.allocate(
        week,
        org.senior,
        MON,
        OBS,
        by=who(services, org.qa),
        case_reference=org.case,
        detail="home_visit",
    )
    with pytest.raises(RuleViolation, match="once the practice week is under way"):
        services.weeks.start_allocation(obs, by=who(services, org.senior))
    services.weeks.set_status(week, WeekStatus.RUNNING, by=who(services, org.qa))
    with pytest.raises(RuleViolation, match="only they can start it"):
        services.weeks.start_allocation(obs, by=who(services, org.senior_lm))
    kind, audit_id = services.weeks.start_allocation(obs, by=who(services, org.senior))
    assert kind == "audit"
    detail = services.views.detail(audit_id, who=who(services, org.senior))
    assert detail.row.kind is OBS and detail.row.state is AuditState.IN_PROGRESS
    assert detail.responses[Part.RECORD].answers["observation_type"] == "home_visit"
    assert services.weeks.start_allocation(obs, by=who(services, org.senior)) == (
        "audit",
        audit_id,
    )  # again


def test_an_observation_is_not_complete_without_the_feedback_given(services, org):
    answers = observation_answers(services)
    del answers["feedback_given"]
    with pytest.raises(ValidationError, match="feedback"):
        services.audits.record(
            OBS,
            by=who(services, org.senior),
            form_id="practice_observation",
            practitioner=org.worker,
            answers=answers,
        )
    with pytest.raises(ValidationError, match="whose practice you observed"):
        services.audits.record(
            OBS,
            by=who(services, org.senior),
            form_id="practice_observation",
            answers=observation_answers(services),
        )
    with pytest.raises(RuleViolation, match="own practice"):
        services.audits.record(
            OBS,
            by=who(services, org.manager),
            form_id="practice_observation",
            practitioner=org.manager,
            answers=observation_answers(services),
        )


def test_progress_and_summary_of_a_week(services, org, week):
    services.directory.add_case("CF-4", "child_in_need", "North", "sw.amy")
    obs = services.weeks.allocate(
        week, org.senior, MON, OBS, by=who(services, org.qa), practitioner=org.worker
    )
    services.weeks.allocate(
        week, org.senior, TUE, OBS, by=who(services, org.qa), practitioner=org.worker
    )
    services.weeks.allocate(
        week, org.senior_lm, WED, DIP, by=who(services, org.qa), detail="dip_statutory_visits"
    )
    services.weeks.set_status(week, WeekStatus.RUNNING, by=who(services, org.qa))
    _, audit_id = services.weeks.start_allocation(obs, by=who(services, org.senior))
    services.findings.add(
        audit_id,
        FindingKind.STRENGTH,
        "Child seen alone and listened to",
        by=who(services, org.senior),
        domain_id="child_voice",
    )
    services.findings.add(
        audit_id,
        FindingKind.DEVELOPMENT,
        "Plan not shared with the family",
        by=who(services, org.senior),
        domain_id="planning",
    )
    services.audits.submit(
        audit_id,
        Part.RECORD,
        by=who(services, org.senior),
        answers=observation_answers(
            services, overall={"grade": "G", "rationale": "Warm and clear."}
        ),
    )
    kind, session = services.weeks.start_allocation(
        services.weeks.week(week, who=who(services, org.qa)).allocations[-1].id,
        by=who(services, org.senior_lm),
    )
    assert kind == "dip"
    dip_form = services.forms.latest("dip_statutory_visits")
    for ref, grade in (("CF-1", "RI"), ("CF-4", "I")):
        services.dips.record_case(
            session,
            ref,
            fill(dip_form, None, preset={"overall": {"grade": grade, "rationale": "Visits late."}}),
            by=who(services, org.senior_lm),
        )
    services.dips.finish(session, by=who(services, org.senior_lm))

    summary = services.weeks.summary(week, who=who(services, org.qa))
    assert (summary.progress.overall.planned, summary.progress.overall.done) == (3, 2)
    assert summary.progress.overall.percent == 67
    assert {d: (t.planned, t.done) for d, t in summary.progress.by_day.items()} == {
        MON: (1, 1),
        TUE: (1, 0),
        WED: (1, 1),
    }
    assert summary.progress.by_activity[Category.OBSERVATION].done == 1
    assert summary.progress.by_person["Dan Senior"].done == 1
    assert summary.grades[Category.OBSERVATION][Grade.GOOD] == 1
    assert summary.grades[Category.DIP][Grade.INADEQUATE] == 1
    assert summary.grades[Category.DIP].total == 2
    assert [(f.kind, f.count) for f in summary.findings] == [
        (FindingKind.STRENGTH, 1),
        (FindingKind.DEVELOPMENT, 1),
    ]
    assert "Week" not in summary.findings[0].domain and summary.findings[0].domain
    services.weeks.set_status(week, WeekStatus.CLOSED, by=who(services, org.qa))
    with pytest.raises(RuleViolation, match="closed"):
        services.weeks.allocate(
            week, org.senior, MON, OBS, by=who(services, org.qa), practitioner=org.worker
        )
    with pytest.raises(RuleViolation, match="closed"):
        services.weeks.set_status(week, WeekStatus.RUNNING, by=who(services, org.qa))


def test_a_dip_session_grades_each_case_and_finishes_only_when_all_are_graded(services, org):
    session = services.dips.start_session("dip_management_oversight", by=who(services, org.senior))
    form = services.forms.latest("dip_management_oversight")
    services.dips.record_case(session, "CF-1", {}, by=who(services, org.senior), complete=False)
    with pytest.raises(RuleViolation, match="Grade or remove these cases before finishing: CF-1"):
        services.dips.finish(session, by=who(services, org.senior))
    with pytest.raises(RuleViolation, match="Only the auditor who started"):
        services.dips.record_case(session, "CF-2", fill(form, None), by=who(services, org.qa))
    first = services.dips.record_case(
        session, "CF-1", fill(form, None), by=who(services, org.senior)
    )
    again = services.dips.record_case(
        session, "CF-2", fill(form, None, grade=Grade.INADEQUATE), by=who(services, org.senior)
    )
    assert first != again
    done = services.dips.finish(
        session, by=who(services, org.senior), note="Supervision records thin."
    )
    assert [r.case_reference for r in done.rows] == ["CF-1", "CF-2"]
    assert done.grades.total == 2 and done.grades[Grade.INADEQUATE] == 1
    assert done.finished_at is not None and done.note == "Supervision records thin."
    assert all(answered == 2 for _label, _yes, answered in done.yes_counts)
    with pytest.raises(RuleViolation, match="has been finished"):
        services.dips.record_case(session, "CF-1", fill(form, None), by=who(services, org.senior))
    rows = services.summary.by_financial_year()
    assert any(r.category is Category.DIP and r.counts.total == 2 for r in rows)


def test_findings_are_written_by_the_auditors_and_tagged_with_a_real_domain(services, org):
    audit_id = services.audits.record(
        OBS,
        by=who(services, org.senior),
        form_id="practice_observation",
        practitioner=org.worker,
        answers=observation_answers(services),
        complete=False,  # findings are written while it is under way
    )
    with pytest.raises(RuleViolation, match="not one of them"):
        services.findings.add(
            audit_id, FindingKind.STRENGTH, "Good rapport", by=who(services, org.qa)
        )
    with pytest.raises(ValidationError, match="not an audit domain"):
        services.findings.add(
            audit_id,
            FindingKind.STRENGTH,
            "Good rapport",
            by=who(services, org.senior),
            domain_id="nope",
        )
    finding = services.findings.add(
        audit_id, FindingKind.STRENGTH, "Good rapport", by=who(services, org.senior)
    )
    with pytest.raises(RuleViolation, match="Only the person who wrote"):
        services.findings.remove(finding, by=who(services, org.qa))
    services.findings.remove(finding, by=who(services, org.senior))
    assert services.findings.of_audit(audit_id, who=who(services, org.qa)) == []


def test_my_work_lists_my_practice_week_items_until_done(services, org, week):
    obs = services.weeks.allocate(
        week, org.senior, MON, OBS, by=who(services, org.qa), practitioner=org.worker
    )
    services.weeks.allocate(
        week, org.senior_lm, WED, DIP, by=who(services, org.qa), detail="dip_statutory_visits"
    )
    mine = services.work.my_work(who=who(services, org.senior), today=MON).practice_week
    assert [(i.day, i.what, i.audit_id) for i in mine] == [(MON, "Observation of practice", None)]
    services.weeks.set_status(week, WeekStatus.RUNNING, by=who(services, org.qa))
    _, audit_id = services.weeks.start_allocation(obs, by=who(services, org.senior))
    assert (
        services.work.my_work(who=who(services, org.senior), today=MON).practice_week[0].audit_id
        == audit_id
    )
    services.audits.submit(
        audit_id, Part.RECORD, by=who(services, org.senior), answers=observation_answers(services)
    )
    assert services.work.my_work(who=who(services, org.senior), today=MON).practice_week == []
    services.weeks.set_status(week, WeekStatus.CLOSED, by=who(services, org.qa))
    assert (
        services.work.my_work(who=who(services, org.senior_lm), today=WED).practice_week == []
    )  # closed: off the list
