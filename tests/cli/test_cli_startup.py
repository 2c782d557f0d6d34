"""Start-up: building the parser loads no heavy library, and a command loads only what it uses.

Behaviour, not timing: each case runs in a new process and reports which modules it loaded.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "auditor" / "cli"
HEAVY = (
    "sqlalchemy",
    "alembic",
    "pandas",
    "numpy",
    "reportlab",
    "openpyxl",
    "xlsxwriter",
    "yaml",
    "PySide6",
    "shiboken6",
    "db",
    "forms",
    "auditor.services",
    "auditor.reports",
)
FAMILIES = ("reference", "sampling", "audits", "practice", "reports")

# Runs main.py's entry function as `python main.py ARGS` would, then prints the loaded modules.
PROBE = """
import contextlib, io, json, sys
import main
out, err = io.StringIO(), io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
    try:
        code = main.run(sys.argv[1:])
    except SystemExit as stop:
        code = stop.code
print(json.dumps({"code": code, "modules": sorted(sys.modules), "out": out.getvalue(),
                  "err": err.getvalue()}))
"""


def probe(*args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def loaded(report: dict, packages: tuple[str, ...]) -> list[str]:
    return [
        m
        for m in report["modules"]
        if m.split(".")[0] in packages or any(m == p or m.startswith(p + ".") for p in packages)
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["audit", "--help"],
        ["export", "--help"],
        ["audit", "list", "--grade", "zzz"],  # a usage mistake
        [
            "summary",
            "--from",
            "2020-01-01",
            "--to",
            "2019-01-01",
        ],  # refused before opening anything
    ],
)
def test_the_parser_loads_no_database_layer_forms_reports_or_qt(args):
    report = probe(*args)
    assert report["code"] in (0, 2), report["err"]
    assert loaded(report, HEAVY) == []
    assert len(report["modules"]) < 200, len(report["modules"])  # 424 when it loaded everything


def test_summary_reads_no_form_and_loads_no_report_writer(db_path, org):
    report = probe("--db", str(db_path), "summary", "--format", "json", "--user", org.senior)
    assert report["code"] == 0 and json.loads(report["out"]) == []
    assert loaded(report, ("sqlalchemy",)), "the summary does read the database"
    assert loaded(report, ("yaml", "pandas", "reportlab", "openpyxl", "PySide6")) == []
    assert loaded(report, ("auditor.services.audits", "auditor.services.practice")) == []


def test_a_form_command_reads_the_form_files(db_path):
    report = probe("forms", "template", "self_review")
    assert report["code"] == 0 and "strengths" in json.loads(report["out"])
    assert loaded(report, ("yaml",)) and not loaded(report, ("sqlalchemy",))


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


@pytest.mark.parametrize("module", ("common", *FAMILIES))
def test_no_command_family_imports_another(module):
    imports = _imports(CLI / f"{module}.py")
    others = {f"auditor.cli.{f}" for f in FAMILIES if f != module}
    assert not imports & others, sorted(imports & others)


def test_constants_kept_for_the_parser_equal_their_source():
    from auditor.cli import reports, sampling
    from auditor.reports.data import DEFAULT_MARKING
    from auditor.services.sampling import PURPOSES

    assert reports.DEFAULT_MARKING_TEXT == DEFAULT_MARKING
    assert sorted(sampling.PURPOSES) == sorted(PURPOSES)
