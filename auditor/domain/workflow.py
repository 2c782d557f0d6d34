"""The three-tier audit as an explicit state machine, and every rule about who may do what.

The services load the facts about an audit into ``AuditFacts`` (plain data), ask this module whether a
step is allowed, and only then change anything. Each refusal is a ``RuleViolation`` whose message says
what is wrong and what to do instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from auditor.domain.activities import ActivityKind
from auditor.domain.errors import RuleViolation
from auditor.domain.grades import Grade
from auditor.domain.reference import Role


class AuditState(StrEnum):
    SELF_REVIEW = "self_review"  # waiting for the social worker's self-review (tier 1)
    FIRST_AUDIT = "first_audit"  # waiting for the first-line manager's audit (tier 2)
    SECOND_AUDIT = "second_audit"  # waiting for the independent second audit (tier 3)
    RECONCILIATION = "reconciliation"  # differences explained and actions agreed, then closed
    IN_PROGRESS = "in_progress"  # observations and dips: one stage only
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self not in (AuditState.CLOSED, AuditState.CANCELLED)


_STATE_LABELS = {
    AuditState.SELF_REVIEW: "Waiting for self-review",
    AuditState.FIRST_AUDIT: "Waiting for first audit",
    AuditState.SECOND_AUDIT: "Waiting for second audit",
    AuditState.RECONCILIATION: "Agreeing differences and actions",
    AuditState.IN_PROGRESS: "In progress",
    AuditState.CLOSED: "Closed",
    AuditState.CANCELLED: "Cancelled",
}


class ResponseStatus(StrEnum):
    """A filled-in form is a draft (seen only by its author) until it is submitted."""

    DRAFT = "draft"
    SUBMITTED = "submitted"


class Part(StrEnum):
    """The filled-in forms that make up an activity."""

    SELF_REVIEW = "self_review"  # tier 1
    FAMILY_FEEDBACK = "family_feedback"  # gathered by the tier-2 auditor
    FIRST_AUDIT = "first_audit"  # tier 2
    SECOND_AUDIT = "second_audit"  # tier 3
    RECORD = "record"  # the single form of an observation or dip

    @property
    def label(self) -> str:
        return {
            "self_review": "Self-review (tier 1)",
            "family_feedback": "Family feedback",
            "first_audit": "First audit (tier 2)",
            "second_audit": "Second audit (tier 3)",
            "record": "Record",
        }[self.value]

    @property
    def tier(self) -> int | None:
        return {"self_review": 1, "first_audit": 2, "second_audit": 3}.get(self.value)

    @classmethod
    def for_tier(cls, tier: int) -> Part:
        parts = {1: cls.SELF_REVIEW, 2: cls.FIRST_AUDIT, 3: cls.SECOND_AUDIT}
        if tier not in parts:
            raise RuleViolation(f"There is no tier {tier}; a case-file audit has tiers 1, 2 and 3.")
        return parts[tier]


class Step(StrEnum):
    SUBMIT_SELF_REVIEW = "submit_self_review"
    WAIVE_SELF_REVIEW = "waive_self_review"
    SUBMIT_FIRST_AUDIT = "submit_first_audit"
    SUBMIT_SECOND_AUDIT = "submit_second_audit"
    CLOSE = "close"
    COMPLETE = "complete"  # observations and dips
    CANCEL = "cancel"


S = AuditState
TRANSITIONS: dict[tuple[AuditState, Step], AuditState] = {
    (S.SELF_REVIEW, Step.SUBMIT_SELF_REVIEW): S.FIRST_AUDIT,
    (S.SELF_REVIEW, Step.WAIVE_SELF_REVIEW): S.FIRST_AUDIT,
    (S.FIRST_AUDIT, Step.SUBMIT_FIRST_AUDIT): S.SECOND_AUDIT,
    (S.SECOND_AUDIT, Step.SUBMIT_SECOND_AUDIT): S.RECONCILIATION,
    (S.RECONCILIATION, Step.CLOSE): S.CLOSED,
    (S.IN_PROGRESS, Step.COMPLETE): S.CLOSED,
    **{(state, Step.CANCEL): S.CANCELLED for state in S if state.is_open},
}

#: Which part each state is waiting for, and when each part may still be edited as a draft.
EDITABLE_IN: dict[Part, frozenset[AuditState]] = {
    Part.SELF_REVIEW: frozenset({S.SELF_REVIEW}),
    Part.FAMILY_FEEDBACK: frozenset({S.SELF_REVIEW, S.FIRST_AUDIT}),
    Part.FIRST_AUDIT: frozenset({S.SELF_REVIEW, S.FIRST_AUDIT}),
    Part.SECOND_AUDIT: frozenset({S.SECOND_AUDIT}),
    Part.RECORD: frozenset({S.IN_PROGRESS}),
}


def initial_state(kind: ActivityKind) -> AuditState:
    return AuditState.SELF_REVIEW if kind.is_three_tier else AuditState.IN_PROGRESS


@dataclass(frozen=True)
class PersonRef:
    id: int
    name: str
    roles: frozenset[Role] = frozenset()

    @property
    def is_manager(self) -> bool:
        return any(r.is_manager for r in self.roles)

    @property
    def is_senior_or_qa(self) -> bool:
        return any(r.is_senior_or_qa for r in self.roles)

    @property
    def is_qa(self) -> bool:
        return bool(self.roles & {Role.ADVANCED_PRACTITIONER, Role.PRINCIPAL_SOCIAL_WORKER})


@dataclass(frozen=True)
class AuditFacts:
    """What the rules need to know about one audit, loaded by the services."""

    kind: ActivityKind
    state: AuditState
    worker: PersonRef | None
    worker_line_manager_id: int | None
    first_auditor: PersonRef | None
    second_auditor: PersonRef | None
    created_by_id: int
    blind: bool = True
    family_feedback_submitted: bool = False
    final_grade: Grade | None = None
    action_count: int = 0
    differing_domains: dict[str, str] = field(default_factory=dict)  # id -> label
    noted_domains: frozenset[str] = frozenset()


def audit_under_way(case_reference: str | None = None, number: int | None = None) -> RuleViolation:
    """The rule "one audit under way per case" (the database holds it too: ``ux_audit_open_case``)."""
    case = f"Case {case_reference}" if case_reference else "This case"
    which = f" (number {number})" if number is not None else ""
    return RuleViolation(
        f"{case} already has an audit under way{which}; finish or cancel it first."
    )


def _same(person: PersonRef | None, actor: PersonRef) -> bool:
    return person is not None and person.id == actor.id


def next_state(facts: AuditFacts, step: Step) -> AuditState:
    """The state after ``step``, or a RuleViolation when the audit's stage does not allow it."""
    target = TRANSITIONS.get((facts.state, step))
    if target is None:
        if not facts.state.is_open:
            raise RuleViolation(f"This audit is {facts.state.label.lower()}; it cannot be changed.")
        raise RuleViolation(
            f"This cannot be done now: the audit is at the stage '{facts.state.label}'."
        )
    return target


# ------------------------------------------------------------------------------- who may do a tier


def check_first_auditor(facts: AuditFacts, person: PersonRef) -> None:
    """May ``person`` carry out (or be assigned) the first-line audit (tier 2)?"""
    if _same(facts.worker, person):
        raise RuleViolation(
            "You are the allocated social worker for this case, so you cannot "
            "audit it. The first audit is done by the worker's first-line manager."
        )
    if not person.is_manager:
        raise RuleViolation(
            f"{person.name} does not hold a manager role. The first audit is done "
            "by the worker's first-line (team) manager or a more senior manager."
        )
    if _same(facts.second_auditor, person):
        # Without it, a worker with no line manager let the second auditor write the first audit
        # too, and the audit then stuck: nobody independent was left for the second.
        raise RuleViolation(
            "You are the second auditor of this case, so the first audit (and the family's "
            "feedback) must be done by someone else: the worker's first-line manager or, if the "
            "worker has none, another manager. Ask whoever started the audit to choose one."
        )


def check_second_auditor(facts: AuditFacts, person: PersonRef) -> None:
    """May ``person`` carry out (or be assigned) the independent second audit (tier 3)?"""
    if _same(facts.worker, person):
        raise RuleViolation(
            "You are the allocated social worker for this case, so you cannot "
            "carry out its second audit."
        )
    if _same(facts.first_auditor, person):
        raise RuleViolation(
            "You carried out the first audit of this case. The second audit must be "
            "independent: it has to be done by a different senior manager."
        )
    if facts.worker_line_manager_id == person.id:
        worker = facts.worker.name if facts.worker else "the worker"
        raise RuleViolation(
            f"You are {worker}'s line manager. The second audit must be done by "
            "someone outside the worker's own line management."
        )
    if not person.is_senior_or_qa:
        raise RuleViolation(
            f"{person.name} cannot carry out second audits: they are done by senior social work "
            "managers, service managers, heads of service, the Director, or the quality-assurance "
            "team (advanced practitioners, the principal social worker)."
        )


def check_may_write(facts: AuditFacts, part: Part, actor: PersonRef) -> None:
    """May ``actor`` write (draft or submit) ``part`` of this audit at its current stage?"""
    if not facts.state.is_open:
        raise RuleViolation(
            f"This audit is {facts.state.label.lower()}; it can no longer be changed."
        )
    if facts.state not in EDITABLE_IN[part]:
        raise RuleViolation(_not_now_message(facts, part))
    if part is Part.SELF_REVIEW:
        if not _same(facts.worker, actor):
            worker = facts.worker.name if facts.worker else "the allocated social worker"
            raise RuleViolation(
                f"Only {worker}, the allocated social worker, can write the "
                "self-review for this case."
            )
    elif part in (Part.FIRST_AUDIT, Part.FAMILY_FEEDBACK):
        check_first_auditor(facts, actor)
        if facts.first_auditor is not None and not _same(facts.first_auditor, actor):
            raise RuleViolation(
                f"The first audit of this case is assigned to "
                f"{facts.first_auditor.name}; only they can write it."
            )
    elif part is Part.SECOND_AUDIT:
        check_second_auditor(facts, actor)
        if facts.second_auditor is not None and not _same(facts.second_auditor, actor):
            raise RuleViolation(
                f"The second audit of this case is assigned to "
                f"{facts.second_auditor.name}; only they can write it."
            )
    elif part is Part.RECORD:
        if facts.first_auditor is not None and not _same(facts.first_auditor, actor):
            raise RuleViolation(
                f"This record belongs to {facts.first_auditor.name}; only they can change it."
            )
        if _same(facts.worker, actor):
            raise RuleViolation(
                "You cannot observe or dip-sample your own practice; another "
                "manager has to record it."
            )


def _not_now_message(facts: AuditFacts, part: Part) -> str:
    if part is Part.SECOND_AUDIT and facts.state in (S.SELF_REVIEW, S.FIRST_AUDIT):
        return (
            "The second audit starts once the self-review and the first audit (with the "
            "family's feedback) have been submitted."
        )
    if part is Part.SELF_REVIEW:
        return (
            "The self-review has already been submitted (or waived) and can no longer be changed."
        )
    if part in (Part.FIRST_AUDIT, Part.FAMILY_FEEDBACK):
        return "The first audit has already been submitted and can no longer be changed."
    if part is Part.SECOND_AUDIT:
        return "The second audit has already been submitted and can no longer be changed."
    return f"This part cannot be written at the stage '{facts.state.label}'."


def check_submit(facts: AuditFacts, part: Part, actor: PersonRef) -> AuditState:
    """Rules for submitting a part; returns the state the audit moves to."""
    check_may_write(facts, part, actor)
    if part is Part.SELF_REVIEW:
        return next_state(facts, Step.SUBMIT_SELF_REVIEW)
    if part is Part.FAMILY_FEEDBACK:
        return facts.state  # recorded; the audit moves on with the first audit
    if part is Part.FIRST_AUDIT:
        if facts.state is S.SELF_REVIEW:
            worker = facts.worker.name if facts.worker else "the social worker"
            raise RuleViolation(
                f"{worker}'s self-review has not been submitted yet. Save your audit as a draft and "
                "submit it once the self-review is in, or record why there is no self-review."
            )
        if not facts.family_feedback_submitted:
            raise RuleViolation(
                "Record the family or young person's feedback first — or, if they could not be "
                "reached, why not. The first audit cannot be submitted without it."
            )
        return next_state(facts, Step.SUBMIT_FIRST_AUDIT)
    if part is Part.SECOND_AUDIT:
        return next_state(facts, Step.SUBMIT_SECOND_AUDIT)
    return next_state(facts, Step.COMPLETE)


def check_waive_self_review(facts: AuditFacts, actor: PersonRef, reason: str) -> AuditState:
    target = next_state(facts, Step.WAIVE_SELF_REVIEW)
    if not (_same(facts.first_auditor, actor) or actor.is_qa):
        raise RuleViolation(
            "Only the first auditor or the quality-assurance team can go ahead "
            "without the worker's self-review."
        )
    if len(reason.strip()) < 5:
        raise RuleViolation(
            "Say why there is no self-review (for example: the worker has left "
            "the authority or is on long-term leave)."
        )
    return target


def check_assign_second_auditor(facts: AuditFacts, actor: PersonRef, person: PersonRef) -> None:
    if not facts.state.is_open or facts.state is S.RECONCILIATION:
        raise RuleViolation(
            "The second auditor can only be changed before the second audit is submitted."
        )
    if not (actor.is_senior_or_qa or actor.id == facts.created_by_id):
        raise RuleViolation(
            "Only the person who started the audit, a senior manager or the "
            "quality-assurance team can choose the second auditor."
        )
    check_second_auditor(facts, person)


def may_reconcile(facts: AuditFacts, actor: PersonRef) -> bool:
    """The second auditor (or QA) explains differences, agrees actions and closes the audit."""
    return facts.state is S.RECONCILIATION and (_same(facts.second_auditor, actor) or actor.is_qa)


def check_reconciliation_note(facts: AuditFacts, actor: PersonRef, domain_id: str) -> None:
    if facts.state is not S.RECONCILIATION:
        raise RuleViolation(
            "Differences are explained after the second audit is submitted and "
            "before the audit is closed."
        )
    if not may_reconcile(facts, actor):
        raise RuleViolation("Notes on the differences are written by the second auditor.")
    if domain_id not in facts.differing_domains:
        raise RuleViolation(
            f"The two audits gave '{domain_id}' the same grade (or it was not "
            "graded twice), so there is no difference to explain."
        )


def check_add_action(facts: AuditFacts, actor: PersonRef) -> None:
    if not facts.state.is_open:
        raise RuleViolation(
            f"This audit is {facts.state.label.lower()}; actions can no longer be added to it."
        )
    involved = (
        _same(facts.first_auditor, actor)
        or _same(facts.second_auditor, actor)
        or actor.is_senior_or_qa
    )
    if not involved:
        raise RuleViolation(
            "Follow-up actions are agreed by the auditors of the case or the "
            "quality-assurance team."
        )


def check_close(facts: AuditFacts, actor: PersonRef) -> AuditState:
    target = next_state(facts, Step.CLOSE)
    if not may_reconcile(facts, actor):
        raise RuleViolation(
            "The audit is closed by its second auditor or the quality-assurance team."
        )
    missing = [
        label for key, label in facts.differing_domains.items() if key not in facts.noted_domains
    ]
    if missing:
        raise RuleViolation(
            "The two audits graded these areas differently and each difference "
            "needs a short note before closing: " + "; ".join(missing) + "."
        )
    if (
        facts.final_grade is not None
        and facts.final_grade.needs_follow_up
        and facts.action_count == 0
    ):
        raise RuleViolation(
            f"The final grade is {facts.final_grade.label}. Every audit graded Requires improvement "
            "or Inadequate needs at least one follow-up action, with an owner and a due date, "
            "before it can be closed."
        )
    return target


def check_findings_open(state: AuditState) -> None:
    """Findings are part of the activity: once it is closed (or cancelled) they stay as they are."""
    if not state.is_open:
        raise RuleViolation(
            f"This activity is {state.label.lower()}, so its findings can no longer be added to or "
            "removed. Add findings while the activity is under way, before it is completed."
        )


def check_observer(
    observer: PersonRef, observer_line_manager_id: int | None, practitioner: PersonRef | None
) -> None:
    """Who may record an observation of practice: a manager, senior manager or the QA team,
    observing someone else's practice, never their own line manager's."""
    if practitioner is not None and practitioner.id == observer.id:
        raise RuleViolation(
            "You cannot observe or dip-sample your own practice; another manager has to record it."
        )
    if not observer.is_manager:
        raise RuleViolation(
            f"{observer.name} cannot record observations of practice: they are made by team "
            "managers, senior managers and the quality-assurance team."
        )
    if practitioner is not None and practitioner.id == observer_line_manager_id:
        raise RuleViolation(
            f"{practitioner.name} is your line manager, so you cannot observe and grade their "
            "practice. Ask a more senior manager or the quality-assurance team to do it."
        )


def check_cancel(facts: AuditFacts, actor: PersonRef, reason: str) -> AuditState:
    target = next_state(facts, Step.CANCEL)
    if not (actor.id == facts.created_by_id or actor.is_qa):
        raise RuleViolation(
            "Only the person who started this audit or the quality-assurance team can cancel it."
        )
    if len(reason.strip()) < 5:
        raise RuleViolation("Give a reason for cancelling the audit; it is kept in its history.")
    return target


def may_see_first_audit(facts: AuditFacts, viewer: PersonRef | None) -> bool:
    """The blind rule: while a blind second audit is under way it is made without seeing the first
    audit — its grades, its written answers and rationales, what it says the work changed for the
    child. Only the first auditor sees it until the second audit is submitted. The self-review and
    the family's feedback stay visible to everyone throughout."""
    if not hides_first_audit(facts.blind, facts.state):
        return True
    return viewer is not None and _same(facts.first_auditor, viewer)


def hides_first_audit(blind: bool, state: AuditState | str) -> bool:
    """Whether the blind rule withholds the first audit from everyone but its author right now
    (for reads that have no particular viewer: lists, summaries, exports)."""
    return blind and AuditState(state) is S.SECOND_AUDIT


def first_audit_hidden_note(facts: AuditFacts, viewer: PersonRef | None) -> str:
    """What to tell a reader from whom the blind rule withholds the first audit ("" if nothing)."""
    if may_see_first_audit(facts, viewer):
        return ""
    doing_it = viewer is not None and (
        _same(facts.second_auditor, viewer)
        or (facts.second_auditor is None and viewer.is_senior_or_qa)
    )
    until = (
        "until you submit your second audit" if doing_it else "until the second audit is submitted"
    )
    return (
        f"The first audit is hidden {until}: its grades, answers and reasons are not shown, "
        "so that the second audit is independent. The self-review and the family's feedback "
        "are shown throughout."
    )


def check_not_blind(actor: PersonRef, reason: str) -> str:
    """Only senior managers and the QA team may let the second auditor see the first audit while
    grading, and they must say why (the reason goes into the audit's history)."""
    if not actor.is_senior_or_qa:
        raise RuleViolation(
            f"{actor.name} cannot start an audit that is not blind: only senior managers and the "
            "quality-assurance team can let the second auditor see the first audit while grading. "
            "Start it blind (the default) or ask one of them."
        )
    reason = " ".join(reason.split())
    if len(reason) < 5:
        raise RuleViolation(
            "Say why the second audit should not be blind (for example: a "
            "moderation exercise); the reason is kept in the audit's history."
        )
    return reason
