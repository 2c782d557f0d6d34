"""Bringing a database file to the current schema: refuse what we do not know, back up, upgrade."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from auditor.domain.errors import StorageError
from db.engine import Database, make_engine, storage_error

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

#: The newest migration's revision. A database already there opens without loading Alembic (which
#: costs about a tenth of a second at every start); a test keeps this equal to the scripts' head.
HEAD = "0007"


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head() or ""


def _inspect(path: Path) -> tuple[str | None, bool]:
    """(current alembic revision or None, whether the file holds any tables) — read-only."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        return revision, bool(tables)
    except sqlite3.Error as exc:
        raise storage_error(exc, path) from None


def backup_file(path: Path, label: str) -> Path:
    """Copy the database consistently (SQLite's online backup) next to the original."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.backup-{stamp}-{label}.db")
    try:
        with sqlite3.connect(path) as source, sqlite3.connect(target) as dest:
            source.backup(dest)
        dest.close()
    except (sqlite3.Error, OSError) as exc:
        raise StorageError(
            f"Could not back up {path} before upgrading it ({exc}); "
            "nothing was changed. Check the disk has space and try again."
        ) from None
    log.info("Backed up %s to %s", path, target)
    return target


def open_database(path: Path, *, create: bool = False) -> Database:
    """Open (and if needed create or upgrade) the database at ``path``.

    Refuses a file that is not SQLite, is not ours, or was written by a newer version of the app. An
    existing database is backed up before any upgrade.
    """
    path = Path(path).expanduser()
    if not path.exists():
        if not create:
            raise StorageError(
                f"There is no database at {path}. Create one with "
                "'python main.py init' (or 'init --demo' for a demo organisation)."
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"Cannot create the folder {path.parent}: {exc}") from None
    elif path.is_dir():
        raise StorageError(f"{path} is a folder; give the path of a database file instead.")
    revision, has_tables = (None, False) if not path.exists() else _inspect(path)
    if revision == HEAD:
        return Database(path, make_engine(path))
    return _migrate(path, revision, has_tables)


def _migrate(path: Path, revision: str | None, has_tables: bool) -> Database:
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    head = script.get_current_head()
    known = {rev.revision for rev in script.walk_revisions()}
    if has_tables and revision is None:
        raise StorageError(
            f"{path} is an SQLite file but not an Auditor database; nothing was "
            "changed. Choose another file name."
        )
    if revision is not None and revision not in known:
        raise StorageError(
            f"{path} was written by a newer version of Auditor (schema {revision}); this version "
            f"understands up to {head}. Install the newer version to open it. Nothing was changed."
        )
    engine = make_engine(path)
    if revision != head:
        if revision is not None:
            backup_file(path, f"schema-{revision}")
        try:
            _upgrade(engine, command)
        except (OperationalError, DatabaseError) as exc:
            engine.dispose()
            raise storage_error(exc, path) from exc
        except StorageError:
            engine.dispose()
            raise
        log.info("Database %s upgraded from %s to %s", path, revision, head)
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
