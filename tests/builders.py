"""A small organisation and complete answer sets for tests, made through the real services."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.domain.forms import FieldType, FormDefinition
from auditor.domain.grades import Grade
from auditor.domain.permissions import Principal
from auditor.domain.reference import Role
from auditor.domain.workflow import Part
from auditor.services import Services


@dataclass(frozen=True)
class Org:
    """Usernames by role in the audit of case CF-1 (child in need, worker sw.amy)."""

    worker: str = "sw.amy"  # allocated social worker of CF-1 and CF-2
    manager: str = "tm.ben"  # sw.amy's line manager: the first auditor
    other_manager: str = "tm.cat"  # a team manager in another team
    senior_lm: str = "sswm.dan"  # tm.ben's line manager (senior), not sw.amy's
    senior: str = "hos.eve"  # head of service: an independent second auditor
    qa: str = "ap.fay"  # advanced practitioner (QA)
    iro: str = "iro.gus"
    admin: str = "admin.zed"  # Administrator only: made first, adds everyone else
    case: str = "CF-1"
    cic_case: str = "CF-2"


#: The administrator ``build_org`` makes first (with ``ADMIN_PASSWORD``), who adds everyone else.
ADMIN = "admin.zed"
ADMIN_PASSWORD = "zed's long admin password"


def who(services: Services, username: str | Principal) -> Principal:
    """The principal of ``username`` (no password: tests only); a principal is passed through."""
    if isinstance(username, Principal):
        return username
    return services.accounts.principal_of(username)


def admin_of(services: Services) -> Principal:
    """The administrator ``ADMIN``, made first (as set-up does) if the database has none yet."""
    if not services.accounts.has_account(ADMIN):
        return services.setup.create_first_administrator(
            ADMIN, "Zed Admin", [], password=ADMIN_PASSWORD
        )
    return who(services, ADMIN)


QA = "ap.qa"


def qa_of(services: Services) -> Principal:
    """An advanced practitioner (QA: imports historic grades), added by ``admin_of`` if needed."""
    admin = admin_of(services)
    if QA not in {p.username for p in services.directory.people(who=admin)}:
        services.directory.add_person(QA, "Quinn Quality", [Role.ADVANCED_PRACTITIONER], who=admin)
    return who(services, QA)


class As:
    """A service whose every method is called as ``principal`` (``who=`` given for you)."""

    def __init__(self, service: object, principal: Principal) -> None:
        self._service, self._who = service, principal

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._service, name)
        return functools.partial(method, who=self._who)


def as_admin(services: Services, name: str = "directory") -> Any:
    """``services.<name>`` (the directory by default) as the administrator ``admin_of``."""
    return As(getattr(services, name), admin_of(services))


def history_import(services: Services) -> Any:
    """``services.history`` as the QA person ``qa_of`` (who may import historic grades)."""
    return As(services.history, qa_of(services))


def build_org(services: Services) -> Org:
    admin = services.setup.create_first_administrator(
        ADMIN, "Zed Admin", [], password=ADMIN_PASSWORD
    )
    d = services.directory
    d.add_team("North", "Strengthening Families", who=admin)
    d.add_team("South", "Strengthening Families", who=admin)
    d.add_person("hos.eve", "Eve Head", [Role.HEAD_OF_SERVICE], who=admin)
    d.add_person(
        "sswm.dan", "Dan Senior", [Role.SENIOR_SOCIAL_WORK_MANAGER], None, "hos.eve", who=admin
    )
    d.add_person("tm.ben", "Ben Manager", [Role.TEAM_MANAGER], "North", "sswm.dan", who=admin)
    d.add_person("tm.cat", "Cat Manager", [Role.TEAM_MANAGER], "South", "sswm.dan", who=admin)
    d.add_person("sw.amy", "Amy Worker", [Role.SOCIAL_WORKER], "North", "tm.ben", who=admin)
    d.add_person("ap.fay", "Fay Quality", [Role.ADVANCED_PRACTITIONER], who=admin)
    d.add_person("iro.gus", "Gus Chair", [Role.IRO], who=admin)
    d.add_case("CF-1", "child_in_need", "North", "sw.amy", who=admin)
    d.add_case("CF-2", "child_in_care", "North", "sw.amy", who=admin)
    d.add_case("CF-3", "child_protection", "North", None, who=admin)
    return Org()


def fill(
    form: FormDefinition,
    case_type: str | None = "child_in_need",
    grade: Grade = Grade.GOOD,
    grades: dict[str, Grade] | None = None,
    preset: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Answer every visible question of a form; grades default to ``grade``."""
    out: dict[str, Any] = dict(preset or {})
    for field in form.all_fields():
        if field.id in out or not field.applies_to(case_type):
            continue
        if field.visible_if is not None and not field.visible_if.holds(out):
            continue
        t = field.type
        if t is FieldType.GRADE:
            g = (grades or {}).get(field.id, grade)
            out[field.id] = {"grade": g.code, "rationale": f"Evidence for {field.id}."}
        elif t is FieldType.CHOICE:
            out[field.id] = field.choices[0].value
        elif t is FieldType.MULTICHOICE:
            out[field.id] = [field.choices[0].value]
        elif t is FieldType.YES_NO:
            out[field.id] = "yes"
        elif t is FieldType.DATE:
            out[field.id] = "2026-10-01"
        elif t is FieldType.NUMBER:
            out[field.id] = 3
        elif t is FieldType.PEOPLE:
            out[field.id] = [{"who": "Child", "category": "child", "said": "I feel safe."}]
        else:
            out[field.id] = f"Answer to {field.id}."
    return out


def feedback_answers(services: Services, reached: bool = True) -> dict[str, Any]:
    form = services.forms.latest("family_feedback")
    outcome = "feedback_given" if reached else "declined"
    return fill(form, preset={"contact_outcome": outcome})


def run_to(
    services: Services,
    org: Org,
    stage: str,
    *,
    final: Grade = Grade.GOOD,
    first: Grade = Grade.GOOD,
    second_grades: dict[str, Grade] | None = None,
    by: str | None = None,
    **start: Any,
) -> int:
    """Drive an audit of CF-1 to 'self_review', 'first_audit', 'second_audit' or 'reconciliation'.
    ``by`` starts it (default: the first auditor); ``start`` goes to ``AuditService.start``."""
    a = services.audits
    audit_id = a.start(org.case, by=who(services, by or org.manager), **start)
    if stage == "self_review":
        return audit_id
    a.submit(
        audit_id,
        Part.SELF_REVIEW,
        by=who(services, org.worker),
        answers=fill(services.forms.latest("self_review")),
    )
    if stage == "first_audit":
        return audit_id
    a.submit(
        audit_id,
        Part.FAMILY_FEEDBACK,
        by=who(services, org.manager),
        answers=feedback_answers(services),
    )
    form = services.forms.latest("case_file_audit")
    a.submit(
        audit_id, Part.FIRST_AUDIT, by=who(services, org.manager), answers=fill(form, grade=first)
    )
    if stage == "second_audit":
        return audit_id
    a.submit(
        audit_id,
        Part.SECOND_AUDIT,
        by=who(services, org.senior),
        answers=fill(form, grade=final, grades=second_grades),
    )
    return audit_id


def today_plus(days: int) -> dt.date:
    return dt.date.today() + dt.timedelta(days=days)


#: The password ``CliDriver`` gives everyone who has no sign-in yet.
CLI_PASSWORD = "a long password for the command line tests"


class CliDriver:
    """Runs ``main.py`` commands in-process on one database; answer files go to ``folder``."""

    def __init__(
        self,
        db_path: Path,
        services: Services,
        folder: Path,
        capsys: Any,
        case_type: str | None = "child_in_need",
        user: str | None = None,
    ) -> None:
        """With ``user``, every command signs in as them: everyone without a sign-in is given
        ``CLI_PASSWORD``, which each command reads from ``$AUDITOR_PASSWORD``."""
        self.db_path, self.services, self.folder = db_path, services, folder
        self.capsys, self.case_type, self.user = capsys, case_type, user
        if user is not None:
            services.accounts.give_everyone(CLI_PASSWORD)

    def run(self, *args: str) -> tuple[int, str]:
        from auditor.cli import main

        if self.user is None:  # the test signs in itself (``--user`` in ``args``)
            code = main(["--db", str(self.db_path), *args])
        else:
            before = os.environ.get("AUDITOR_PASSWORD")
            os.environ["AUDITOR_PASSWORD"] = CLI_PASSWORD
            try:
                code = main(["--db", str(self.db_path), "--user", self.user, *args])
            finally:
                if before is None:
                    del os.environ["AUDITOR_PASSWORD"]
                else:
                    os.environ["AUDITOR_PASSWORD"] = before
        out, err = self.capsys.readouterr()
        return code, out + err

    __call__ = run

    def answers(self, name: str, data: Any) -> str:
        path = self.folder / f"{name}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        return str(path)

    def form(self, form_id: str, **kw: Any) -> dict[str, Any]:
        kw.setdefault("case_type", self.case_type)
        return fill(self.services.forms.latest(form_id), **kw)
