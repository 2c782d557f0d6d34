"""``teams import``, ``people import``, ``cases import``: exit 0 with what was imported, exit 2 with
every bad row, nothing stored, and only the first line of a refusal in the log."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.cli import main
from tests.cli.conftest import ADMIN, make_admin

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"


@pytest.fixture
def cli(db_path, admin, capsys):
    def run(*args: str, **kwargs) -> tuple[int, str, str]:
        code = main(["--db", str(db_path), "--user", admin, *args], **kwargs)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_the_example_files_import_in_order_and_say_how_many(cli):
    code, out, err = cli("teams", "import", str(EXAMPLES / "teams.csv"))
    assert (code, err) == (0, "")
    assert out == "Imported 4 teams from teams.csv.\n"
    code, out, _ = cli("people", "import", str(EXAMPLES / "people.csv"))
    assert (code, out) == (0, "Imported 8 people from people.csv.\n")
    code, out, _ = cli("cases", "import", str(EXAMPLES / "cases.csv"))
    assert (code, out) == (0, "Imported 10 cases from cases.csv.\n")
    code, out, _ = cli("people", "list")
    assert "Morgan Reyes" in out and "Head of service" in out
    code, out, _ = cli("cases", "list", "--team", "Strengthening Families North")
    assert "CF-20001" in out


def test_a_refused_file_exits_2_naming_each_row_and_changes_nothing(cli, db_path, tmp_path):
    cli("teams", "import", str(EXAMPLES / "teams.csv"))
    source = tmp_path / "people.csv"
    source.write_text(
        "username,name,roles,team\nok.one,Ok,social_worker,Care Leavers\n"
        "bad one,Bad,social_worker,Care Leavers\nok.two,Ok,wizard,Atlantis\n"
    )
    before = db_path.read_bytes()
    code, out, err = cli("people", "import", str(source))
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0] == (
        "error: people.csv: nothing was imported because 2 row(s) have problems (rows are "
        "numbered as in a spreadsheet, the header is row 1). Correct them and import the whole "
        "file again:"
    )
    assert lines[1].startswith("  - row 3, username: 'bad one' is not a usable username")
    assert lines[2].startswith("  - row 4, roles: 'wizard' is not a role")
    assert lines[3].startswith("  - row 4, team: there is no team called 'Atlantis'")
    assert db_path.read_bytes() == before


def test_importing_the_same_file_twice_is_refused_the_second_time(cli, db_path):
    assert cli("teams", "import", str(EXAMPLES / "teams.csv"))[0] == 0
    before = db_path.read_bytes()
    code, _, err = cli("teams", "import", str(EXAMPLES / "teams.csv"))
    assert code == 2
    assert "all of its 4 teams are there already: the file was imported before" in err
    assert db_path.read_bytes() == before


def test_a_workbook_sheet_is_chosen_with_sheet(cli, tmp_path):
    import xlsxwriter

    path = tmp_path / "org.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Notes").write_string(0, 0, "read me")
    sheet = book.add_worksheet("Teams")
    for r, row in enumerate([["Name", "Service"], ["MASH", "Front door"]]):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    code, _, err = cli("teams", "import", str(path))
    assert code == 2 and "the workbook has 2 sheets; say which one" in err
    assert cli("teams", "import", str(path), "--sheet", "teams")[:2] == (
        0,
        "Imported 1 teams from org.xlsx.\n",
    )


def test_the_log_keeps_the_first_line_only(cli, tmp_path, private_folders):
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        source = tmp_path / "cases.csv"
        source.write_text("reference,case type,team\nCF-SECRET-42,cp,Nowhere-Team\n")
        code, _, err = cli("cases", "import", str(source), log_to_file=True)
        assert code == 2 and "Nowhere-Team" in err  # the person sees the row
        text = "".join(p.read_text() for p in private_folders.rglob("auditor.log"))
        assert "Refused cases import: cases.csv: nothing was imported because 1 row(s)" in text
        assert "CF-SECRET-42" not in text and "Nowhere-Team" not in text
    finally:
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)


def test_a_missing_file_and_a_wrong_kind_of_file_exit_2_in_a_real_process(db_path, admin, tmp_path):
    text = tmp_path / "people.txt"
    text.write_text("username,name,roles\n")
    for args, message in [
        (["people", "import", str(tmp_path / "absent.csv")], "absent.csv"),
        (["people", "import", str(text)], "import a .csv or .xlsx file"),
    ]:
        run = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "--db", str(db_path), "--user", ADMIN, *args],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
        assert run.returncode == 2, run.stderr
        assert message in run.stderr and "Traceback" not in run.stderr


@pytest.mark.skipif(not Path("/proc/self/wchan").exists(), reason="needs Linux's /proc")
def test_the_same_people_imported_twice_at_once_are_stored_once(template_db, tmp_path):
    """Both importers wait on a held write lock, so both read the file before either writes: the
    rules are checked inside the write, so one stores everyone and the other is told they are
    there already (not a driver's unique-constraint error)."""
    import shutil
    import sqlite3

    from tests.cli.test_import_race import race_two

    db = tmp_path / "race.db"
    shutil.copy(template_db, db)
    make_admin(db)
    base = [sys.executable, "main.py", "--db", str(db), "--user", ADMIN]
    subprocess.run([*base, "teams", "import", str(EXAMPLES / "teams.csv")], cwd=ROOT, check=True)
    results = race_two(db, [*base, "people", "import", str(EXAMPLES / "people.csv")])
    assert sorted(code for code, _, _ in results) == [0, 2], results
    [(_, _, refusal)] = [r for r in results if r[0] == 2]
    assert "all of its 8 people are there already" in refusal and "Traceback" not in refusal
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM person").fetchone() == (9,)  # and the admin
