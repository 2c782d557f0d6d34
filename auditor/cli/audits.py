"""``python main.py audit ...``: run a whole three-tier audit without the desktop app."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from auditor.cli.common import (
    Commands,
    Format,
    Handler,
    Parser,
    command,
    date_arg,
    formats,
    grade_arg,
    group,
    number_arg,
    plain,
    read_answers,
    render,
    to_json,
    whole_number,
)
from auditor.domain.activities import THREE_TIER_KINDS, ActivityKind
from auditor.domain.grades import Grade
from auditor.domain.workflow import AuditState, Part

if TYPE_CHECKING:
    from auditor.domain.forms import FormDefinition
    from auditor.services import Services
    from auditor.services.dto import AuditDetail

LIMIT = whole_number(1, 1_000_000, "list 1 to 1,000,000 audits")


def _command(
    audit: Commands,
    name: str,
    handler: Handler,
    help_text: str,
    *,
    audit_id: bool = True,
) -> Parser:
    p = command(audit, name, handler, help_text)
    if audit_id:
        p.add_argument("audit_id", type=number_arg, metavar="ID")
    return p


def register(sub: Commands) -> None:
    audit = group(sub, "audit", "run three-tier audits")
    p = _command(audit, "start", cmd_start, "start a three-tier audit of a case", audit_id=False)
    p.add_argument("case_ref", metavar="CASE_REF")
    p.add_argument("--kind", choices=THREE_TIER_KINDS, default=ActivityKind.CASE_FILE_AUDIT)
    p.add_argument("--first-auditor", metavar="USERNAME", help="default: the worker's line manager")
    p.add_argument("--second-auditor", metavar="USERNAME")
    p.add_argument(
        "--not-blind",
        action="store_true",
        help="let the second auditor see the first audit while grading (senior "
        "managers and QA only; needs --reason)",
    )
    p.add_argument("--reason", default="", help="why the audit is not blind (kept in its history)")
    p.add_argument("--theme", default="")
    p.add_argument("--due", type=date_arg, metavar="DATE")

    p = _command(audit, "submit", cmd_submit, "submit tier 1, 2 or 3 from a JSON file of answers")
    p.add_argument("--tier", type=int, choices=(1, 2, 3), required=True)
    p.add_argument("--answers", required=True, metavar="FILE", help="JSON file, or - for stdin")

    p = _command(
        audit,
        "feedback",
        cmd_feedback,
        "record the family or young person's feedback (or why there was none)",
    )
    p.add_argument("--answers", required=True, metavar="FILE")

    p = _command(audit, "draft", cmd_draft, "save unfinished answers for a part without submitting")
    p.add_argument("--part", choices=[p.value for p in Part if p is not Part.RECORD], required=True)
    p.add_argument("--answers", required=True, metavar="FILE")

    p = _command(audit, "waive-self-review", cmd_waive, "go ahead without the worker's self-review")
    p.add_argument("--reason", required=True)

    p = _command(audit, "assign", cmd_assign, "choose the second auditor")
    p.add_argument("--second-auditor", required=True, metavar="USERNAME")

    p = _command(audit, "note", cmd_note, "explain why the two audits graded an area differently")
    p.add_argument("--domain", required=True, help="the area's id, as shown by 'audit show'")
    p.add_argument("--note", required=True)

    p = _command(audit, "action", cmd_action, "add a follow-up action")
    p.add_argument("--owner", required=True, metavar="USERNAME")
    p.add_argument("--due", type=date_arg, required=True, metavar="DATE")
    p.add_argument("--text", required=True)

    p = _command(
        audit, "action-done", cmd_action_done, "mark a follow-up action as done", audit_id=False
    )
    p.add_argument("action_id", type=number_arg, metavar="ACTION_ID")

    _command(audit, "close", cmd_close, "close the audit once differences and actions are in place")
    p = _command(audit, "cancel", cmd_cancel, "cancel an audit, with a reason")
    p.add_argument("--reason", required=True)
    _register_views(audit)


def _register_views(audit: Commands) -> None:
    p = _command(audit, "list", cmd_list, "list audits", audit_id=False)
    p.add_argument("--state", choices=[s.value for s in AuditState])
    p.add_argument("--kind", choices=[k.value for k in ActivityKind])
    p.add_argument("--team")
    p.add_argument("--auditor", metavar="USERNAME")
    p.add_argument("--case", default="", help="part of a case reference")
    p.add_argument("--grade", type=grade_arg, help="final grade")
    p.add_argument("--limit", type=LIMIT, default=200)
    p.add_argument(
        "--format", choices=formats(Format.TABLE, Format.CSV, Format.JSON), default=Format.TABLE
    )

    p = _command(
        audit,
        "show",
        cmd_show,
        "show one audit as you may see it (drafts and blind grades depend on who looks)",
    )
    p.add_argument("--format", choices=formats(Format.TEXT, Format.JSON), default=Format.TEXT)


def _answers(args: argparse.Namespace) -> dict[str, Any]:
    return read_answers(args.answers)


def cmd_start(services: Services, args: argparse.Namespace) -> None:
    audit_id = services.audits.start(
        args.case_ref,
        by=args.who,
        kind=ActivityKind(args.kind),
        first_auditor=args.first_auditor,
        second_auditor=args.second_auditor,
        blind=not args.not_blind,
        not_blind_reason=args.reason,
        theme=args.theme,
        due_on=args.due,
    )
    detail = services.views.detail(audit_id, who=args.who)
    print(f"Started audit {audit_id} of {detail.row.case_reference}. Next: {detail.waiting_for}.")


def cmd_submit(services: Services, args: argparse.Namespace) -> None:
    state = services.audits.submit(
        args.audit_id, Part.for_tier(args.tier), by=args.who, answers=_answers(args)
    )
    print(
        f"Tier {args.tier} submitted for audit {args.audit_id}. The audit is now: "
        f"{state.label.lower()}."
    )


def cmd_feedback(services: Services, args: argparse.Namespace) -> None:
    services.audits.submit(args.audit_id, Part.FAMILY_FEEDBACK, by=args.who, answers=_answers(args))
    print(f"Family feedback recorded for audit {args.audit_id}.")


def cmd_draft(services: Services, args: argparse.Namespace) -> None:
    at = services.audits.save_draft(
        args.audit_id, Part(args.part), by=args.who, answers=_answers(args)
    )
    print(f"Draft saved at {at:%H:%M:%S}.")


def cmd_waive(services: Services, args: argparse.Namespace) -> None:
    services.audits.waive_self_review(args.audit_id, by=args.who, reason=args.reason)
    print(f"Audit {args.audit_id} goes ahead without a self-review.")


def cmd_assign(services: Services, args: argparse.Namespace) -> None:
    services.audits.assign_second_auditor(args.audit_id, by=args.who, to=args.second_auditor)
    print(f"Second audit of audit {args.audit_id} assigned to {args.second_auditor}.")


def cmd_note(services: Services, args: argparse.Namespace) -> None:
    services.audits.note_difference(args.audit_id, args.domain, args.note, by=args.who)
    print("Note recorded.")


def cmd_action(services: Services, args: argparse.Namespace) -> None:
    action = services.audits.add_action(
        args.audit_id,
        by=args.who,
        owner=args.owner,
        due_on=args.due,
        description=args.text,
    )
    print(f"Action {action.id} added: {action.owner}, due {action.due_on:%d/%m/%Y}.")


def cmd_action_done(services: Services, args: argparse.Namespace) -> None:
    services.audits.complete_action(args.action_id, by=args.who)
    print(f"Action {args.action_id} marked as done.")


def cmd_close(services: Services, args: argparse.Namespace) -> None:
    services.audits.close(args.audit_id, by=args.who)
    print(f"Audit {args.audit_id} closed.")


def cmd_cancel(services: Services, args: argparse.Namespace) -> None:
    services.audits.cancel(args.audit_id, by=args.who, reason=args.reason)
    print(f"Audit {args.audit_id} cancelled.")


def cmd_list(services: Services, args: argparse.Namespace) -> None:
    from auditor.services.audits.views import AuditFilter

    filters = AuditFilter(
        states=(AuditState(args.state),) if args.state else (),
        kinds=(ActivityKind(args.kind),) if args.kind else (),
        team=args.team,
        auditor=args.auditor,
        case_search=args.case,
        final_grade=args.grade,
    )
    rows = services.views.rows(filters, limit=args.limit, who=args.who)
    headers = (
        "id",
        "case",
        "kind",
        "state",
        "team",
        "worker",
        "first_auditor",
        "second_auditor",
        "final_grade",
        "started",
        "completed",
    )
    values = [
        (
            r.id,
            r.case_reference or "",
            r.kind.value,
            r.state.value,
            r.team or "",
            r.worker or "",
            r.first_auditor or "",
            r.second_auditor or "",
            r.final_grade.code
            if r.final_grade and args.format == Format.TABLE
            else (r.final_grade.value if r.final_grade else ""),
            r.created_on,
            r.completed_on or "",
        )
        for r in rows
    ]
    print(render(args.format, headers, values))


def cmd_show(services: Services, args: argparse.Namespace) -> None:
    detail = services.views.detail(args.audit_id, who=args.who)
    if args.format == Format.JSON:
        print(
            to_json(
                plain(
                    detail.__dict__
                    | {
                        "row": detail.row.__dict__,
                        "responses": {p.value: r.__dict__ for p, r in detail.responses.items()},
                        "comparisons": [
                            c.__dict__ | {"differs": c.differs} for c in detail.comparisons
                        ],
                        "actions": [a.__dict__ for a in detail.actions],
                        "history": [e.__dict__ for e in detail.history],
                    }
                )
            )
        )
        return
    print(describe(services, detail))


def describe(services: Services, d: AuditDetail) -> str:
    r = d.row
    lines = [
        f"Audit {r.id}: {r.kind.label} of {r.case_reference or '(no case)'}"
        f" ({r.case_type or '-'}, {r.team or '-'})",
        f"State: {r.state.label}" + (f" — next: {d.waiting_for}" if d.waiting_for else ""),
        f"Worker: {r.worker or '-'}   First auditor: {r.first_auditor or '-'}   "
        f"Second auditor: {r.second_auditor or '-'}",
        f"Final grade: {r.final_grade.label if r.final_grade else '-'}",
    ]
    if d.waived_reason:
        lines.append(f"Self-review waived: {d.waived_reason}")
    for part, resp in d.responses.items():
        form = services.forms.get(resp.form_id, resp.form_version)
        lines += [
            "",
            f"== {part.label} — {resp.author}, {resp.status}"
            f"{' ' + resp.submitted_at.strftime('%d/%m/%Y') if resp.submitted_at else ''}",
        ]
        if resp.hidden:
            lines.append(f"   {d.hidden_note}")
        lines += _answer_lines(form, resp.answers)
    if d.comparisons:
        lines += ["", "== Tier 2 and tier 3 grades"]
        for c in d.comparisons:
            mark = "DIFFERENT" if c.differs else ""
            lines.append(
                f"   {c.domain_id:<22} {c.first.code if c.first else '-':>3} "
                f"{c.second.code if c.second else '-':>3}  {mark}"
                + (f"  note: {c.note}" if c.note else "")
            )
    if d.actions:
        lines += ["", "== Follow-up actions"]
        lines += [
            f"   [{a.id}] {a.description} — {a.owner}, due {a.due_on:%d/%m/%Y}"
            + (f", done {a.completed_on:%d/%m/%Y}" if a.completed_on else "")
            for a in d.actions
        ]
    lines += ["", "== History"]
    lines += [
        f"   {e.at:%d/%m/%Y %H:%M}  {e.actor}: {e.event.replace('_', ' ')}"
        + (f" ({e.detail})" if e.detail else "")
        for e in d.history
    ]
    return "\n".join(lines)


def _answer_lines(form: FormDefinition, answers: dict[str, Any]) -> list[str]:
    from auditor.domain.forms import FieldType

    out = []
    for f in form.all_fields():
        if f.id not in answers:
            continue
        value = answers[f.id]
        if f.type is FieldType.GRADE:
            grade = Grade(value["grade"]) if value.get("grade") else None
            text = f"{grade.label if grade else '-'} — {value.get('rationale', '')}"
        elif f.type is FieldType.PEOPLE:
            text = "; ".join(f'{p["who"]}: "{p["said"]}"' for p in value)
        elif f.type is FieldType.MULTICHOICE:
            text = ", ".join(f.choice_label(v) for v in value)
        elif f.type is FieldType.CHOICE:
            text = f.choice_label(value)
        else:
            text = str(value)
        out.append(f"   {f.label}: {text}")
    return out
