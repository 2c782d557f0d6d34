"""Checking a set of answers against its form: types always, completeness on submission."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from auditor.domain.errors import ValidationError
from auditor.domain.forms import PEOPLE_CATEGORIES, Field, FieldType, FormDefinition
from auditor.domain.grades import Grade
from auditor.domain.periods import parse_date

Answers = dict[str, Any]


@dataclass(frozen=True)
class GradeAnswer:
    grade: Grade | None
    rationale: str

    @classmethod
    def read(cls, value: object) -> GradeAnswer:
        if value is None:
            return cls(None, "")
        if isinstance(value, Mapping):
            raw = value.get("grade")
            return cls(
                Grade.parse(raw) if raw not in (None, "") else None,
                str(value.get("rationale") or "").strip(),
            )
        return cls(Grade.parse(value), "")

    def as_json(self) -> dict[str, str | None]:
        return {"grade": self.grade.value if self.grade else None, "rationale": self.rationale}


def _is_empty(value: object) -> bool:
    if value is None or value in ("", [], {}):
        return True
    if isinstance(value, Mapping) and set(value) <= {"grade", "rationale"}:
        return not value.get("grade") and not str(value.get("rationale") or "").strip()
    return False


def _clean_value(field: Field, value: Any) -> Any:
    """Return the canonical stored form of one answer, or raise ValueError with a reason."""
    t = field.type
    if t in (FieldType.TEXT, FieldType.TEXTAREA):
        if not isinstance(value, str):
            raise ValueError("must be text")
        return value.strip() if t is FieldType.TEXT else value.rstrip()
    if t is FieldType.CHOICE:
        allowed = {c.value for c in field.choices}
        if str(value) not in allowed:
            raise ValueError(f"'{value}' is not one of the choices ({', '.join(sorted(allowed))})")
        return str(value)
    if t is FieldType.MULTICHOICE:
        allowed = {c.value for c in field.choices}
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or any(str(v) not in allowed for v in values):
            raise ValueError(f"must be a list of choices from: {', '.join(sorted(allowed))}")
        return [c.value for c in field.choices if c.value in {str(v) for v in values}]
    if t is FieldType.YES_NO:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if str(value).strip().lower() not in ("yes", "no"):
            raise ValueError("must be yes or no")
        return str(value).strip().lower()
    if t is FieldType.DATE:
        try:
            return parse_date(value).isoformat()
        except ValidationError as exc:
            raise ValueError(str(exc)) from None
    if t is FieldType.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            try:
                value = float(str(value))
            except ValueError:
                raise ValueError("must be a number") from None
        return int(value) if float(value).is_integer() else float(value)
    if t is FieldType.GRADE:
        try:
            return GradeAnswer.read(value).as_json()
        except ValidationError as exc:
            raise ValueError(str(exc)) from None
    if t is FieldType.PEOPLE:
        return _clean_people(value)
    raise ValueError(f"unsupported field type {t.value}")  # pragma: no cover - parser rejects these


def _clean_people(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise ValueError("must be a list of people present, each with who, category and said")
    out = []
    for i, person in enumerate(value, 1):
        if not isinstance(person, Mapping) or set(person) - {"who", "category", "said"}:
            raise ValueError(f"person {i} must have only 'who', 'category' and 'said'")
        category = str(person.get("category") or "other")
        if category not in PEOPLE_CATEGORIES:
            raise ValueError(
                f"person {i}: category '{category}' is not one of {', '.join(PEOPLE_CATEGORIES)}"
            )
        who = str(person.get("who") or "").strip()
        said = str(person.get("said") or "").strip()
        if who or said:
            out.append({"who": who, "category": category, "said": said})
    return out


def clean_answers(
    form: FormDefinition,
    answers: Mapping[str, Any],
    *,
    case_type: str | None = None,
    complete: bool = False,
) -> Answers:
    """Return the answers in canonical form, or raise ``ValidationError`` listing every problem.

    With ``complete`` the answers must also be ready to submit: every required visible field answered,
    and every grade given with its rationale. Answers to fields hidden by a condition are dropped.
    """
    if not isinstance(answers, Mapping):
        raise ValidationError("The answers must be a mapping of field ids to values.")
    problems: list[str] = []
    bad_fields: list[str] = []
    known = {f.id: f for f in form.all_fields()}
    cleaned: Answers = {}
    for key, value in answers.items():
        field = known.get(key)
        if field is None:
            problems.append(f"'{key}' is not a question on the form '{form.title}'")
            bad_fields.append(str(key))
            continue
        if _is_empty(value):
            continue
        try:
            cleaned[key] = _clean_value(field, value)
        except ValueError as exc:
            problems.append(f"{field.label}: {exc}")
            bad_fields.append(key)
    if not problems:
        visible = form.visible_fields(cleaned, case_type)
        visible_ids = {f.id for f in visible}
        cleaned = {k: v for k, v in cleaned.items() if k in visible_ids}
        if complete:
            for field in visible:
                problem = _completeness_problem(field, cleaned.get(field.id))
                if problem:
                    problems.append(problem)
                    bad_fields.append(field.id)
    if problems:
        verb = "cannot be submitted yet" if complete else "could not be saved"
        raise ValidationError(f"The {form.title.lower()} {verb}:", problems, bad_fields)
    return cleaned


def _completeness_problem(field: Field, value: Any) -> str | None:
    if field.type is FieldType.GRADE:
        answer = GradeAnswer.read(value)
        if answer.grade is None and field.required:
            return f"{field.label}: choose a grade"
        if answer.grade is not None and not answer.rationale:
            return f"{field.label}: explain why you gave this grade (a rationale is required)"
        return None
    if field.required and _is_empty(value):
        return f"{field.label}: this question needs an answer"
    return None


def grade_of(answers: Mapping[str, Any], field_id: str) -> GradeAnswer:
    return GradeAnswer.read(answers.get(field_id))
