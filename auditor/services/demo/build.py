"""A fictional organisation for trying the application: teams, staff, cases, and audits in every
state across two financial years, plus observations and dip samples.

Everything goes through the same services as real use, so the demo data obeys every rule. The names
are invented; the case references are not real. Reproducible: the same seed gives the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from auditor.domain.activities import ActivityKind
from auditor.domain.clock import ManualClock
from auditor.domain.errors import ValidationError
from auditor.domain.forms import FieldType, FormDefinition
from auditor.domain.grades import Grade
from auditor.domain.periods import FinancialYear
from auditor.domain.permissions import Principal
from auditor.domain.reference import CASE_TYPES, Role
from auditor.domain.workflow import AuditState, Part
from auditor.services.access.accounts import DEMO_PASSWORD
from auditor.services.demo.text import PEOPLE, PHRASES, rationale_for, text_for

if TYPE_CHECKING:
    from auditor.services.container import Services

#: The demo's administrator (made first, by set-up; the demo password like everyone).
DEMO_ADMIN = "admin"
TEAMS = [
    ("MASH and Front Door", "Front Door"),
    ("Child Assessment Team", "Assessment"),
    ("Strengthening Families North", "Strengthening Families"),
    ("Strengthening Families South", "Strengthening Families"),
    ("Children in Care Team", "Children and Young People in Care"),
    ("Care Leavers Team", "Care Leavers"),
    ("Disabled Children's Team", "Disabled Children"),
]
# username, name, roles, team index or None, line manager username
STAFF: list[tuple[str, str, list[Role], int | None, str | None]] = [
    ("dcs.okafor", "Grace Okafor", [Role.DIRECTOR], None, None),
    ("hos.marsh", "Daniel Marsh", [Role.HEAD_OF_SERVICE], None, "dcs.okafor"),
    ("hos.iqbal", "Samina Iqbal", [Role.HEAD_OF_SERVICE], None, "dcs.okafor"),
    # the QA lead also looks after the set-up, so the demo has an administrator
    (
        "psw.fraser",
        "Helen Fraser",
        [Role.PRINCIPAL_SOCIAL_WORKER, Role.ADMINISTRATOR],
        None,
        "dcs.okafor",
    ),
    ("ap.nowak", "Łukasz Nowak", [Role.ADVANCED_PRACTITIONER], None, "psw.fraser"),
    ("ap.brennan", "Zoë Brennan", [Role.ADVANCED_PRACTITIONER], None, "psw.fraser"),
    ("sm.adeyemi", "Tunde Adeyemi", [Role.SERVICE_MANAGER], None, "hos.marsh"),
    ("sm.clarke", "Rebecca Clarke", [Role.SERVICE_MANAGER], None, "hos.iqbal"),
    ("sswm.hughes", "Owen Hughes", [Role.SENIOR_SOCIAL_WORK_MANAGER], None, "sm.adeyemi"),
    ("sswm.kaur", "Jaspreet Kaur", [Role.SENIOR_SOCIAL_WORK_MANAGER], None, "sm.clarke"),
    ("tm.walsh", "Siobhan Walsh", [Role.TEAM_MANAGER], 0, "sswm.hughes"),
    ("tm.ahmed", "Bilal Ahmed", [Role.TEAM_MANAGER], 1, "sswm.hughes"),
    ("tm.pearson", "Claire Pearson", [Role.TEAM_MANAGER], 2, "sswm.hughes"),
    ("tm.mensah", "Kofi Mensah", [Role.TEAM_MANAGER], 3, "sswm.kaur"),
    ("tm.dubois", "Amélie Dubois", [Role.TEAM_MANAGER], 4, "sswm.kaur"),
    ("tm.rees", "Gareth Rees", [Role.TEAM_MANAGER], 5, "sswm.kaur"),
    ("tm.lin", "Mei Lin", [Role.TEAM_MANAGER], 6, "sswm.kaur"),
    ("sw.patel", "Priya Patel", [Role.SOCIAL_WORKER], 0, "tm.walsh"),
    ("sw.jones", "Carys Jones", [Role.SOCIAL_WORKER], 1, "tm.ahmed"),
    ("sw.oconnor", "Liam O'Connor", [Role.SOCIAL_WORKER], 1, "tm.ahmed"),
    ("sw.ali", "Yasmin Ali", [Role.SOCIAL_WORKER], 2, "tm.pearson"),
    ("sw.smith", "Tom Smith", [Role.SOCIAL_WORKER], 2, "tm.pearson"),
    ("sw.kowalska", "Agnieszka Kowalska", [Role.SOCIAL_WORKER], 3, "tm.mensah"),
    ("sw.campbell", "Ross Campbell", [Role.SOCIAL_WORKER], 3, "tm.mensah"),
    ("sw.begum", "Rukhsana Begum", [Role.SOCIAL_WORKER], 4, "tm.dubois"),
    ("sw.taylor", "Jade Taylor", [Role.SOCIAL_WORKER], 4, "tm.dubois"),
    ("sw.osei", "Ama Osei", [Role.SOCIAL_WORKER], 5, "tm.rees"),
    ("sw.murphy", "Niamh Murphy", [Role.SOCIAL_WORKER], 6, "tm.lin"),
    ("iro.grant", "Marcus Grant", [Role.IRO], None, "hos.iqbal"),
]
# Which case types each team holds.
TEAM_CASE_TYPES = [
    ["early_help", "child_in_need"],
    ["child_in_need", "child_protection"],
    ["child_protection", "child_in_need", "early_help"],
    ["child_protection", "child_in_need"],
    ["child_in_care", "adoption"],
    ["care_leaver"],
    ["disabled_children", "child_in_need"],
]
SENIORS = [
    "hos.marsh",
    "hos.iqbal",
    "psw.fraser",
    "ap.nowak",
    "ap.brennan",
    "sm.adeyemi",
    "sm.clarke",
    "sswm.hughes",
    "sswm.kaur",
    "dcs.okafor",
]
GRADE_WEIGHTS = [
    (Grade.OUTSTANDING, 4),
    (Grade.GOOD, 40),
    (Grade.REQUIRES_IMPROVEMENT, 44),
    (Grade.INADEQUATE, 12),
]
#: Everyone's line manager (everyone but the director has one).
LINE_MANAGERS = {username: lm for username, _, _, _, lm in STAFF if lm is not None}


class _Demo:
    def __init__(self, services: Services, today: dt.date, seed: int) -> None:
        self.rng = random.Random(seed)
        self.today = today
        #: Two years of history are made "as they happened": every service of the demo's own set
        #: reads this clock, which the builder moves on as it goes. The caller's are untouched.
        self.clock = ManualClock(dt.datetime.combine(today, dt.time(9)))
        self.s = services.with_clock(self.clock)
        self.counts: dict[str, int] = {}
        self._principals: dict[str, Principal] = {}

    def who(self, username: str) -> Principal:
        """The principal of a demo person, for the builder's own calls (no password: the
        program's own work)."""
        if username not in self._principals:
            self._principals[username] = self.s.accounts.principal_of(username)
        return self._principals[username]

    def at(self, day: dt.date, hour: int = 10) -> None:
        self.clock.set(dt.datetime.combine(day, dt.time(hour, self.rng.randrange(60))))

    def grade(self, near: Grade | None = None) -> Grade:
        if near is not None and self.rng.random() < 0.75:
            return near
        if near is not None:  # the second look moves a grade by one step
            ordered = Grade.ordered()
            i = ordered.index(near) + self.rng.choice([-1, 1])
            return ordered[min(max(i, 0), 3)]
        grades = [g for g, _ in GRADE_WEIGHTS]
        weights = [w for _, w in GRADE_WEIGHTS]
        return self.rng.choices(grades, weights)[0]

    def answers(
        self,
        form: FormDefinition,
        case_type: str | None,
        overall: Grade | None,
        base: dict[str, Any] | None = None,
        preset: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Fill in a form plausibly; grades scatter around ``overall`` (or around ``base``'s)."""
        out: dict[str, Any] = dict(preset or {})
        for field in form.all_fields():
            if field.id in out or not field.applies_to(case_type):
                continue
            if field.visible_if is not None and not field.visible_if.holds(out):
                continue
            if field.type is FieldType.GRADE:
                if field.id == (form.overall.id if form.overall else None):
                    g = overall
                elif base and field.id in base:
                    g = self.grade(Grade(base[field.id]["grade"]))
                else:
                    g = self.grade(overall) if overall else None
                if g is None:
                    continue
                out[field.id] = {
                    "grade": g.value,
                    "rationale": rationale_for(field.id, g, self.rng),
                }
            elif field.type is FieldType.CHOICE:
                out[field.id] = self.rng.choice(field.choices).value
            elif field.type is FieldType.MULTICHOICE:
                out[field.id] = [c.value for c in self.rng.sample(field.choices, 2)]
            elif field.type is FieldType.YES_NO:
                out[field.id] = "yes" if self.rng.random() < 0.8 else "no"
            elif field.type is FieldType.DATE:
                out[field.id] = (
                    self.clock.today() - dt.timedelta(days=self.rng.randrange(1, 20))
                ).isoformat()
            elif field.type is FieldType.NUMBER:
                out[field.id] = self.rng.randrange(1, 10)
            elif field.type is FieldType.PEOPLE:
                out[field.id] = self.rng.sample(PEOPLE, 3)
            else:
                out[field.id] = text_for(field.id, self.rng)
        return out

    # ---------------------------------------------------------------------------------- building
    def organisation(self) -> list[tuple[str, str, str]]:
        """The administrator first (with the demo password), then as them the teams, the staff
        and the cases. Everyone's sign-in comes at the end of ``build_demo``."""
        self.admin = self.s.setup.first_administrator_here(
            DEMO_ADMIN, "Demo Administrator", [], password=DEMO_PASSWORD
        )
        admin = self.admin
        for name, service in TEAMS:
            self.s.directory.add_team(name, service, who=admin)
        for username, name, roles, team, lm in STAFF:
            self.s.directory.add_person(
                username, name, roles, TEAMS[team][0] if team is not None else None, lm, who=admin
            )
        workers_by_team: dict[int, list[str]] = {}
        for username, _, roles, team_index, _ in STAFF:
            if Role.SOCIAL_WORKER in roles and team_index is not None:
                workers_by_team.setdefault(team_index, []).append(username)
        cases = []
        number = 10480
        for i, (team_name, _) in enumerate(TEAMS):
            for j in range(7):
                number += self.rng.randrange(3, 40)
                case_type = TEAM_CASE_TYPES[i][j % len(TEAM_CASE_TYPES[i])]
                worker = workers_by_team[i][j % len(workers_by_team[i])]
                ref = f"CF-{number}"
                self.s.directory.add_case(ref, case_type, team_name, worker, who=admin)
                cases.append((ref, case_type, worker))
        assert {c[1] for c in cases} == set(CASE_TYPES)
        self.counts.update(teams=len(TEAMS), people=len(STAFF) + 1, cases=len(cases))
        return cases

    def three_tier(
        self, ref: str, case_type: str, worker: str, finish: dt.date, stop_at: AuditState
    ) -> None:
        a = self.s.audits
        line_manager = LINE_MANAGERS[worker]
        self.at(finish - dt.timedelta(days=24))
        audit_id = a.start(ref, by=self.who(line_manager))
        self.bump(stop_at)
        if stop_at is AuditState.SELF_REVIEW:
            if self.rng.random() < 0.5:  # a draft in progress
                a.save_draft(
                    audit_id,
                    Part.SELF_REVIEW,
                    by=self.who(worker),
                    answers={"strengths": text_for("strengths", self.rng)},
                )
            return
        self.at(finish - dt.timedelta(days=20))
        review_form = a.part_form(audit_id, Part.SELF_REVIEW, who=self.who(line_manager))
        a.submit(
            audit_id,
            Part.SELF_REVIEW,
            by=self.who(worker),
            answers=self.answers(review_form, case_type, None),
        )
        overall = self.grade()
        audit_form = a.part_form(audit_id, Part.FIRST_AUDIT, who=self.who(line_manager))
        first = self.answers(audit_form, case_type, overall)
        if stop_at is AuditState.FIRST_AUDIT:
            a.save_draft(audit_id, Part.FIRST_AUDIT, by=self.who(line_manager), answers=first)
            return
        self.at(finish - dt.timedelta(days=15))
        feedback_form = a.part_form(audit_id, Part.FAMILY_FEEDBACK, who=self.who(line_manager))
        outcome = (
            "feedback_given"
            if self.rng.random() < 0.7
            else self.rng.choice(["no_response", "declined", "not_appropriate"])
        )
        a.submit(
            audit_id,
            Part.FAMILY_FEEDBACK,
            by=self.who(line_manager),
            answers=self.answers(
                feedback_form, case_type, None, preset={"contact_outcome": outcome}
            ),
        )
        self.at(finish - dt.timedelta(days=12))
        a.submit(audit_id, Part.FIRST_AUDIT, by=self.who(line_manager), answers=first)
        seniors = [u for u in SENIORS if u != line_manager and u != LINE_MANAGERS[line_manager]]
        second_auditor = self.rng.choice(seniors)
        if stop_at is AuditState.SECOND_AUDIT:
            if self.rng.random() < 0.5:
                a.assign_second_auditor(audit_id, by=self.who(second_auditor), to=second_auditor)
            return
        self.at(finish - dt.timedelta(days=4))
        final = self.grade(overall)
        a.submit(
            audit_id,
            Part.SECOND_AUDIT,
            by=self.who(second_auditor),
            answers=self.answers(audit_form, case_type, final, first),
        )
        if stop_at is AuditState.RECONCILIATION:
            return
        self.at(finish - dt.timedelta(days=2))
        for c in self.s.views.detail(audit_id, who=self.who(second_auditor)).comparisons:
            if c.differs:
                a.note_difference(
                    audit_id,
                    c.domain_id,
                    self.rng.choice(PHRASES["reconcile"]),
                    by=self.who(second_auditor),
                )
        if final.needs_follow_up or self.rng.random() < 0.3:
            for _ in range(self.rng.randint(1, 2)):
                action = a.add_action(
                    audit_id,
                    by=self.who(second_auditor),
                    owner=self.rng.choice([worker, line_manager]),
                    due_on=finish + dt.timedelta(days=self.rng.randrange(14, 60)),
                    description=self.rng.choice(PHRASES["actions"]),
                )
                done = action.due_on - dt.timedelta(days=self.rng.randrange(0, 20))
                if action.due_on < self.today and self.rng.random() < 0.9:
                    self.at(done)
                    a.complete_action(action.id, by=self.who(action.owner_username))
        self.at(finish, 16)
        a.close(audit_id, by=self.who(second_auditor))

    def bump(self, state: AuditState) -> None:
        key = f"audits {state.label.lower()}"
        self.counts[key] = self.counts.get(key, 0) + 1

    def single(
        self,
        kind: ActivityKind,
        form_id: str,
        day: dt.date,
        ref: str | None,
        practitioner: str,
        by: str,
    ) -> None:
        self.at(day)
        form = self.s.forms.latest(form_id)
        self.s.audits.record(
            kind,
            by=self.who(by),
            form_id=form_id,
            case_reference=ref,
            practitioner=practitioner,
            answers=self.answers(form, None, self.grade()),
        )
        label = "observations" if kind is ActivityKind.OBSERVATION else "dip samples"
        self.counts[label] = self.counts.get(label, 0) + 1


def build_demo(
    services: Services,
    today: dt.date | None = None,
    seed: int = 2019,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Fill an empty database with the demo organisation; returns what was made, by kind.

    All or nothing: the whole organisation is one transaction (each service call a savepoint in
    it), so a build stopped part-way — killed, the power gone, a rule refused — leaves the
    database as empty as it was, and building again simply starts afresh."""
    from auditor.services.container import Services

    with services.db.all_or_nothing() as db:
        inside = Services(db, services.forms, services.clock)
        if not inside.is_empty():
            raise ValidationError(
                f"{services.path} already holds data; the demo organisation "
                "goes into a new database. Give another --db path."
            )
        counts = _build(inside, today or services.clock.today(), seed, progress)
        # Every demo person signs in with the documented demo password (one hash, shared).
        inside.accounts.give_everyone(DEMO_PASSWORD)
        return counts


def _build(
    services: Services, today: dt.date, seed: int, progress: Callable[[str], None] | None
) -> dict[str, int]:
    demo = _Demo(services, today, seed)
    cases = demo.organisation()
    start = FinancialYear.of(demo.today).first_day.replace(
        year=FinancialYear.of(demo.today).start_year - 1
    )
    span = (demo.today - dt.timedelta(days=40) - start).days
    closed = sorted(start + dt.timedelta(days=demo.rng.randrange(span)) for _ in range(34))
    for n, finish in enumerate(closed):
        ref, case_type, worker = cases[n % len(cases)]
        demo.three_tier(ref, case_type, worker, finish, AuditState.CLOSED)
        if progress:
            progress(f"audit {n + 1} of {len(closed)}")
    open_states = (
        [AuditState.SELF_REVIEW] * 3
        + [AuditState.FIRST_AUDIT] * 3
        + [AuditState.SECOND_AUDIT] * 3
        + [AuditState.RECONCILIATION] * 2
    )
    for n, state in enumerate(open_states):
        ref, case_type, worker = cases[(n * 3 + 5) % len(cases)]
        demo.three_tier(ref, case_type, worker, demo.today - dt.timedelta(days=n % 3), state)
    dips = [
        "dip_management_oversight",
        "dip_statutory_visits",
        "dip_pathway_plans",
        "dip_strategy_meetings",
    ]
    for n in range(30):
        ref, _, worker = cases[(n * 7) % len(cases)]
        day = start + dt.timedelta(days=demo.rng.randrange(span))
        observer = demo.rng.choice(SENIORS)
        if n % 2:
            demo.single(
                ActivityKind.OBSERVATION, "practice_observation", day, ref, worker, observer
            )
        else:
            demo.single(
                ActivityKind.DIP_SAMPLE, dips[n // 2 % len(dips)], day, ref, worker, observer
            )
    from auditor.services.demo.weeks import add_practice_weeks, tag_themes

    add_practice_weeks(demo)
    tag_themes(demo)
    return demo.counts
