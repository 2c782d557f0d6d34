"""Practice weeks for the demo organisation: one finished earlier in the year, one under way now,
each with four senior managers' days, observations, dip-sample sessions, audits and findings."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from auditor.domain.activities import ActivityKind
from auditor.domain.practice_weeks import OBSERVATION_TYPES, FindingKind, WeekStatus
from auditor.domain.workflow import Part

if TYPE_CHECKING:
    from auditor.services.demo.build import _Demo
    from auditor.services.dto import CaseDTO
    from auditor.services.practice.dto import AllocationDTO

ORGANISER = "ap.brennan"
PARTICIPANTS = ["hos.iqbal", "hos.marsh", "dcs.okafor", "sm.clarke"]
TEAMS = [
    "Strengthening Families North",
    "Strengthening Families South",
    "Child Assessment Team",
    "Children in Care Team",
]
DIPS = ["dip_statutory_visits", "dip_management_oversight"]
FINDINGS = {
    FindingKind.STRENGTH: [
        ("child_voice", "The child's own words are recorded and shaped the plan"),
        ("direct_work", "Warm, persistent relationship with the family"),
        ("child_voice", "Child seen alone and helped to say what worries them"),
        ("multi_agency", "School and health visitor fully involved in the plan"),
        ("direct_work", "Creative direct work using drawings and a three-houses tool"),
    ],
    FindingKind.DEVELOPMENT: [
        ("planning", "Plan actions are not specific or time-limited"),
        ("management_oversight", "Supervision records do not show the reasons for decisions"),
        ("planning", "No contingency plan if things do not improve"),
        ("recording", "Chronology out of date"),
        ("identity", "Identity and culture not explored with the family"),
    ],
}


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def add_practice_weeks(demo: _Demo) -> None:
    """Two practice weeks: the earlier one closed with all its work done, the current one under
    way with the days so far done."""
    today = demo.today
    earlier = _monday(today - dt.timedelta(days=56))
    current = _monday(today)
    _week(
        demo,
        f"Practice week {earlier:%B %Y}",
        earlier,
        ["Neglect", "The child's lived experience"],
        upto=earlier + dt.timedelta(days=14),
        close=True,
    )
    _week(
        demo,
        f"Practice week {current:%B %Y}",
        current,
        ["Management oversight"],
        upto=today,
        close=False,
    )


def _week(
    demo: _Demo, name: str, monday: dt.date, themes: list[str], *, upto: dt.date, close: bool
) -> None:
    s = demo.s
    demo.at(monday - dt.timedelta(days=14))
    week_id = s.weeks.create(
        name,
        monday,
        monday + dt.timedelta(days=11),
        by=demo.who(ORGANISER),
        themes=themes,
        teams=TEAMS,
    )
    cases = [c for c in s.directory.cases(who=demo.admin) if c.team in TEAMS and c.worker_username]
    workdays = [monday + dt.timedelta(days=i) for i in (0, 1, 2, 3, 7, 8, 9)]
    plan = []
    for n, person in enumerate(PARTICIPANTS):
        days = sorted(demo.rng.sample(workdays, 2 + n % 3))
        s.weeks.set_participant(week_id, person, days, by=demo.who(ORGANISER))
        for d, day in enumerate(days):
            case = cases[(n * 7 + d * 3) % len(cases)]
            plan.append(
                s.weeks.allocate(
                    week_id,
                    person,
                    day,
                    ActivityKind.OBSERVATION,
                    by=demo.who(ORGANISER),
                    case_reference=case.reference,
                    detail=demo.rng.choice(list(OBSERVATION_TYPES)),
                )
            )
            if day > upto and d == len(days) - 1:  # still to come: auditing alongside the worker
                plan.append(
                    s.weeks.allocate(
                        week_id,
                        person,
                        day,
                        ActivityKind.CASE_FILE_AUDIT,
                        by=demo.who(ORGANISER),
                        case_reference=cases[-1 - n].reference,
                        note="Audit with the allocated worker",
                    )
                )
            if d % 2 == 0:
                plan.append(
                    s.weeks.allocate(
                        week_id,
                        person,
                        day,
                        ActivityKind.DIP_SAMPLE,
                        by=demo.who(ORGANISER),
                        detail=DIPS[(n + d) % len(DIPS)],
                    )
                )
    s.weeks.set_status(week_id, WeekStatus.RUNNING, by=demo.who(ORGANISER))
    for item in s.weeks.week(week_id, who=demo.who(ORGANISER)).allocations:
        if item.day < upto or (item.day == upto and item.kind is ActivityKind.OBSERVATION):
            _carry_out(demo, item, cases)
    if close:
        s.weeks.set_status(week_id, WeekStatus.CLOSED, by=demo.who(ORGANISER))
    demo.counts["practice weeks"] = demo.counts.get("practice weeks", 0) + 1


def _carry_out(demo: _Demo, item: AllocationDTO, cases: list[CaseDTO]) -> None:
    s = demo.s
    demo.at(item.day, 11)
    kind, number = s.weeks.start_allocation(item.id, by=demo.who(item.person_username))
    if kind == "dip":
        form = s.forms.latest(item.detail)
        for case in demo.rng.sample(cases, 4):
            s.dips.record_case(
                number,
                case.reference,
                demo.answers(form, None, demo.grade()),
                by=demo.who(item.person_username),
            )
        demo.at(item.day, 16)
        s.dips.finish(
            number,
            by=demo.who(item.person_username),
            note="Most records in timescale; oversight notes thin in two cases.",
        )
        return
    form = s.forms.latest("practice_observation")
    preset = {
        "observation_type": item.detail,
        "observed_on": item.day.isoformat(),
        "feedback_given_on": item.day.isoformat(),
    }
    for finding_kind, options in FINDINGS.items():  # while under way: completed is final
        domain, text = demo.rng.choice(options)
        s.findings.add(
            number, finding_kind, text, by=demo.who(item.person_username), domain_id=domain
        )
    s.audits.submit(
        number,
        Part.RECORD,
        by=demo.who(item.person_username),
        answers=demo.answers(form, None, demo.grade(), preset=preset),
    )
    demo.counts["observations"] = demo.counts.get("observations", 0) + 1


THEMES = {
    "domestic_abuse": 0.3,
    "neglect": 0.25,
    "exploitation": 0.12,
    "mental_health": 0.2,
    "substance_misuse": 0.15,
}


def tag_themes(demo: _Demo) -> None:
    """Theme tags on about half the demo cases, so thematic samples have something to draw on."""
    for case in demo.s.directory.cases(who=demo.admin):
        tags = [t for t, share in THEMES.items() if demo.rng.random() < share]
        if tags:
            demo.s.sampling.tag(case.reference, tags, by=demo.who(ORGANISER))
