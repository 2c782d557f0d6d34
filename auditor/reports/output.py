"""Writing a document all-or-nothing: into a temporary file beside the target, then renamed over it,
so a failure or a cancelled export never leaves a half-written file behind."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from auditor.domain.errors import Cancelled, OutputError

log = logging.getLogger(__name__)

#: Progress callback: (done, total, what is happening).
Progress = Callable[[int, int, str], None]
IsCancelled = Callable[[], bool]


def no_progress(_done: int, _total: int, _what: str) -> None:
    return None


def never_cancelled() -> bool:
    return False


def check_cancelled(is_cancelled: IsCancelled) -> None:
    if is_cancelled():
        raise Cancelled("Stopped before finishing; nothing was saved.")


def _explain(path: Path, exc: OSError) -> OutputError:
    if exc.errno == errno.ENOENT or not path.parent.exists():
        return OutputError(f"Cannot save {path.name}: the folder {path.parent} does not exist.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(
            f"Cannot save to {path.parent}: you do not have permission to write "
            "there. Choose another folder."
        )
    if exc.errno == errno.ENOSPC:
        return OutputError(f"Cannot save {path.name}: the disk is full.")
    if exc.errno == errno.EISDIR or path.is_dir():
        return OutputError(f"Cannot save to {path}: it is a folder; give a file name.")
    return OutputError(f"Cannot save {path}: {exc.strerror or exc}.")


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``."""
    target = Path(target).expanduser()
    if target.is_dir():
        raise OutputError(f"Cannot save to {target}: it is a folder; give a file name.")
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.stem}-",
            suffix=target.suffix + ".part",
            dir=target.parent if str(target.parent) else ".",
        )
        os.close(fd)
    except OSError as exc:
        raise _explain(target, exc) from None
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, target)
    except OSError as exc:
        raise _explain(target, exc) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    log.info("Wrote %s", target)
