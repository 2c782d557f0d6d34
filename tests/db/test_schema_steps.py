"""The upgrade tests start from ``rewind``: it must give the schema the migrations themselves left
at that revision, or those tests would upgrade something no release ever made."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db import migrate
from tests.db.schema_steps import UNDO, rewind, upgrade


def schema(path: Path) -> dict[str, object]:
    with sqlite3.connect(path) as conn:
        objects = conn.execute(
            "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
        columns = {
            table: [r[1:] for r in conn.execute(f"PRAGMA table_info({table})")]
            for kind, table, _ in objects
            if kind == "table"
        }
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    conn.close()
    return {"objects": sorted(objects), "columns": columns, "version": version}


@pytest.mark.parametrize("revision", ["0003", "0004", "0005", "0006", "0007", "0008"])
def test_rewind_gives_the_schema_the_migrations_left_at_that_revision(db_path, tmp_path, revision):
    made = tmp_path / "made.db"
    upgrade(made, revision)
    rewind(db_path, revision)
    assert schema(db_path) == schema(made)


def test_every_migration_after_0003_can_be_undone():
    assert sorted(UNDO, key=int) == [f"{n:04d}" for n in range(4, int(migrate.HEAD) + 1)]
