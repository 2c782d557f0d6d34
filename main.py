"""Entry point. No command: the desktop app. A command: the headless CLI (see --help)."""

from __future__ import annotations

import sys


def run(argv: list[str]) -> int:
    from auditor.logsetup import configure_logging
    configure_logging()
    from auditor.cli import main
    return main(argv)


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
