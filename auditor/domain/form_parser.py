"""The form-file parser: plain data (a loaded YAML document) to a ``FormDefinition``.

It is strict and it reads to the end: every mistake in a file is noted with where it is (the
section or field) and the parser carries on with a stand-in value, so that one ``forms check``
lists everything to fix instead of the first thing. A document with any mistake is refused as a
whole (``FormMistakes``); nothing half-checked is ever used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from auditor.domain.forms import (
    Choice,
    Condition,
    Descriptors,
    Field,
    FieldType,
    FormDefinition,
    FormMistakes,
    FormUse,
    Section,
    content_checksum,
)
from auditor.domain.grades import Grade
from auditor.domain.reference import CASE_TYPES

_ID = re.compile(r"^[a-z][a-z0-9_]*$")

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
#: The overall judgement is always asked: it cannot depend on an answer or a case type.
_OVERALL_KEYS = {k: v for k, v in _FIELD_KEYS.items() if k not in ("visible_if", "case_types")}
_GRADED_USES = (FormUse.CASE_AUDIT, FormUse.OBSERVATION, FormUse.DIP_SAMPLE)
_TEXT_TYPES = (FieldType.TEXT, FieldType.TEXTAREA)
_CHOICE_TYPES = (FieldType.CHOICE, FieldType.MULTICHOICE)
#: Answers a condition can compare with a value; a grade or a list of people is not one value.
_NOT_COMPARABLE = (FieldType.GRADE, FieldType.PEOPLE)


def _shown(value: object) -> str:
    """A value as a message quotes it: short, whatever it is."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class FormParser:
    """One pass over one document; ``problems`` holds every mistake found, in file order."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []
        self.section_ids: set[str] = set()
        self.field_ids: set[str] = set()

    def note(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}" if where else message)

    # ------------------------------------------------------------------------------- small parts

    def keys(self, data: object, allowed: Mapping[str, bool], where: str) -> Mapping[str, Any]:
        """``data`` as a mapping (empty if it is not one), each unknown or missing key noted."""
        if not isinstance(data, Mapping):
            self.note(where, f"expected a mapping of keys to values, not {_shown(data)}")
            return {}
        for key in sorted(set(map(str, data)) - set(allowed)):
            self.note(where, f"unknown key '{key}' (allowed: {', '.join(allowed)})")
        for key in (k for k, needed in allowed.items() if needed and k not in data):
            self.note(where, f"missing key '{key}'")
        return data

    def text(self, data: Mapping[str, Any], key: str, where: str) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            self.note(where, f"'{key}' must be a piece of text, not {_shown(value)}")
            return ""
        if key in ("title", "label") and key in data and not value.strip():
            self.note(where, f"'{key}' must not be empty")
        return " ".join(value.split()) if key != "description" else value.strip()

    def ident(self, data: Mapping[str, Any], where: str) -> str:
        value = data.get("id")
        if "id" in data and (not isinstance(value, str) or not _ID.match(value)):
            self.note(
                where, f"id {_shown(value)} must be lower-case letters, digits and underscores"
            )
        return value if isinstance(value, str) else ""

    def code(self, data: Mapping[str, Any], key: str, where: str) -> str:
        value = self.text(data, key, where)
        if value and not _ID.match(value):
            self.note(
                where, f"'{key}' {value!r} must be lower-case letters, digits and underscores"
            )
        return value

    def case_types(self, data: Mapping[str, Any], where: str) -> frozenset[str]:
        if "case_types" not in data:
            return frozenset()
        value = data["case_types"]
        if not isinstance(value, list) or not value:
            self.note(where, "'case_types' must be a non-empty list of case type codes")
            return frozenset()
        codes = [c for c in value if isinstance(c, str) and c in CASE_TYPES]
        for code in value:
            if code not in codes:
                self.note(
                    where, f"unknown case type {_shown(code)} (known: {', '.join(CASE_TYPES)})"
                )
        for code in sorted({c for c in codes if codes.count(c) > 1}):
            self.note(where, f"case type '{code}' is listed twice")
        return frozenset(codes)

    # ----------------------------------------------------------------------------- the document

    def form(self, data: object) -> FormDefinition:
        data = self.keys(data, _FORM_KEYS, "")
        form_id = self.ident(data, "form")
        version = data.get("version", 0)
        if "version" in data and (
            not isinstance(version, int) or isinstance(version, bool) or version < 1
        ):
            self.note("version", f"must be a whole number from 1 up, not {_shown(version)}")
            version = 0
        use = self.use(data)
        sections = self.sections(data.get("sections"), "sections" in data)
        overall = self.overall(data)
        form = FormDefinition(
            id=form_id,
            version=version,
            title=self.text(data, "title", "title"),
            use=use or FormUse.SELF_REVIEW,
            description=self.text(data, "description", "description"),
            sections=sections,
            overall=overall,
            theme=self.code(data, "theme", "theme"),
            source=self.source,
            checksum=content_checksum(data),
        )
        self.check_conditions(form)
        if use in _GRADED_USES and overall is None and "overall" not in data:
            self.note("overall", f"a '{use.value}' form must declare its overall grade")
        return form

    def use(self, data: Mapping[str, Any]) -> FormUse | None:
        raw = data.get("use")
        known = {u.value: u for u in FormUse}
        if "use" in data and (not isinstance(raw, str) or raw not in known):
            self.note("use", f"unknown use {_shown(raw)} (known: {', '.join(known)})")
        return known.get(raw) if isinstance(raw, str) else None

    def sections(self, raw: object, given: bool) -> tuple[Section, ...]:
        if not isinstance(raw, list) or not raw:
            if given:
                self.note("sections", "a form needs at least one section")
            return ()
        parsed = (self.section(s, i) for i, s in enumerate(raw))
        return tuple(s for s in parsed if s is not None)

    def section(self, data: object, index: int) -> Section | None:
        where = f"sections[{index}]"
        if isinstance(data, Mapping) and isinstance(data.get("id"), str):
            where = f"section '{data['id']}'"
        data = self.keys(data, _SECTION_KEYS, where)
        if not data:
            return None
        section_id = self.ident(data, where)
        if section_id and section_id in self.section_ids:
            self.note(where, "this section id is used twice in the form; each needs its own id")
        self.section_ids.add(section_id)
        raw = data.get("fields")
        if "fields" in data and (not isinstance(raw, list) or not raw):
            self.note(where, "a section needs at least one field")
        raw_fields = raw if isinstance(raw, list) else []
        fields = (self.field(f, f"{where}, fields[{i}]") for i, f in enumerate(raw_fields))
        return Section(
            id=section_id,
            title=self.text(data, "title", where),
            help=self.text(data, "help", where),
            fields=tuple(f for f in fields if f is not None),
            case_types=self.case_types(data, where),
        )

    def overall(self, data: Mapping[str, Any]) -> Field | None:
        if "overall" not in data:
            return None
        raw = data["overall"]
        if not isinstance(raw, Mapping):
            self.note("overall", "expected a mapping with a label and descriptors")
            return None
        overall = self.field({"id": "overall", "type": "grade", **raw}, "overall", _OVERALL_KEYS)
        if overall is not None and overall.type is not FieldType.GRADE:
            self.note("overall", "the overall judgement must be of type 'grade'")
        return overall

    # --------------------------------------------------------------------------------- a field

    def field(
        self, data: object, where: str, allowed: Mapping[str, bool] = _FIELD_KEYS
    ) -> Field | None:
        if isinstance(data, Mapping) and isinstance(data.get("id"), str) and where != "overall":
            where = f"field '{data['id']}'"
        data = self.keys(data, allowed, where)
        if not data:
            return None
        field_id = self.ident(data, where)
        if field_id and field_id in self.field_ids:
            self.note(where, "this id is used twice in the form; every field needs its own id")
        self.field_ids.add(field_id)
        ftype = self.field_type(data, where)
        required = data.get("required", ftype is FieldType.GRADE)
        if not isinstance(required, bool):
            self.note(where, f"'required' must be true or false, not {_shown(required)}")
            required = False
        if "placeholder" in data and ftype is not None and ftype not in _TEXT_TYPES:
            self.note(where, f"'placeholder' only belongs to text fields, not '{ftype.value}'")
        return Field(
            id=field_id,
            type=ftype or FieldType.TEXT,
            label=self.text(data, "label", where),
            help=self.text(data, "help", where),
            required=required,
            choices=self.choices(data, ftype, where),
            visible_if=self.condition(data, where),
            case_types=self.case_types(data, where),
            descriptors=self.descriptors(data, ftype, where),
            placeholder=self.text(data, "placeholder", where),
        )

    def field_type(self, data: Mapping[str, Any], where: str) -> FieldType | None:
        raw = data.get("type")
        known = {t.value: t for t in FieldType}
        if "type" in data and (not isinstance(raw, str) or raw not in known):
            self.note(where, f"unknown type {_shown(raw)} (known: {', '.join(known)})")
        return known.get(raw) if isinstance(raw, str) else None

    def choices(
        self, data: Mapping[str, Any], ftype: FieldType | None, where: str
    ) -> tuple[Choice, ...]:
        raw = data.get("choices")
        if ftype not in _CHOICE_TYPES:
            if raw is not None and ftype is not None:
                self.note(where, f"'choices' only belong to choice fields, not '{ftype.value}'")
            return ()
        if not isinstance(raw, list) or len(raw) < 2:
            self.note(where, "a choice field needs a list of at least two choices")
            return ()
        out = [c for c in (self.choice(item, where) for item in raw) if c is not None]
        values = [c.value for c in out]
        for value in sorted({v for v in values if values.count(v) > 1}):
            self.note(where, f"choice value '{value}' appears twice")
        labels: set[str] = set()
        for choice in out:
            if choice.label.casefold() in labels:
                self.note(where, f"choice label '{choice.label}' appears twice; each needs its own")
            labels.add(choice.label.casefold())
        return tuple(out)

    def choice(self, item: object, where: str) -> Choice | None:
        if isinstance(item, str):
            value, label = "_".join(item.lower().split()), " ".join(item.split())
        elif isinstance(item, Mapping) and set(map(str, item)) == {"value", "label"}:
            value, label = item["value"], item["label"]
            if isinstance(value, bool):  # YAML reads an unquoted yes/no as true/false
                value = "yes" if value else "no"
            value = str(value) if isinstance(value, str | int) else ""
            if not isinstance(label, str) or not label.strip():
                self.note(where, f"choice {_shown(item)} needs a label: a non-empty piece of text")
                return None
            label = " ".join(label.split())
        else:
            self.note(where, f"choice {_shown(item)} must be text or a mapping of value and label")
            return None
        if not _ID.match(value):
            self.note(
                where,
                f"choice value {_shown(value)} must be lower-case letters, digits and underscores",
            )
            return None
        return Choice(value, label)

    def condition(self, data: Mapping[str, Any], where: str) -> Condition | None:
        raw = data.get("visible_if")
        if raw is None:
            return None
        if (
            not isinstance(raw, Mapping)
            or not isinstance(raw.get("field"), str)
            or set(map(str, raw)) - {"field", "equals", "in"}
            or ("equals" in raw) == ("in" in raw)
        ):
            self.note(where, "'visible_if' takes 'field' (an id) and either 'equals' or 'in'")
            return None
        values = [raw["equals"]] if "equals" in raw else raw["in"]
        if not isinstance(values, list) or not values:
            self.note(where, "'visible_if: in' must be a non-empty list")
            return None
        bad = [v for v in values if not isinstance(v, str | int | float | bool)]
        if bad:
            self.note(where, f"'visible_if' value {_shown(bad[0])} must be a single value")
            return None
        norm = tuple(("yes" if v else "no") if isinstance(v, bool) else str(v) for v in values)
        return Condition(raw["field"], norm)

    def descriptors(
        self, data: Mapping[str, Any], ftype: FieldType | None, where: str
    ) -> Descriptors | None:
        raw = data.get("descriptors")
        if ftype is not FieldType.GRADE:
            if raw is not None and ftype is not None:
                self.note(where, "'descriptors' only belong to grade fields")
            return None
        if not isinstance(raw, Mapping):
            self.note(where, "a graded domain needs 'descriptors' for all four grades")
            return None
        names = [g.value for g in Grade.ordered()]
        for key in sorted(set(map(str, raw)) - set(names)):
            self.note(where, f"unknown descriptor '{key}' (use: {', '.join(names)})")
        texts: dict[str, str] = {}
        for name in names:
            text = raw.get(name)
            if not isinstance(text, str) or not text.strip():
                self.note(where, f"the '{name}' descriptor is missing or empty")
            else:
                texts[name] = " ".join(text.split())
        seen: dict[str, str] = {}
        for name, text in texts.items():
            if text in seen:
                self.note(
                    where,
                    f"the '{name}' descriptor is the same as the '{seen[text]}' one; "
                    "each grade needs its own",
                )
            seen.setdefault(text, name)
        return Descriptors(**texts) if len(texts) == len(names) else None

    # ------------------------------------------------------------------------ across the form

    def check_conditions(self, form: FormDefinition) -> None:
        """Each ``visible_if`` names another field of the form, one whose answer is one value,
        and values that field can have; and no chain of them comes back to where it started."""
        by_id = {f.id: f for f in form.all_fields()}
        for f in form.all_fields():
            cond = f.visible_if
            if cond is None:
                continue
            where = f"field '{f.id}'"
            target = by_id.get(cond.field_id)
            if cond.field_id == f.id:
                self.note(where, "'visible_if' refers to the field itself; name another field")
            elif target is None:
                self.note(where, f"'visible_if' refers to unknown field '{cond.field_id}'")
            elif target.type in _NOT_COMPARABLE:
                self.note(
                    where,
                    f"'visible_if' refers to '{target.id}', a '{target.type.value}' field; "
                    "it can only depend on a field whose answer is one value or choice",
                )
            else:
                allowed = (
                    {c.value for c in target.choices}
                    if target.type in _CHOICE_TYPES
                    else {"yes", "no"}
                    if target.type is FieldType.YES_NO
                    else None
                )
                for value in cond.values:
                    if allowed is not None and value not in allowed:
                        self.note(
                            where, f"'visible_if' value '{value}' is not a choice of '{target.id}'"
                        )
        self.check_cycles(by_id)

    def check_cycles(self, by_id: Mapping[str, Field]) -> None:
        reported: set[str] = set()
        for start in by_id:
            path = [start]
            while (cond := by_id[path[-1]].visible_if) is not None and cond.field_id in by_id:
                nxt = cond.field_id
                if nxt == path[-1]:
                    break  # a field on itself is reported above
                if nxt in path:
                    loop = path[path.index(nxt) :]
                    if not reported & set(loop):
                        chain = " -> ".join([*loop, nxt])
                        self.note(
                            f"field '{loop[0]}'",
                            f"'visible_if' goes round in a circle ({chain}), so none of these "
                            "fields could ever be shown",
                        )
                        reported.update(loop)
                    break
                path.append(nxt)


def parse_form(data: object, source: str) -> FormDefinition:
    """Turn one loaded form document into a ``FormDefinition``; ``source`` names it in errors.
    Every mistake in the document is in the one ``FormMistakes`` raised."""
    parser = FormParser(source)
    form = parser.form(data)
    if parser.problems:
        raise FormMistakes(source, parser.problems)
    return form
