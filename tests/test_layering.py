"""The core, the CLI and the reports run without Qt; the PySide6 pin avoids the 6.12/3.11 crash."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    """import-linter checks every import path: no Qt below the UI, a dependency-free domain."""
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(linter), "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


def test_running_the_cli_loads_no_qt(tmp_path):
    code = (
        "import sys, runpy; sys.argv = ['main.py', '--db', sys.argv[1], 'init'];"
        "import main; rc = main.run(sys.argv[1:]);"
        "import auditor.services, auditor.services.demo.build, auditor.cli;"
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))], 'Qt loaded';"
        "sys.exit(rc)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "x.db")],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_pyside6_version_is_safe_for_this_python():
    version = pytest.importorskip("PySide6").__version__
    major, minor = (int(p) for p in version.split(".")[:2])
    if sys.version_info < (3, 12):
        assert (major, minor) < (6, 12), f"PySide6 {version} crashes on Python 3.11"
