"""Helper A's probes for the whole-matrix and read-path tests: the audit, practice-week, dip and
sampling services. Each probe makes the one call that needs its action, on a copy of the demo
database whose roles all read every team; it may fail for any other reason when allowed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select

from auditor.domain.activities import THREE_TIER_KINDS, ActivityKind
from auditor.domain.permissions import Action, NotPermitted, Principal
from auditor.domain.sampling import Criteria
from auditor.domain.workflow import AuditState, Part
from auditor.services import Services
from auditor.services.audits.views import AuditFilter
from db.models import Audit, Case, Person

Probe = Callable[[Services, Principal], object]


def _audit(services: Services, *states: AuditState, assigned: bool = False) -> int:
    """A three-tier audit of the demo, in one of ``states`` if there is one still (an earlier
    probe may have moved it on; the permission is checked before the state anyway)."""
    q = select(Audit.id).where(Audit.kind.in_(THREE_TIER_KINDS)).order_by(Audit.id)
    if states:
        q = q.where(Audit.state.in_([s.value for s in states]))
    if assigned:
        q = q.where(Audit.second_auditor_id.is_not(None))
    with services.db.reading() as s:
        found = s.scalars(q).first()
        if found is None:
            found = s.scalars(select(Audit.id).where(Audit.kind.in_(THREE_TIER_KINDS))).first()
    assert found is not None, "the demo has no three-tier audit"
    return found


def _case(services: Services) -> str:
    with services.db.reading() as s:
        return s.scalars(select(Case.reference).order_by(Case.id)).first() or "CF-1"


def _someone_else(services: Services, who: Principal) -> str:
    with services.db.reading() as s:
        return (
            s.scalars(
                select(Person.username).where(Person.id != who.person_id).order_by(Person.id)
            ).first()
            or ""
        )


def _draft(part: Part) -> Probe:
    def probe(services: Services, who: Principal) -> object:
        audit = _audit(services, assigned=part is Part.SECOND_AUDIT)
        return services.audits.save_draft(audit, part, by=who, answers={})

    return probe


PROBES: dict[Action, Probe] = {
    Action.START_AUDIT: lambda sv, w: sv.audits.start(_case(sv), by=w),
    Action.WRITE_SELF_REVIEW: _draft(Part.SELF_REVIEW),
    Action.WRITE_FIRST_AUDIT: _draft(Part.FIRST_AUDIT),
    Action.WRITE_FAMILY_FEEDBACK: _draft(Part.FAMILY_FEEDBACK),
    Action.WRITE_SECOND_AUDIT: _draft(Part.SECOND_AUDIT),
    Action.TAKE_SECOND_AUDIT: lambda sv, w: sv.audits.assign_second_auditor(
        _audit(sv, AuditState.SECOND_AUDIT), by=w, to=w.username
    ),
    Action.ASSIGN_SECOND_AUDIT: lambda sv, w: sv.audits.assign_second_auditor(
        _audit(sv, AuditState.SECOND_AUDIT), by=w, to=_someone_else(sv, w)
    ),
    # START_AUDIT is held by every role that may lift blindness, so this refuses iff it should.
    Action.MAKE_NOT_BLIND: lambda sv, w: sv.audits.start(
        _case(sv), by=w, blind=False, not_blind_reason="Probe"
    ),
    Action.RECONCILE: lambda sv, w: sv.audits.note_difference(
        _audit(sv, AuditState.RECONCILIATION), "planning", "Probe", by=w
    ),
    Action.WAIVE_SELF_REVIEW: lambda sv, w: sv.audits.waive_self_review(
        _audit(sv, AuditState.SELF_REVIEW), by=w, reason="Probe"
    ),
    Action.SET_ACTIONS: lambda sv, w: sv.audits.add_action(
        _audit(sv, AuditState.RECONCILIATION),
        by=w,
        owner=w.username,
        due_on=sv.clock.today() + dt.timedelta(days=30),
        description="Probe",
    ),
    Action.CLOSE_AUDIT: lambda sv, w: sv.audits.close(_audit(sv, AuditState.RECONCILIATION), by=w),
    Action.CANCEL_AUDIT: lambda sv, w: sv.audits.cancel(_audit(sv), by=w, reason="Probe"),
    Action.RECORD_OBSERVATION: lambda sv, w: sv.audits.record(
        ActivityKind.OBSERVATION,
        by=w,
        answers={},
        form_id="practice_observation",
        practitioner=_someone_else(sv, w),
        complete=False,
    ),
    Action.RUN_DIP_SAMPLE: lambda sv, w: sv.dips.start_session("dip_statutory_visits", by=w),
    Action.PLAN_PRACTICE_WEEK: lambda sv, w: sv.weeks.create(
        "Probe week", sv.clock.today(), sv.clock.today() + dt.timedelta(days=4), by=w
    ),
    Action.BUILD_SAMPLE: lambda sv, w: sv.sampling.propose(Criteria(size=5, seed=1), by=w),
    Action.READ_AUDITS: lambda sv, w: sv.views.detail(_audit(sv), who=w),
}


def _shown(
    path: Callable[[Services, Principal], set[int]],
) -> Callable[[Services, Principal], set[int]]:
    """A path refused outright (the role may not read audits) shows nothing."""

    def run(services: Services, who: Principal) -> set[int]:
        try:
            return path(services, who)
        except NotPermitted:
            return set()

    return run


def _rows(services: Services, who: Principal) -> set[int]:
    return {r.id for r in services.views.rows(AuditFilter(), who=who)}


def _counted(services: Services, who: Principal) -> set[int]:
    ids = _rows(services, who)
    assert services.views.count(AuditFilter(), who=who) == len(ids), "count and rows disagree"
    return ids


def _search(services: Services, who: Principal) -> set[int]:
    return {r.id for r in services.views.rows(AuditFilter(case_search="CF"), who=who)}


def _my_work(services: Services, who: Principal) -> set[int]:
    work = services.work.my_work(who=who, today=services.clock.today())
    items = work.self_reviews + work.first_audits + work.second_audits + work.to_close
    return (
        {i.audit_id for i in items}
        | {a.audit_id for a in work.actions}
        | {p.audit_id for p in work.practice_week if p.audit_id is not None}
    )


def _details(services: Services, who: Principal) -> set[int]:
    with services.db.reading() as s:
        every = list(s.scalars(select(Audit.id).order_by(Audit.id)))
    shown = set()
    for audit_id in every:
        try:
            services.views.detail(audit_id, who=who)
        except NotPermitted:
            continue
        shown.add(audit_id)
    return shown


def _weeks(services: Services, who: Principal) -> set[int]:
    return {
        a.audit_id
        for w in services.weeks.weeks(who=who)
        for a in services.weeks.week(w.id, who=who).allocations
        if a.audit_id is not None
    }


def _dips(services: Services, who: Principal) -> set[int]:
    return {r.audit_id for x in services.dips.sessions(who=who) for r in x.rows}


READ_PATHS: dict[str, Callable[[Services, Principal], set[int]]] = {
    "views.rows": _shown(_rows),
    "views.count": _shown(_counted),
    "views.search": _shown(_search),
    "work.my_work": _shown(_my_work),
    "views.detail": _shown(_details),
    "weeks.week": _shown(_weeks),
    "dips.sessions": _shown(_dips),
}
