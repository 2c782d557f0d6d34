"""My work and the dashboard: the right queue for the right person."""

import datetime as dt

from auditor.domain.grades import Grade
from auditor.domain.reference import Role
from auditor.domain.workflow import AuditState, Part
from db.models import Audit
from tests.builders import admin_of, feedback_answers, fill, run_to, today_plus, who

TODAY = dt.date.today()


def ids(items):
    return [i.audit_id for i in items]


def test_each_tier_reaches_the_right_person(services, org):
    audit_id = run_to(services, org, "self_review")
    work = services.work
    assert ids(work.my_work(who=who(services, org.worker), today=TODAY).self_reviews) == [audit_id]
    assert ids(work.my_work(who=who(services, org.manager), today=TODAY).first_audits) == [audit_id]
    assert (
        "waiting for the self-review"
        in work.my_work(who=who(services, org.manager), today=TODAY).first_audits[0].what
    )
    assert ids(work.my_work(who=who(services, org.senior), today=TODAY).self_reviews) == []
    services.audits.save_draft(
        audit_id, Part.SELF_REVIEW, by=who(services, org.worker), answers={"strengths": "x"}
    )
    assert work.my_work(who=who(services, org.worker), today=TODAY).self_reviews[0].has_draft


def test_home_says_the_family_feedback_is_in_once_it_is_recorded(services, org):
    audit_id = run_to(services, org, "first_audit")
    first = services.work.my_work(who=who(services, org.manager), today=TODAY).first_audits
    assert ids(first) == [audit_id] and first[0].what == "First audit and family feedback"
    services.audits.save_draft(
        audit_id,
        Part.FAMILY_FEEDBACK,
        by=who(services, org.manager),
        answers=feedback_answers(services),
    )
    assert services.work.my_work(who=who(services, org.manager), today=TODAY).first_audits[
        0
    ].what == (
        "First audit and family feedback"  # a draft is not feedback in
    )
    services.audits.submit(
        audit_id,
        Part.FAMILY_FEEDBACK,
        by=who(services, org.manager),
        answers=feedback_answers(services),
    )
    first = services.work.my_work(who=who(services, org.manager), today=TODAY).first_audits
    assert ids(first) == [audit_id]  # the first audit is still to do
    assert first[0].what == "First audit (family feedback recorded)"


def test_unassigned_second_audits_go_to_eligible_seniors_only(services, org):
    audit_id = run_to(services, org, "second_audit")
    work = services.work
    assert ids(work.my_work(who=who(services, org.senior), today=TODAY).second_audits) == [audit_id]
    assert ids(work.my_work(who=who(services, org.qa), today=TODAY).second_audits) == [audit_id]
    for person in (org.manager, org.worker, org.other_manager, org.iro):
        assert ids(work.my_work(who=who(services, person), today=TODAY).second_audits) == []
    services.audits.assign_second_auditor(audit_id, by=who(services, org.qa), to=org.senior)
    assert ids(work.my_work(who=who(services, org.qa), today=TODAY).second_audits) == []
    assert (
        work.my_work(who=who(services, org.senior), today=TODAY).second_audits[0].what
        == "Second audit"
    )


def test_line_manager_of_the_worker_is_not_offered_the_second_audit(services, org):
    services.directory.add_person(
        "sw.zed", "Zed Worker", [Role.SOCIAL_WORKER], "North", org.senior_lm, who=admin_of(services)
    )
    services.directory.add_case("CF-50", "child_in_need", "North", "sw.zed", who=admin_of(services))
    audit_id = services.audits.start(
        "CF-50", by=who(services, org.manager), first_auditor=org.manager
    )
    services.audits.waive_self_review(
        audit_id, by=who(services, org.manager), reason="Worker on leave"
    )
    services.audits.submit(
        audit_id,
        Part.FAMILY_FEEDBACK,
        by=who(services, org.manager),
        answers=feedback_answers(services),
    )
    services.audits.submit(
        audit_id,
        Part.FIRST_AUDIT,
        by=who(services, org.manager),
        answers=fill(services.forms.latest("case_file_audit")),
    )
    assert audit_id not in ids(
        services.work.my_work(who=who(services, org.senior_lm), today=TODAY).second_audits
    )
    assert audit_id in ids(
        services.work.my_work(who=who(services, org.senior), today=TODAY).second_audits
    )


def test_actions_overdue_first_and_dashboard_counts(services, org):
    audit_id = run_to(
        services, org, "reconciliation", first=Grade.INADEQUATE, final=Grade.INADEQUATE
    )
    a = services.audits
    with services.db.transaction() as s:  # started a month ago, so an action can be overdue
        s.get(Audit, audit_id).created_at = dt.datetime.now() - dt.timedelta(days=30)
    a.add_action(
        audit_id,
        by=who(services, org.senior),
        owner=org.worker,
        due_on=today_plus(10),
        description="Later",
    )
    a.add_action(
        audit_id,
        by=who(services, org.senior),
        owner=org.worker,
        due_on=today_plus(-7),
        description="Late",
    )
    assert [
        x.description
        for x in services.work.my_work(who=who(services, org.worker), today=TODAY).actions
    ] == [
        "Late",
        "Later",
    ]
    assert ids(services.work.my_work(who=who(services, org.senior), today=TODAY).to_close) == [
        audit_id
    ]
    a.close(audit_id, by=who(services, org.senior))
    board = services.work.dashboard(
        dt.date(2000, 1, 1), dt.date(2100, 1, 1), TODAY, who=who(services, org.qa)
    )
    assert board.grade_counts[Grade.INADEQUATE] == 1 and sum(board.grade_counts.values()) == 1
    assert board.by_state == {AuditState.CLOSED: 1}
    assert (board.open_actions, board.overdue_actions) == (2, 1)
