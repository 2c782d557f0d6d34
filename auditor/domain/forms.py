"""Form definitions as frozen dataclasses, parsed from plain data (a loaded YAML document).

The parser (``auditor.domain.form_parser``) is strict and reads a whole file: an unknown key, an id
used twice, an unknown field type, a graded domain without four distinct descriptors, a choice
listed twice, a ``visible_if`` on the field itself, on an unknown field or going round in a circle…
each is noted with the file and the field, and all of a file's mistakes come in one
``FormMistakes``, so a typo in a form file is found when the file is checked, not when an auditor
meets it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from auditor.domain.errors import FormDefinitionError
from auditor.domain.grades import Grade


class FieldType(Enum):
    TEXT = "text"  # one line
    TEXTAREA = "textarea"  # paragraphs
    CHOICE = "choice"  # one of a list
    MULTICHOICE = "multichoice"
    YES_NO = "yes_no"
    DATE = "date"
    NUMBER = "number"
    GRADE = "grade"  # a graded domain: a grade, its rationale, descriptors on screen
    PEOPLE = "people"  # who was present and what each of them said


class FormUse(Enum):
    """Which part of an activity a form is for."""

    SELF_REVIEW = "self_review"  # tier 1
    CASE_AUDIT = "case_audit"  # tiers 2 and 3
    FAMILY_FEEDBACK = "family_feedback"  # gathered by the tier-2 auditor
    OBSERVATION = "observation"
    DIP_SAMPLE = "dip_sample"


#: Who may be recorded as present at an observed visit or meeting.
PEOPLE_CATEGORIES = {
    "child": "Child or young person",
    "parent_carer": "Parent or carer",
    "family_member": "Other family member or friend",
    "professional": "Professional",
    "other": "Other",
}


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Condition:
    """Show a field only when another field's answer is one of ``values``."""

    field_id: str
    values: tuple[str, ...]

    def holds(self, answers: Mapping[str, Any]) -> bool:
        answer = answers.get(self.field_id)
        if isinstance(answer, bool):
            answer = "yes" if answer else "no"
        if isinstance(answer, list):
            return any(str(a) in self.values for a in answer)
        return answer is not None and str(answer) in self.values


@dataclass(frozen=True)
class Descriptors:
    outstanding: str
    good: str
    requires_improvement: str
    inadequate: str

    def for_grade(self, grade: Grade) -> str:
        return {
            Grade.OUTSTANDING: self.outstanding,
            Grade.GOOD: self.good,
            Grade.REQUIRES_IMPROVEMENT: self.requires_improvement,
            Grade.INADEQUATE: self.inadequate,
        }[grade]


@dataclass(frozen=True)
class Field:
    id: str
    type: FieldType
    label: str
    help: str = ""
    required: bool = False
    choices: tuple[Choice, ...] = ()
    visible_if: Condition | None = None
    case_types: frozenset[str] = frozenset()
    descriptors: Descriptors | None = None
    placeholder: str = ""

    def applies_to(self, case_type: str | None) -> bool:
        return not self.case_types or case_type is None or case_type in self.case_types

    def choice_label(self, value: str) -> str:
        return next((c.label for c in self.choices if c.value == value), value)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    help: str = ""
    fields: tuple[Field, ...] = ()
    case_types: frozenset[str] = frozenset()

    def applies_to(self, case_type: str | None) -> bool:
        return not self.case_types or case_type is None or case_type in self.case_types


@dataclass(frozen=True)
class FormDefinition:
    id: str
    version: int
    title: str
    use: FormUse
    description: str
    sections: tuple[Section, ...]
    overall: Field | None = None  # the overall judgement, a GRADE field, when the form is graded
    theme: str = ""  # dip samples and thematic forms: the area checked
    source: str = ""  # the file it was read from, for messages
    checksum: str = ""  # sha256 of its normalised content (see ``content_checksum``)

    @property
    def key(self) -> tuple[str, int]:
        return self.id, self.version

    def all_fields(self) -> list[Field]:
        fields = [f for s in self.sections for f in s.fields]
        return fields + ([self.overall] if self.overall else [])

    def field(self, field_id: str) -> Field:
        for f in self.all_fields():
            if f.id == field_id:
                return f
        raise KeyError(field_id)

    def domains(self, case_type: str | None = None) -> list[Field]:
        """The graded domains (not the overall grade) that apply to a case type."""
        return [
            f
            for s in self.sections
            if s.applies_to(case_type)
            for f in s.fields
            if f.type is FieldType.GRADE and f.applies_to(case_type)
        ]

    def visible_fields(
        self, answers: Mapping[str, Any], case_type: str | None = None
    ) -> list[Field]:
        out = [
            f
            for s in self.sections
            if s.applies_to(case_type)
            for f in s.fields
            if f.applies_to(case_type) and (f.visible_if is None or f.visible_if.holds(answers))
        ]
        return out + ([self.overall] if self.overall else [])


def content_checksum(data: object) -> str:
    """sha256 of a form document's content, normalised: the same questions, labels and descriptors
    give the same checksum however the file is laid out (key order, quoting, comments, spacing)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_form(data: object, source: str) -> FormDefinition:
    """Turn one loaded form document into a ``FormDefinition``; ``source`` names it in errors.
    Every mistake in the document is listed in the one ``FormMistakes`` raised (the parser is in
    ``auditor.domain.form_parser``)."""
    from auditor.domain.form_parser import parse_form as parse

    return parse(data, source)


class FormMistakes(FormDefinitionError):
    """Every mistake found in one form file: ``problems`` each say where (section or field) and
    what is wrong; ``source`` is the file. One mistake reads as one line, several as a list."""

    def __init__(self, source: str, problems: list[str], advice: str = "") -> None:
        self.source = source
        self.problems = list(problems)
        self.advice = advice
        if len(self.problems) == 1:
            message = f"{source}: {self.problems[0]}"
        else:
            message = f"{source}: {len(self.problems)} mistakes\n" + "\n".join(
                f"  - {p}" for p in self.problems
            )
        super().__init__(message + (f"\n{advice}" if advice else ""))

    def with_advice(self, advice: str) -> FormMistakes:
        """The same mistakes, with what to do about them said after the list."""
        return FormMistakes(self.source, self.problems, advice)


def check_release_unchanged(form: FormDefinition, recorded_checksum: str | None) -> None:
    """A released form version is never edited: the content recorded when the version was first
    used must still be the content of its file."""
    if recorded_checksum is None or recorded_checksum == form.checksum:
        return
    name = form.source or f"{form.id}.v{form.version}.yaml"
    raise FormDefinitionError(
        f"{name}: form '{form.id}' version {form.version} has been edited since it was first used, "
        "so audits already made with it would no longer show what was asked. Put the file back as "
        f"it was and copy it to {form.id}.v{form.version + 1}.yaml (with version: "
        f"{form.version + 1} inside) to make your changes in a new version."
    )
