"""Exit codes: a bad value anywhere is a one-line refusal (exit 2), a closed pipe ends quietly, and
every --from/--to pair is checked the same way."""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.cli import build_parser, main
from auditor.cli.common import EXIT_BROKEN_PIPE

ROOT = Path(__file__).resolve().parents[2]
OUT_OF_RANGE = [
    "99999999999999999999",
    "-99999999999999999999",
    "0",
    "-1",
    "1e3",
    "1.5",
    "",
    " ",
    "zzz",
    "é",
    "NaN",
    "31/02/2020",
    "2020-13-01",
    "0001-01-01",
    "9999-12-31",
    "x" * 300,
]
FLAGS = (
    argparse._StoreTrueAction,
    argparse._StoreConstAction,
    argparse._HelpAction,
    argparse._VersionAction,
)


@pytest.fixture
def cli(db_path, capsys):
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def leaf_commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(words, parser) for every runnable command, e.g. (("audit", "list"), <parser>)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from leaf_commands(sub, (*path, name))
            return
    yield path, parser


def typed_arguments(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    """Arguments whose value the CLI parses (a type or a fixed list of choices)."""
    return [
        a
        for a in parser._actions
        if not isinstance(a, FLAGS) and (a.type is not None or a.choices is not None)
    ]


def valid_value(action: argparse.Action, org) -> str:
    if action.choices is not None:
        return str(next(iter(action.choices)))
    if action.dest in ("start", "end", "day", "due"):
        return "2026-01-01"
    if action.dest == "days":
        return "2026-01-01"
    if action.dest in ("output", "file"):
        return "out.pdf"
    return {
        "user": org.senior,
        "roles": "team manager",
        "role": "team manager",
        "case_type": "cp",
        "grade": "good",
        "theme": "neglect",
    }.get(action.dest, "1")


def argv_with(words, parser, target, value, org) -> list[str]:
    argv = list(words)
    for action in parser._actions:
        if isinstance(action, FLAGS):
            continue
        if action is target:
            text = value
        elif action.required or not action.option_strings:
            text = valid_value(action, org)
        else:
            continue
        argv += [action.option_strings[-1], text] if action.option_strings else [text]
    return argv


COMMANDS = list(leaf_commands(build_parser()))


@pytest.mark.parametrize("words, parser", COMMANDS, ids=[" ".join(w) for w, _ in COMMANDS])
def test_every_parsed_value_is_refused_in_one_line_never_a_traceback(
    cli, org, tmp_path, words, parser, monkeypatch
):
    monkeypatch.chdir(tmp_path)  # output files, if any value is accepted, land here
    rng = random.Random(" ".join(words))
    values = OUT_OF_RANGE + [
        "".join(rng.choice("aZ9-_/.,:;é ") for _ in range(rng.randint(1, 12))) for _ in range(4)
    ]
    for target in typed_arguments(parser):
        for value in values:
            argv = ["--user", org.senior, *argv_with(words, parser, target, value, org)]
            code, out, err = cli(*argv)
            assert code in (0, 2), (argv, code, err)
            assert "Traceback" not in out + err and "went wrong" not in err, (argv, err)
            if code == 2:
                assert err.strip().splitlines()[-1].startswith("error: "), (argv, err)


@pytest.mark.parametrize(
    "args, message",
    [
        (["audit", "list", "--grade", "zzz"], "argument --grade: 'zzz' is not a grade"),
        (["audit", "show", "99999999999999999999"], "out of range"),
        (["audit", "list", "--limit", "0"], "out of range"),
        (["samples", "show", "99999999999999999999"], "out of range"),
        (["sample", "--exclude-months", "99999999999999999999"], "out of range"),
        (
            ["sample", "--seed", "99999999999999999999", "--save", "x", "--user", "hos.eve"],
            "out of range",
        ),
        (
            ["week", "join", "1", "tm.ben", "--days", "2026-01-01,someday", "--user", "hos.eve"],
            "'someday' is not a date",
        ),
        (["sample", "--theme", "!!"], "not a usable theme tag"),
        (["agreement", "--to", "9999-12-31"], "too far in the past or the future"),
        (["import-history", "x" * 300 + ".csv"], "Cannot read x"),
        (["import-history", "nothing-here.csv"], "There is no file at nothing-here.csv"),
    ],
)
def test_values_the_cli_parses_are_refused_with_what_to_do(cli, org, args, message):
    code, out, err = cli(*args)
    assert code == 2, err
    assert message in err and "Traceback" not in out + err
    assert len(err.strip().splitlines()) <= 8 and err.strip().splitlines()[-1].startswith("error:")


PERIODS = [
    ["summary"],
    ["agreement"],
    ["export", "csv", "-o", "{tmp}/x.csv"],
    ["pdf", "qa-report", "-o", "{tmp}/q.pdf"],
    ["week", "create", "Spring", "--user", "hos.eve"],
]


@pytest.mark.parametrize("command", PERIODS, ids=lambda c: c[0])
def test_a_period_that_ends_before_it_starts_is_refused_the_same_way_everywhere(
    cli, org, tmp_path, command
):
    args = [a.format(tmp=tmp_path) for a in command]
    code, out, err = cli(*args, "--from", "2020-01-01", "--to", "2019-01-01")
    assert (code, out) == (2, "")
    assert err == (
        "error: The period ends (1 Jan 2019) before it starts (1 Jan 2020); "
        "give the earlier date first.\n"
    )
    assert not list(tmp_path.glob("[xq].*"))


def _run_into_closed_pipe(args: list[str]) -> subprocess.CompletedProcess:
    """Run main.py with its output going into a pipe whose reader has already gone, as when
    ``head`` has read what it wanted and exited."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "main.py", *args],
            cwd=ROOT,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize(
    "args",
    [["forms", "list"], ["teams", "list"], ["audit", "list", "--format", "csv"]],
    ids=lambda a: a[0],
)
def test_a_reader_that_stops_early_ends_the_command_quietly(
    db_path, org, args, buffered, monkeypatch
):
    if buffered:
        monkeypatch.delenv("PYTHONUNBUFFERED", raising=False)
    else:
        monkeypatch.setenv("PYTHONUNBUFFERED", "1")
    result = _run_into_closed_pipe(["--db", str(db_path), "--user", org.senior, *args])
    assert result.stderr == ""
    assert result.returncode == EXIT_BROKEN_PIPE


@pytest.mark.parametrize("who", ["1", "2", "99999999999999999999"])
def test_a_row_number_is_not_a_username(cli, org, who):
    """--user takes a username (--as, which took a row number too, is gone): a number names
    nobody, and a huge one is not an overflow."""
    code, out, err = cli("audit", "start", org.case, "--user", who)
    assert code == 2 and out == ""
    assert "The username or password is not right." in err and "Traceback" not in err
    code, out, err = cli("audit", "start", org.case, "--as", org.manager)
    assert code == 2 and out == "" and "unrecognized arguments: --as" in err


def test_a_week_number_beyond_what_the_database_holds_is_not_found(cli, org):
    code, _, err = cli(
        "week", "show", "99999999999999999999", "--format", "json", "--user", org.senior
    )
    assert code == 2 and "Traceback" not in err and err.count("\n") == 1


def test_a_long_refusal_is_shown_whole_but_logged_short(caplog, capsys):
    """A hostile file can make a message long; the user is told all of it, the log keeps one
    short line (it rotated away its history when it kept a 300-million-character message)."""
    import logging

    from auditor.cli.common import LOGGED_CHARS, execute
    from auditor.domain.errors import ValidationError

    message = "The file is wrong: " + "x" * 50_000 + "\nsecond line"

    def refuse(_services, _args):
        raise ValidationError(message)

    args = argparse.Namespace(command="import-history", no_db=True, handler=refuse)
    with caplog.at_level(logging.INFO, logger="auditor.cli"):
        assert execute(args) == 2
    assert message in capsys.readouterr().err
    [record] = [r for r in caplog.records if r.name == "auditor.cli"]
    logged = record.getMessage()
    assert len(logged) < LOGGED_CHARS + 60 and "second line" not in logged
    assert logged.startswith("Refused import-history: ValidationError: The file is wrong: xxx")
