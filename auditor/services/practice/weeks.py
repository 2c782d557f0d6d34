"""Use cases for practice weeks: set one up, plan who does what on which day, start the planned
work, follow progress, and summarise grades and findings. One transaction per call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from auditor.domain import practice_weeks as pw
from auditor.domain.activities import ActivityKind
from auditor.domain.errors import NotFound, RuleViolation, ValidationError
from auditor.domain.forms import FormUse
from auditor.domain.permissions import Action, Principal, Scope, require
from auditor.domain.practice_weeks import FindingKind, WeekStatus
from auditor.domain.workflow import AuditState
from auditor.services.access.guard import check
from auditor.services.access.scope import visible_audits
from auditor.services.audits.service import AuditService, Link, record_action
from auditor.services.practice.dips import DipService
from auditor.services.practice.dto import AllocationDTO, ParticipantDTO, WeekDTO, WeekSummary
from auditor.services.practice.plan_status import (
    allocation_dto,
    audit_grade_so_far,
    done_allocations,
    finding_counts,
    week_activities,
)
from auditor.services.reference.records import (
    SQLITE_MAX_INT,
    find_case,
    find_person,
    find_team,
    person_ref,
)
from db.engine import Database
from db.models import Allocation, Audit, Finding, Person, PracticeWeek, PracticeWeekDay
from forms import FormLibrary

THEME_SEPARATOR = "; "


class _AlreadyStarted(RuleViolation):
    """Someone started the same planned item a moment earlier; open theirs instead."""


def find_week(session: Session, week: int | str) -> PracticeWeek:
    """By number or by name."""
    number = int(week) if str(week).isdigit() else None
    found = (
        (session.get(PracticeWeek, number) if number <= SQLITE_MAX_INT else None)
        if number is not None
        else session.scalar(select(PracticeWeek).where(PracticeWeek.name == str(week).strip()))
    )
    if found is None:
        raise NotFound(
            f"There is no practice week '{week}'. 'python main.py week list' shows them."
        )
    return found


def _organiser(session: Session, by: Principal) -> Person:
    """``by``, who plans the week (``PLAN_PRACTICE_WEEK``, then the workflow's own rule)."""
    person, _ = check(session, by, Action.PLAN_PRACTICE_WEEK)
    if not person_ref(person).is_senior_or_qa:
        raise RuleViolation(
            f"{person.name} cannot plan practice weeks: that is for senior "
            "managers and the quality-assurance team."
        )
    return person


class PracticeWeekService:
    def __init__(
        self, db: Database, forms: FormLibrary, audits: AuditService, dips: DipService
    ) -> None:
        self.db, self.forms, self.audits, self.dips = db, forms, audits, dips

    # --------------------------------------------------------------------------------- the week
    def create(
        self,
        name: str,
        starts_on: dt.date,
        ends_on: dt.date,
        *,
        by: Principal,
        themes: Iterable[str] = (),
        teams: Iterable[str] = (),
    ) -> int:
        with self.db.transaction() as s:
            _organiser(s, by)
            name = name.strip()
            if not name:
                raise ValidationError("Give the practice week a name, for example 'February 2027'.")
            pw.check_dates(starts_on, ends_on)
            if s.scalar(select(PracticeWeek.id).where(PracticeWeek.name == name)):
                raise ValidationError(f"There is already a practice week called '{name}'.")
            week = PracticeWeek(
                name=name,
                starts_on=starts_on,
                ends_on=ends_on,
                theme=THEME_SEPARATOR.join(t.strip() for t in themes if t.strip()),
                status=WeekStatus.PLANNED,
                teams=[find_team(s, t) for t in dict.fromkeys(teams)],
            )
            s.add(week)
            s.flush()
            return week.id

    def update(
        self,
        week_id: int | str,
        *,
        by: Principal,
        themes: Iterable[str] | None = None,
        teams: Iterable[str] | None = None,
    ) -> None:
        with self.db.transaction() as s:
            _organiser(s, by)
            week = find_week(s, week_id)
            pw.check_open(WeekStatus(week.status))
            if themes is not None:
                week.theme = THEME_SEPARATOR.join(t.strip() for t in themes if t.strip())
            if teams is not None:
                week.teams = [find_team(s, t) for t in dict.fromkeys(teams)]

    def set_status(self, week_id: int | str, wanted: WeekStatus, *, by: Principal) -> None:
        with self.db.transaction() as s:
            _organiser(s, by)
            week = find_week(s, week_id)
            week.status = pw.next_status(WeekStatus(week.status), wanted)

    def set_participant(
        self, week_id: int | str, person: str, days: Iterable[dt.date], *, by: Principal
    ) -> None:
        """The days ``person`` gives (replacing any given before); no days removes them."""
        days = sorted(set(days))
        with self.db.transaction() as s:
            _organiser(s, by)
            week = find_week(s, week_id)
            pw.check_open(WeekStatus(week.status))
            who = find_person(s, person)
            if days:
                if not person_ref(who).is_senior_or_qa:
                    raise RuleViolation(
                        f"{who.name} is not a senior manager or in the QA team; "
                        "practice weeks are for them."
                    )
                pw.check_days(who.name, days, week.starts_on, week.ends_on)
            stranded = [a for a in week.allocations if a.person_id == who.id and a.day not in days]
            if stranded:
                raise RuleViolation(
                    f"{who.name} has work planned on {stranded[0].day:%d/%m/%Y}; "
                    "move or remove it before taking that day away."
                )
            week.days = [d for d in week.days if d.person_id != who.id] + [
                PracticeWeekDay(person_id=who.id, day=d) for d in days
            ]

    # --------------------------------------------------------------------------------- the plan
    def allocate(
        self,
        week_id: int | str,
        person: str,
        day: dt.date,
        kind: ActivityKind,
        *,
        by: Principal,
        case_reference: str | None = None,
        practitioner: str | None = None,
        detail: str = "",
        note: str = "",
    ) -> int:
        with self.db.transaction() as s:
            _organiser(s, by)
            week = find_week(s, week_id)
            pw.check_open(WeekStatus(week.status))
            who = find_person(s, person)
            case = find_case(s, case_reference) if case_reference else None
            observed = (
                find_person(s, practitioner)
                if practitioner
                else (case.worker if case and kind is ActivityKind.OBSERVATION else None)
            )
            if kind is ActivityKind.DIP_SAMPLE:
                detail = self._dip_form(detail)
            pw.check_allocation(
                pw.PlannedWork(
                    who.username,
                    frozenset(d.day for d in week.days if d.person_id == who.id),
                    day,
                    kind,
                    case.team.name if case else None,
                    observed.username if observed else None,
                    detail,
                ),
                frozenset(t.name for t in week.teams),
            )
            allocation = Allocation(
                person_id=who.id,
                day=day,
                kind=kind,
                case_id=case.id if case else None,
                practitioner_id=observed.id if observed else None,
                detail=detail,
                note=note.strip(),
            )
            week.allocations.append(allocation)
            s.flush()
            return allocation.id

    def _dip_form(self, form_id: str) -> str:
        dips = [f.id for f in self.forms.latest_for(FormUse.DIP_SAMPLE)]
        if form_id not in dips:
            raise ValidationError(f"Say which dip sample: one of {', '.join(dips)}.")
        return form_id

    def remove_allocation(self, allocation_id: int, *, by: Principal) -> None:
        with self.db.transaction() as s:
            _organiser(s, by)
            allocation = s.get(Allocation, allocation_id)
            if allocation is None:
                raise NotFound(f"There is no planned item number {allocation_id}.")
            week = s.get_one(PracticeWeek, allocation.week_id)  # the plan goes with its week
            pw.check_open(WeekStatus(week.status))
            if allocation.started:
                raise RuleViolation(
                    "This work has been started; cancel the activity itself "
                    "instead of removing it from the plan."
                )
            s.delete(allocation)

    def start_allocation(self, allocation_id: int, *, by: Principal) -> tuple[str, int]:
        """Begin the planned work: ('audit', id) for an audit or observation, ('dip', session id)
        for a dip sample. Only the person it is allocated to starts it, and only if their roles
        allow what it starts (``START_AUDIT``, ``RECORD_OBSERVATION``, ``RUN_DIP_SAMPLE``); work
        already started is opened, never started twice (the database refuses a second link too)."""
        with self.db.reading() as s:
            me, fresh = check(s, by)
            allocation = s.get(Allocation, allocation_id)
            if allocation is None:
                raise NotFound(f"There is no planned item number {allocation_id}.")
            require(fresh, _starts(ActivityKind(allocation.kind)))
            week = s.get_one(PracticeWeek, allocation.week_id)  # the plan goes with its week
            if me.id != allocation.person_id:
                raise RuleViolation(
                    f"This is {allocation.person.name}'s work in the plan; only they can start it."
                )
            started = _started(allocation)
            if started is not None:
                return started
            if WeekStatus(week.status) is not WeekStatus.RUNNING:
                raise RuleViolation("Planned work starts once the practice week is under way.")
            kind = ActivityKind(allocation.kind)
            case_ref = allocation.case.reference if allocation.case else None
            practitioner = (
                s.get_one(Person, allocation.practitioner_id).username
                if allocation.practitioner_id
                else None
            )
            detail, day, week_id = allocation.detail, allocation.day, week.id
        try:
            return self._begin(
                allocation_id, kind, by, case_ref, practitioner, detail, day, week_id
            )
        except _AlreadyStarted:
            with self.db.reading() as s:
                allocation = s.get(Allocation, allocation_id)
                if allocation is None:  # the organiser took it out of the plan meanwhile
                    raise NotFound(
                        f"Planned item number {allocation_id} has just been removed "
                        "from the plan; nothing was started."
                    ) from None
                started = _started(allocation)
        # The link is refused only when an activity or session is linked, and neither is deleted.
        assert started is not None, f"planned item {allocation_id} refused a link yet has none"
        return started

    def _begin(
        self,
        allocation_id: int,
        kind: ActivityKind,
        by: Principal,
        case_ref: str | None,
        practitioner: str | None,
        detail: str,
        day: dt.date,
        week_id: int,
    ) -> tuple[str, int]:
        if kind is ActivityKind.DIP_SAMPLE:
            return "dip", self.dips.start_session(
                detail,
                by=by,
                practice_week_id=week_id,
                link=_linker(allocation_id, Allocation.dip_session_id),
            )
        link = _linker(allocation_id, Allocation.audit_id)
        if kind is ActivityKind.OBSERVATION:
            answers = {"observed_on": day.isoformat()}
            if detail:
                answers["observation_type"] = detail
            audit_id = self.audits.record(
                kind,
                by=by,
                form_id="practice_observation",
                case_reference=case_ref,
                practitioner=practitioner,
                answers=answers,
                complete=False,
                practice_week_id=week_id,
                link=link,
            )
        else:
            # pw.check_allocation, on the only path that plans work, refuses an audit without a case
            assert case_ref is not None, f"planned audit {allocation_id} has no case"
            audit_id = self.audits.start(
                case_ref, by=by, kind=kind, first_auditor=by, practice_week_id=week_id, link=link
            )
        return "audit", audit_id

    # ------------------------------------------------------------------------------- what is there
    def weeks(self, *, who: Principal) -> list[WeekDTO]:
        """Every practice week, without its plan (``READ_AUDITS``: a week's name, dates, teams
        and participants name no case)."""
        with self.db.reading() as s:
            check(s, who, Action.READ_AUDITS)
            weeks = s.scalars(select(PracticeWeek).order_by(PracticeWeek.starts_on.desc()))
            return [self._week_dto(s, w, None) for w in weeks]

    def week(self, week_id: int | str, *, who: Principal) -> WeekDTO:
        """One week with the planned items ``who`` may see (``READ_AUDITS``): all of them for those
        who read every team; otherwise their own work, the work on them or their cases, and the
        work whose activity is within their reach."""
        with self.db.reading() as s:
            _, fresh = check(s, who, Action.READ_AUDITS)
            return self._week_dto(s, find_week(s, week_id), fresh)

    def _week_dto(self, s: Session, week: PracticeWeek, who: Principal | None) -> WeekDTO:
        """``who`` None: the week without its plan."""
        people: dict[int, tuple[str, str, list[dt.date]]] = {}
        for d in week.days:
            people.setdefault(d.person_id, (d.person.username, d.person.name, []))[2].append(d.day)
        allocations: list[AllocationDTO] = []
        if who is not None:
            audits, sessions = week_activities(s, week)
            done = done_allocations(week.allocations, audits, sessions)
            shown = _visible_allocations(s, who, week.allocations)
            names = {
                p.id: p.name
                for p in s.scalars(
                    select(Person).where(
                        Person.id.in_({x.practitioner_id for x in shown if x.practitioner_id})
                    )
                )
            }
            allocations = [
                allocation_dto(a, done.get(a.id), names, self._detail_label(a))
                for a in sorted(shown, key=lambda a: (a.day, a.person.name))
            ]
        return WeekDTO(
            id=week.id,
            name=week.name,
            starts_on=week.starts_on,
            ends_on=week.ends_on,
            themes=tuple(t for t in week.theme.split(THEME_SEPARATOR) if t),
            status=WeekStatus(week.status),
            teams=tuple(t.name for t in week.teams),
            participants=tuple(
                ParticipantDTO(u, n, tuple(sorted(d)))
                for u, n, d in sorted(people.values(), key=lambda p: p[1])
            ),
            allocations=tuple(allocations),
        )

    def _detail_label(self, allocation: Allocation) -> str:
        if allocation.kind == ActivityKind.DIP_SAMPLE and allocation.detail:
            return self.forms.latest_usable(allocation.detail).title
        return pw.OBSERVATION_TYPES.get(allocation.detail, allocation.detail)

    def summary(self, week_id: int | str, *, who: Principal) -> WeekSummary:
        """Progress against the plan, grades so far by activity type, recurring findings — under
        the blind rule, so a first audit awaiting its blind second audit shows nowhere here; over
        the planned items and activities ``who`` may see (``READ_AUDITS``)."""
        week = self.week(week_id, who=who)
        with self.db.reading() as s:
            _, fresh = check(s, who, Action.READ_AUDITS)
            audits = {
                a.id: a
                for a in s.scalars(
                    select(Audit).where(
                        Audit.practice_week_id == week.id,
                        Audit.state != AuditState.CANCELLED,
                        visible_audits(fresh),
                    )
                )
            }
            graded = [
                (ActivityKind(a.kind).category, g)
                for a in audits.values()
                if (g := audit_grade_so_far(a)) is not None
            ]
            titles = {
                f.id: f.label for f in self.forms.latest_usable("case_file_audit").domains(None)
            }
            findings = [
                (FindingKind(f.kind), titles.get(f.domain_id, f.domain_id), f.text)
                for f in s.scalars(
                    select(Finding).where(Finding.audit_id.in_(list(audits))).order_by(Finding.id)
                )
                if finding_counts(f, audits[f.audit_id])
            ]
        facts = [
            pw.AllocationFacts(a.person_name, a.day, a.kind.category, a.done)
            for a in week.allocations
        ]
        return WeekSummary(
            week,
            pw.progress(facts),
            pw.grades_by_activity(graded),
            pw.recurring_findings(findings),
            len(audits),
        )


def _starts(kind: ActivityKind) -> Action:
    """The action starting a planned item of ``kind`` needs."""
    return Action.START_AUDIT if kind.is_three_tier else record_action(kind)


def _visible_allocations(
    s: Session, who: Principal, allocations: Iterable[Allocation]
) -> list[Allocation]:
    """The planned items ``who`` may see: all at ALL reach; otherwise their own, those observing
    them or on their cases (or their teams' at TEAM reach), and those whose activity they may
    read."""
    allocations = list(allocations)
    if who.scope is Scope.ALL:
        return allocations
    linked = [a.audit_id for a in allocations if a.audit_id is not None]
    readable = set(s.scalars(select(Audit.id).where(Audit.id.in_(linked), visible_audits(who))))
    me = who.person_id

    def shown(a: Allocation) -> bool:
        if me in (a.person_id, a.practitioner_id) or a.audit_id in readable:
            return True
        if a.case is None:
            return False
        return a.case.worker_id == me or (
            who.scope is Scope.TEAM and a.case.team_id in who.team_ids
        )

    return [a for a in allocations if shown(a)]


def _started(allocation: Allocation) -> tuple[str, int] | None:
    """('dip', session id) or ('audit', id) of what carries out the planned item; None before it
    is started."""
    if allocation.dip_session_id is not None:
        return "dip", allocation.dip_session_id
    if allocation.audit_id is not None:
        return "audit", allocation.audit_id
    return None


def _linker(allocation_id: int, column: InstrumentedAttribute[int | None]) -> Link:
    """Record, in the transaction that creates it, which activity or session carries out the
    planned item — only if nothing does yet (so a second start at the same moment rolls back)."""

    def link(session: Session, new_id: int) -> None:
        result = cast(
            CursorResult[Any],
            session.execute(
                update(Allocation)
                .where(
                    Allocation.id == allocation_id,
                    Allocation.audit_id.is_(None),
                    Allocation.dip_session_id.is_(None),
                )
                .values({column.key: new_id})
                .execution_options(synchronize_session=False)
            ),
        )
        if result.rowcount != 1:
            raise _AlreadyStarted("This planned work has just been started; it is opened instead.")

    return link
