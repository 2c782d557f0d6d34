"""Databases at an older schema, for the upgrade tests: ``rewind`` puts a database holding data
back to the schema an older migration left (data and all), ``upgrade`` runs the real migration
scripts over a file. A new migration that adds something adds its undoing to ``UNDO``, once, here,
instead of in every test that starts from an older schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from db import migrate
from db.engine import make_engine

#: What each migration from 0004 on added to the schema, as the SQL that takes it away again; the
#: newest first, the order they are undone in.
#: The access log's kinds before 0009 added ``read_scope_changed``.
_KINDS_0008 = ", ".join(
    repr(k)
    for k in (
        "signed_in",
        "sign_in_failed",
        "locked_out",
        "signed_out",
        "session_locked",
        "unlocked",
        "password_changed",
        "password_reset",
        "account_created",
        "account_deactivated",
        "account_reactivated",
        "viewed_audit",
        "printed_audit",
        "printed_report",
        "exported",
        "refused",
    )
)

UNDO: dict[str, tuple[str, ...]] = {
    "0009": (  # the table rebuilt with the shorter list of kinds, its rows and indexes kept
        "CREATE TABLE access_event_0008 (id INTEGER NOT NULL PRIMARY KEY, at DATETIME NOT NULL, "
        "person_id INTEGER REFERENCES person (id), kind VARCHAR(30) NOT NULL, "
        "audit_id INTEGER REFERENCES audit (id), detail VARCHAR(400) NOT NULL, "
        "machine VARCHAR(120) NOT NULL, "
        f"CONSTRAINT ck_access_kind CHECK (kind IN ({_KINDS_0008})))",
        "INSERT INTO access_event_0008 SELECT id, at, person_id, kind, audit_id, detail, machine "
        "FROM access_event",
        "DROP TABLE access_event",
        "ALTER TABLE access_event_0008 RENAME TO access_event",
        "CREATE INDEX ix_access_event_at ON access_event (at)",
        "CREATE INDEX ix_access_event_audit ON access_event (audit_id)",
        "CREATE INDEX ix_access_event_person ON access_event (person_id)",
    ),
    "0008": (
        "ALTER TABLE case_file DROP COLUMN active",
        "ALTER TABLE team DROP COLUMN active",
        "DROP TABLE case_allocation",
        "DROP TABLE role_scope",
        "DROP TABLE access_event",
        "DROP TABLE account",
    ),
    "0007": (
        "DROP INDEX ux_import_batch_content_hash",
        "ALTER TABLE import_batch DROP COLUMN content_hash",
    ),
    "0006": ("DROP INDEX ux_audit_open_case", "DROP INDEX ux_audit_dip_case"),
    "0005": ("DROP TABLE agreement_cell", "DROP TABLE agreement_audits"),
    "0004": tuple(
        f"DROP INDEX {name}"
        for name in (
            "ix_audit_kind",
            "ix_audit_state",
            "ix_audit_final_grade",
            "ix_audit_team",
            "ix_audit_created",
            "ix_audit_completed",
        )
    ),
}


def rewind(path: Path, to: str) -> None:
    """The database at ``path``, now at the newest schema, as revision ``to`` left it: what every
    later migration added is dropped (newest first) and the rows stay."""
    assert migrate.HEAD in UNDO, f"add what migration {migrate.HEAD} added to UNDO"
    assert int(to) >= int(min(UNDO, key=int)) - 1, f"0003 and earlier rebuilt tables: not {to}"
    with sqlite3.connect(path) as conn:
        for revision, statements in UNDO.items():
            if int(revision) > int(to):
                for sql in statements:
                    conn.execute(sql)
        conn.execute("UPDATE alembic_version SET version_num = ?", (to,))
    conn.close()


def upgrade(path: Path, to: str = "head") -> None:
    """Run the migration scripts over the file at ``path`` (made if missing) up to ``to``."""
    engine = make_engine(path)
    with engine.begin() as connection:
        config = migrate._alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, to)
    engine.dispose()
