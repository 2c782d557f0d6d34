"""Migration 0007: batches imported before it get the hash of their rows; copies imported twice keep
their rows and no hash; and the hash is unique from then on."""

import sqlite3

import pytest

from auditor.domain.errors import RuleViolation
from auditor.services import open_services
from db import migrate
from tests.builders import As, history_import, qa_of
from tests.db.schema_steps import rewind

FIRST = "date,activity,grade,team\n2019-05-01,audit,Good,North\n2019-06-01,dip,RI,South\n"
SECOND = "date,activity,grade\n2020-05-01,observation,Outstanding\n"


def test_an_upgrade_gives_old_batches_their_hash_and_keeps_every_row(db_path, tmp_path):
    (tmp_path / "first.csv").write_text(FIRST)
    (tmp_path / "second.csv").write_text(SECOND)
    services = open_services(db_path)
    qa = qa_of(services)  # the rewind below takes the sign-ins away, not the people
    history_import(services).import_file(tmp_path / "first.csv")
    history_import(services).import_file(tmp_path / "second.csv")
    services.close()
    with sqlite3.connect(db_path) as conn:
        hashes = dict(conn.execute("SELECT id, content_hash FROM import_batch"))
        # what the byte checksum let through before: the first file again, with CRLF
        conn.execute(
            "INSERT INTO import_batch (id, file_name, imported_at, row_count, checksum) "
            "SELECT 3, 'first-crlf.csv', imported_at, row_count, 'other bytes' FROM import_batch "
            "WHERE id = 1"
        )
        conn.execute(
            "INSERT INTO historic_grade (batch_id, activity_on, category, grade, team, case_ref, "
            "auditor, theme) SELECT 3, activity_on, category, grade, team, case_ref, auditor, "
            "theme FROM historic_grade WHERE batch_id = 1"
        )
        rows_before = conn.execute("SELECT * FROM historic_grade ORDER BY id").fetchall()
    conn.close()
    rewind(db_path, "0006")

    upgraded = open_services(db_path)  # backs up, then upgrades
    try:
        with sqlite3.connect(db_path) as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
                migrate.HEAD,
            )
            assert dict(conn.execute("SELECT id, content_hash FROM import_batch")) == {
                **hashes,
                3: None,
            }
            assert (
                conn.execute("SELECT * FROM historic_grade ORDER BY id").fetchall() == rows_before
            )
        conn.close()
        assert list(tmp_path.glob("*.backup-*-schema-0006.db"))
        (tmp_path / "first-again.csv").write_bytes(FIRST.replace("\n", "\r\n").encode())
        for name in ("first-again.csv", "second.csv"):
            with pytest.raises(RuleViolation, match="already imported"):
                As(upgraded.history, qa).import_file(tmp_path / name)
    finally:
        upgraded.close()
    with sqlite3.connect(db_path) as conn, pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        conn.execute("UPDATE import_batch SET content_hash = ? WHERE id = 3", (hashes[1],))
    conn.close()
