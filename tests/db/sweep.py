"""Damaged variants of a real database, and every command family run against each.

Used by ``tests/db/test_damaged_sweep.py``; also runnable on its own for the figures:
``.venv/bin/python -m tests.db.sweep DEMO.db`` (a demo database made by ``init --demo``).

Every command but ``init`` signs in (``--user``, the demo password in ``$AUDITOR_PASSWORD``:
the caller sets it): the demo's principal social worker, who is also its administrator, and a team
manager to start an audit. Signing in records itself (the account's last sign-in, a line in the
access log), so on a sound file a command that signed in and then refused may have changed those
two tables and nothing else; on a damaged file no write at all is allowed.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import shutil
import sqlite3
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.db.damage import break_quietly, contents, quick_check, store_anyway

SEED = 10
#: Who runs the commands: the demo's principal social worker and administrator (reads every team,
#: manages the directory, imports, exports), and a team manager of the case an audit is started of.
USER = "psw.fraser"
MANAGER = "tm.walsh"
PAGE = 4096

Maker = Callable[[Path, Path], None]  # (healthy source, target to write)


def _truncate(at: int) -> Maker:
    def make(source: Path, target: Path) -> None:
        target.write_bytes(source.read_bytes()[:at])

    return make


def _flip(offsets: list[int]) -> Maker:
    def make(source: Path, target: Path) -> None:
        data = bytearray(source.read_bytes())
        for offset in offsets:
            data[offset % len(data)] ^= 0xFF
        target.write_bytes(bytes(data))

    return make


def _sql(sql: str) -> Maker:
    def make(source: Path, target: Path) -> None:
        shutil.copy(source, target)
        store_anyway(target, sql)

    return make


def _quiet(source: Path, target: Path) -> None:
    shutil.copy(source, target)
    break_quietly(target)


def _foreign(source: Path, target: Path) -> None:
    with sqlite3.connect(target) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        conn.execute("INSERT INTO contacts VALUES ('A', '1')")
    conn.close()


def _no_tables(source: Path, target: Path) -> None:
    sqlite3.connect(target).execute("PRAGMA user_version = 7").connection.close()


def _bytes(content: bytes) -> Maker:
    def make(source: Path, target: Path) -> None:
        target.write_bytes(content)

    return make


def variants(size: int, rng: random.Random) -> dict[str, Maker]:
    """Name -> how to make it, for a healthy file of ``size`` bytes."""
    pages = size // PAGE
    out: dict[str, Maker] = {}
    for at in [0, 1, 15, 99, 100, 1024, PAGE - 1, PAGE, PAGE + 1, 2 * PAGE, size // 2, size - 1]:
        out[f"truncated at {at}"] = _truncate(at)
    for _ in range(6):
        at = rng.randrange(2 * PAGE, size - 1)
        out[f"truncated at {at}"] = _truncate(at)
    for offset in (16, 17, 18, 19, 21, 28, 44, 52, 56, 96):  # header fields
        out[f"header byte {offset} flipped"] = _flip([offset])
    out["schema page flipped"] = _flip([rng.randrange(100, PAGE) for _ in range(8)])
    for _ in range(12):
        page = rng.randrange(1, pages)
        spots = [page * PAGE + rng.randrange(PAGE) for _ in range(rng.choice((1, 4, 16)))]
        out[f"page {page + 1}: {len(spots)} bytes flipped"] = _flip(spots)
    for _ in range(3):
        page = rng.randrange(1, pages)
        out[f"page {page + 1}: b-tree header flipped"] = _flip([page * PAGE + i for i in range(8)])
    out["someone else's SQLite file"] = _foreign
    out["SQLite file with no tables"] = _no_tables
    out["random bytes"] = _bytes(rng.randbytes(3 * PAGE))
    out["a text file"] = _bytes(b"team,grade\nNorth,Good\n" * 50)
    out["a zip file (xlsx)"] = _bytes(b"PK\x03\x04" + rng.randbytes(2000))
    out["newer schema"] = _sql("UPDATE alembic_version SET version_num = 'f00d'")
    out["grade 'excellent'"] = _sql(
        "UPDATE audit SET final_grade = 'excellent' WHERE final_grade IS NOT NULL"
    )
    out["domain grade '??'"] = _sql("UPDATE domain_grade SET grade = '??'")
    out["state 'weird'"] = _sql(
        "UPDATE audit SET state = 'weird' WHERE id = (SELECT min(id) FROM audit)"
    )
    out["NUL in completion dates"] = _sql(
        "UPDATE audit SET completed_on = '20' || char(0) || '19-04-30' "
        "WHERE completed_on IS NOT NULL"
    )
    out["NUL in timestamps"] = _sql("UPDATE audit SET created_at = char(0)")
    out["NUL in week dates"] = _sql("UPDATE practice_week SET starts_on = char(0, 0)")
    out["role 'wizard'"] = _sql(
        "UPDATE person_role SET role = 'wizard' WHERE rowid = (SELECT min(rowid) FROM person_role)"
    )
    out["answers not JSON"] = _sql("UPDATE answer SET value = '{'")
    out["indexes swapped (only the full check sees it)"] = _quiet
    return out


def commands(folder: Path) -> list[list[str]]:
    """A read and a write command of every family (exports written outside the variant's
    folder), ``init`` last: the one command allowed to make a database of an empty file."""
    answers = folder / "import.csv"
    answers.write_text("date,activity,grade\n2019-04-30,audit,Good\n", encoding="utf-8")
    out = folder / "out"
    out.mkdir(exist_ok=True)
    signed_in = [
        ["summary"],
        ["audit", "list"],
        ["audit", "show", "1"],
        ["people", "list"],
        ["week", "summary", "1"],
        ["dip", "show", "1"],
        ["agreement"],
        ["samples", "list"],
        ["export", "csv", "-o", str(out / "a.csv"), "--force"],
        ["teams", "add", "Sweep team"],
        ["cases", "add", "SW-1", "--type", "child_in_need", "--team", "Sweep team"],
        ["import-history", str(answers)],
        ["check"],
    ]
    return [
        *([*args, "--user", USER] for args in signed_in[:11]),
        ["audit", "start", "CF-10510", "--user", MANAGER],
        *([*args, "--user", USER] for args in signed_in[11:]),
        ["init"],
    ]


@dataclass
class Outcome:
    runs: int = 0
    codes: Counter[int] = field(default_factory=Counter)
    internal_errors: list[str] = field(default_factory=list)
    writes_to_damaged: list[str] = field(default_factory=list)
    # changed by a refusal, or an empty, foreign or damaged file changed by anything but init
    silent_reinits: list[str] = field(default_factory=list)
    damaged_files: int = 0
    accepted_damaged: list[str] = field(default_factory=list)  # exit 0 on a damaged file


def _is_auditor_database(path: Path) -> bool:
    from db.migrate import HEAD

    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        conn.close()
    except sqlite3.Error:
        return False
    return bool(row) and row[0] == HEAD


def _holds_nothing(path: Path) -> bool:
    if path.stat().st_size == 0:
        return True
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        conn.close()
    except sqlite3.Error:
        return False
    return tables == 0


def run_cli(db: Path, args: list[str]) -> tuple[int, str]:
    from auditor.cli import main

    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main(["--db", str(db), *args])
    return code, err.getvalue()


def sweep(
    source: Path,
    work: Path,
    run: Callable[[Path, list[str]], tuple[int, str]] = run_cli,
    only: set[str] | None = None,
) -> Outcome:
    outcome = Outcome()
    rng = random.Random(SEED)
    for number, (name, make) in enumerate(variants(source.stat().st_size, rng).items()):
        if only is not None and name not in only:
            continue
        folder = work / f"v{number:02d}"
        folder.mkdir()
        db = folder / "auditor.db"
        make(source, db)
        damaged = bool(quick_check(db, full=True)) if db.stat().st_size else True
        unusable = damaged or not _is_auditor_database(db)
        holds_nothing = _holds_nothing(db)  # init may make a database of it
        outcome.damaged_files += damaged
        for args in commands(folder):
            before = db.read_bytes()
            rows = None if unusable else contents(db)
            code, err = run(db, args)
            outcome.runs += 1
            outcome.codes[code] += 1
            what = f"{name}: {' '.join(args[:2])}"
            if code not in (0, 2) or "Traceback" in err or "should not have" in err:
                outcome.internal_errors.append(f"{what} -> {code} {err.strip()[:300]}")
            if code == 0 and damaged and args not in (["init"],):
                outcome.accepted_damaged.append(what)
            changed = db.read_bytes() != before
            if changed and damaged and not (args == ["init"] and not before):
                outcome.writes_to_damaged.append(what)
            if changed and rows is not None and code != 0 and contents(db) == rows:
                continue  # a sound file: only the sign-in was recorded
            if changed and (code != 0 or (unusable and not (args == ["init"] and holds_nothing))):
                outcome.silent_reinits.append(what)
    return outcome


if __name__ == "__main__":
    import tempfile
    import time

    from auditor.services.access.accounts import DEMO_PASSWORD

    os.environ["AUDITOR_PASSWORD"] = DEMO_PASSWORD

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        result = sweep(Path(sys.argv[1]), Path(tmp))
    print(
        f"{result.runs} runs, {result.damaged_files} files failing integrity_check, "
        f"exit codes {dict(result.codes)}, internal errors {len(result.internal_errors)}, "
        f"writes to damaged files {len(result.writes_to_damaged)}, "
        f"silent re-initialisations {len(result.silent_reinits)}, "
        f"commands that succeeded on a damaged file {len(result.accepted_damaged)}, "
        f"{time.perf_counter() - started:.0f} s"
    )
    for line in (
        result.internal_errors
        + result.writes_to_damaged
        + result.silent_reinits
        + result.accepted_damaged
    ):
        print(" ", line)
