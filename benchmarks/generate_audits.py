"""The activities of the generated organisation (see ``generate.py``): three-tier audits whose stage
follows from how long ago they started, observations and dip-sample sessions, as lists of dicts for
Core ``insert()``."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from auditor.domain.activities import ActivityKind
from auditor.domain.grades import Grade
from auditor.domain.periods import FinancialYear
from auditor.domain.reference import CASE_TYPES, Role
from auditor.domain.workflow import AuditState, Part
from forms import FormLibrary

GRADES = Grade.ordered()
KINDS = [
    (ActivityKind.CASE_FILE_AUDIT, 70),
    (ActivityKind.THEMATIC_AUDIT, 5),
    (ActivityKind.SELF_EVALUATION_AUDIT, 5),
    (ActivityKind.OBSERVATION, 12),
    (ActivityKind.DIP_SAMPLE, 8),
]
TRUE_GRADE = [6, 42, 40, 12]  # how good the work really is: O, G, RI, I
FIRST_SHIFT = [(-1, 20), (0, 65), (1, 15)]  # first-line managers are a little generous
SECOND_SHIFT = [(-1, 10), (0, 70), (1, 20)]
THEMES = ["neglect", "domestic_abuse", "exploitation", "missing_from_care"]
DIP_FORMS = [
    "dip_statutory_visits",
    "dip_management_oversight",
    "dip_pathway_plans",
    "dip_strategy_meetings",
]
STAGES = [
    AuditState.SELF_REVIEW,
    AuditState.FIRST_AUDIT,
    AuditState.SECOND_AUDIT,
    AuditState.RECONCILIATION,
    AuditState.CLOSED,
]
YEARS = 6


@dataclass
class Org:
    by_role: dict[Role, list[int]] = field(default_factory=dict)
    manager_of: dict[int, int] = field(default_factory=dict)
    team_workers: dict[int, list[int]] = field(default_factory=dict)
    cases: list[tuple[int, str, int, int]] = field(default_factory=list)  # id, type, team, worker

    @property
    def seniors(self) -> list[int]:
        return [p for role, ids in self.by_role.items() if role.is_senior_or_qa for p in ids]


@dataclass
class Rows:
    audits: list[dict[str, Any]] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)
    grades: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)


def _weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    return rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]


class AuditMaker:
    def __init__(self, org: Org, rng: random.Random, today: dt.date, forms: FormLibrary) -> None:
        self.org, self.rng, self.today = org, rng, today
        self.first_day = FinancialYear(FinancialYear.of(today).start_year - YEARS + 1).first_day
        form = forms.latest("case_file_audit")
        self.domains = {t: [f.id for f in form.domains(t)] for t in CASE_TYPES}
        self.response_id = self.action_id = self.session_id = 0
        self.session: dict[str, Any] | None = None
        self.session_left = 0
        self.seniors = org.seniors
        self.now = dt.datetime.combine(today, dt.time(17, 0))

    def make(self, first_id: int, count: int) -> Rows:
        rows = Rows()
        for audit_id in range(first_id, first_id + count):
            kind = _weighted(self.rng, KINDS)
            started = self._moment(
                self.first_day
                + dt.timedelta(days=self.rng.randrange((self.today - self.first_day).days + 1))
            )
            if kind.is_three_tier:
                self._three_tier(rows, audit_id, kind, started)
            elif kind is ActivityKind.OBSERVATION:
                self._observation(rows, audit_id, started)
            else:
                self._dip(rows, audit_id, started)
        return rows

    # ----------------------------------------------------------------------------- helpers
    def _moment(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(8 + self.rng.randrange(10), self.rng.randrange(60)))

    def _later(self, moment: dt.datetime, low: int, high: int) -> dt.datetime:
        return moment + dt.timedelta(
            days=self.rng.randint(low, high), minutes=self.rng.randrange(480)
        )

    def _shifted(self, rank: int, shifts: list[tuple[int, int]]) -> int:
        return min(3, max(0, rank + _weighted(self.rng, shifts)))

    def _response(
        self,
        rows: Rows,
        audit_id: int,
        part: Part,
        form_id: str,
        author: int,
        at: dt.datetime,
        submitted: bool,
        overall: int | None = None,
    ) -> int:
        self.response_id += 1
        rows.responses.append(
            dict(
                id=self.response_id,
                audit_id=audit_id,
                part=part.value,
                form_id=form_id,
                form_version=1,
                author_id=author,
                status="submitted" if submitted else "draft",
                overall_grade=GRADES[overall].value if overall is not None and submitted else None,
                overall_rationale="",
                created_at=at - dt.timedelta(hours=2),
                updated_at=at,
                submitted_at=at if submitted else None,
            )
        )
        return self.response_id

    def _graded(
        self,
        rows: Rows,
        audit_id: int,
        part: Part,
        author: int,
        at: dt.datetime,
        domains: list[str],
        truth: int,
        shifts: list[tuple[int, int]],
    ) -> int:
        """A submitted audit tier with every domain graded; returns its overall grade's index."""
        ranks = [self._shifted(truth, shifts) for _ in domains]
        overall = round(sum(ranks) / len(ranks))
        rid = self._response(rows, audit_id, part, "case_file_audit", author, at, True, overall)
        rows.grades += [
            dict(response_id=rid, domain_id=d, grade=GRADES[r].value, rationale="")
            for d, r in zip(domains, ranks, strict=True)
        ]
        return overall

    def _audit_row(
        self,
        audit_id: int,
        kind: ActivityKind,
        case: tuple[int, str, int, int] | None,
        worker: int | None,
        started: dt.datetime,
        **extra: Any,
    ) -> dict[str, Any]:
        row = dict(
            id=audit_id,
            kind=kind.value,
            state=AuditState.CLOSED.value,
            case_id=case[0] if case else None,
            case_type=case[1] if case else None,
            team_id=case[2] if case else None,
            worker_id=worker,
            worker_line_manager_id=self.org.manager_of.get(worker or 0),
            first_auditor_id=None,
            second_auditor_id=None,
            form_id="case_file_audit",
            form_version=1,
            blind=True,
            theme="",
            practice_week_id=None,
            dip_session_id=None,
            created_by_id=worker or 1,
            created_at=started,
            due_on=None,
            final_grade=None,
            completed_on=None,
            cancelled_reason="",
            self_review_waived_reason="",
        )
        row.update(extra)
        return row

    # --------------------------------------------------------------------------- three tiers
    def _stage(self, times: list[dt.datetime]) -> tuple[AuditState, int]:
        """The state an audit started at ``times[0]`` is in today, and how many tiers it passed:
        most follow the timeline, a few are stuck open or were cancelled part way."""
        reached = sum(t <= self.now for t in times[1:])
        roll = self.rng.random()
        if roll < 0.04:
            return AuditState.CANCELLED, self.rng.randint(0, min(reached, 3))
        if roll < 0.07 and reached == 4:
            reached = self.rng.randrange(1, 4)
        return STAGES[reached], reached

    def _three_tier(
        self, rows: Rows, audit_id: int, kind: ActivityKind, started: dt.datetime
    ) -> None:
        rng, org = self.rng, self.org
        case = rng.choice(org.cases)
        worker = case[3]
        line_manager = org.manager_of[worker]
        first = line_manager if rng.random() < 0.9 else rng.choice(org.by_role[Role.TEAM_MANAGER])
        second = rng.choice(self.seniors)
        while second == line_manager or second == org.manager_of.get(line_manager):
            second = rng.choice(self.seniors)
        times = [started]
        for low, high in ((2, 14), (3, 21), (5, 30), (1, 20)):
            times.append(self._later(times[-1], low, high))
        state, reached = self._stage(times)
        assigned = reached >= 3 or rng.random() < (0.7 if reached == 2 else 0.15)
        waived = reached >= 1 and rng.random() < 0.06
        row = self._audit_row(
            audit_id,
            kind,
            case,
            worker,
            started,
            state=state.value,
            first_auditor_id=first,
            second_auditor_id=second if assigned else None,
            blind=rng.random() < 0.9,
            theme=rng.choice(THEMES) if kind is ActivityKind.THEMATIC_AUDIT else "",
            created_by_id=first,
            due_on=started.date() + dt.timedelta(days=28),
            self_review_waived_reason="Worker on long-term leave" if waived else "",
            cancelled_reason="Case closed before the audit finished"
            if state is AuditState.CANCELLED
            else "",
        )
        final = self._tiers(rows, audit_id, case, times, reached, waived, first, second)
        if final is not None:
            row["final_grade"] = GRADES[final].value
            if final >= 2:
                self._actions(rows, audit_id, (first, worker), second, times[3])
        if state is AuditState.CLOSED:
            row["completed_on"] = times[4].date()
        elif state is not AuditState.CANCELLED and reached < 3 and rng.random() < 0.35:
            author = (worker, first, second if assigned else None)[reached]
            if author is not None:
                part = (Part.SELF_REVIEW, Part.FIRST_AUDIT, Part.SECOND_AUDIT)[reached]
                self._response(
                    rows,
                    audit_id,
                    part,
                    part.value if reached == 0 else "case_file_audit",
                    author,
                    self.now,
                    False,
                )
        rows.audits.append(row)

    def _tiers(
        self,
        rows: Rows,
        audit_id: int,
        case: tuple[int, str, int, int],
        times: list[dt.datetime],
        reached: int,
        waived: bool,
        first: int,
        second: int,
    ) -> int | None:
        """The submitted parts of the tiers passed; returns the second audit's overall grade."""
        truth = _weighted(self.rng, list(enumerate(TRUE_GRADE)))
        domains = self.domains[case[1]]
        if reached >= 1 and not waived:
            rid = self._response(
                rows, audit_id, Part.SELF_REVIEW, "self_review", case[3], times[1], True
            )
            if self.rng.random() < 0.5:
                rows.grades.append(
                    dict(
                        response_id=rid,
                        domain_id="self_grade",
                        rationale="",
                        grade=GRADES[self._shifted(truth, FIRST_SHIFT)].value,
                    )
                )
        if reached >= 2:
            self._response(
                rows,
                audit_id,
                Part.FAMILY_FEEDBACK,
                "family_feedback",
                first,
                times[2] - dt.timedelta(hours=3),
                True,
            )
            self._graded(
                rows, audit_id, Part.FIRST_AUDIT, first, times[2], domains, truth, FIRST_SHIFT
            )
        if reached >= 3:
            return self._graded(
                rows, audit_id, Part.SECOND_AUDIT, second, times[3], domains, truth, SECOND_SHIFT
            )
        return None

    def _actions(
        self, rows: Rows, audit_id: int, owners: tuple[int, int], by: int, agreed: dt.datetime
    ) -> None:
        for owner in owners[: self.rng.randint(1, 2)]:
            self.action_id += 1
            due = agreed.date() + dt.timedelta(days=self.rng.randint(20, 90))
            done = (
                min(self.today, due + dt.timedelta(days=self.rng.randint(-15, 20)))
                if due < self.today and self.rng.random() < 0.85
                else None
            )
            rows.actions.append(
                dict(
                    id=self.action_id,
                    audit_id=audit_id,
                    description="Update the plan with dates.",
                    owner_id=owner,
                    due_on=due,
                    created_by_id=by,
                    created_at=agreed + dt.timedelta(days=1),
                    completed_on=done,
                    completed_by_id=owner if done else None,
                )
            )

    # ------------------------------------------------------------------ observations, dips
    def _single(
        self,
        rows: Rows,
        audit_id: int,
        kind: ActivityKind,
        form_id: str,
        observer: int,
        case: tuple[int, str, int, int] | None,
        worker: int | None,
        started: dt.datetime,
        **extra: Any,
    ) -> None:
        done_at = self._later(started, 0, 10)
        closed = done_at <= self.now and self.rng.random() < 0.96
        grade = _weighted(self.rng, list(enumerate(TRUE_GRADE)))
        row = self._audit_row(
            audit_id,
            kind,
            case,
            worker,
            started,
            first_auditor_id=observer,
            form_id=form_id,
            created_by_id=observer,
            **extra,
        )
        if closed:
            row.update(final_grade=GRADES[grade].value, completed_on=done_at.date())
            self._response(rows, audit_id, Part.RECORD, form_id, observer, done_at, True, grade)
        else:
            row["state"] = AuditState.IN_PROGRESS.value
            if self.rng.random() < 0.5:
                self._response(rows, audit_id, Part.RECORD, form_id, observer, self.now, False)
        rows.audits.append(row)

    def _observation(self, rows: Rows, audit_id: int, started: dt.datetime) -> None:
        case = self.rng.choice(self.org.cases) if self.rng.random() < 0.8 else None
        worker = (
            case[3]
            if case
            else self.rng.choice(
                self.org.team_workers[self.rng.randrange(1, len(self.org.team_workers) + 1)]
            )
        )
        self._single(
            rows,
            audit_id,
            ActivityKind.OBSERVATION,
            "practice_observation",
            self.rng.choice(self.seniors),
            case,
            worker,
            started,
        )

    def _dip(self, rows: Rows, audit_id: int, started: dt.datetime) -> None:
        if self.session is None or self.session_left == 0:
            self.session_id += 1
            self.session_left = self.rng.randint(8, 15)
            self.session = dict(
                id=self.session_id,
                form_id=self.rng.choice(DIP_FORMS),
                form_version=1,
                auditor_id=self.rng.choice(self.seniors),
                practice_week_id=None,
                started_at=started,
                note="",
                finished_at=self._later(started, 0, 3),
            )
            if self.session["finished_at"] > self.now:
                self.session["finished_at"] = None
            rows.sessions.append(self.session)
        self.session_left -= 1
        session = self.session
        case = self.rng.choice(self.org.cases)
        self._single(
            rows,
            audit_id,
            ActivityKind.DIP_SAMPLE,
            session["form_id"],
            session["auditor_id"],
            case,
            case[3],
            session["started_at"],
            dip_session_id=session["id"],
        )
