"""The headless command line: ``python main.py [--db PATH] COMMAND ...``. Never imports Qt.

Expected problems (rules, validation, storage) print one clear line to stderr and exit with code 2;
anything else is logged with its traceback and reported in one line with exit code 1.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from auditor import APP_NAME, __version__
from auditor.cli_audit import add_audit_commands
from auditor.cli_practice import add_practice_commands
from auditor.cli_sampling import add_sampling_commands
from auditor.cli_format import render, to_json
from auditor.cli_reports import add_report_commands
from auditor.domain.errors import AuditorError, ValidationError
from auditor.domain.forms import FieldType, FormDefinition
from auditor.domain.periods import parse_date
from auditor.domain.reference import Role
from auditor.domain.summary import SMALL_SAMPLE, SUMMARY_COLUMNS
from auditor.paths import database_path
from auditor.services import Services, open_services

log = logging.getLogger(__name__)
EXIT_OK, EXIT_BUG, EXIT_REFUSED = 0, 1, 2

Handler = Callable[[Services, argparse.Namespace], int | None]


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage mistakes in the same calm one-line style (exit code 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_REFUSED, f"error: {message}\n")


def date_arg(text: str):
    try:
        return parse_date(text)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def read_json(path: str) -> Any:
    source = sys.stdin if path == "-" else None
    try:
        text = source.read() if source else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"Cannot read {path}: {exc.strerror or exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                              f"{exc.msg}).") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python main.py", description=(
        f"{APP_NAME} {__version__}: case-file audit and quality assurance for children's social "
        "care. With no command it opens the desktop app."),
        epilog="Example: python main.py --db demo.db init --demo && python main.py --db demo.db "
               "summary")
    parser.add_argument("--db", metavar="PATH", help="database file (default: $AUDITOR_DB, then "
                        "the user data folder)")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("init", help="create or upgrade the database")
    p.add_argument("--demo", action="store_true", help="fill it with a fictional organisation")
    p.set_defaults(handler=cmd_init, create=True)

    p = sub.add_parser("import-history", help="import historic grades from CSV or XLSX")
    p.add_argument("file", type=Path)
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("summary", help="grade counts per financial year and activity")
    p.add_argument("--from", dest="start", type=date_arg, metavar="DATE")
    p.add_argument("--to", dest="end", type=date_arg, metavar="DATE")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.set_defaults(handler=cmd_summary)

    _add_reference_commands(sub)
    add_audit_commands(sub)
    add_practice_commands(sub)
    add_report_commands(sub)
    return parser


def _add_reference_commands(sub: argparse._SubParsersAction) -> None:
    teams = sub.add_parser("teams", help="list or add teams").add_subparsers(
        dest="action", required=True, metavar="ACTION", parser_class=_Parser)
    teams.add_parser("list").set_defaults(handler=cmd_teams_list)
    p = teams.add_parser("add")
    p.add_argument("name")
    p.add_argument("--service", default="")
    p.set_defaults(handler=cmd_teams_add)

    people = sub.add_parser("people", help="list or add people").add_subparsers(
        dest="action", required=True, metavar="ACTION", parser_class=_Parser)
    p = people.add_parser("list")
    p.add_argument("--role", type=_role_arg)
    p.set_defaults(handler=cmd_people_list)
    p = people.add_parser("add")
    p.add_argument("username")
    p.add_argument("--name", required=True)
    p.add_argument("--role", dest="roles", action="append", type=_role_arg, required=True,
                   help=f"repeat for several; one of: {', '.join(r.value for r in Role)}")
    p.add_argument("--team")
    p.add_argument("--line-manager", metavar="USERNAME")
    p.set_defaults(handler=cmd_people_add)

    cases = sub.add_parser("cases", help="list or add cases").add_subparsers(
        dest="action", required=True, metavar="ACTION", parser_class=_Parser)
    p = cases.add_parser("list")
    p.add_argument("--team")
    p.add_argument("--search", default="")
    p.set_defaults(handler=cmd_cases_list)
    p = cases.add_parser("add")
    p.add_argument("reference")
    p.add_argument("--type", dest="case_type", required=True)
    p.add_argument("--team", required=True)
    p.add_argument("--worker", metavar="USERNAME")
    p.set_defaults(handler=cmd_cases_add)
    add_sampling_commands(sub, cases)

    forms = sub.add_parser("forms", help="the form definitions").add_subparsers(
        dest="action", required=True, metavar="ACTION", parser_class=_Parser)
    forms.add_parser("list").set_defaults(handler=cmd_forms_list, no_db=True)
    forms.add_parser("check", help="load and check every form file").set_defaults(
        handler=cmd_forms_list, no_db=True)
    p = forms.add_parser("template", help="print an empty answer file for a form")
    p.add_argument("form_id")
    p.set_defaults(handler=cmd_forms_template, no_db=True)


def _role_arg(text: str) -> Role:
    try:
        return Role.parse(text)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


# --------------------------------------------------------------------------------------- handlers

def cmd_init(services: Services, args: argparse.Namespace) -> None:
    if args.demo:
        from auditor.services.demo.build import build_demo
        if not services.is_empty():
            raise ValidationError(f"{services.path} already holds data; the demo organisation "
                                  "goes into a new database. Give another --db path.")
        counts = build_demo(services)
        print(f"Demo organisation created in {services.path}: " +
              ", ".join(f"{n} {what}" for what, n in counts.items()) + ".")
    else:
        print(f"Database ready: {services.path}")


def cmd_import(services: Services, args: argparse.Namespace) -> None:
    result = services.history.import_file(args.file)
    parts = ", ".join(f"{n} {c}" for c, n in sorted(result.by_category.items()))
    print(f"Imported {result.rows} rows from {args.file.name} ({parts}).")


def cmd_summary(services: Services, args: argparse.Namespace) -> None:
    rows = [r.as_dict() for r in services.summary.by_financial_year(args.start, args.end)]
    if args.format == "json":
        print(to_json(rows))
        return
    print(render(args.format, SUMMARY_COLUMNS, [[r[c] for c in SUMMARY_COLUMNS] for r in rows]))
    if args.format == "table" and any(r["total"] < SMALL_SAMPLE for r in rows):
        print(f"\nNote: rows with fewer than {SMALL_SAMPLE} graded items give volatile percentages.")


def cmd_teams_list(services: Services, args: argparse.Namespace) -> None:
    print(render("table", ("team", "service"), [(t.name, t.service) for t in services.directory.teams()]))


def cmd_teams_add(services: Services, args: argparse.Namespace) -> None:
    team = services.directory.add_team(args.name, args.service)
    print(f"Added team {team.name}.")


def cmd_people_list(services: Services, args: argparse.Namespace) -> None:
    people = services.directory.people(args.role)
    print(render("table", ("username", "name", "roles", "team"),
                 [(p.username, p.name, p.role_labels, p.team or "") for p in people]))


def cmd_people_add(services: Services, args: argparse.Namespace) -> None:
    person = services.directory.add_person(args.username, args.name, args.roles, args.team,
                                           args.line_manager)
    print(f"Added {person.name} ({person.username}): {person.role_labels}.")


def cmd_cases_list(services: Services, args: argparse.Namespace) -> None:
    cases = services.directory.cases(args.team, args.search)
    print(render("table", ("reference", "case type", "team", "worker"),
                 [(c.reference, c.case_type_label, c.team, c.worker or "(unallocated)")
                  for c in cases]))


def cmd_cases_add(services: Services, args: argparse.Namespace) -> None:
    case = services.directory.add_case(args.reference, args.case_type, args.team, args.worker)
    print(f"Added case {case.reference} ({case.case_type_label}, {case.team}).")


def cmd_forms_list(services: None, args: argparse.Namespace) -> None:
    from forms import default_library
    forms = default_library().all()
    print(render("table", ("id", "version", "use", "title", "questions"),
                 [(f.id, f.version, f.use.value, f.title, len(f.all_fields())) for f in forms]))


def cmd_forms_template(services: None, args: argparse.Namespace) -> None:
    from forms import default_library
    print(to_json(answer_template(default_library().latest(args.form_id))))


def answer_template(form: FormDefinition) -> dict[str, Any]:
    """An answer file with every question and an empty value of the right shape."""
    empty: dict[FieldType, Any] = {FieldType.GRADE: {"grade": "", "rationale": ""},
                                   FieldType.MULTICHOICE: [], FieldType.NUMBER: None,
                                   FieldType.PEOPLE: [{"who": "", "category": "", "said": ""}]}
    return {f.id: empty.get(f.type, "") for f in form.all_fields()}


# ------------------------------------------------------------------------------------------- main

def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version or a usage mistake, already printed
        return int(stop.code or 0)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    services = None
    try:
        if not getattr(args, "no_db", False):
            services = open_services(database_path(args.db), create=getattr(args, "create", False))
        result = args.handler(services, args)
        return EXIT_OK if result is None else int(result)
    except AuditorError as exc:
        log.info("Refused %s: %s", args.command, exc)
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except Exception:
        log.exception("Unexpected error in command %s", args.command)
        from auditor.logsetup import configure_logging
        where = configure_logging()
        print(f"error: something went wrong that should not have ({sys.exc_info()[1]!r}). "
              f"Nothing was half-saved. Details are in {where or 'the log'}; please report them.",
              file=sys.stderr)
        return EXIT_BUG
    finally:
        if services is not None:
            services.close()
