"""Opening a database file: engine with SQLite pragmas, sessions, and translation of storage errors."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from auditor.domain.errors import AuditorError, StorageError

BUSY_TIMEOUT_MS = 5000
#: Execution option of the connections ``Database.transaction()`` uses: they begin with
#: ``BEGIN IMMEDIATE``, taking the write lock before the rules read what they check.
WRITES = "auditor_writes"


def make_engine(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _set_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin_writes_immediately(connection: Connection) -> None:
        # pysqlite would begin only at the first INSERT/UPDATE, after the rules have read what
        # they check, so two writers could both find "no audit under way" and both insert. A
        # writer takes the lock first (waiting up to the busy timeout for another to finish);
        # readers keep pysqlite's own behaviour, and so does the upgrade, whose PRAGMA
        # foreign_keys = OFF works only outside a transaction.
        if connection.get_execution_options().get(WRITES):
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def storage_error(exc: BaseException, path: Path) -> StorageError:
    """Turn a driver error into a message the user can act on."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "locked" in text or "busy" in text:
        return StorageError(
            f"The database {path} is busy: another copy of Auditor or another program is writing to "
            "it. Wait a moment and try again; if it stays busy, close the other program."
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        from db.backup import newest_backup_hint

        return StorageError(
            f"The file {path} is damaged or is not an Auditor database. Nothing was changed. "
            + newest_backup_hint(path)
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return StorageError(
            f"The database {path} cannot be written to. Check that the folder exists, that you may "
            "write to it, and that the disk is not full."
        )
    if "disk" in text and "full" in text:
        return StorageError(f"The disk holding {path} is full; free some space and try again.")
    return StorageError(f"The database {path} could not be used: {getattr(exc, 'orig', exc)}")


def _refusal(exc: IntegrityError, path: Path) -> AuditorError:
    """A unique rule in its own words (``db.rules``); any other constraint is a storage error."""
    from db.rules import rule_violation

    return rule_violation(exc) or storage_error(exc, path)


class Database:
    """One database file. Each user action runs in its own transaction via ``transaction()``."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._writers = sessionmaker(
            engine.execution_options(**{WRITES: True}), expire_on_commit=False
        )

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed at the end, or rolled back entirely on any error.

        It holds the write lock from its first statement, so what the rules check cannot change
        before the change is written; a rule the database enforces as well (a unique index) is
        refused with the rule's own message (``db.rules``), never the driver's."""
        try:
            with self._writers.begin() as session:
                yield session
        except IntegrityError as exc:
            raise _refusal(exc, self.path) from exc
        except (OperationalError, DatabaseError) as exc:
            raise storage_error(exc, self.path) from exc

    @contextlib.contextmanager
    def all_or_nothing(self) -> Iterator[Database]:
        """This database as one transaction: every ``transaction()`` and ``reading()`` made through
        the ``Database`` yielded here is a savepoint inside it, and nothing is committed unless the
        whole block ends without an error (the demo organisation is built this way: a kill
        part-way leaves the file as it was)."""
        with self.engine.connect().execution_options(**{WRITES: True}) as connection:
            try:
                with connection.begin():
                    yield _Joined(self.path, self.engine, connection)
            except IntegrityError as exc:
                raise _refusal(exc, self.path) from exc
            except (OperationalError, DatabaseError) as exc:
                raise storage_error(exc, self.path) from exc

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for queries only."""
        try:
            with self._sessions() as session:
                yield session
        except (OperationalError, DatabaseError) as exc:
            raise storage_error(exc, self.path) from exc

    def close(self) -> None:
        self.engine.dispose()


class _Joined(Database):
    """A ``Database`` whose sessions all join one outer transaction on one connection, each of
    their own transactions a savepoint (SQLAlchemy's "join_transaction_mode")."""

    def __init__(self, path: Path, engine: Engine, connection: Connection) -> None:
        super().__init__(path, engine)
        self._sessions = self._writers = sessionmaker(
            connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )

    def close(self) -> None:
        """The outer ``all_or_nothing`` block owns the connection and the engine."""
