"""Opening a database file: refuse what is not ours, empty, damaged or newer; check it, keep a
verified backup once a day and before an upgrade; bring it to the current schema."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from auditor.domain.errors import StorageError
from db import backup
from db.engine import Database, make_engine, storage_error

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

#: The newest migration's revision. A database already there opens without loading Alembic (which
#: costs about a tenth of a second at every start); a test keeps this equal to the scripts' head.
HEAD = "0009"


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head() or ""


def backup_file(path: Path, label: str) -> Path:
    """A verified copy of the database at ``path`` next to it (SQLite's online backup)."""
    conn = _read_only(path)
    try:
        return _verified_copy(conn, path, label)
    finally:
        conn.close()


def open_database(path: Path, *, create: bool = False, daily_backup: bool = True) -> Database:
    """Open the database at ``path``, checked, backed up once a day, and upgraded if needed.

    Only ``create=True`` (``init``, the first-run dialog) makes a database, and only where there
    is no file or an empty one (0 bytes, or an SQLite file with no tables: nothing to lose).
    Anything else that is not a sound Auditor database is refused and left exactly as it was: an
    empty or foreign file, a newer schema, a file that fails SQLite's quick check (run at every
    open) or the full check (run on the copy taken at the first open of each day, and before any
    upgrade). The refusal names the newest verified backup and how to restore it.
    ``daily_backup=False`` (benchmarks over generated databases) skips the daily copy and with it
    the scheduled full check.
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise StorageError(f"{path} is a folder; give the path of a database file instead.")
    if not path.exists() or (create and _size(path) == 0):
        if not create:
            raise StorageError(
                f"There is no database at {path}. Create one with "
                "'python main.py init' (or 'init --demo' for a demo organisation)."
            )
        return _create(path)
    if _size(path) == 0:
        raise StorageError(
            f"{path} is empty (0 bytes): it is not an Auditor database, and nothing was changed. "
            + backup.newest_backup_hint(path)
        )
    return _open_existing(path, create, daily_backup)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise StorageError(f"Cannot read {path}: {exc.strerror or exc}.") from None


def _create(path: Path) -> Database:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"Cannot create the folder {path.parent}: {exc}") from None
    return _migrate(path, None, has_tables=False)


def _open_existing(path: Path, create: bool, daily_backup: bool) -> Database:
    if not backup.has_sqlite_header(path):
        raise StorageError(
            f"{path} is damaged or is not an Auditor database (it is not an SQLite file); "
            "nothing was changed. Check the --db path. " + backup.newest_backup_hint(path)
        )
    conn = _read_only(path)
    try:
        revision, has_tables = _inspect(conn, path)
        if not has_tables:
            if create:
                conn.close()
                return _migrate(path, None, has_tables=False)
            raise StorageError(
                f"{path} holds no tables: it is not an Auditor database, and nothing was "
                "changed. Run 'init' to make it one. " + backup.newest_backup_hint(path)
            )
        if revision is None:  # someone else's file, or ours with its schema version lost
            found = backup.problems(conn, full=False)
            raise _damaged(path, found) if found else _foreign(path)
        _refuse_damaged(conn, path)
        if revision == HEAD:
            if daily_backup:
                _daily_backup(conn, path)
            conn.close()
            return Database(path, make_engine(path))
        _refuse_unknown(path, revision)
        _pre_upgrade_backup(conn, path, revision)
    finally:
        conn.close()
    return _migrate(path, revision, has_tables)


def _read_only(path: Path) -> sqlite3.Connection:
    try:
        return backup.read_only(path)
    except sqlite3.Error as exc:
        raise storage_error(exc, path) from None


def _inspect(conn: sqlite3.Connection, path: Path) -> tuple[str | None, bool]:
    """(current alembic revision or None, whether the file holds any tables) — read-only."""
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = str(row[0]) if row else None
    except sqlite3.Error as exc:
        raise _damaged(path, [str(exc)]) from None
    return revision, bool(tables)


def _foreign(path: Path) -> StorageError:
    return StorageError(
        f"{path} is an SQLite file but not an Auditor database; nothing was "
        "changed. Choose another file name."
    )


def _damaged(path: Path, found: list[str]) -> StorageError:
    return StorageError(
        f"The database {path} is damaged ({found[0][:200]}); Auditor will not read or write it, "
        "and nothing was changed. " + backup.newest_backup_hint(path)
    )


def _refuse_damaged(conn: sqlite3.Connection, path: Path) -> None:
    """The full check's verdict if it failed earlier; the quick check at every open of a file
    that changed since it last passed."""
    found = backup.marked_damaged(path)
    if not found and not backup.checked_unchanged(path):
        found = backup.problems(conn, full=False)
        if not found:
            backup.remember_checked(path)
    if found:
        raise _damaged(path, found)


def _verified_copy(conn: sqlite3.Connection, path: Path, label: str) -> Path:
    try:
        return backup.take_backup(conn, path, label)
    except backup.DamagedCopy as exc:
        backup.mark_damaged(path, exc.problems)
        raise _damaged(path, exc.problems) from None


def _daily_backup(conn: sqlite3.Connection, path: Path) -> None:
    """The first open of each day keeps a verified copy (the full integrity check of the file)."""
    if not backup.daily_backup_due(path):
        return
    try:
        _verified_copy(conn, path, backup.Kind.DAILY)
    except StorageError as exc:
        if backup.marked_damaged(path):
            raise
        # The copy could not be written (a full disk, a read-only folder): the database itself
        # is sound, so it opens; the next open tries again.
        log.warning("Could not take today's backup of %s: %s", path.name, exc)
        return
    backup.prune(path)


def _refuse_unknown(path: Path, revision: str) -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    if revision not in {rev.revision for rev in script.walk_revisions()}:
        raise StorageError(
            f"{path} was written by a newer version of Auditor (schema {revision}); this version "
            f"understands up to {script.get_current_head()}. Install the newer version to open "
            "it. Nothing was changed."
        )


def _pre_upgrade_backup(conn: sqlite3.Connection, path: Path, revision: str) -> None:
    """A verified copy before upgrading, unless an earlier attempt left one and the file has not
    changed since (a failed upgrade changes nothing, and must not make a copy per command)."""
    label = f"{backup.Kind.UPGRADE}-{revision}"
    if backup.reusable_upgrade_backup(path, revision) is None:
        _verified_copy(conn, path, label)


def _migrate(path: Path, revision: str | None, has_tables: bool) -> Database:
    from alembic import command

    if has_tables and revision is None:
        raise _foreign(path)
    engine = make_engine(path)
    try:
        _upgrade(engine, command)
    except (OperationalError, DatabaseError) as exc:
        engine.dispose()
        raise storage_error(exc, path) from exc
    except StorageError:
        engine.dispose()
        raise
    log.info("Database %s upgraded from %s to %s", path, revision, HEAD)
    return Database(path, engine)


def _upgrade(engine: Engine, command: ModuleType) -> None:
    """Run the migrations in one transaction with foreign keys off, as SQLite's procedure for
    rebuilding a table requires (with them on, dropping the old table would cascade-delete the
    rows that refer to it), then check every reference before committing."""
    with engine.connect() as connection:
        # Outside a transaction, where SQLite honours it; set back before the connection is
        # used again.
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        connection.commit()
        try:
            with connection.begin():
                # pysqlite begins a transaction only before a data change, so without this the
                # first CREATE or ALTER of a migration would be committed at once and a failed
                # upgrade would leave its first steps in the file.
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                before = _broken_references(connection)
                config = _alembic_config()
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                broken = _broken_references(connection) - before
                if broken:
                    raise StorageError(
                        f"Upgrading the database would break {len(broken)} reference(s) (first "
                        f"in the table '{min(broken)[0]}'); nothing was changed. Keep the file "
                        "and report this to whoever supports Auditor."
                    )
        finally:
            connection.rollback()
            connection.exec_driver_sql("PRAGMA foreign_keys = ON")
            connection.commit()


def _broken_references(connection: Connection) -> set[tuple[str, int, str]]:
    """Rows whose foreign keys point nowhere (an upgrade may not add any)."""
    rows = connection.exec_driver_sql("PRAGMA foreign_key_check")
    return {(table, rowid, parent) for table, rowid, parent, _fk_index in rows}
