"""Long, CPU-bound service calls (spreadsheet exports) in a child process.

A thread is not enough for them: much of an export runs in C code (pandas, the spreadsheet writer)
that keeps Python's GIL for up to seconds at a time, and the GUI thread cannot run without it
(measured: 1.7 s stalls at 50,000 audits, 10 s at 200,000). A child process has its own GIL. It
opens its own connection to the same database (safe: SQLite locks between processes), runs one
service call with progress and cancellation, and reports back through a pipe.

``in_child_process(db, "reports.write_export", fmt=…)`` gives a function for
``runner.start_job``: the job's worker thread starts the child, forwards its progress, passes a
Cancel on, and returns the call's result or raises its error — an ``AuditorError`` as the same
kind of error, anything else as a bug with the child's traceback. This module imports no Qt, so
the child starts without it.
"""

from __future__ import annotations

import multiprocessing
import operator
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from auditor.domain import errors

#: at most this often the child sends progress
PROGRESS_INTERVAL_S = 0.05
#: how long a cancelled or abandoned child may take to stop before it is ended
STOP_GRACE_S = 5.0


class JobLike(Protocol):
    def progress(self, done: int, total: int, what: str) -> None: ...

    def cancelled(self) -> bool: ...


def _child(conn: Any, cancel: Any, db_path: str, call: str, kwargs: dict[str, Any]) -> None:
    """The child's whole life: open the database, make the call, send what happened."""
    last = [0.0]

    def progress(done: int, total: int, what: str) -> None:
        now = time.monotonic()
        if done >= total or now - last[0] >= PROGRESS_INTERVAL_S:
            last[0] = now
            conn.send(("progress", done, total, what))

    services = None
    try:
        from auditor.services import open_services

        services = open_services(Path(db_path))
        result = operator.attrgetter(call)(services)(
            progress=progress, cancelled=cancel.is_set, **kwargs
        )
        conn.send(("done", result))
    except errors.AuditorError as error:
        conn.send(("refused", type(error).__name__, str(error)))
    except BaseException:
        conn.send(("bug", traceback.format_exc()))
    finally:
        if services is not None:
            services.close()
        conn.close()


def _refusal(kind: str, message: str) -> errors.AuditorError:
    """The child's refusal as the same kind of error (or a plain one if it cannot be rebuilt)."""
    from auditor.domain import permissions  # NotPermitted: a refusal of the role table

    cls: Any = getattr(errors, kind, None) or getattr(permissions, kind, errors.AuditorError)
    try:
        error = cls(message)
    except TypeError:
        error = errors.AuditorError(message)
    return error if isinstance(error, errors.AuditorError) else errors.AuditorError(message)


class ChildProcessFailed(RuntimeError):
    """A bug in the child, or the child died: carries the child's traceback."""


def in_child_process(db_path: Path, call: str, **kwargs: Any) -> Callable[[JobLike], Any]:
    """``call`` names a service method taking ``progress`` and ``cancelled`` keywords."""

    if "path" in kwargs:  # never an export over the database, its journals or its backups
        from auditor.services.maintenance import check_output

        # The save dialog has asked before replacing another file.
        check_output(db_path, Path(kwargs["path"]), replace=True)

    def run(job: JobLike) -> Any:
        context = multiprocessing.get_context("spawn")  # never fork a process running Qt
        receive, send = context.Pipe(duplex=False)
        cancel = context.Event()
        child = context.Process(
            target=_child,
            args=(send, cancel, str(db_path), call, kwargs),
            name="auditor-export",
            daemon=True,
        )
        child.start()
        send.close()
        try:
            return _follow(child, receive, cancel, job)
        finally:
            child.join(STOP_GRACE_S)
            if child.is_alive():
                child.terminate()
                child.join(STOP_GRACE_S)
            receive.close()

    return run


def _follow(child: Any, receive: Any, cancel: Any, job: JobLike) -> Any:
    while True:
        if job.cancelled():
            cancel.set()
        if not receive.poll(0.05):
            if not child.is_alive() and not receive.poll(0):
                raise ChildProcessFailed(
                    f"The export process ended unexpectedly (exit code {child.exitcode})."
                )
            continue
        try:
            message = receive.recv()
        except EOFError:
            raise ChildProcessFailed("The export process ended unexpectedly.") from None
        kind = message[0]
        if kind == "progress":
            job.progress(*message[1:])
        elif kind == "done":
            return message[1]
        elif kind == "refused":
            raise _refusal(message[1], message[2])
        else:
            raise ChildProcessFailed(f"The export failed in its process:\n{message[1]}")
