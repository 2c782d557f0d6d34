"""The headless command line: ``python main.py [--db PATH] COMMAND ...``. Never imports Qt.

One module per command family registers its subcommands (``register(sub)``); ``common`` holds
what they share. Building the parser imports no services, database layer, forms or report
writers: each handler imports what it needs, so ``--help`` and a usage mistake answer at once.

Expected problems (rules, validation, storage) print one clear line to stderr and exit with code 2;
anything else is logged with its traceback and reported in one line with exit code 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from auditor import APP_NAME, __version__
from auditor.cli import access, audits, maintenance, practice, reference, reports, sampling
from auditor.cli.common import (
    EXIT_BROKEN_PIPE,
    EXIT_OK,
    Parser,
    add_user_option,
    discard_stdout,
    execute,
)

FAMILIES = (reference, access, sampling, audits, practice, reports, maintenance)


def build_parser() -> Parser:
    parser = Parser(
        prog="python main.py",
        description=(
            f"{APP_NAME} {__version__}: case-file audit and quality assurance for children's social "
            "care. With no command it opens the desktop app."
        ),
        epilog="Example: python main.py --db demo.db init --demo && AUDITOR_PASSWORD=... "
        "python main.py --db demo.db summary --user hos.marsh (init --demo prints the password)",
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="database file (default: $AUDITOR_DB, then the user data folder)",
    )
    add_user_option(parser)
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for family in FAMILIES:
        family.register(sub)
    return parser


def main(argv: Sequence[str] | None = None, *, log_to_file: bool = False) -> int:
    """Run one command; ``log_to_file`` (the entry point) starts the log once the command is
    known to be valid, so that ``--help`` and usage mistakes need no log folder."""
    parser = build_parser()
    try:
        args = _parse(parser, argv)
    except BrokenPipeError:  # python main.py --help | head -3
        discard_stdout()
        return EXIT_BROKEN_PIPE
    if isinstance(args, int):
        return args
    if log_to_file:
        from auditor.logsetup import configure_logging

        configure_logging()
    return execute(args)


def _parse(parser: Parser, argv: Sequence[str] | None) -> argparse.Namespace | int:
    """The parsed command, or the exit code when argparse answered itself (help, version, a
    usage mistake) or no command was given."""
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        sys.stdout.flush()
        return int(stop.code or 0)
    if args.command is None:
        parser.print_help()
        sys.stdout.flush()
        return EXIT_OK
    return args
