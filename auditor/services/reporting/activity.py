"""Turning one audit, as a given person may see it (``AuditViews.detail``), into the plain data of its
PDF summary. Answers become readable text through their form definitions (choice labels, dates)."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from auditor.domain.activities import ActivityKind
from auditor.domain.answers import GradeAnswer
from auditor.domain.forms import PEOPLE_CATEGORIES, Field, FieldType, FormDefinition
from auditor.domain.grades import Grade
from auditor.domain.reference import CASE_TYPES
from auditor.domain.workflow import AuditState, Part
from auditor.reports.data import (
    ActionLine,
    ActivitySummary,
    AnswerSection,
    DocumentInfo,
    DomainLine,
    TierLine,
    Voice,
)
from auditor.services.dto import AuditDetail, ResponseDTO
from forms import FormLibrary

SELF_REVIEW_FIELDS = ("strengths", "weaknesses", "support_needed")
FAMILY_FIELDS = ("who", "method", "contact_date", "their_words", "experience", "what_would_help")
IMPACT_FIELDS = ("impact_on_child", "next_steps", "practice_to_share")


class _Common(TypedDict):
    """What every summary says, whatever the kind of activity."""

    info: DocumentInfo
    audit_id: int
    kind: ActivityKind
    state_label: str
    is_final: bool
    case_reference: str | None
    case_type: str | None
    team: str | None
    worker: str | None
    actions: tuple[ActionLine, ...]
    form_title: str
    theme: str


class _ThreeTier(TypedDict):
    """What a three-tier audit's summary adds: each tier, the domains, the family's view."""

    tiers: tuple[TierLine, ...]
    final_grade: Grade | None
    final_descriptor: str
    domains: tuple[DomainLine, ...]
    overall: DomainLine | None
    self_review: tuple[tuple[str, str], ...]
    self_review_note: str
    family: tuple[tuple[str, str], ...]
    family_note: str
    impact: tuple[tuple[str, str], ...]
    hidden_note: str


class _Single(TypedDict):
    """What an observation's or a dip sample's summary adds: its record and the voices heard."""

    tiers: tuple[TierLine, ...]
    final_grade: Grade | None
    sections: tuple[AnswerSection, ...]
    voices: tuple[Voice, ...]
    final_descriptor: str
    overall: DomainLine | None


def uk_date(value: dt.date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else ""


def answer_text(field: Field, value: Any) -> str:
    """One answer as a person would write it: labels rather than codes, dates as 3 Oct 2026."""
    if value is None or value in ("", []):
        return ""
    t = field.type
    if t is FieldType.CHOICE:
        return field.choice_label(str(value))
    if t is FieldType.MULTICHOICE:
        return "; ".join(field.choice_label(str(v)) for v in value)
    if t is FieldType.YES_NO:
        return {"yes": "Yes", "no": "No", True: "Yes", False: "No"}.get(value, str(value))
    if t is FieldType.DATE:
        try:
            return uk_date(dt.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if t is FieldType.GRADE:
        answer = GradeAnswer.read(value)
        return (answer.grade.label if answer.grade else "") + (
            f" — {answer.rationale}" if answer.rationale else ""
        )
    if t is FieldType.PEOPLE:
        return "; ".join(f"{p.get('who', '')}: {p.get('said', '')}" for p in value)
    return str(value).strip()


def _rows(
    form: FormDefinition, answers: dict[str, Any], ids: tuple[str, ...], prefix: str = ""
) -> tuple[tuple[str, str], ...]:
    out = []
    for field_id in ids:
        try:
            field = form.field(field_id)
        except KeyError:
            continue
        value = answer_text(field, answers.get(field_id))
        if value:
            out.append((prefix + field.label, value))
    return tuple(out)


def _status(response: ResponseDTO | None, waiting: str = "Not yet submitted") -> str:
    if response is None:
        return waiting
    if response.submitted_at:
        return f"Submitted {uk_date(response.submitted_at.date())}"
    return "Draft (not submitted)"


class ActivitySummaryBuilder:
    def __init__(self, forms: FormLibrary) -> None:
        self.forms = forms

    def build(self, d: AuditDetail, info: DocumentInfo) -> ActivitySummary:
        r = d.row
        form = self.forms.get(d.form_id, d.form_version)
        common = _Common(
            info=info,
            audit_id=r.id,
            kind=r.kind,
            state_label=r.state.label,
            is_final=r.state is AuditState.CLOSED,
            case_reference=r.case_reference,
            case_type=CASE_TYPES.get(r.case_type or "", r.case_type),
            team=r.team,
            worker=r.worker,
            actions=tuple(
                ActionLine(a.description, a.owner, a.due_on, a.completed_on) for a in d.actions
            ),
            form_title=form.title,
            theme=d.theme.replace("_", " ").capitalize(),
        )
        if r.kind.is_three_tier:
            return ActivitySummary(**common, **self._three_tier(d, form))
        return ActivitySummary(**common, **self._single(d, form))

    # ------------------------------------------------------------------------------ three tiers
    def _three_tier(self, d: AuditDetail, form: FormDefinition) -> _ThreeTier:
        res = d.responses
        first, second = res.get(Part.FIRST_AUDIT), res.get(Part.SECOND_AUDIT)
        review, family = res.get(Part.SELF_REVIEW), res.get(Part.FAMILY_FEEDBACK)
        first_ok = first if first and first.submitted else None
        second_ok = second if second and second.submitted else None
        domains = tuple(
            self._domain(f, first_ok, second_ok, d) for f in form.domains(d.row.case_type)
        )
        overall = self._domain(form.overall, first_ok, second_ok, d) if form.overall else None
        final = d.row.final_grade or (overall.second if overall else None)
        descriptor = (
            form.overall.descriptors.for_grade(final)
            if final and form.overall and form.overall.descriptors
            else ""
        )
        tiers = (
            TierLine(
                "Self-review (tier 1)",
                d.row.worker or "–",
                f"Waived: {d.waived_reason}" if d.waived_reason else _status(review),
                _grade_of(review, "self_grade"),
            ),
            TierLine(
                "First audit (tier 2)",
                first.author if first else (d.row.first_auditor or "–"),
                _status(first),
                first_ok.overall_grade if first_ok else None,
            ),
            TierLine(
                "Second audit (tier 3)",
                second.author if second else (d.row.second_auditor or "not yet chosen"),
                _status(second),
                second_ok.overall_grade if second_ok else None,
            ),
        )
        return _ThreeTier(
            tiers=tiers,
            final_grade=final,
            final_descriptor=descriptor,
            domains=domains,
            overall=overall,
            self_review=self._part_rows(review, SELF_REVIEW_FIELDS),
            self_review_note=(
                f"No self-review: {d.waived_reason}"
                if d.waived_reason
                else ""
                if review and review.submitted
                else "The worker has not submitted a self-review yet."
            ),
            family=self._part_rows(family, FAMILY_FIELDS),
            family_note=self._family_note(family),
            impact=self._impact(first_ok, second_ok),
            hidden_note=d.hidden_note,
        )

    def _domain(
        self, field: Field, first: ResponseDTO | None, second: ResponseDTO | None, d: AuditDetail
    ) -> DomainLine:
        a = GradeAnswer.read(first.answers.get(field.id)) if first else GradeAnswer(None, "")
        b = GradeAnswer.read(second.answers.get(field.id)) if second else GradeAnswer(None, "")
        standing = b.grade or a.grade
        notes = {c.domain_id: c.note for c in d.comparisons}
        return DomainLine(
            label=field.label,
            first=a.grade,
            second=b.grade,
            descriptor=field.descriptors.for_grade(standing)
            if standing and field.descriptors
            else "",
            first_rationale=a.rationale,
            second_rationale=b.rationale,
            note=notes.get(field.id, ""),
        )

    def _part_rows(
        self, response: ResponseDTO | None, ids: tuple[str, ...]
    ) -> tuple[tuple[str, str], ...]:
        if response is None or not response.submitted:
            return ()
        form = self.forms.get(response.form_id, response.form_version)
        return _rows(form, response.answers, ids)

    def _family_note(self, family: ResponseDTO | None) -> str:
        if family is None or not family.submitted:
            return "The family's or young person's feedback has not been recorded yet."
        form = self.forms.get(family.form_id, family.form_version)
        outcome = family.answers.get("contact_outcome")
        if outcome == "feedback_given":
            return ""
        why = answer_text(form.field("contact_outcome"), outcome)
        detail = family.answers.get("no_contact_detail", "")
        return f"No feedback was recorded. {why}." + (f" {detail}" if detail else "")

    def _impact(
        self, first: ResponseDTO | None, second: ResponseDTO | None
    ) -> tuple[tuple[str, str], ...]:
        """The second audit's view, then the first audit's where it says something different."""
        out: list[tuple[str, str]] = []
        said: set[str] = set()
        for who, response in (("Second audit", second), ("First audit", first)):
            if response is None:
                continue
            form = self.forms.get(response.form_id, response.form_version)
            for question, answer in _rows(form, response.answers, IMPACT_FIELDS):
                if answer not in said:
                    out.append((f"{question} ({who.lower()})", answer))
                    said.add(answer)
        return tuple(out)

    # ------------------------------------------------------------------------ observation, dip
    def _single(self, d: AuditDetail, form: FormDefinition) -> _Single:
        record = d.responses.get(Part.RECORD)
        answers = record.answers if record else {}
        sections, voices = [], []
        for section in form.sections:
            rows, has_people = [], False
            for field in section.fields:
                value = answers.get(field.id)
                if field.type is FieldType.PEOPLE:
                    has_people = True
                    voices += [
                        Voice(
                            str(p.get("who", "")),
                            PEOPLE_CATEGORIES.get(p.get("category", ""), ""),
                            str(p.get("said", "")),
                        )
                        for p in value or []
                    ]
                    continue
                if field.visible_if is not None and not field.visible_if.holds(answers):
                    continue
                rows.append((field.label, answer_text(field, value)))
            if rows or has_people:
                sections.append(AnswerSection(section.title, tuple(rows), has_people))
        grade = record.overall_grade if record and record.submitted else None
        overall = None
        if form.overall:
            overall = self._domain(
                form.overall, record if record and record.submitted else None, None, d
            )
        final = d.row.final_grade or grade
        return _Single(
            tiers=(
                TierLine(
                    "Record",
                    record.author if record else (d.row.first_auditor or "–"),
                    _status(record, "Not yet written"),
                    grade,
                ),
            ),
            final_grade=final,
            sections=tuple(sections),
            voices=tuple(voices),
            final_descriptor=(
                form.overall.descriptors.for_grade(final)
                if final and form.overall and form.overall.descriptors
                else ""
            ),
            overall=overall,
        )


def _grade_of(response: ResponseDTO | None, field_id: str) -> Grade | None:
    if response is None or not response.submitted:
        return None
    return GradeAnswer.read(response.answers.get(field_id)).grade
