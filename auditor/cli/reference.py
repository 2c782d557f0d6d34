"""``init``, ``import-history``, ``teams``, ``people``, ``cases list|add|import`` and ``forms``:
the database itself and the reference data."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING, Any

from auditor.cli.common import (
    EXIT_REFUSED,
    PASSWORD_ENV,
    Commands,
    Format,
    Handler,
    command,
    group,
    input_file,
    read_password,
    render,
    role_arg,
    to_json,
)
from auditor.domain.errors import AuditorError, ValidationError
from auditor.domain.reference import Role

if TYPE_CHECKING:
    from auditor.domain.forms import FormDefinition
    from auditor.services import Services
    from forms import FormLibrary


def register(sub: Commands) -> None:
    p = command(
        sub,
        "init",
        cmd_init,
        "create or upgrade the database; a new one with its first administrator (--admin) or the "
        "demo organisation (--demo)",
        create=True,
        signed_in=False,
    )
    first = p.add_mutually_exclusive_group()
    first.add_argument(
        "--demo",
        action="store_true",
        help="fill a new database with a fictional organisation (it prints the demo password)",
    )
    first.add_argument(
        "--admin",
        metavar="USERNAME",
        help=f"a new database's first administrator (password: ${PASSWORD_ENV}, else asked for "
        "twice)",
    )
    p.add_argument("--name", metavar="FULL NAME", help="the administrator's name (with --admin)")
    p = command(sub, "import-history", cmd_import, "import historic grades from CSV or XLSX")
    p.add_argument("file", type=input_file)
    p.add_argument("--sheet", metavar="NAME", help="the sheet to read, for a workbook with several")

    _register_people(sub)
    _register_cases(sub)

    forms = group(sub, "forms", "the form definitions")
    command(forms, "list", cmd_forms_list, no_db=True)
    command(
        forms,
        "check",
        cmd_forms_check,
        "check every form file, and that every form version the database used is still there "
        "unchanged",
        no_db=True,
    )
    p = command(
        forms, "template", cmd_forms_template, "print an empty answer file for a form", no_db=True
    )
    p.add_argument("form_id")


def _register_people(sub: Commands) -> None:
    teams = group(sub, "teams", "list, add or import teams")
    command(teams, "list", cmd_teams_list)
    p = command(teams, "add", cmd_teams_add)
    p.add_argument("name")
    p.add_argument("--service", default="")
    p = command(teams, "edit", cmd_teams_edit, "rename a team or change its service")
    p.add_argument("name")
    p.add_argument("--name", dest="new_name", metavar="NEW_NAME")
    p.add_argument("--service")
    _active_commands(teams, "team", "name", cmd_teams_active)
    _import_command(teams, "teams", "name, service")

    people = group(sub, "people", "list, add or import people")
    p = command(people, "list", cmd_people_list)
    p.add_argument("--role", type=role_arg)
    p = command(people, "add", cmd_people_add)
    p.add_argument("username")
    p.add_argument("--name", required=True)
    p.add_argument(
        "--role",
        dest="roles",
        action="append",
        type=role_arg,
        required=True,
        help=f"repeat for several; one of: {', '.join(r.value for r in Role)}",
    )
    p.add_argument("--team")
    p.add_argument("--line-manager", metavar="USERNAME")
    p = command(
        people, "edit", cmd_people_edit, "change a person's name, roles, team or line manager"
    )
    p.add_argument("username")
    p.add_argument("--name")
    p.add_argument(
        "--role",
        dest="roles",
        action="append",
        type=role_arg,
        help="repeat for several; replaces all their roles",
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument("--team")
    which.add_argument("--no-team", action="store_true", help="in no team")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--line-manager", metavar="USERNAME")
    which.add_argument("--no-line-manager", action="store_true")
    _active_commands(
        people,
        "person (their sign-in too; someone with audit history is deactivated, never deleted)",
        "username",
        cmd_people_active,
    )
    _import_command(people, "people", "username, name, roles, team, line manager")


def _register_cases(sub: Commands) -> None:
    cases = group(sub, "cases", "list, add, import or tag cases")
    p = command(cases, "list", cmd_cases_list)
    p.add_argument("--team")
    p.add_argument("--search", default="")
    p = command(cases, "add", cmd_cases_add)
    p.add_argument("reference")
    p.add_argument("--type", dest="case_type", required=True)
    p.add_argument("--team", required=True)
    p.add_argument("--worker", metavar="USERNAME")
    p = command(cases, "edit", cmd_cases_edit, "change a case's type or team")
    p.add_argument("reference")
    p.add_argument("--type", dest="case_type")
    p.add_argument("--team")
    p = command(
        cases,
        "reallocate",
        cmd_cases_reallocate,
        "give a case to another worker (who held it when is kept)",
    )
    p.add_argument("reference")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--worker", metavar="USERNAME")
    which.add_argument("--unallocated", action="store_true")
    p = command(cases, "history", cmd_cases_history, "who held a case, from when to when")
    p.add_argument("reference")
    _active_commands(cases, "case", "reference", cmd_cases_active)
    _import_command(cases, "cases", "reference, case type, team, worker, tags")


def _active_commands(commands: Commands, what: str, key: str, handler: Handler) -> None:
    """``deactivate KEY`` and ``activate KEY``, both run by ``handler`` (``args.active``)."""
    for name, active in (("deactivate", False), ("activate", True)):
        p = command(
            commands,
            name,
            handler,
            f"{name} a {what}" if active is False else f"{name} again",
            active=active,
        )
        p.add_argument(key)


def _import_command(commands: Commands, kind: str, columns: str) -> None:
    """``kind`` is a ``DirectoryKind`` value, as text: building the parser imports no service."""
    p = command(
        commands,
        "import",
        cmd_directory_import,
        f"import {kind} from CSV or XLSX (columns: {columns}); all rows or none",
    )
    p.add_argument("file", type=input_file)
    p.add_argument("--sheet", metavar="NAME", help="the sheet to read, for a workbook with several")
    p.set_defaults(kind=kind)


def cmd_init(services: Services, args: argparse.Namespace) -> None:
    if args.demo:
        _init_demo(services)
    elif args.admin:
        _init_admin(services, args.admin, args.name)
    else:
        print(f"Database ready: {services.path}")
        if not services.setup.progress().ready:
            print(
                "It has no administrator yet: 'python main.py init --admin USERNAME --name "
                '"Full Name"\' makes the first one.'
            )


def _init_demo(services: Services) -> None:
    from auditor.services.access.accounts import DEMO_PASSWORD
    from auditor.services.demo.build import DEMO_ADMIN, STAFF, build_demo

    if not services.is_empty():
        raise ValidationError(
            f"{services.path} already holds data; the demo organisation "
            "goes into a new database. Give another --db path."
        )
    counts = build_demo(services)
    services.accounts.give_everyone(DEMO_PASSWORD)  # a no-op once the builder has done it
    print(
        f"Demo organisation created in {services.path}: "
        + ", ".join(f"{n} {what}" for what, n in counts.items())
        + "."
    )
    print(f"Everyone in the demo signs in with the password: {DEMO_PASSWORD}")
    shown: dict[Role, str] = {}
    for username, _name, roles, _team, _manager in STAFF:
        shown.setdefault(roles[0], username)
    print("For example (--user USERNAME):")
    for role, username in {**shown, Role.ADMINISTRATOR: DEMO_ADMIN}.items():
        print(f"  {username:<14} {role.label}")


def _init_admin(services: Services, username: str, name: str | None) -> None:
    """The first administrator of a database that has none: the password policy is checked
    before anything is stored, so a refused password leaves the database as it was."""
    from auditor.domain.passwords import check_password
    from auditor.services.access.accounts import common_passwords

    if services.setup.progress().ready:
        raise ValidationError(
            f"{services.path} already has an administrator; ask them for a sign-in "
            "('accounts create')."
        )
    name = " ".join((name or "").split()) or username
    password = read_password(f"Password for {username}: ", PASSWORD_ENV, twice=True)
    check_password(password, username=username, name=name, common=common_passwords())
    services.setup.create_first_administrator(username, name, [], password=password)
    print(
        f"Database ready: {services.path}. {name} ({username}) is its administrator; sign in with "
        f"--user {username}, e.g. 'python main.py --db {services.path} people list --user "
        f"{username}'."
    )


def cmd_import(services: Services, args: argparse.Namespace) -> int | None:
    """A refusal is printed in full but only its first line is logged: the lines after it may
    quote cells of the file, and the data is about children."""
    try:
        result = services.history.import_file(args.file, args.sheet, who=args.who)
    except AuditorError as exc:
        logging.getLogger(__name__).info("Refused import-history: %s", str(exc).partition("\n")[0])
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    parts = ", ".join(f"{n} {c}" for c, n in sorted(result.by_category.items()))
    print(f"Imported {result.rows} rows from {args.file.name} ({parts}).")
    return None


def cmd_directory_import(services: Services, args: argparse.Namespace) -> int | None:
    """``teams|people|cases import FILE``: as ``import-history``, a refusal is printed in full and
    only its first line (which quotes no cell) is logged."""
    from auditor.services.dto import DirectoryKind

    kind = DirectoryKind(args.kind)
    importer = services.directory_import
    run = {
        DirectoryKind.TEAMS: importer.import_teams,
        DirectoryKind.PEOPLE: importer.import_people,
        DirectoryKind.CASES: importer.import_cases,
    }[kind]
    try:
        result = run(args.file, args.sheet, who=args.who)
    except AuditorError as exc:
        logging.getLogger(__name__).info(
            "Refused %s import: %s", kind.value, str(exc).partition("\n")[0]
        )
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"Imported {result.added} {kind.value} from {args.file.name}.")
    return None


def cmd_teams_list(services: Services, args: argparse.Namespace) -> None:
    print(
        render(
            Format.TABLE,
            ("team", "service"),
            [(t.name, t.service) for t in services.directory.teams(who=args.who)],
        )
    )


def cmd_teams_add(services: Services, args: argparse.Namespace) -> None:
    team = services.directory.add_team(args.name, args.service, who=args.who)
    print(f"Added team {team.name}.")


def cmd_teams_edit(services: Services, args: argparse.Namespace) -> None:
    team = services.directory.update_team(
        args.name, who=args.who, new_name=args.new_name, service=args.service
    )
    print(f"Team {team.name} ({team.service or 'no service'}).")


def cmd_teams_active(services: Services, args: argparse.Namespace) -> None:
    team = services.directory.set_team_active(args.name, args.active, who=args.who)
    print(f"Team {team.name} is {'active' if team.active else 'deactivated'}.")


def cmd_people_list(services: Services, args: argparse.Namespace) -> None:
    people = services.directory.people(args.role, who=args.who)
    print(
        render(
            Format.TABLE,
            ("username", "name", "roles", "team"),
            [(p.username, p.name, p.role_labels, p.team or "") for p in people],
        )
    )


def cmd_people_add(services: Services, args: argparse.Namespace) -> None:
    person = services.directory.add_person(
        args.username, args.name, args.roles, args.team, args.line_manager, who=args.who
    )
    print(f"Added {person.name} ({person.username}): {person.role_labels}.")


def cmd_people_edit(services: Services, args: argparse.Namespace) -> None:
    from auditor.services.reference.directory import UNCHANGED

    person = services.directory.update_person(
        args.username,
        who=args.who,
        name=args.name,
        roles=args.roles,
        team=None if args.no_team else (args.team if args.team is not None else UNCHANGED),
        line_manager=None
        if args.no_line_manager
        else (args.line_manager if args.line_manager is not None else UNCHANGED),
    )
    print(f"{person.name} ({person.username}): {person.role_labels}, {person.team or 'no team'}.")


def cmd_people_active(services: Services, args: argparse.Namespace) -> None:
    person = services.directory.set_person_active(args.username, args.active, who=args.who)
    state = "active again" if args.active else "deactivated (their history is kept)"
    print(f"{person.name} ({person.username}) is {state}.")


def cmd_cases_list(services: Services, args: argparse.Namespace) -> None:
    cases = services.directory.cases(args.team, args.search, who=args.who)
    print(
        render(
            Format.TABLE,
            ("reference", "case type", "team", "worker"),
            [(c.reference, c.case_type_label, c.team, c.worker or "(unallocated)") for c in cases],
        )
    )


def cmd_cases_add(services: Services, args: argparse.Namespace) -> None:
    case = services.directory.add_case(
        args.reference, args.case_type, args.team, args.worker, who=args.who
    )
    print(f"Added case {case.reference} ({case.case_type_label}, {case.team}).")


def cmd_cases_edit(services: Services, args: argparse.Namespace) -> None:
    case = services.directory.update_case(
        args.reference, who=args.who, case_type=args.case_type, team=args.team
    )
    print(f"Case {case.reference}: {case.case_type_label}, {case.team}.")


def cmd_cases_reallocate(services: Services, args: argparse.Namespace) -> None:
    worker = None if args.unallocated else args.worker
    case = services.directory.update_case(args.reference, who=args.who, worker=worker)
    print(f"Case {case.reference} is now held by {case.worker or 'nobody (unallocated)'}.")


def cmd_cases_history(services: Services, args: argparse.Namespace) -> None:
    rows = services.directory.case_allocations(args.reference, who=args.who)
    print(
        render(
            Format.TABLE,
            ("team", "worker", "from", "to", "changed by"),
            [
                (
                    r.team,
                    r.worker or "(unallocated)",
                    f"{r.from_at:%d/%m/%Y %H:%M}",
                    f"{r.to_at:%d/%m/%Y %H:%M}" if r.to_at else "(now)",
                    r.changed_by or "",
                )
                for r in rows
            ],
        )
    )


def cmd_cases_active(services: Services, args: argparse.Namespace) -> None:
    case = services.directory.set_case_active(args.reference, args.active, who=args.who)
    print(f"Case {case.reference} is {'active' if case.active else 'deactivated'}.")


def cmd_forms_list(services: None, args: argparse.Namespace) -> None:
    import sys

    from forms import default_library

    library = default_library()
    forms = library.available()
    print(
        render(
            Format.TABLE,
            ("id", "version", "use", "title", "questions"),
            [(f.id, f.version, f.use.value, f.title, len(f.all_fields())) for f in forms],
        )
    )
    broken = [c.name for c in library.check() if not c.ok]
    if broken:
        print(
            f"Left out, with mistakes: {', '.join(broken)} "
            "('python main.py forms check' says what is wrong).",
            file=sys.stderr,
        )


def cmd_forms_check(services: None, args: argparse.Namespace) -> int | None:
    """Every file of the forms folder with every mistake in it, then the released versions of the
    database (``--db``, ``$AUDITOR_DB`` or the default one, when there is one): exit 2 if anything
    is wrong, naming each file; "OK" per file otherwise."""
    import sys

    from forms import default_library

    library = default_library()
    problems: dict[str, list[str]] = {c.name: list(c.problems) for c in library.check()}
    released, database_problem = _check_releases(args, library, problems)
    for name in sorted(problems):
        found = problems[name]
        count = f"{len(found)} problem{'s' if len(found) > 1 else ''}"
        print(f"{name}: {count if found else 'OK'}")
        for problem in found:
            print(f"  - {problem}")
    print(released)
    broken = sorted(name for name, found in problems.items() if found)
    if database_problem:
        print(f"error: {database_problem}", file=sys.stderr)
    if broken:
        print(
            f"error: {len(broken)} of {len(problems)} form files have a problem "
            f"({', '.join(broken)}); a form with a mistake cannot be used until its file is "
            "corrected, and every other form works meanwhile.",
            file=sys.stderr,
        )
    return EXIT_REFUSED if broken or database_problem else None


def _check_releases(
    args: argparse.Namespace, library: FormLibrary, problems: dict[str, list[str]]
) -> tuple[str, str]:
    """Add each released form version whose file is missing or changed to ``problems``.
    (What was checked, what stopped the check: '' unless the database was asked for and cannot
    be read.)"""
    import os

    from auditor.domain.errors import AuditorError
    from auditor.paths import DB_ENV, database_path
    from auditor.services import open_services
    from auditor.services.reference.form_releases import release_problems

    path = database_path(args.db)
    if not path.exists():
        skipped = f"Released form versions not checked: there is no database at {path}."
        if args.db or os.environ.get(DB_ENV):
            return skipped, f"There is no database at {path}; give the --db of your database."
        return skipped, ""
    try:
        services = open_services(path, forms=library)
        try:
            checked, found = release_problems(services.db, library)
        finally:
            services.close()
    except AuditorError as error:
        return f"Released form versions not checked: {path} cannot be read.", str(error)
    for problem in found:
        problems.setdefault(problem.file_name, []).append(problem.message)
    versions = f"{checked} form version{'s' if checked != 1 else ''}"
    return f"Released form versions in {path}: {versions} used, {len(found)} with a problem.", ""


def cmd_forms_template(services: None, args: argparse.Namespace) -> None:
    from forms import default_library

    print(to_json(answer_template(default_library().latest(args.form_id))))


def answer_template(form: FormDefinition) -> dict[str, Any]:
    """An answer file with every question and an empty value of the right shape."""
    from auditor.domain.forms import FieldType

    empty: dict[FieldType, Any] = {
        FieldType.GRADE: {"grade": "", "rationale": ""},
        FieldType.MULTICHOICE: [],
        FieldType.NUMBER: None,
        FieldType.PEOPLE: [{"who": "", "category": "", "said": ""}],
    }
    return {f.id: empty.get(f.type, "") for f in form.all_fields()}
