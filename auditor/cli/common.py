"""What every command family shares: the parser class, argument types, answer files, the one place
where errors become exit codes, and plain-text, CSV and JSON output.

Importing this module is cheap (standard library and the domain only): the parsers are built
without the services, the database layer, the forms or the report writers, which the handlers
import when they run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import enum
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from auditor.domain.errors import AuditorError, ValidationError
from auditor.domain.grades import Grade
from auditor.domain.periods import parse_date
from auditor.domain.reference import Role, parse_case_type
from auditor.domain.report_periods import uk

EXIT_OK, EXIT_BUG, EXIT_REFUSED = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a Unix tool ended by SIGPIPE
#: The password of ``--user`` (else it is asked for), and the new one for ``passwd``, ``init
#: --admin`` and the administrator's ``accounts create|reset`` in scripts.
PASSWORD_ENV, NEW_PASSWORD_ENV = "AUDITOR_PASSWORD", "AUDITOR_NEW_PASSWORD"
LARGEST_ID = 2**63 - 1  # SQLite's INTEGER
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2199, 12, 31)  # any other date is a typing slip
T = TypeVar("T")

Handler = Callable[[Any, argparse.Namespace], "int | None"]  # Any: Services, or None (no_db)


class Format(enum.StrEnum):
    """Output formats; each command offers the ones that make sense for it."""

    TABLE = "table"
    TEXT = "text"
    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"


def formats(*choices: Format) -> list[str]:
    return [f.value for f in choices]


class Parser(argparse.ArgumentParser):
    """argparse that reports usage mistakes in the same calm one-line style (exit code 2)."""

    #: the subcommands of a command group (``audit``, ``cases``…), so that several families can
    #: add to one group without importing each other
    commands: argparse._SubParsersAction[Parser] | None = None

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_REFUSED, f"error: {message}\n")


Commands = argparse._SubParsersAction  # the object whose add_parser() adds a subcommand


def group(sub: Commands, name: str, help_text: str, *, metavar: str = "ACTION") -> Commands:
    """The subcommands of the command group ``name``, made on first use."""
    parser = sub.choices.get(name)
    if parser is None:
        parser = sub.add_parser(name, help=help_text, description=help_text)
    if parser.commands is None:
        parser.commands = parser.add_subparsers(
            dest="action", required=True, metavar=metavar, parser_class=Parser
        )
    return parser.commands


def command(
    commands: Commands,
    name: str,
    handler: Handler,
    help_text: str | None = None,
    *,
    signed_in: bool = True,
    **defaults: Any,
) -> Parser:
    """A subcommand run by ``handler``. Every command that opens the database signs in first
    (``--user USERNAME``, before or after the command); ``signed_in=False`` is for ``init`` only
    (``no_db`` commands open no database and sign nobody in)."""
    p: Parser = commands.add_parser(name, help=help_text, description=help_text)
    if signed_in and not defaults.get("no_db"):
        add_user_option(p, default=argparse.SUPPRESS)
    p.set_defaults(handler=handler, signed_in=signed_in and not defaults.get("no_db"), **defaults)
    return p


def add_user_option(p: argparse.ArgumentParser, *, default: Any = None) -> None:
    """``--user USERNAME``: who signs in (the password: ``$AUDITOR_PASSWORD``, else a prompt)."""
    p.add_argument(
        "--user",
        dest="user",
        metavar="USERNAME",
        default=default,
        help=f"sign in as USERNAME (password: ${PASSWORD_ENV}, else asked for)",
    )


# ----------------------------------------------------------------------------- argument types


def arg_type(parse: Callable[[str], T], name: str | None = None) -> Callable[[str], T]:
    """An argparse type from a parser that raises the domain's errors: a bad value is a usage
    mistake (one line, exit 2), never a traceback."""

    def convert(text: str) -> T:
        try:
            return parse(text)
        except AuditorError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    convert.__name__ = name or str(getattr(parse, "__name__", "value"))
    return convert


def lazy_type(module: str, name: str) -> Callable[[str], Any]:
    """``arg_type`` of ``module.name``, imported only when the option is given."""

    def convert(text: str) -> Any:
        import importlib

        return arg_type(getattr(importlib.import_module(module), name))(text)

    convert.__name__ = name
    return convert


def _date(text: str) -> dt.date:
    day = parse_date(text)
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(
            f"'{text}' is too far in the past or the future; give a date from "
            f"{EARLIEST.year} to {LATEST.year}."
        )
    return day


def _input_file(text: str) -> Path:
    path = Path(text).expanduser()
    try:
        is_file = path.is_file()
    except OSError as exc:  # e.g. a name too long for the file system
        raise ValidationError(f"Cannot read {text}: {exc.strerror or exc}.") from None
    if not is_file:
        raise ValidationError(f"There is no file at {text}.")
    return path


date_arg = arg_type(_date, "date")
input_file = arg_type(_input_file, "file")
role_arg = arg_type(Role.parse, "role")
grade_arg = arg_type(Grade.parse, "grade")
case_type_arg = arg_type(parse_case_type, "case type")


def whole_number(low: int, high: int, what: str) -> Callable[[str], int]:
    """An int from ``low`` to ``high``, refused in words (``what`` names the value)."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise ValidationError(f"'{text}' is not a whole number; {what}.") from None
        if not low <= value <= high:
            raise ValidationError(f"{value} is out of range; {what}.")
        return value

    return arg_type(parse, "number")


number_arg = whole_number(1, LARGEST_ID, "give a number such as 12, as listed")


def days_arg(text: str) -> list[dt.date]:
    """Comma-separated dates; empty means none."""
    return [date_arg(part.strip()) for part in text.split(",") if part.strip()]


def add_period(p: argparse.ArgumentParser, *, required: bool = False) -> None:
    """``--from DATE --to DATE``, refused by ``check_period`` when it ends before it starts."""
    p.add_argument("--from", dest="start", type=date_arg, required=required, metavar="DATE")
    p.add_argument("--to", dest="end", type=date_arg, required=required, metavar="DATE")
    p.set_defaults(has_period=True)


def check_period(args: argparse.Namespace) -> None:
    """The one check of every ``--from``/``--to`` pair, before anything is opened."""
    start, end = getattr(args, "start", None), getattr(args, "end", None)
    if getattr(args, "has_period", False) and start and end and end < start:
        raise ValidationError(
            f"The period ends ({uk(end)}) before it starts ({uk(start)}); "
            "give the earlier date first."
        )


# ----------------------------------------------------------------------------------- input files


def read_json(path: str) -> Any:
    source = sys.stdin if path == "-" else None
    try:
        text = source.read() if source else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"Cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ValidationError(f"{path} is not a UTF-8 text file of JSON answers.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None


def read_answers(path: str) -> dict[str, Any]:
    """A JSON object of answers by question id (or ``{"answers": {...}}``)."""
    data = read_json(path)
    if isinstance(data, dict) and set(data) == {"answers"}:
        data = data["answers"]
    if not isinstance(data, dict):
        raise ValidationError(
            f"{path} must hold a JSON object of answers by question id "
            "('python main.py forms template FORM' prints one)."
        )
    return data


# ------------------------------------------------------------------------------- running a command


def execute(args: argparse.Namespace) -> int:
    """Run the parsed command: the one place where failures become exit codes.

    An ``AuditorError`` is expected (a rule, a bad value, a locked file): one line, exit 2. A reader
    that stops early (``| head``) ends the command quietly. Anything else is a bug: logged with
    its traceback, reported in one line, exit 1.
    """
    import logging

    log = logging.getLogger("auditor.cli")
    services = None
    try:
        check_period(args)
        password = credentials(args) if getattr(args, "signed_in", False) else None
        if not getattr(args, "no_db", False):
            from auditor.paths import database_path
            from auditor.services import open_services

            services = open_services(database_path(args.db), create=getattr(args, "create", False))
        if password is not None:
            args.who = sign_in(services, args, password)
            if getattr(args, "wants_password", False):  # passwd: the current one, to change it
                args.password = password
        del password
        result = args.handler(services, args)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return EXIT_OK if result is None else int(result)
    except BrokenPipeError:
        discard_stdout()
        return EXIT_BROKEN_PIPE
    except AuditorError as exc:
        log.info("Refused %s: %s", args.command, loggable(exc))
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except Exception:
        log.exception("Unexpected error in command %s", args.command)
        from auditor.logsetup import configure_logging

        where = configure_logging()
        print(
            f"error: something went wrong that should not have ({shorten(repr(sys.exc_info()[1]))}). "
            f"Nothing was half-saved. Details are in {where or 'the log'}; please report them.",
            file=sys.stderr,
        )
        return EXIT_BUG
    finally:
        if services is not None:
            services.close()


# ------------------------------------------------------------------------------------- signing in


class NoPassword(AuditorError):
    """No ``--user``, or no password to sign in with (no variable, and no terminal to ask at)."""


def credentials(args: argparse.Namespace) -> str:
    """The password ``args.user`` signs in with; refused before the database is opened when no
    username is given or no password can be had."""
    if not getattr(args, "user", None):
        raise NoPassword(
            f"'{args.command}' needs you to sign in: give --user USERNAME (the password from "
            f"${PASSWORD_ENV}, else it is asked for)."
        )
    return read_password(f"Password for {args.user}: ")


def read_password(prompt: str, env: str = PASSWORD_ENV, *, twice: bool = False) -> str:
    """A password from the environment variable ``env`` if set, else typed at the terminal without
    echo (``twice``: typed again to confirm). Never printed, never logged."""
    given = os.environ.get(env)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise NoPassword(
            f"no password: set ${env}, or run the command in a terminal to be asked for it."
        )
    import getpass

    try:
        first = getpass.getpass(prompt)
        if twice and getpass.getpass("Type it again: ") != first:
            raise ValidationError("The two passwords typed are not the same; nothing was changed.")
    except EOFError:
        raise NoPassword("no password: nothing was typed.") from None
    return first


def sign_in(services: Any, args: argparse.Namespace, password: str) -> Any:
    """The signed-in ``Principal`` of ``args.user``; a wrong password is refused (exit 2) and
    counts towards the lock-out. An account whose password an administrator reset may only run
    ``passwd``."""
    signed = services.accounts.sign_in(args.user, password)
    if signed.must_change and args.command != "passwd":
        from auditor.domain.permissions import NotPermitted

        raise NotPermitted(
            "An administrator has reset your password: choose your own first with "
            f"'python main.py passwd --user {signed.principal.username}'."
        )
    return signed.principal


#: The most of a message that goes to the log or into a one-line report of a bug.
LOGGED_CHARS = 200


def shorten(text: str, limit: int = LOGGED_CHARS) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def loggable(exc: BaseException) -> str:
    """What the log keeps of a refusal: its kind and the start of its first line. The user sees
    the whole message; the log must not fill (and rotate away its history) with what a hostile
    file made a message quote, nor keep more of what was typed than it needs."""
    first = str(exc).split("\n", 1)[0]
    return f"{type(exc).__name__}: {shorten(first)}"


def discard_stdout() -> None:
    """After the reader went away: send what is still buffered nowhere, so that Python's own
    flush at exit does not complain about the pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # not a real file (output captured in-process)
        pass


# ------------------------------------------------------------------------------------------ output


def plain(value: Any) -> Any:
    """A JSON-friendly version of a value (enums by value, dates as ISO text)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k.value if isinstance(k, enum.Enum) else k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], right: Sequence[bool] | None = None
) -> str:
    """Columns padded to their widest cell; numbers (or columns flagged in ``right``) aligned right."""
    text = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in text]) for i, h in enumerate(headers)]
    if right is None:
        right = [
            bool(rows) and all(isinstance(r[i], int | float) for r in rows)
            for i in range(len(headers))
        ]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right, strict=True)
        ).rstrip()

    out = [line(list(headers)), line(["-" * w for w in widths])]
    out += [line(r) for r in text]
    return "\n".join(out)


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows([["" if v is None else plain(v) for v in row] for row in rows])
    return buffer.getvalue().rstrip("\n")


def to_json(value: Any) -> str:
    return json.dumps(plain(value), indent=2, ensure_ascii=False)


def render(fmt: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    if fmt == Format.CSV:
        return to_csv(headers, rows)
    if fmt == Format.JSON:
        return to_json([dict(zip(headers, row, strict=True)) for row in rows])
    return table(headers, rows) if rows else "(nothing to show)"
