"""Form definitions as frozen dataclasses, parsed from plain data (a loaded YAML document).

The parser is strict: an unknown key, a duplicate id, an unknown field type, a graded domain without all
four descriptors, or a choice field without choices is a ``FormDefinitionError`` that names the file and
the field, so a typo in a form file is found when the file is loaded, not when an auditor meets it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from auditor.domain.errors import FormDefinitionError
from auditor.domain.grades import Grade
from auditor.domain.reference import CASE_TYPES


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

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


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


# --------------------------------------------------------------------------------------------- parser

_FORM_KEYS = {
    "id": True,
    "version": True,
    "title": True,
    "use": True,
    "description": False,
    "sections": True,
    "overall": False,
    "theme": False,
}
_SECTION_KEYS = {"id": True, "title": True, "help": False, "fields": True, "case_types": False}
_FIELD_KEYS = {
    "id": True,
    "type": True,
    "label": True,
    "help": False,
    "required": False,
    "choices": False,
    "visible_if": False,
    "case_types": False,
    "descriptors": False,
    "placeholder": False,
}


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str) -> FormDefinitionError:
        return FormDefinitionError(
            f"{self.source}: {where}: {message}" if where else f"{self.source}: {message}"
        )

    def keys(self, data: object, allowed: dict[str, bool], where: str) -> Mapping[str, Any]:
        if not isinstance(data, Mapping):
            raise self.fail(where, "expected a mapping of keys to values")
        unknown = sorted(set(map(str, data)) - set(allowed))
        if unknown:
            raise self.fail(where, f"unknown key '{unknown[0]}' (allowed: {', '.join(allowed)})")
        missing = [k for k, needed in allowed.items() if needed and k not in data]
        if missing:
            raise self.fail(where, f"missing key '{missing[0]}'")
        return data

    def text(self, data: Mapping[str, Any], key: str, where: str, default: str = "") -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or (key in ("id", "title", "label") and not value.strip()):
            raise self.fail(where, f"'{key}' must be a non-empty piece of text")
        return " ".join(value.split()) if key != "description" else value.strip()

    def ident(self, data: Mapping[str, Any], where: str) -> str:
        value = data.get("id")
        if not isinstance(value, str) or not _ID.match(value):
            raise self.fail(
                where, f"id {value!r} must be lower-case letters, digits and underscores"
            )
        return value

    def case_types(self, data: Mapping[str, Any], where: str) -> frozenset[str]:
        value = data.get("case_types", [])
        if not isinstance(value, list) or (not value and "case_types" in data):
            raise self.fail(where, "'case_types' must be a non-empty list of case type codes")
        for code in value:
            if code not in CASE_TYPES:
                raise self.fail(
                    where, f"unknown case type '{code}' (known: {', '.join(CASE_TYPES)})"
                )
        return frozenset(value)

    def form(self, data: object) -> FormDefinition:
        data = self.keys(data, _FORM_KEYS, "")
        form_id = self.ident(data, "form")
        version = data["version"]
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise self.fail("version", "must be a whole number from 1 up")
        try:
            use = FormUse(data["use"])
        except ValueError:
            raise self.fail(
                "use", f"unknown use '{data['use']}' (known: {', '.join(u.value for u in FormUse)})"
            ) from None
        if not isinstance(data["sections"], list) or not data["sections"]:
            raise self.fail("sections", "a form needs at least one section")
        seen: set[str] = set()
        sections = tuple(self.section(s, i, seen) for i, s in enumerate(data["sections"]))
        overall = None
        if "overall" in data:
            overall_data = dict(data["overall"]) if isinstance(data["overall"], Mapping) else None
            if overall_data is None:
                raise self.fail("overall", "expected a mapping with a label and descriptors")
            overall_data.setdefault("id", "overall")
            overall_data.setdefault("type", "grade")
            overall = self.field(overall_data, "overall", seen)
            if overall.type is not FieldType.GRADE:
                raise self.fail("overall", "the overall judgement must be of type 'grade'")
        form = FormDefinition(
            id=form_id,
            version=version,
            title=self.text(data, "title", "title"),
            use=use,
            description=self.text(data, "description", "description"),
            sections=sections,
            overall=overall,
            theme=self.text(data, "theme", "theme"),
            source=self.source,
            checksum=content_checksum(data),
        )
        self.check_conditions(form)
        if use in (FormUse.CASE_AUDIT, FormUse.OBSERVATION, FormUse.DIP_SAMPLE) and overall is None:
            raise self.fail("overall", f"a '{use.value}' form must declare its overall grade")
        return form

    def section(self, data: object, index: int, seen: set[str]) -> Section:
        where = f"sections[{index}]"
        if isinstance(data, Mapping) and isinstance(data.get("id"), str):
            where = f"section '{data['id']}'"
        data = self.keys(data, _SECTION_KEYS, where)
        section_id = self.ident(data, where)
        if not isinstance(data["fields"], list) or not data["fields"]:
            raise self.fail(where, "a section needs at least one field")
        fields = tuple(
            self.field(f, f"{where}, fields[{i}]", seen) for i, f in enumerate(data["fields"])
        )
        return Section(
            id=section_id,
            title=self.text(data, "title", where),
            help=self.text(data, "help", where),
            fields=fields,
            case_types=self.case_types(data, where),
        )

    def field(self, data: object, where: str, seen: set[str]) -> Field:
        if isinstance(data, Mapping) and isinstance(data.get("id"), str):
            where = f"field '{data['id']}'"
        data = self.keys(data, _FIELD_KEYS, where)
        field_id = self.ident(data, where)
        if field_id in seen:
            raise self.fail(
                where, "this id is used twice in the form; every field needs its own id"
            )
        seen.add(field_id)
        try:
            ftype = FieldType(data["type"])
        except ValueError:
            raise self.fail(
                where,
                f"unknown type '{data['type']}' (known: {', '.join(t.value for t in FieldType)})",
            ) from None
        required = data.get("required", ftype is FieldType.GRADE)
        if not isinstance(required, bool):
            raise self.fail(where, "'required' must be true or false")
        return Field(
            id=field_id,
            type=ftype,
            label=self.text(data, "label", where),
            help=self.text(data, "help", where),
            required=required,
            choices=self.choices(data, ftype, where),
            visible_if=self.condition(data, where),
            case_types=self.case_types(data, where),
            descriptors=self.descriptors(data, ftype, where),
            placeholder=self.text(data, "placeholder", where),
        )

    def choices(self, data: Mapping[str, Any], ftype: FieldType, where: str) -> tuple[Choice, ...]:
        raw = data.get("choices")
        if ftype not in (FieldType.CHOICE, FieldType.MULTICHOICE):
            if raw is not None:
                raise self.fail(
                    where, f"'choices' only belong to choice fields, not '{ftype.value}'"
                )
            return ()
        if not isinstance(raw, list) or len(raw) < 2:
            raise self.fail(where, "a choice field needs a list of at least two choices")
        out: list[Choice] = []
        for item in raw:
            if isinstance(item, Mapping) and set(item) == {"value", "label"}:
                value, label = item["value"], str(item["label"])
                if isinstance(value, bool):  # YAML reads an unquoted yes/no as true/false
                    value = "yes" if value else "no"
                value = str(value)
            elif isinstance(item, str):
                value, label = "_".join(item.lower().split()), item
            else:
                raise self.fail(
                    where, f"choice {item!r} must be text or a mapping of value and label"
                )
            if not _ID.match(value):
                raise self.fail(
                    where,
                    f"choice value {value!r} must be lower-case letters, digits and underscores",
                )
            if any(c.value == value for c in out):
                raise self.fail(where, f"choice value '{value}' appears twice")
            out.append(Choice(value, label))
        return tuple(out)

    def condition(self, data: Mapping[str, Any], where: str) -> Condition | None:
        raw = data.get("visible_if")
        if raw is None:
            return None
        if (
            not isinstance(raw, Mapping)
            or "field" not in raw
            or set(raw) - {"field", "equals", "in"}
            or ("equals" in raw) == ("in" in raw)
        ):
            raise self.fail(where, "'visible_if' takes 'field' and either 'equals' or 'in'")
        values = [raw["equals"]] if "equals" in raw else raw["in"]
        if not isinstance(values, list) or not values:
            raise self.fail(where, "'visible_if: in' must be a non-empty list")
        norm = tuple(("yes" if v else "no") if isinstance(v, bool) else str(v) for v in values)
        return Condition(str(raw["field"]), norm)

    def descriptors(
        self, data: Mapping[str, Any], ftype: FieldType, where: str
    ) -> Descriptors | None:
        raw = data.get("descriptors")
        if ftype is not FieldType.GRADE:
            if raw is not None:
                raise self.fail(where, "'descriptors' only belong to grade fields")
            return None
        if not isinstance(raw, Mapping):
            raise self.fail(where, "a graded domain needs 'descriptors' for all four grades")
        unknown = sorted(set(map(str, raw)) - {g.value for g in Grade})
        if unknown:
            raise self.fail(
                where,
                f"unknown descriptor '{unknown[0]}' (use: {', '.join(g.value for g in Grade)})",
            )
        for grade in Grade.ordered():
            text = raw.get(grade.value)
            if not isinstance(text, str) or not text.strip():
                raise self.fail(where, f"the '{grade.value}' descriptor is missing or empty")
        return Descriptors(**{g.value: " ".join(raw[g.value].split()) for g in Grade})

    def check_conditions(self, form: FormDefinition) -> None:
        for f in form.all_fields():
            cond = f.visible_if
            if cond is None:
                continue
            try:
                target = form.field(cond.field_id)
            except KeyError:
                raise self.fail(
                    f"field '{f.id}'", f"'visible_if' refers to unknown field '{cond.field_id}'"
                ) from None
            allowed = (
                {c.value for c in target.choices}
                if target.choices
                else {"yes", "no"}
                if target.type is FieldType.YES_NO
                else None
            )
            bad = [v for v in cond.values if allowed is not None and v not in allowed]
            if bad:
                raise self.fail(
                    f"field '{f.id}'",
                    f"'visible_if' value '{bad[0]}' is not a choice of '{target.id}'",
                )


def content_checksum(data: object) -> str:
    """sha256 of a form document's content, normalised: the same questions, labels and descriptors
    give the same checksum however the file is laid out (key order, quoting, comments, spacing)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_form(data: object, source: str) -> FormDefinition:
    """Turn one loaded form document into a ``FormDefinition``; ``source`` names it in errors."""
    return _Parser(source).form(data)


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
