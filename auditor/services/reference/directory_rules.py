"""What a new team, person or case must be: the one set of rules behind adding one
(``DirectoryService.add_*``) and importing many (``DirectoryImportService``), so both refuse the
same things in the same words.

Each ``check_*`` takes the raw values and a ``Known`` (what already exists: the database, for an
import also the rows of the file) and returns every problem found, one per column, each with the
kind of error a single add raises for it. Messages start in lower case and name what to do; a
single add raises the first as a sentence, an import lists them all under their rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from sqlalchemy import String

from auditor.domain.errors import AuditorError, NotFound, RuleViolation, ValidationError
from auditor.domain.reference import CASE_REFERENCE_MAX, CASE_TYPES, Role, parse_case_type
from auditor.services.reference.tabular import quote
from db.models import Base, CaseTag, Person, Team

_T = TypeVar("_T")
_CONTROL = re.compile("[\x00-\x1f\x7f]")
VALUE_QUOTE = 40  # of a value quoted in a problem
ROLE_SEPARATOR = ";"


def _length(column: object) -> int:
    kind = getattr(column, "type", None)
    assert isinstance(kind, String) and kind.length is not None
    return kind.length


def _limit(model: type[Base], name: str) -> int:
    return _length(model.__table__.c[name])


TEAM_NAME_MAX = _limit(Team, "name")
SERVICE_MAX = _limit(Team, "service")
USERNAME_MAX = _limit(Person, "username")
PERSON_NAME_MAX = _limit(Person, "name")
TAG_MAX = _limit(CaseTag, "tag")


@dataclass(frozen=True)
class Problem:
    column: str  # as a person reads it: "line manager"
    text: str  # what is wrong and what to do, in lower case, without a full stop
    kind: type[AuditorError] = ValidationError

    def error(self) -> AuditorError:
        return self.kind(self.text[:1].upper() + self.text[1:] + ".")


@dataclass
class Checked(Generic[_T]):
    value: _T | None = None
    problems: list[Problem] = field(default_factory=list)

    def add(self, column: str, text: str, kind: type[AuditorError] = ValidationError) -> None:
        self.problems.append(Problem(column, text, kind))

    def or_raise(self) -> _T:
        """The checked value, or the first problem raised as its error."""
        if self.problems:
            raise self.problems[0].error()
        assert self.value is not None
        return self.value


@dataclass(frozen=True)
class Staff:
    """A person as the rules see one: whether they are in a team."""

    username: str
    team: str | None


class Known(Protocol):
    """What already exists, for the rules to check against."""

    def has_team(self, name: str) -> bool: ...

    def staff(self, username: str) -> Staff | None: ...

    def has_username(self, username: str) -> bool: ...

    def has_case(self, reference: str) -> bool: ...

    def case_type_labels(self) -> dict[str, str]: ...  # code -> label, as the database has them


@dataclass(frozen=True)
class NewTeam:
    name: str
    service: str


@dataclass(frozen=True)
class NewPerson:
    username: str
    name: str
    roles: tuple[Role, ...]
    team: str | None
    line_manager: str | None


@dataclass(frozen=True)
class NewCase:
    reference: str
    case_type: str  # a code
    team: str
    worker: str | None
    tags: tuple[str, ...] = ()


def squeeze(text: object) -> str:
    return " ".join(str(text or "").split())


def _text(out: Checked[_T], column: str, value: str, limit: int, required: bool) -> str:
    """``value`` with its spaces squeezed, checked for presence, length and control characters."""
    if _CONTROL.search(value):
        out.add(column, f"the {column} holds a control character; type it again as plain text")
        return ""
    value = squeeze(value)
    if required and not value:
        out.add(column, f"the {column} is missing")
    elif len(value) > limit:
        out.add(column, f"the {column} is {len(value)} characters long; at most {limit} fit")
    return value


def check_team(name: str, service: str, known: Known) -> Checked[NewTeam]:
    out: Checked[NewTeam] = Checked()
    name = _text(out, "name", name, TEAM_NAME_MAX, required=True)
    service = _text(out, "service", service, SERVICE_MAX, required=False)
    if name and known.has_team(name):
        out.add("name", f"there is already a team called {quote(name, VALUE_QUOTE)}", RuleViolation)
    if not out.problems:
        out.value = NewTeam(name, service)
    return out


def parse_roles(text: str, out: Checked[_T]) -> tuple[Role, ...]:
    """Role values or labels separated by ``;`` (each as ``Role.parse`` reads it)."""
    roles: list[Role] = []
    for part in (p.strip() for p in text.split(ROLE_SEPARATOR)):
        if not part:
            continue
        try:
            roles.append(Role.parse(part))
        except ValidationError:
            out.add(
                "roles",
                f"{quote(part, VALUE_QUOTE)} is not a role; use a role such as social_worker or "
                "team_manager ('python main.py people add --help' lists them all)",
            )
    return tuple(dict.fromkeys(roles))


def check_person(
    username: str,
    name: str,
    roles: Sequence[Role] | str,
    team: str | None,
    line_manager: str | None,
    known: Known,
) -> Checked[NewPerson]:
    """``roles`` as parsed already (``people add``) or as a cell's text (an import)."""
    out: Checked[NewPerson] = Checked()
    username = _username(out, username)
    name = _text(out, "name", name, PERSON_NAME_MAX, required=True)
    parsed = parse_roles(roles, out) if isinstance(roles, str) else tuple(dict.fromkeys(roles))
    if not parsed and not any(p.column == "roles" for p in out.problems):
        out.add("roles", "give the person at least one role")
    if username and known.has_username(username):
        taken = f"the username {quote(username, VALUE_QUOTE)} is already taken"
        out.add("username", taken, RuleViolation)
    team = squeeze(team) or None
    if team and not known.has_team(team):
        out.add("team", _no_team(team), NotFound)
    manager = (line_manager or "").strip().lower() or None
    if manager and manager == username:
        out.add("line manager", "a person cannot be their own line manager")
    elif manager and known.staff(manager) is None:
        out.add("line manager", _nobody(manager), NotFound)
    if not out.problems:
        out.value = NewPerson(username, name, parsed, team, manager)
    return out


def _username(out: Checked[_T], text: str) -> str:
    username = str(text or "").strip().lower()
    if not username:
        out.add("username", "the username is missing")
    elif not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        out.add(
            "username",
            f"{quote(username, VALUE_QUOTE)} is not a usable username: use letters, digits, "
            "dots, hyphens or underscores",
        )
    elif len(username) > USERNAME_MAX:
        out.add(
            "username",
            f"the username is {len(username)} characters long; at most {USERNAME_MAX} fit",
        )
    return username


def check_case(
    reference: str,
    case_type: str,
    team: str,
    worker: str | None,
    known: Known,
    tags: Sequence[str] | str = (),
) -> Checked[NewCase]:
    out: Checked[NewCase] = Checked()
    reference = str(reference or "").strip().upper()
    if not reference or len(reference) > CASE_REFERENCE_MAX or _SPACE.search(reference):
        out.add(
            "reference",
            f"a case reference is one word of up to {CASE_REFERENCE_MAX} characters, for "
            "example CF-10234. Use references, not names",
        )
    elif known.has_case(reference):
        out.add(
            "reference",
            f"there is already a case with the reference {quote(reference, VALUE_QUOTE)}",
            RuleViolation,
        )
    code = case_type_code(out, case_type, known)
    team = squeeze(team)
    if not team:
        out.add("team", "the team is missing")
    elif not known.has_team(team):
        out.add("team", _no_team(team), NotFound)
    username = (worker or "").strip().lower() or None
    if username:
        staff = known.staff(username)
        if staff is None:
            out.add("worker", _nobody(username), NotFound)
        elif staff.team is None:
            out.add(
                "worker",
                f"{quote(username, VALUE_QUOTE)} is in no team; give them a team before "
                "allocating cases to them",
                RuleViolation,
            )
    parsed_tags = _tags(out, tags)
    if not out.problems and code is not None:
        out.value = NewCase(reference, code, team, username, parsed_tags)
    return out


_SPACE = re.compile(r"\s")


def case_type_code(out: Checked[_T], text: str, known: Known) -> str | None:
    """A case type's code from its code, its usual label or abbreviation, or its label as the
    database has it now (labels can be edited)."""
    if not squeeze(text):
        out.add("case type", "the case type is missing")
        return None
    try:
        return parse_case_type(text)
    except ValidationError:
        pass
    wanted = squeeze(text).casefold()
    for code, label in known.case_type_labels().items():
        if squeeze(label).casefold() == wanted:
            return code
    out.add(
        "case type",
        f"{quote(text, VALUE_QUOTE)} is not a case type; use one of: {', '.join(CASE_TYPES)}",
    )
    return None


def _tags(out: Checked[_T], tags: Sequence[str] | str) -> tuple[str, ...]:
    from auditor.services.sampling import normalise_tag

    parts = tags.split(ROLE_SEPARATOR) if isinstance(tags, str) else list(tags)
    result: list[str] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        try:
            tag = normalise_tag(part)
        except ValidationError:
            out.add(
                "tags",
                f"{quote(part, VALUE_QUOTE)} is not a usable theme tag: use words such as "
                "domestic_abuse, neglect or exploitation",
            )
            continue
        if len(tag) > TAG_MAX:
            out.add("tags", f"the tag {quote(tag, VALUE_QUOTE)} is longer than {TAG_MAX} letters")
        else:
            result.append(tag)
    return tuple(dict.fromkeys(result))


def _no_team(name: str) -> str:
    return (
        f"there is no team called {quote(name, VALUE_QUOTE)}; add the team first, or correct "
        "the name ('python main.py teams list' shows the teams)"
    )


def _nobody(username: str) -> str:
    return (
        f"there is nobody with the username {quote(username, VALUE_QUOTE)}; add them first, or "
        "correct it ('python main.py people list' shows everyone)"
    )
