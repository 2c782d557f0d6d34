"""Ways to damage a database file, shared by the tests of opening, backups and the sweep."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path


def break_quietly(path: Path) -> None:
    """Damage only the full check sees: two of the audit table's indexes swap their pages, so
    the quick check (which does not compare indexes with their table) still says ok."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT name, rootpage FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = 'audit' AND name LIKE 'ix_%' ORDER BY name LIMIT 2"
        ).fetchall()
        (a, page_a), (b, page_b) = rows
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET rootpage = ? WHERE name = ?", (page_b, a))
        conn.execute("UPDATE sqlite_master SET rootpage = ? WHERE name = ?", (page_a, b))
    conn.close()


def store_anyway(path: Path, sql: str) -> None:
    """Write what the CHECK constraints refuse, as damage (or another program) could."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute(sql)
    conn.close()


def quick_check(path: Path, full: bool = False) -> list[str]:
    conn = sqlite3.connect(path)  # not mode=ro: that skips the CHECK constraints
    try:
        conn.execute("PRAGMA query_only = ON")
        rows = conn.execute(f"PRAGMA {'integrity_check' if full else 'quick_check'}").fetchall()
        return [r[0] for r in rows if r[0] != "ok"]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        conn.close()


def copy(source: Path, target: Path) -> Path:
    shutil.copy(source, target)
    return target


#: What signing in writes (the account's last sign-in and a line in the access log): a command
#: that refuses its work has still signed someone in.
SIGN_IN_TABLES = frozenset({"account", "access_event"})


def contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table but those signing in writes, read without changing the file."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.text_factory = bytes  # a flipped bit may leave text that is not UTF-8
    try:
        tables = [
            r[0].decode()
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if r[0].decode() not in SIGN_IN_TABLES
        ]
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables}
    finally:
        conn.close()
