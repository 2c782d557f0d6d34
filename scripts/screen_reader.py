"""Run the app where a screen reader can hear it: a virtual screen (Xvfb), a private session D-Bus
with the Linux accessibility bus (AT-SPI) on it, and the app opened on a demo database in a chosen
scene. ``scripts/atspi_dump.py`` then reads what a screen reader hears.

Shared by ``tests/ui/test_screen_reader.py`` and ``scripts/atspi_dump.py``. Only the standard
library at import time: the reader runs under Debian's ``/usr/bin/python3`` (where pyatspi is), the
app under the project's venv. The app's side is ``main`` below:

    .venv/bin/python scripts/screen_reader.py demo PATH          build a demo database
    .venv/bin/python scripts/screen_reader.py app SCENE PATH     open the scene (needs a display)
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
SYSTEM_PYTHON = Path("/usr/bin/python3")
BUS_LAUNCHER = Path("/usr/libexec/at-spi-bus-launcher")
DUMP = ROOT / "scripts" / "atspi_dump.py"
#: What each scene opens, for ``--help`` and the test's ids.
SCENES = {
    "first_audit": "a case-file audit's first audit, nothing answered yet",
    "observation": "an observation of practice just started",
    "failed_submit": "the first audit after Submit was pressed with required answers missing",
}
#: Debian package of each program the session needs (the same names are in scripts/dev).
PROGRAMS = {
    "Xvfb": "xvfb",
    "dbus-daemon": "dbus",
    "dbus-send": "dbus",
    "dbus-launch": "dbus-x11",
    str(BUS_LAUNCHER): "at-spi2-core",
}
READY = "READY"


class MissingPackages(RuntimeError):
    """Something the accessibility session needs is not installed."""


def missing_packages() -> list[str]:
    """The Debian packages to install before a screen reader can be heard here."""
    missing = [pkg for program, pkg in PROGRAMS.items() if shutil.which(program) is None]
    probe = (
        subprocess.run(
            [str(SYSTEM_PYTHON), "-c", "import pyatspi"],
            check=False,
            capture_output=True,
            timeout=30,
        )
        if SYSTEM_PYTHON.exists()
        else None
    )
    if probe is None or probe.returncode != 0:
        missing.append("python3-pyatspi")
    return sorted(set(missing))


def lines_within(stream: IO[str], stop: str, *, seconds: float) -> list[str]:
    """Lines a child prints until one equal to ``stop``, ``seconds`` pass or it ends; a child
    that hangs gives what it said so far instead of blocking on ``readline``."""
    found: queue.Queue[str | None] = queue.Queue()

    def read() -> None:  # stops at ``stop``: nobody reads the stream meanwhile when it is closed
        for line in stream:
            found.put(line.rstrip("\n"))
            if line.rstrip("\n") == stop:
                return
        found.put(None)

    threading.Thread(target=read, daemon=True).start()
    deadline, lines = time.monotonic() + seconds, list[str]()
    while True:
        try:
            line = found.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return lines
        if line is None:
            return lines
        lines.append(line)
        if line == stop:
            return lines


def first_line(fd: int, what: str, process: subprocess.Popen[Any], seconds: float = 20) -> str:
    """The first line a starting program writes to ``fd`` (its display, its bus address), read
    with a deadline; the descriptor stays open for whoever owns it."""
    deadline, data = time.monotonic() + seconds, b""
    while b"\n" not in data and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(fd, 4096) if ready else b""
        if ready and not chunk:
            break  # it closed the descriptor (or ended) without a whole line
        data += chunk
    line = data.decode().split("\n")[0].strip()
    if not line:
        raise RuntimeError(f"{what} did not start (exit code {process.poll()}).")
    return line


class Desktop:
    """Xvfb, a private session bus and the accessibility bus; apps started with ``start_app`` are
    on them. A context manager: leaving it kills every process it started (apps first)."""

    def __init__(self, *, size: str = "1400x1000x24") -> None:
        self.size = size
        self.processes: list[subprocess.Popen[Any]] = []
        self.env: dict[str, str] = {}

    # ---------------------------------------------------------------------------------- session
    def __enter__(self) -> Desktop:
        missing = missing_packages()
        if missing:
            raise MissingPackages(
                "To hear what a screen reader hears, install the Debian packages "
                f"{' '.join(missing)} (as root: apt-get install {' '.join(missing)}; "
                "`scripts/dev test` installs them)."
            )
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _start(self) -> None:
        read_end, write_end = os.pipe()
        xvfb = self._spawn(
            ["Xvfb", "-screen", "0", self.size, "-nolisten", "tcp", "-displayfd", str(write_end)],
            pass_fds=(write_end,),
        )
        os.close(write_end)
        try:
            display = first_line(read_end, "Xvfb", xvfb)
        finally:
            os.close(read_end)
        bus = self._spawn(
            ["dbus-daemon", "--session", "--nofork", "--print-address"], stdout=subprocess.PIPE
        )
        address = first_line(bus.stdout.fileno(), "dbus-daemon", bus)  # type: ignore[union-attr]
        self.env = {
            **os.environ,
            "DISPLAY": f":{display}",
            "DBUS_SESSION_BUS_ADDRESS": address,
            "QT_QPA_PLATFORM": "xcb",
            "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
            "QT_ACCESSIBILITY": "1",
            "NO_AT_BRIDGE": "0",
            "LANG": "en_GB.UTF-8",
            "PYTHONPATH": str(ROOT),
        }
        self.env.pop("XAUTHORITY", None)
        self._spawn([str(BUS_LAUNCHER), "--launch-immediately"], env=self.env)
        self._wait_for_accessibility_bus()

    def _spawn(self, argv: list[str], **kwargs: Any) -> subprocess.Popen[Any]:
        kwargs.setdefault("stdin", subprocess.DEVNULL)
        kwargs.setdefault("stdout", subprocess.DEVNULL)
        kwargs.setdefault("stderr", subprocess.DEVNULL)
        process = subprocess.Popen(argv, start_new_session=True, text=True, **kwargs)
        self.processes.append(process)
        return process

    def _wait_for_accessibility_bus(self, seconds: float = 20) -> None:
        """Poll (with a deadline) until the launcher owns org.a11y.Bus on the session bus."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            probe = subprocess.run(
                ["dbus-send", "--session", "--print-reply", "--dest=org.a11y.Bus",
                 "/org/a11y/bus", "org.a11y.Bus.GetAddress"],
                check=False, env=self.env, capture_output=True, text=True, timeout=10,
            )  # fmt: skip
            if probe.returncode == 0 and "unix:" in probe.stdout:
                return
            time.sleep(0.1)
        raise RuntimeError("The accessibility bus (at-spi-bus-launcher) did not start.")

    def close(self) -> None:
        """Stop every process started here, the last started first."""
        for process in reversed(list(self.processes)):
            self.stop(process)

    def stop(self, process: subprocess.Popen[Any]) -> None:
        """End ``process`` (and its children: each has its own process group), within seconds."""
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream is not None:
                stream.close()
        if process in self.processes:
            self.processes.remove(process)

    # -------------------------------------------------------------------------------- the app
    def start_app(self, scene: str, db: Path, *, seconds: float = 60) -> subprocess.Popen[str]:
        """The app (a real process, in the venv) on ``db``, showing ``scene``; returns once it has
        said it is ready."""
        app = self._spawn(
            [str(VENV_PYTHON), str(Path(__file__).resolve()), "app", scene, str(db)],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        said = lines_within(app.stdout, READY, seconds=seconds)  # type: ignore[arg-type]
        if not said or said[-1] != READY:
            raise RuntimeError(f"The app did not open {scene}; it said:\n" + "\n".join(said))
        return app

    def hear(self, app_name: str = "Auditor", *, seconds: float = 60) -> list[dict[str, Any]]:
        """What a screen reader finds in the app's windows, one dict per object."""
        done = subprocess.run(
            [str(SYSTEM_PYTHON), str(DUMP), "--json", "--app", app_name],
            check=False,
            env={**self.env, "PYTHONPATH": ""},
            capture_output=True,
            text=True,
            timeout=seconds,
        )
        if done.returncode != 0:
            raise RuntimeError(f"atspi_dump.py failed:\n{done.stderr}")
        return list(json.loads(done.stdout))


def build_demo_database(path: Path, *, seconds: float = 120) -> Path:
    """A demo database at ``path`` (built by the venv's Python)."""
    subprocess.run(
        [str(VENV_PYTHON), str(Path(__file__).resolve()), "demo", str(path)],
        env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
        check=True,
        timeout=seconds,
    )
    return path


def demo_copy(template: Path) -> Path:
    """A copy of ``template`` in a new temporary folder (each scene changes its own)."""
    path = Path(tempfile.mkdtemp(prefix="auditor-sr-")) / "demo.db"
    shutil.copy(template, path)
    return path


# ------------------------------------------------------------------------- the app's side (venv)
def main(argv: list[str]) -> int:
    if argv[:1] == ["demo"] and len(argv) == 2:
        from scripts.screen_reader_app import build

        build(Path(argv[1]))
        return 0
    if argv[:1] == ["app"] and len(argv) == 3 and argv[1] in SCENES:
        from scripts.screen_reader_app import open_scene

        return open_scene(argv[1], Path(argv[2]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
