"""``week``, ``observation``, ``dip`` and ``finding`` commands: practice weeks and their work."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from auditor.cli.common import (
    Commands,
    Format,
    Handler,
    Parser,
    add_period,
    command,
    date_arg,
    days_arg,
    formats,
    group,
    number_arg,
    plain,
    read_answers,
    render,
    to_json,
)
from auditor.domain.activities import ActivityKind, Category
from auditor.domain.grades import Grade
from auditor.domain.practice_weeks import OBSERVATION_TYPES, FindingKind, WeekStatus
from auditor.domain.summary import SMALL_SAMPLE
from auditor.domain.workflow import Part

if TYPE_CHECKING:
    from auditor.services import Services
    from auditor.services.practice.dto import DipSessionDTO, WeekSummary

KINDS = {
    "audit": ActivityKind.CASE_FILE_AUDIT,
    "observation": ActivityKind.OBSERVATION,
    "dip": ActivityKind.DIP_SAMPLE,
}
GRADE_HEADERS = ("activity", "O", "G", "O+G", "O+G %", "RI", "I", "RI+I", "RI+I %", "total")
TABLE_OR_JSON = formats(Format.TABLE, Format.JSON)


def _command(commands: Commands, name: str, handler: Handler, help_text: str) -> Parser:
    return command(commands, name, handler, help_text)


def _answers(args: argparse.Namespace) -> dict[str, Any]:
    return read_answers(args.answers)


def register(sub: Commands) -> None:
    week = group(sub, "week", "plan and follow practice weeks")
    p = _command(week, "create", cmd_week_create, "set up a practice week")
    p.add_argument("name")
    add_period(p, required=True)
    p.add_argument("--theme", action="append", default=[], help="repeat for several themes")
    p.add_argument("--team", action="append", default=[], help="a team in scope; repeatable")
    _command(week, "list", cmd_week_list, "list practice weeks")
    p = _command(week, "join", cmd_week_join, "set the days a senior manager gives (up to 4)")
    p.add_argument("week", metavar="WEEK", help="number or name")
    p.add_argument("person", metavar="USERNAME")
    p.add_argument(
        "--days",
        type=days_arg,
        required=True,
        metavar="DATE,DATE",
        help="comma-separated; an empty list removes the person",
    )
    p = _command(week, "allocate", cmd_week_allocate, "plan a piece of work for a day")
    p.add_argument("week", metavar="WEEK")
    p.add_argument("person", metavar="USERNAME")
    p.add_argument("--day", type=date_arg, required=True, metavar="DATE")
    p.add_argument("--kind", choices=sorted(KINDS), required=True)
    p.add_argument("--case", metavar="CASE_REF")
    p.add_argument("--practitioner", metavar="USERNAME", help="whose practice is observed")
    p.add_argument(
        "--type",
        dest="detail",
        default="",
        help=f"observation type ({', '.join(OBSERVATION_TYPES)}) or dip form id",
    )
    p.add_argument("--note", default="")
    p = _command(week, "unallocate", cmd_week_unallocate, "take an item out of the plan")
    p.add_argument("allocation_id", type=number_arg, metavar="ITEM")
    for name, status in (("start", WeekStatus.RUNNING), ("close", WeekStatus.CLOSED)):
        p = _command(week, name, cmd_week_status, f"mark a practice week {status.label.lower()}")
        p.add_argument("week", metavar="WEEK")
        p.set_defaults(status=status)
    p = _command(week, "begin", cmd_week_begin, "start your planned item (opens its activity)")
    p.add_argument("allocation_id", type=number_arg, metavar="ITEM")
    for name, handler, text in (
        ("show", cmd_week_show, "the plan, item by item"),
        ("progress", cmd_week_progress, "planned against done"),
        ("summary", cmd_week_summary, "grades, progress and findings"),
    ):
        p = _command(week, name, handler, text)
        p.add_argument("week", metavar="WEEK")
        p.add_argument("--format", choices=TABLE_OR_JSON, default=Format.TABLE)
    _add_activity_commands(sub)


def _add_activity_commands(sub: Commands) -> None:
    obs = group(sub, "observation", "record observations of practice")
    p = _command(obs, "record", cmd_observation_record, "record an observation from JSON answers")
    p.add_argument("--practitioner", required=True, metavar="USERNAME")
    p.add_argument("--case", metavar="CASE_REF")
    p.add_argument("--week", metavar="WEEK", help="the practice week it belongs to")
    p.add_argument("--answers", required=True, metavar="FILE")
    p.add_argument("--draft", action="store_true", help="keep it as a draft to finish later")
    p = _command(obs, "submit", cmd_observation_submit, "complete a draft observation")
    p.add_argument("audit_id", type=number_arg, metavar="ID")
    p.add_argument("--answers", metavar="FILE", help="default: the saved draft")

    dip = group(sub, "dip", "dip-sample sessions: one form over many cases")
    _command(dip, "forms", cmd_dip_forms, "the dip-sample forms")
    p = _command(dip, "start", cmd_dip_start, "start a dip-sample session")
    p.add_argument("form_id", metavar="FORM")
    p.add_argument("--week", metavar="WEEK")
    p = _command(dip, "record", cmd_dip_record, "grade one case in a session from JSON answers")
    p.add_argument("session_id", type=number_arg, metavar="SESSION")
    p.add_argument("case_ref", metavar="CASE_REF")
    p.add_argument("--answers", required=True, metavar="FILE")
    p.add_argument("--draft", action="store_true")
    p = _command(dip, "finish", cmd_dip_finish, "finish a session once every case is graded")
    p.add_argument("session_id", type=number_arg, metavar="SESSION")
    p.add_argument("--note", default="", help="what the dip sample found, in a sentence or two")
    p = _command(dip, "show", cmd_dip_show, "a session and its summary")
    p.add_argument("session_id", type=number_arg, metavar="SESSION")
    p.add_argument("--format", choices=TABLE_OR_JSON, default=Format.TABLE)

    finding = group(sub, "finding", "strengths and areas for development, tagged by domain")
    p = _command(finding, "add", cmd_finding_add, "add a finding to an audit or observation")
    p.add_argument("audit_id", type=number_arg, metavar="ID")
    p.add_argument("--kind", choices=[k.value for k in FindingKind], required=True)
    p.add_argument("--domain", default="", help="an audit domain id, e.g. child_voice")
    p.add_argument("--text", required=True)
    p = _command(finding, "list", cmd_finding_list, "findings of one activity")
    p.add_argument("audit_id", type=number_arg, metavar="ID")


def _week_id(services: Services, args: argparse.Namespace, week: str | None) -> int | None:
    return services.weeks.week(week, who=args.who).id if week else None


# ------------------------------------------------------------------------------------- handlers
def cmd_week_create(services: Services, args: argparse.Namespace) -> None:
    week_id = services.weeks.create(
        args.name, args.start, args.end, by=args.who, themes=args.theme, teams=args.team
    )
    print(
        f"Practice week {week_id} '{args.name.strip()}' set up. Next: add who takes part with "
        f"'week join {week_id} USERNAME --days DATE,DATE --user {args.who.username}'."
    )


def cmd_week_list(services: Services, args: argparse.Namespace) -> None:
    print(
        render(
            Format.TABLE,
            ("no.", "name", "from", "to", "status", "themes", "teams", "people"),
            [
                (
                    w.id,
                    w.name,
                    f"{w.starts_on:%d/%m/%Y}",
                    f"{w.ends_on:%d/%m/%Y}",
                    w.status.label,
                    "; ".join(w.themes),
                    ", ".join(w.teams),
                    len(w.participants),
                )
                for w in services.weeks.weeks(who=args.who)
            ],
        )
    )


def cmd_week_join(services: Services, args: argparse.Namespace) -> None:
    services.weeks.set_participant(args.week, args.person, args.days, by=args.who)
    print(
        f"{args.person} gives {len(args.days)} day(s) to the practice week."
        if args.days
        else f"{args.person} no longer takes part."
    )


def cmd_week_allocate(services: Services, args: argparse.Namespace) -> None:
    item = services.weeks.allocate(
        args.week,
        args.person,
        args.day,
        KINDS[args.kind],
        by=args.who,
        case_reference=args.case,
        practitioner=args.practitioner,
        detail=args.detail,
        note=args.note,
    )
    print(f"Planned item {item}: {args.kind} by {args.person} on {args.day:%A %d/%m/%Y}.")


def cmd_week_unallocate(services: Services, args: argparse.Namespace) -> None:
    services.weeks.remove_allocation(args.allocation_id, by=args.who)
    print(f"Item {args.allocation_id} taken out of the plan.")


def cmd_week_status(services: Services, args: argparse.Namespace) -> None:
    services.weeks.set_status(args.week, args.status, by=args.who)
    print(f"The practice week is now {args.status.label.lower()}.")


def cmd_week_begin(services: Services, args: argparse.Namespace) -> None:
    kind, number = services.weeks.start_allocation(args.allocation_id, by=args.who)
    print(
        f"Started dip-sample session {number}."
        if kind == "dip"
        else f"Started activity {number}; 'audit show {number}' shows it."
    )


def cmd_week_show(services: Services, args: argparse.Namespace) -> None:
    week = services.weeks.week(args.week, who=args.who)
    if args.format == Format.JSON:
        print(to_json(asdict(week)))
        return
    print(
        f"{week.name}: {week.starts_on:%d/%m/%Y} to {week.ends_on:%d/%m/%Y}, "
        f"{week.status.label.lower()}. Themes: {'; '.join(week.themes) or 'none'}. "
        f"Teams: {', '.join(week.teams) or 'all'}."
    )
    for p in week.participants:
        print(f"  {p.name}: {', '.join(f'{d:%a %d/%m}' for d in p.days)}")
    print(
        render(
            Format.TABLE,
            ("item", "day", "who", "what", "case", "practitioner", "done", "grade"),
            [
                (
                    a.id,
                    f"{a.day:%a %d/%m}",
                    a.person_name,
                    a.what,
                    a.case_reference or "",
                    a.practitioner or "",
                    "yes" if a.done else "no",
                    a.grade.code if a.grade else "",
                )
                for a in week.allocations
            ],
        )
    )


def cmd_week_progress(services: Services, args: argparse.Namespace) -> None:
    summary = services.weeks.summary(args.week, who=args.who)
    if args.format == Format.JSON:
        print(to_json(_progress_json(summary)))
        return
    print(_progress_text(summary))


def _progress_json(summary: WeekSummary) -> dict[str, Any]:
    p = summary.progress
    tallies = {
        "by_day": {d.isoformat(): t for d, t in p.by_day.items()},
        "by_person": p.by_person,
        "by_activity": {c.value: t for c, t in p.by_activity.items()},
    }
    return {
        "week": summary.week.name,
        "planned": p.overall.planned,
        "done": p.overall.done,
        "percent_done": p.overall.percent,
        **{
            k: {
                key: {"planned": t.planned, "done": t.done, "percent": t.percent}
                for key, t in v.items()
            }
            for k, v in tallies.items()
        },
    }


def _progress_text(summary: WeekSummary) -> str:
    p = summary.progress
    out = [
        f"{summary.week.name}: {p.overall.done} of {p.overall.planned} planned items done "
        f"({p.overall.percent}%)."
    ]
    for title, tallies in (
        ("day", {f"{d:%a %d/%m}": t for d, t in p.by_day.items()}),
        ("person", p.by_person),
        ("activity", {c.label: t for c, t in p.by_activity.items()}),
    ):
        out += [
            "",
            render(
                Format.TABLE,
                (title, "planned", "done", "%"),
                [(k, t.planned, t.done, t.percent) for k, t in tallies.items()],
            ),
        ]
    return "\n".join(out)


def _grade_rows(grades: Any) -> list[tuple[Any, ...]]:
    rows = []
    for category in Category:
        c = grades[category]
        good, poor = c.percentages
        rows.append(
            (
                category.label,
                c[Grade.OUTSTANDING],
                c[Grade.GOOD],
                c.good_or_better,
                good,
                c[Grade.REQUIRES_IMPROVEMENT],
                c[Grade.INADEQUATE],
                c.ri_or_inadequate,
                poor,
                c.total,
            )
        )
    return rows


def cmd_week_summary(services: Services, args: argparse.Namespace) -> None:
    summary = services.weeks.summary(args.week, who=args.who)
    if args.format == Format.JSON:
        print(
            to_json(
                {
                    "grades": [
                        dict(zip(GRADE_HEADERS, r, strict=True))
                        for r in _grade_rows(summary.grades)
                    ],
                    "progress": _progress_json(summary),
                    "findings": [plain(vars(f)) for f in summary.findings],
                }
            )
        )
        return
    print(
        f"{summary.week.name} ({summary.week.starts_on:%d/%m/%Y} to "
        f"{summary.week.ends_on:%d/%m/%Y}): grades so far\n"
    )
    print(render(Format.TABLE, GRADE_HEADERS, _grade_rows(summary.grades)))
    if any(summary.grades[c].total and summary.grades[c].is_small for c in Category):
        print(
            f"Note: fewer than {SMALL_SAMPLE} graded items in a row make its percentages volatile."
        )
    print("\n" + _progress_text(summary))
    if summary.findings:
        print("\nRecurring findings")
        print(
            render(
                Format.TABLE,
                ("kind", "area", "times", "for example"),
                [(f.kind.label, f.domain, f.count, f.examples[0]) for f in summary.findings],
            )
        )


def cmd_observation_record(services: Services, args: argparse.Namespace) -> None:
    audit_id = services.audits.record(
        ActivityKind.OBSERVATION,
        by=args.who,
        form_id="practice_observation",
        case_reference=args.case,
        practitioner=args.practitioner,
        answers=_answers(args),
        complete=not args.draft,
        practice_week_id=_week_id(services, args, args.week),
    )
    print(f"Observation {audit_id} " + ("saved as a draft." if args.draft else "recorded."))


def cmd_observation_submit(services: Services, args: argparse.Namespace) -> None:
    services.audits.submit(
        args.audit_id,
        Part.RECORD,
        by=args.who,
        answers=_answers(args) if args.answers else None,
    )
    print(f"Observation {args.audit_id} complete.")


def cmd_dip_forms(services: Services, args: argparse.Namespace) -> None:
    print(render(Format.TABLE, ("form", "title"), services.dips.forms_available()))


def cmd_dip_start(services: Services, args: argparse.Namespace) -> None:
    session = services.dips.start_session(
        args.form_id, by=args.who, practice_week_id=_week_id(services, args, args.week)
    )
    print(
        f"Dip-sample session {session} started. Grade each case with 'dip record {session} "
        f"CASE_REF --answers FILE --user {args.who.username}'."
    )


def cmd_dip_record(services: Services, args: argparse.Namespace) -> None:
    audit_id = services.dips.record_case(
        args.session_id,
        args.case_ref,
        _answers(args),
        by=args.who,
        complete=not args.draft,
    )
    print(
        f"{args.case_ref.upper()} {'saved as a draft' if args.draft else 'graded'} "
        f"(activity {audit_id})."
    )


def cmd_dip_finish(services: Services, args: argparse.Namespace) -> None:
    print(_dip_text(services.dips.finish(args.session_id, by=args.who, note=args.note)))


def cmd_dip_show(services: Services, args: argparse.Namespace) -> None:
    session = services.dips.session(args.session_id, who=args.who)
    print(to_json(asdict(session)) if args.format == Format.JSON else _dip_text(session))


def _dip_text(d: DipSessionDTO) -> str:
    state = f"finished {d.finished_at:%d/%m/%Y %H:%M}" if d.finished_at else "under way"
    out = [
        f"Dip-sample session {d.id}: {d.title}, by {d.auditor}, {state}."
        + (f" Practice week: {d.practice_week}." if d.practice_week else "")
    ]
    out.append(
        render(
            Format.TABLE,
            ("case", "team", "grade", "status"),
            [
                (
                    r.case_reference,
                    r.team or "",
                    r.grade.label if r.grade else "",
                    "graded" if r.submitted else "draft",
                )
                for r in d.rows
            ],
        )
    )
    g = d.grades
    if g.total:
        good, poor = g.percentages
        out.append(
            f"\n{g.total} cases graded: {g.good_or_better} good or better ({good}%), "
            f"{g.ri_or_inadequate} requires improvement or inadequate ({poor}%)."
        )
    for label, yes, answered in d.yes_counts:
        if answered:
            out.append(f"  {label} Yes in {yes} of {answered}.")
    if d.note:
        out.append(f"Note: {d.note}")
    return "\n".join(out)


def cmd_finding_add(services: Services, args: argparse.Namespace) -> None:
    number = services.findings.add(
        args.audit_id,
        FindingKind(args.kind),
        args.text,
        by=args.who,
        domain_id=args.domain,
    )
    print(f"Finding {number} added to activity {args.audit_id}.")


def cmd_finding_list(services: Services, args: argparse.Namespace) -> None:
    rows = services.findings.of_audit(args.audit_id, who=args.who)
    if not rows:
        print(f"Activity {args.audit_id} has no findings yet.")
        return
    print(
        render(
            Format.TABLE,
            ("no.", "kind", "area", "finding", "by"),
            [(f.id, f.kind.label, f.domain, f.text, f.author) for f in rows],
        )
    )
