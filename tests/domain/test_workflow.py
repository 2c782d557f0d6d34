"""The three-tier rules on plain facts, without a database."""

import dataclasses

import pytest

from auditor.domain import workflow as wf
from auditor.domain.activities import ActivityKind
from auditor.domain.errors import RuleViolation
from auditor.domain.grades import Grade
from auditor.domain.reference import Role
from auditor.domain.workflow import AuditFacts, AuditState, Part, PersonRef, Step

WORKER = PersonRef(1, "Amy Worker", frozenset({Role.SOCIAL_WORKER}))
MANAGER = PersonRef(2, "Ben Manager", frozenset({Role.TEAM_MANAGER}))
SENIOR = PersonRef(3, "Eve Head", frozenset({Role.HEAD_OF_SERVICE}))
QA = PersonRef(4, "Fay Quality", frozenset({Role.ADVANCED_PRACTITIONER}))
OTHER_TM = PersonRef(5, "Cat Manager", frozenset({Role.TEAM_MANAGER}))
IRO = PersonRef(6, "Gus Chair", frozenset({Role.IRO}))
SENIOR_LM = PersonRef(7, "Dan Senior", frozenset({Role.SENIOR_SOCIAL_WORK_MANAGER}))

FACTS = AuditFacts(
    kind=ActivityKind.CASE_FILE_AUDIT,
    state=AuditState.SELF_REVIEW,
    worker=WORKER,
    worker_line_manager_id=MANAGER.id,
    first_auditor=MANAGER,
    second_auditor=None,
    created_by_id=MANAGER.id,
)


def at(state, **changes):
    return dataclasses.replace(FACTS, state=state, **changes)


def test_the_happy_path_moves_through_every_stage():
    assert wf.check_submit(FACTS, Part.SELF_REVIEW, WORKER) is AuditState.FIRST_AUDIT
    f = at(AuditState.FIRST_AUDIT, family_feedback_submitted=True)
    assert wf.check_submit(f, Part.FIRST_AUDIT, MANAGER) is AuditState.SECOND_AUDIT
    f = at(AuditState.SECOND_AUDIT)
    assert wf.check_submit(f, Part.SECOND_AUDIT, SENIOR) is AuditState.RECONCILIATION
    f = at(AuditState.RECONCILIATION, second_auditor=SENIOR, final_grade=Grade.GOOD)
    assert wf.check_close(f, SENIOR) is AuditState.CLOSED


def test_every_open_state_can_be_cancelled_and_closed_ones_cannot():
    for state in AuditState:
        allowed = (state, Step.CANCEL) in wf.TRANSITIONS
        assert allowed == state.is_open


@pytest.mark.parametrize(
    "actor, message",
    [
        (MANAGER, "Only Amy Worker, the allocated social worker"),
        (SENIOR, "Only Amy Worker"),
    ],
)
def test_only_the_worker_writes_the_self_review(actor, message):
    with pytest.raises(RuleViolation, match=message):
        wf.check_submit(FACTS, Part.SELF_REVIEW, actor)


@pytest.mark.parametrize(
    "actor, message",
    [
        (WORKER, "you cannot audit it"),
        (IRO, "does not hold a manager role"),
        (OTHER_TM, "assigned to Ben Manager"),
    ],
)
def test_first_audit_refusals(actor, message):
    with pytest.raises(RuleViolation, match=message):
        wf.check_submit(
            at(AuditState.FIRST_AUDIT, family_feedback_submitted=True), Part.FIRST_AUDIT, actor
        )


def test_first_audit_needs_the_self_review_and_family_feedback():
    with pytest.raises(RuleViolation, match="self-review has not been submitted"):
        wf.check_submit(FACTS, Part.FIRST_AUDIT, MANAGER)
    with pytest.raises(RuleViolation, match="family or young person's feedback"):
        wf.check_submit(at(AuditState.FIRST_AUDIT), Part.FIRST_AUDIT, MANAGER)


def test_first_auditor_may_draft_while_waiting_for_the_self_review():
    wf.check_may_write(FACTS, Part.FIRST_AUDIT, MANAGER)
    wf.check_may_write(FACTS, Part.FAMILY_FEEDBACK, MANAGER)


@pytest.mark.parametrize(
    "actor, message",
    [
        (WORKER, "allocated social worker"),
        (MANAGER, "carried out the first audit"),
        (OTHER_TM, "cannot carry out second audits"),
        (IRO, "cannot carry out second audits"),
    ],
)
def test_second_audit_must_be_independent_and_senior(actor, message):
    with pytest.raises(RuleViolation, match=message):
        wf.check_submit(at(AuditState.SECOND_AUDIT), Part.SECOND_AUDIT, actor)


def test_the_workers_line_manager_cannot_do_the_second_audit():
    facts = at(AuditState.SECOND_AUDIT, worker_line_manager_id=SENIOR_LM.id, first_auditor=OTHER_TM)
    with pytest.raises(RuleViolation, match="Amy Worker's line manager"):
        wf.check_submit(facts, Part.SECOND_AUDIT, SENIOR_LM)


def test_an_assigned_second_audit_belongs_to_its_assignee():
    with pytest.raises(RuleViolation, match="assigned to Eve Head"):
        wf.check_submit(at(AuditState.SECOND_AUDIT, second_auditor=SENIOR), Part.SECOND_AUDIT, QA)


def test_second_audit_waits_for_the_first_two_tiers():
    with pytest.raises(RuleViolation, match="starts once the self-review and the first audit"):
        wf.check_may_write(at(AuditState.FIRST_AUDIT), Part.SECOND_AUDIT, SENIOR)


def test_submitted_parts_can_no_longer_change():
    with pytest.raises(RuleViolation, match="already been submitted"):
        wf.check_may_write(at(AuditState.SECOND_AUDIT), Part.FIRST_AUDIT, MANAGER)
    with pytest.raises(RuleViolation, match="can no longer be changed"):
        wf.check_may_write(at(AuditState.CLOSED), Part.SECOND_AUDIT, SENIOR)


@pytest.mark.parametrize("grade", [Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE])
def test_ri_or_inadequate_needs_an_action_before_closing(grade):
    facts = at(AuditState.RECONCILIATION, second_auditor=SENIOR, final_grade=grade)
    with pytest.raises(RuleViolation, match="needs at least one follow-up action"):
        wf.check_close(facts, SENIOR)
    assert wf.check_close(dataclasses.replace(facts, action_count=1), SENIOR) is AuditState.CLOSED


def test_every_difference_needs_a_note_before_closing():
    facts = at(
        AuditState.RECONCILIATION,
        second_auditor=SENIOR,
        final_grade=Grade.GOOD,
        differing_domains={"planning": "Planning", "assessment": "Assessment"},
        noted_domains=frozenset({"planning"}),
    )
    with pytest.raises(RuleViolation, match="Assessment"):
        wf.check_close(facts, SENIOR)
    done = dataclasses.replace(facts, noted_domains=frozenset({"planning", "assessment"}))
    assert wf.check_close(done, SENIOR) is AuditState.CLOSED


def test_closing_is_for_the_second_auditor_or_qa():
    facts = at(AuditState.RECONCILIATION, second_auditor=SENIOR, final_grade=Grade.GOOD)
    with pytest.raises(RuleViolation, match="closed by its second auditor"):
        wf.check_close(facts, MANAGER)
    assert wf.check_close(facts, QA) is AuditState.CLOSED


def test_waiving_the_self_review_needs_the_right_person_and_a_reason():
    with pytest.raises(RuleViolation, match="Only the first auditor"):
        wf.check_waive_self_review(FACTS, OTHER_TM, "Worker has left the authority")
    with pytest.raises(RuleViolation, match="Say why"):
        wf.check_waive_self_review(FACTS, MANAGER, "")
    assert wf.check_waive_self_review(FACTS, MANAGER, "Worker has left") is AuditState.FIRST_AUDIT


def test_blind_second_audit_hides_the_first_audit_until_submitted():
    facts = at(AuditState.SECOND_AUDIT, second_auditor=SENIOR)
    assert not wf.may_see_first_audit(facts, SENIOR)
    assert not wf.may_see_first_audit(facts, QA)
    assert not wf.may_see_first_audit(facts, None)
    assert wf.may_see_first_audit(facts, MANAGER)
    assert wf.may_see_first_audit(at(AuditState.RECONCILIATION), SENIOR)
    assert wf.may_see_first_audit(dataclasses.replace(facts, blind=False), SENIOR)
    assert "until you submit your second audit" in wf.first_audit_hidden_note(facts, SENIOR)
    assert "until the second audit is submitted" in wf.first_audit_hidden_note(facts, None)
    assert wf.first_audit_hidden_note(facts, MANAGER) == ""


def test_only_senior_managers_and_qa_may_switch_the_blind_rule_off_and_must_say_why():
    for who in (MANAGER, WORKER):
        with pytest.raises(RuleViolation, match="only senior managers and the quality-assurance"):
            wf.check_not_blind(who, "A moderation exercise for the team")
    with pytest.raises(RuleViolation, match="Say why the second audit should not be blind"):
        wf.check_not_blind(SENIOR, "  ")
    assert wf.check_not_blind(QA, " Moderation   exercise ") == "Moderation exercise"


def test_observers_cannot_record_their_own_practice():
    facts = dataclasses.replace(
        FACTS, kind=ActivityKind.OBSERVATION, state=AuditState.IN_PROGRESS, first_auditor=None
    )
    with pytest.raises(RuleViolation, match="own practice"):
        wf.check_may_write(facts, Part.RECORD, WORKER)
    assert wf.check_submit(facts, Part.RECORD, SENIOR) is AuditState.CLOSED


# --------------------------------------------------------------------------- closed means closed
def test_the_second_auditor_cannot_also_do_the_first_audit_when_the_worker_has_no_manager():
    """Without a line manager nobody is preset as first auditor; the second auditor writing the
    family feedback and the first audit would leave nobody independent for the second."""
    f = at(
        AuditState.FIRST_AUDIT,
        worker_line_manager_id=None,
        first_auditor=None,
        second_auditor=SENIOR,
    )
    for part in (Part.FAMILY_FEEDBACK, Part.FIRST_AUDIT):
        with pytest.raises(RuleViolation, match="You are the second auditor of this case"):
            wf.check_may_write(f, part, SENIOR)
    with pytest.raises(RuleViolation, match="second auditor of this case"):
        wf.check_first_auditor(f, SENIOR)
    wf.check_may_write(f, Part.FIRST_AUDIT, OTHER_TM)  # any other manager may do tier 2


def test_findings_are_refused_once_the_activity_is_closed_or_cancelled():
    for state in AuditState:
        if state.is_open:
            wf.check_findings_open(state)
        else:
            with pytest.raises(RuleViolation, match="findings can no longer be added"):
                wf.check_findings_open(state)


@pytest.mark.parametrize(
    ("observer", "line_manager", "practitioner", "message"),
    [
        (WORKER, MANAGER.id, MANAGER, "cannot record observations"),
        (IRO, None, WORKER, "cannot record observations"),
        (MANAGER, SENIOR_LM.id, SENIOR_LM, "is your line manager"),
        (MANAGER, SENIOR_LM.id, MANAGER, "own practice"),
    ],
)
def test_observations_need_a_manager_observing_someone_else_not_their_own_manager(
    observer, line_manager, practitioner, message
):
    with pytest.raises(RuleViolation, match=message):
        wf.check_observer(observer, line_manager, practitioner)


def test_a_manager_may_observe_their_own_team_and_a_senior_anyone_else():
    wf.check_observer(MANAGER, SENIOR_LM.id, WORKER)
    wf.check_observer(SENIOR, None, MANAGER)
    wf.check_observer(QA, None, SENIOR_LM)
