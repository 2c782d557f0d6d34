"""Opening databases: create, refuse what is not ours or newer, back up before upgrading."""

import shutil
import sqlite3
from pathlib import Path

import pytest

from auditor.domain.errors import StorageError
from auditor.domain.workflow import Part
from db import migrate
from db.engine import Database, make_engine
from db.migrate import head_revision, open_database
from tests.builders import who
from tests.db.schema_steps import rewind, upgrade

NEXT_REVISION = """
from alembic import op
import sqlalchemy as sa

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("team") as batch:
        batch.add_column(sa.Column("email", sa.String(120), nullable=True))


def downgrade():
    with op.batch_alter_table("team") as batch:
        batch.drop_column("email")
"""


def revision_of(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def test_new_database_is_created_at_head_with_pragmas_and_case_types(tmp_path):
    path = tmp_path / "sub" / "new.db"
    database = open_database(path, create=True)
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("SELECT count(*) FROM case_type").scalar() == 7
    database.close()
    assert revision_of(path) == head_revision()
    assert not list(tmp_path.glob("sub/*.backup-*"))  # nothing to back up


def test_foreign_keys_are_enforced(db_path):
    database = open_database(db_path)
    with pytest.raises(StorageError), database.transaction() as s:
        s.connection().exec_driver_sql(
            "INSERT INTO case_file (reference, case_type, team_id) VALUES ('X', 'nope', 99)"
        )
    database.close()


def test_the_fast_path_knows_the_newest_migration():
    assert head_revision() == migrate.HEAD


def test_a_newer_schema_is_refused_and_untouched(db_path):
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00d'")
    before = db_path.read_bytes()
    with pytest.raises(StorageError, match="newer version of Auditor"):
        open_database(db_path)
    assert db_path.read_bytes() == before


def test_someone_elses_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    with pytest.raises(StorageError, match="not an Auditor database"):
        open_database(path)


def test_upgrade_backs_up_first_and_keeps_the_data(db_path, tmp_path, monkeypatch):
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO team (name, service) VALUES ('North', 'SF')")
    previous = head_revision()
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, folder)
    (folder / "versions" / "9999_team_email.py").write_text(
        NEXT_REVISION.format(head=head_revision()), encoding="utf-8"
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", folder)
    monkeypatch.setattr(migrate, "HEAD", "9999")

    open_database(db_path).close()

    assert revision_of(db_path) == "9999"
    [backup] = list(db_path.parent.glob("auditor.backup-*.db"))
    assert revision_of(backup) == previous
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT name FROM team").fetchall() == [("North",)]
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT name, email FROM team").fetchall() == [("North", None)]


def test_a_locked_database_gives_a_plain_message(db_path):
    blocker = sqlite3.connect(db_path, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    database = Database(db_path, make_engine(db_path, busy_timeout_ms=50))
    try:
        with pytest.raises(StorageError, match="is busy"), database.transaction() as s:
            s.connection().exec_driver_sql("INSERT INTO team (name, service) VALUES ('A', '')")
    finally:
        database.close()
        blocker.rollback()
        blocker.close()


def test_the_migrations_build_exactly_the_schema_the_models_describe(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from db.models import Base

    database = open_database(tmp_path / "fresh.db", create=True)
    with database.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    database.close()
    assert differences == []


def test_a_database_from_the_first_release_upgrades_and_keeps_its_audits(
    tmp_path, monkeypatch, demo_template
):
    from auditor.services import open_services

    old = tmp_path / "old.db"
    upgrade(old, "0001")  # the schema as release 1 left it
    # Release-1 data: audits with responses and grades (the demo, minus what 0002 added).
    with sqlite3.connect(old) as conn:
        assert "dip_session_id" not in {r[1] for r in conn.execute("PRAGMA table_info(audit)")}
    shutil.copy(demo_template, tmp_path / "fresh.db")
    with sqlite3.connect(tmp_path / "fresh.db") as src, sqlite3.connect(old) as dst:
        columns = [r[1] for r in dst.execute("PRAGMA table_info(audit)")]
        for table in (
            "team",
            "person",
            "person_role",
            "case_file",
            "audit",
            "response",
            "answer",
            "domain_grade",
            "follow_up_action",
        ):
            cols = (
                columns
                if table == "audit"
                else [r[1] for r in dst.execute(f"PRAGMA table_info({table})")]
            )
            rows = src.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
            dst.executemany(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                rows,
            )
        counts = {
            t: dst.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("audit", "response", "answer", "domain_grade")
        }
    src.close()
    dst.close()
    upgraded = open_services(old)
    try:
        assert revision_of(old) == migrate.HEAD
        with sqlite3.connect(old) as conn:
            assert {
                t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in counts
            } == counts
        conn.close()
        assert list(tmp_path.glob("old.backup-*-schema-0001.db"))
        assert upgraded.summary.by_financial_year(
            who=who(upgraded, "psw.fraser")
        )  # the grades still add up
    finally:
        upgraded.close()


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT IN ('alembic_version', 'sqlite_sequence')"
        )
    ]


def test_an_upgrade_from_0002_keeps_every_row_and_every_link(tmp_path, demo_template):
    """0003 rebuilds the audit, response and other tables to add CHECK constraints; nothing that
    refers to them may be lost (with foreign keys on, dropping the old audit table would delete
    every response, answer, event and finding with it)."""
    from auditor.services import open_services

    old = tmp_path / "old.db"
    upgrade(old, "0002")
    demo = shutil.copy(demo_template, tmp_path / "demo.db")
    with sqlite3.connect(demo) as src, sqlite3.connect(old) as dst:
        for table in _tables(dst):  # foreign keys are off on a plain connection
            cols = [r[1] for r in dst.execute(f"PRAGMA table_info({table})")]
            rows = src.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
            dst.executemany(
                f"INSERT OR IGNORE INTO {table} ({', '.join(cols)}) VALUES "
                f"({', '.join('?' * len(cols))})",
                rows,
            )  # case types: seeded
        before = {
            t: dst.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in _tables(dst)
        }
        assert dst.execute("PRAGMA foreign_key_check").fetchall() == []
    src.close()
    dst.close()
    assert all(
        before[t]
        for t in (
            "audit",
            "response",
            "answer",
            "domain_grade",
            "audit_event",
            "finding",
            "allocation",
            "follow_up_action",
        )
    )

    open_services(old).close()

    with sqlite3.connect(old) as conn:
        assert revision_of(old) == migrate.HEAD
        for table, rows in before.items():
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            now = conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            if table == "allocation":  # one new column at the end: the linked dip session
                assert columns[-1] == "dip_session_id"
                now = [row[:-1] for row in now]
            if table in ("team", "case_file"):  # 0008: active, at the end, true for all
                assert columns[-1] == "active" and all(row[-1] == 1 for row in now)
                now = [row[:-1] for row in now]
            assert now == rows, table
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA foreign_keys").fetchone() == (0,)  # a plain connection
    conn.close()
    upgraded = open_services(old)
    try:
        with upgraded.db.engine.connect() as c:
            assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert upgraded.summary.by_financial_year(who=who(upgraded, "psw.fraser"))
    finally:
        upgraded.close()


@pytest.mark.parametrize(
    "table, column",
    [
        ("audit", "state"),
        ("audit", "kind"),
        ("audit", "final_grade"),
        ("response", "status"),
        ("response", "part"),
        ("domain_grade", "grade"),
        ("allocation", "kind"),
        ("practice_week", "status"),
        ("finding", "kind"),
    ],
)
def test_the_database_refuses_a_value_its_enum_does_not_have(
    tmp_path, demo_template, table, column
):
    shutil.copy(demo_template, tmp_path / "demo.db")
    with (
        sqlite3.connect(tmp_path / "demo.db") as conn,
        pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"),
    ):
        conn.execute(
            f"UPDATE {table} SET {column} = 'Submitted!' WHERE rowid = "
            f"(SELECT min(rowid) FROM {table})"
        )
    conn.close()


def test_0004_adds_the_sorting_indexes_to_a_0003_database_and_keeps_every_row(
    tmp_path, demo_template
):
    path = shutil.copy(demo_template, tmp_path / "v2.db")
    tables = ("audit", "response", "answer", "domain_grade", "follow_up_action", "allocation")
    with sqlite3.connect(path) as conn:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    conn.close()
    rewind(path, "0003")  # the schema as 0003 left it, data and all
    upgrade(path)
    with sqlite3.connect(path) as conn:
        assert {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables
        } == counts and counts["audit"] > 0
        indexes = {
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit'"
            )
        }
        plan = " ".join(
            r[-1]
            for r in conn.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM audit ORDER BY created_at DESC, id DESC LIMIT 5"
            )
        )
    conn.close()
    assert {"ix_audit_kind", "ix_audit_created", "ix_audit_completed"} <= indexes
    assert "ix_audit_created" in plan and "TEMP B-TREE" not in plan
    assert revision_of(path) == migrate.HEAD


def _copy_audit(conn: sqlite3.Connection, audit_id: int, **changes: object) -> int:
    """A second row like audit ``audit_id`` (what a race between two writers left behind)."""
    columns = [r[1] for r in conn.execute("PRAGMA table_info(audit)") if r[1] != "id"]
    values = [f":{c}" for c in columns]
    row = dict(
        zip(
            columns,
            conn.execute(
                f"SELECT {', '.join(columns)} FROM audit WHERE id = ?", (audit_id,)
            ).fetchone(),
            strict=True,
        )
    )
    row.update(changes)
    cursor = conn.execute(
        f"INSERT INTO audit ({', '.join(columns)}) VALUES ({', '.join(values)})", row
    )
    return int(cursor.lastrowid or 0)


def test_0006_settles_duplicates_a_race_left_and_then_holds_the_rules(services, org, db_path):
    """A 0005 database may hold two audits under way for one case and a case twice in a dip
    session. The upgrade keeps the one furthest along, cancels the other with the reason and a
    history entry (its answers kept), and from then on the database refuses a duplicate."""
    from tests.builders import fill, run_to

    kept = run_to(services, org, "first_audit")
    senior = who(services, org.senior)
    session = services.dips.start_session("dip_statutory_visits", by=senior)
    graded = services.dips.record_case(
        session, org.case, fill(services.forms.latest("dip_statutory_visits"), None), by=senior
    )
    services.close()
    rewind(db_path, "0005")  # the schema as 0005 left it
    with sqlite3.connect(db_path) as conn:
        behind = _copy_audit(conn, kept, state="self_review")
        twice = _copy_audit(conn, graded, state="in_progress")
        answers = conn.execute("SELECT count(*) FROM answer").fetchone()[0]
    conn.close()

    open_database(db_path).close()

    with sqlite3.connect(db_path) as conn:
        states = dict(conn.execute("SELECT id, state FROM audit"))
        assert (states[kept], states[behind]) == ("first_audit", "cancelled")
        assert (states[graded], states[twice]) == ("closed", "cancelled")
        [(reason,)] = conn.execute("SELECT cancelled_reason FROM audit WHERE id = ?", (behind,))
        assert f"case {org.case} had two audits under way" in reason and f"Audit {kept}" in reason
        events = conn.execute(
            "SELECT audit_id, from_state, to_state FROM audit_event WHERE event = 'cancelled'"
        ).fetchall()
        assert sorted(events) == sorted(
            [(behind, "self_review", "cancelled"), (twice, "in_progress", "cancelled")]
        )
        assert conn.execute("SELECT count(*) FROM answer").fetchone()[0] == answers
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            _copy_audit(conn, kept, state="second_audit")
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            _copy_audit(conn, graded)
        _copy_audit(conn, kept, state="closed")  # a closed audit of the case is no obstacle
        _copy_audit(conn, graded, state="cancelled")  # nor a case taken out of the session
    conn.close()
    assert revision_of(db_path) == migrate.HEAD


def test_a_writer_that_skips_the_check_is_refused_in_the_rules_words(services, org):
    """The database holds the rules too: a duplicate that got past the services (a script, an
    older copy of the app) is refused with the rule's sentence, never 'UNIQUE constraint'."""
    from auditor.domain.activities import ActivityKind
    from auditor.domain.errors import RuleViolation
    from db.models import Audit, Response
    from tests.builders import run_to

    audit_id = run_to(services, org, "second_audit")
    services.audits.save_draft(
        audit_id, Part.SECOND_AUDIT, by=who(services, org.senior), answers={}
    )
    with services.db.reading() as s:
        audit = s.get_one(Audit, audit_id)
        fields = {c.key: getattr(audit, c.key) for c in Audit.__table__.columns if c.key != "id"}
        draft = next(r for r in audit.responses if r.part == Part.SECOND_AUDIT)
        response = {c.key: getattr(draft, c.key) for c in Response.__table__.columns}
    response.pop("id")
    cases = [
        (Audit, fields, "This case already has an audit under way; finish or cancel it first."),
        (Response, response, "Someone else has just started this part of the audit"),
    ]
    for model, values, message in cases:
        with pytest.raises(RuleViolation) as refused, services.db.transaction() as s:
            s.add(model(**values))
        assert message in str(refused.value) and "constraint" not in str(refused.value)
    with services.db.reading() as s:
        assert s.query(Audit).filter(Audit.kind == ActivityKind.CASE_FILE_AUDIT).count() == 1
        assert s.query(Response).filter(Response.part == Part.SECOND_AUDIT).count() == 1


def test_0009_lets_the_access_log_record_a_change_of_reach_and_keeps_every_line(
    services, org, db_path
):
    from auditor.domain.permissions import Scope
    from auditor.domain.reference import Role

    services.views.detail(
        services.audits.start(org.case, by=who(services, org.manager)),
        who=who(services, org.manager),
    )
    services.close()
    with sqlite3.connect(db_path) as conn:
        before = conn.execute("SELECT * FROM access_event ORDER BY id").fetchall()
    conn.close()
    rewind(db_path, "0008")
    with sqlite3.connect(db_path) as conn, pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute(
            "INSERT INTO access_event (at, kind, detail, machine) "
            "VALUES ('2027-01-01', 'read_scope_changed', '', 'm')"
        )
    conn.close()
    reopened = migrate.open_database(db_path)  # upgrades, with a backup first
    reopened.close()
    assert revision_of(db_path) == "0009"
    assert list(db_path.parent.glob("auditor.backup-*-schema-0008.db"))
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT * FROM access_event ORDER BY id").fetchall() == before
    conn.close()
    from auditor.services import open_services

    again = open_services(db_path)
    try:
        again.roles.set_read_scope(Role.TEAM_MANAGER, Scope.OWN, who=who(again, org.admin))
        [line] = [
            e
            for e in again.access_log.events(who(again, org.admin))
            if e.kind.value == "read_scope_changed"
        ]
        assert line.username == org.admin
    finally:
        again.close()
