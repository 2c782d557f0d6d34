"""Entry point. No command: the desktop app (optionally --db PATH). A command: the headless CLI."""

from __future__ import annotations

import sys
from typing import Literal


def wants_gui(argv: list[str]) -> str | Literal[False] | None:
    """The --db value when the arguments ask for the app (nothing, or only --db PATH), else False."""
    if not argv:
        return None
    if len(argv) == 2 and argv[0] == "--db":
        return argv[1]
    if len(argv) == 1 and argv[0].startswith("--db="):
        return argv[0].split("=", 1)[1]
    return False


def run(argv: list[str]) -> int:
    gui = wants_gui(argv)
    if gui is not False:
        from auditor.ui.shell.app import run as run_app

        return run_app(gui)
    from auditor.cli import main

    return main(argv, log_to_file=True)


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
