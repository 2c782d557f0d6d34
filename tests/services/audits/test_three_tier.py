"""A whole three-tier audit through the services on a real SQLite file, and each refusal."""

import datetime as dt

import pytest
from sqlalchemy import select

from auditor.domain.errors import NotFound, RuleViolation, ValidationError
from auditor.domain.grades import Grade
from auditor.domain.permissions import NotPermitted
from auditor.domain.workflow import AuditState, Part
from db.models import Audit, AuditEvent, DomainGrade, Response
from tests.builders import feedback_answers, fill, run_to, today_plus, who


def stored(services, audit_id):
    with services.db.reading() as s:
        return s.get(Audit, audit_id)


def test_complete_three_tier_audit_is_stored_with_history(services, org):
    a = services.audits
    form = services.forms.latest("case_file_audit")
    audit_id = a.start(org.case, by=who(services, org.manager))
    assert stored(services, audit_id).first_auditor_id is not None  # the worker's line manager
    a.submit(
        audit_id,
        Part.SELF_REVIEW,
        by=who(services, org.worker),
        answers=fill(services.forms.latest("self_review")),
    )
    a.submit(
        audit_id,
        Part.FAMILY_FEEDBACK,
        by=who(services, org.manager),
        answers=feedback_answers(services),
    )
    a.submit(
        audit_id,
        Part.FIRST_AUDIT,
        by=who(services, org.manager),
        answers=fill(form, grade=Grade.GOOD, grades={"planning": Grade.GOOD}),
    )
    state = a.submit(
        audit_id,
        Part.SECOND_AUDIT,
        by=who(services, org.senior),
        answers=fill(
            form,
            grade=Grade.GOOD,
            grades={"planning": Grade.REQUIRES_IMPROVEMENT, "overall": Grade.REQUIRES_IMPROVEMENT},
        ),
    )
    assert state is AuditState.RECONCILIATION
    detail = services.views.detail(audit_id, who=who(services, org.senior))
    differing = {c.domain_id for c in detail.comparisons if c.differs}
    assert differing == {"planning", "overall"}
    for domain in differing:
        a.note_difference(
            audit_id, domain, "Agreed: the plan has no timescales.", by=who(services, org.senior)
        )
    a.add_action(
        audit_id,
        by=who(services, org.senior),
        owner=org.manager,
        due_on=today_plus(28),
        description="Rewrite the plan with dates and owners.",
    )
    a.close(audit_id, by=who(services, org.senior))

    audit = stored(services, audit_id)
    assert audit.state is AuditState.CLOSED and audit.final_grade == "requires_improvement"
    assert audit.completed_on == dt.date.today()
    with services.db.reading() as s:
        parts = {
            r.part: r.status
            for r in s.scalars(select(Response).where(Response.audit_id == audit_id))
        }
        assert parts == dict.fromkeys(
            ["self_review", "family_feedback", "first_audit", "second_audit"], "submitted"
        )
        grades = s.execute(
            select(Response.part, DomainGrade.domain_id, DomainGrade.grade)
            .join(DomainGrade)
            .where(Response.audit_id == audit_id)
        ).all()
        assert (Part.FIRST_AUDIT, "planning", "good") in grades
        assert (Part.SECOND_AUDIT, "planning", "requires_improvement") in grades
        assert not any(d == "permanence" for _, d, _ in grades)  # child in need: not asked
        events = [
            e.event
            for e in s.scalars(
                select(AuditEvent).where(AuditEvent.audit_id == audit_id).order_by(AuditEvent.id)
            )
        ]
    assert events[0] == "started" and events[-1] == "closed"
    assert {
        "submitted_self_review",
        "submitted_family_feedback",
        "submitted_first_audit",
        "submitted_second_audit",
        "difference_noted",
        "action_added",
    } <= set(events)


def test_summary_counts_the_tier3_grade_once_closed(services, org):
    audit_id = run_to(services, org, "reconciliation", first=Grade.INADEQUATE, final=Grade.GOOD)
    assert services.summary.by_financial_year() == []  # not closed yet
    for c in services.views.detail(audit_id, who=who(services, org.senior)).comparisons:
        if c.differs:
            services.audits.note_difference(
                audit_id, c.domain_id, "Moderated.", by=who(services, org.senior)
            )
    services.audits.close(audit_id, by=who(services, org.senior))
    [row] = [r.as_dict() for r in services.summary.by_financial_year()]
    assert (row["activity"], row["good"], row["inadequate"], row["total"]) == ("audit", 1, 0, 1)


def test_blind_second_auditor_cannot_see_the_first_audit_until_submitted(services, org):
    audit_id = run_to(services, org, "second_audit", first=Grade.INADEQUATE)
    blind = services.views.detail(audit_id, who=who(services, org.senior))
    first = blind.responses[Part.FIRST_AUDIT]
    assert blind.first_audit_hidden and first.hidden
    # the whole first audit: grades, rationales, what it says the work changed for the child
    assert first.overall_grade is None and first.answers == {}
    assert "until you submit your second audit" in blind.hidden_note
    assert blind.comparisons == []
    assert Part.SELF_REVIEW in blind.responses and Part.FAMILY_FEEDBACK in blind.responses
    assert blind.responses[Part.SELF_REVIEW].answers  # visible throughout
    own = services.views.detail(audit_id, who=who(services, org.manager))
    assert own.responses[Part.FIRST_AUDIT].overall_grade is Grade.INADEQUATE
    assert own.responses[Part.FIRST_AUDIT].answers["impact_on_child"]
    assert own.hidden_note == ""

    services.audits.submit(
        audit_id,
        Part.SECOND_AUDIT,
        by=who(services, org.senior),
        answers=fill(services.forms.latest("case_file_audit")),
    )
    after = services.views.detail(audit_id, who=who(services, org.senior))
    assert after.responses[Part.FIRST_AUDIT].overall_grade is Grade.INADEQUATE
    assert after.responses[Part.FIRST_AUDIT].answers["impact_on_child"]
    assert after.hidden_note == "" and all(c.differs for c in after.comparisons)


def test_not_blind_audits_show_the_first_audit_to_the_second_auditor(services, org):
    audit_id = run_to(
        services,
        org,
        "second_audit",
        first=Grade.INADEQUATE,
        blind=False,
        by=who(services, org.qa),
        not_blind_reason="Moderation exercise with the team",
    )
    seen = services.views.detail(audit_id, who=who(services, org.senior))
    first = seen.responses[Part.FIRST_AUDIT]
    assert not seen.first_audit_hidden and not first.hidden and seen.hidden_note == ""
    assert first.overall_grade is Grade.INADEQUATE
    assert first.answers["planning"]["grade"] == "inadequate"
    assert first.answers["impact_on_child"]
    [event] = [e for e in seen.history if e.event == "made_not_blind"]
    assert "Moderation exercise with the team" in event.detail and event.actor == "Fay Quality"


def test_switching_the_blind_rule_off_is_refused_without_seniority_or_a_reason(services, org):
    with pytest.raises(NotPermitted, match="You may not make an audit not blind"):
        services.audits.start(
            org.case, by=who(services, org.manager), blind=False, not_blind_reason="I would like to"
        )
    with pytest.raises(RuleViolation, match="Say why the second audit should not be blind"):
        services.audits.start(org.case, by=who(services, org.senior), blind=False)
    assert services.views.count(who=who(services, org.qa)) == 0  # nothing was started


def test_drafts_are_saved_private_and_survive_reopening(services, org, db_path):
    audit_id = services.audits.start(org.case, by=who(services, org.manager))
    services.audits.save_draft(
        audit_id,
        Part.SELF_REVIEW,
        by=who(services, org.worker),
        answers={"strengths": "Half a thought"},
    )
    from auditor.services import open_services

    again = open_services(db_path)
    try:
        mine = again.views.detail(audit_id, who=who(services, org.worker)).responses[
            Part.SELF_REVIEW
        ]
        assert mine.status == "draft" and mine.answers == {"strengths": "Half a thought"}
        assert (
            Part.SELF_REVIEW
            not in again.views.detail(audit_id, who=who(services, org.manager)).responses
        )
    finally:
        again.close()


# ------------------------------------------------------------------------------------ refusals


def test_wrong_person_for_each_tier_is_refused_and_nothing_changes(services, org):
    audit_id = run_to(services, org, "self_review")
    with pytest.raises(NotPermitted, match="You may not write a self-review"):
        services.audits.submit(
            audit_id,
            Part.SELF_REVIEW,
            by=who(services, org.manager),
            answers=fill(services.forms.latest("self_review")),
        )
    assert stored(services, audit_id).state == "self_review"
    services.audits.cancel(
        audit_id, by=who(services, org.manager), reason="Restarting for the next check"
    )
    audit_id = run_to(services, org, "second_audit")
    form = services.forms.latest("case_file_audit")
    for person, error, message in (
        (org.manager, NotPermitted, "You may not"),  # a team manager: no second audits
        (org.worker, NotPermitted, "You may not"),  # the role table refuses before the rules
        (org.other_manager, NotPermitted, "You may not"),
    ):
        with pytest.raises(error, match=message):
            services.audits.submit(
                audit_id, Part.SECOND_AUDIT, by=who(services, person), answers=fill(form)
            )
    assert stored(services, audit_id).state == "second_audit"


def test_line_manager_of_worker_cannot_be_second_auditor(services, org):
    audit_id = services.audits.start(
        org.case, by=who(services, org.manager), first_auditor=org.other_manager
    )
    with pytest.raises(RuleViolation, match="line manager"):
        services.audits.assign_second_auditor(audit_id, by=who(services, org.qa), to=org.manager)


def test_missing_rationale_is_refused_naming_the_question(services, org):
    audit_id = run_to(services, org, "first_audit")
    services.audits.submit(
        audit_id,
        Part.FAMILY_FEEDBACK,
        by=who(services, org.manager),
        answers=feedback_answers(services),
    )
    answers = fill(services.forms.latest("case_file_audit"))
    answers["assessment"]["rationale"] = ""
    with pytest.raises(ValidationError) as caught:
        services.audits.submit(
            audit_id, Part.FIRST_AUDIT, by=who(services, org.manager), answers=answers
        )
    assert caught.value.field_ids == ["assessment"]
    assert stored(services, audit_id).state == "first_audit"


def test_first_audit_without_family_feedback_is_refused(services, org):
    audit_id = run_to(services, org, "first_audit")
    with pytest.raises(RuleViolation, match="family or young person's feedback"):
        services.audits.submit(
            audit_id,
            Part.FIRST_AUDIT,
            by=who(services, org.manager),
            answers=fill(services.forms.latest("case_file_audit")),
        )


def test_no_contact_needs_the_reason(services, org):
    audit_id = run_to(services, org, "first_audit")
    with pytest.raises(ValidationError, match="needs an answer"):
        services.audits.submit(
            audit_id,
            Part.FAMILY_FEEDBACK,
            by=who(services, org.manager),
            answers={"contact_outcome": "not_safe"},
        )
    services.audits.submit(
        audit_id,
        Part.FAMILY_FEEDBACK,
        by=who(services, org.manager),
        answers=feedback_answers(services, reached=False),
    )


def test_closing_ri_without_an_action_is_refused(services, org):
    audit_id = run_to(
        services,
        org,
        "reconciliation",
        first=Grade.REQUIRES_IMPROVEMENT,
        final=Grade.REQUIRES_IMPROVEMENT,
    )
    with pytest.raises(RuleViolation, match="needs at least one follow-up action"):
        services.audits.close(audit_id, by=who(services, org.senior))
    with pytest.raises(ValidationError, match="due date"):
        services.audits.add_action(
            audit_id,
            by=who(services, org.senior),
            owner=org.worker,
            due_on=None,
            description="Update the plan",
        )
    services.audits.add_action(
        audit_id,
        by=who(services, org.senior),
        owner=org.worker,
        due_on=today_plus(7),
        description="Update the plan",
    )
    services.audits.close(audit_id, by=who(services, org.senior))


def test_closing_with_unexplained_differences_is_refused(services, org):
    audit_id = run_to(services, org, "reconciliation", first=Grade.OUTSTANDING, final=Grade.GOOD)
    with pytest.raises(RuleViolation, match="each difference needs a short note"):
        services.audits.close(audit_id, by=who(services, org.senior))
    with pytest.raises(RuleViolation, match="no difference to explain"):
        services.audits.note_difference(audit_id, "nonexistent", "x", by=who(services, org.senior))


def test_closed_audits_cannot_change(services, org):
    audit_id = run_to(services, org, "reconciliation")
    services.audits.close(audit_id, by=who(services, org.senior))
    with pytest.raises(RuleViolation, match="closed"):
        services.audits.add_action(
            audit_id,
            by=who(services, org.senior),
            owner=org.worker,
            due_on=today_plus(3),
            description="Late idea",
        )
    with pytest.raises(RuleViolation, match="closed"):
        services.audits.cancel(audit_id, by=who(services, org.manager), reason="Changed my mind")


def test_case_without_worker_and_unknown_references(services, org):
    with pytest.raises(RuleViolation, match="no allocated social worker"):
        services.audits.start("CF-3", by=who(services, org.manager))
    with pytest.raises(NotFound, match="no case with the reference"):
        services.audits.start("CF-999", by=who(services, org.manager))
    with pytest.raises(NotFound, match="nobody with the username"):
        services.audits.start(org.case, by=who(services, "nobody"))
    with pytest.raises(NotFound, match="no audit number 42"):
        services.views.detail(42, who=who(services, org.qa))
    with pytest.raises(NotPermitted, match="You may not start an audit"):
        services.audits.start(org.case, by=who(services, org.worker))


def test_one_open_audit_per_case(services, org):
    first = services.audits.start(org.case, by=who(services, org.manager))
    with pytest.raises(RuleViolation, match=f"already has an audit under way \\(number {first}\\)"):
        services.audits.start(org.case, by=who(services, org.manager))
    services.audits.cancel(first, by=who(services, org.manager), reason="Started by mistake")
    assert services.audits.start(org.case, by=who(services, org.manager)) != first


def test_waiving_and_cancelling_are_recorded(services, org):
    audit_id = run_to(services, org, "self_review")
    services.audits.waive_self_review(
        audit_id, by=who(services, org.manager), reason="Worker on long-term leave"
    )
    detail = services.views.detail(audit_id, who=who(services, org.qa))
    assert detail.row.state is AuditState.FIRST_AUDIT
    assert detail.waived_reason == "Worker on long-term leave"
    services.audits.cancel(
        audit_id, by=who(services, org.manager), reason="Case closed before the audit"
    )
    assert (
        services.views.detail(audit_id, who=who(services, org.qa)).row.state is AuditState.CANCELLED
    )
    assert (
        services.views.detail(audit_id, who=who(services, org.qa)).history[-1].event == "cancelled"
    )


def test_writable_parts_follow_the_rules(services, org):
    audit_id = run_to(services, org, "self_review")
    assert services.audits.writable_parts(audit_id, who(services, org.worker)) == [Part.SELF_REVIEW]
    assert services.audits.writable_parts(audit_id, who(services, org.manager)) == [
        Part.FAMILY_FEEDBACK,
        Part.FIRST_AUDIT,
    ]
    assert services.audits.writable_parts(audit_id, who(services, org.senior)) == []
    services.audits.cancel(
        audit_id, by=who(services, org.manager), reason="Restart for the next check"
    )
    audit_id = run_to(services, org, "second_audit")
    assert services.audits.writable_parts(audit_id, who(services, org.senior)) == [
        Part.SECOND_AUDIT
    ]
    assert services.audits.writable_parts(audit_id, who(services, org.manager)) == []
