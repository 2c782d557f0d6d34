"""Spreadsheet and CSV exports: one row per activity, one per domain grade, an aggregate-only table."""

import os
from pathlib import Path

import pandas as pd
import pytest

from auditor.domain.errors import Cancelled, OutputError, ValidationError
from auditor.domain.grades import Grade
from auditor.reports.export import IDENTIFIERS
from tests.builders import Org, run_to, who
from tests.reports.conftest import close_audit


@pytest.fixture
def two_audits(services, org):
    closed = run_to(services, org, "reconciliation", first=Grade.GOOD, final=Grade.INADEQUATE)
    close_audit(services, org, closed)
    services.directory.add_case("CF-7", "child_in_need", "North", org.worker)
    blind = services.audits.start("CF-7", by=who(services, org.manager))
    from auditor.domain.workflow import Part
    from tests.builders import feedback_answers, fill

    a = services.audits
    a.submit(
        blind,
        Part.SELF_REVIEW,
        by=who(services, org.worker),
        answers=fill(services.forms.latest("self_review")),
    )
    a.submit(
        blind,
        Part.FAMILY_FEEDBACK,
        by=who(services, org.manager),
        answers=feedback_answers(services),
    )
    a.submit(
        blind,
        Part.FIRST_AUDIT,
        by=who(services, org.manager),
        answers=fill(services.forms.latest("case_file_audit"), grade=Grade.OUTSTANDING),
    )
    return closed, blind


def read_book(path):
    return pd.read_excel(path, sheet_name=None)


def test_xlsx_has_a_row_per_audit_and_per_domain_grade(services, two_audits, tmp_path):
    closed, blind = two_audits
    path = services.reports.write_export("xlsx", tmp_path / "all.xlsx", who=who(services, Org.qa))
    sheets = read_book(path)
    assert list(sheets) == ["About", "Audits", "Domain grades", "Summary"]
    audits = sheets["Audits"].set_index("audit_id")
    assert list(audits.index) == [closed, blind]
    assert audits.loc[closed, "final_grade"] == "Inadequate"
    assert audits.loc[closed, "first_audit_grade"] == "Good"
    assert pd.isna(audits.loc[blind, "first_audit_grade"])  # blind second audit under way
    assert audits.loc[closed, "case_reference"] == "CF-1"
    domains = sheets["Domain grades"]
    closed_rows = domains[domains.audit_id == closed]
    assert set(closed_rows.tier) == {1, 2, 3}  # tier 1: the optional self-grade
    areas = len(services.forms.latest("case_file_audit").domains("child_in_need"))
    assert len(closed_rows[closed_rows.tier > 1]) == 2 * areas
    assert set(domains[domains.audit_id == blind].tier) == {1}  # first-audit grades hidden
    assert "OFFICIAL-SENSITIVE" in sheets["About"].columns[0]


def test_aggregate_exports_carry_no_case_identifiers(services, two_audits, tmp_path):
    book = read_book(
        services.reports.write_export(
            "xlsx", tmp_path / "s.xlsx", table="summary", who=who(services, Org.qa)
        )
    )
    assert list(book) == ["About", "Summary"]
    assert not IDENTIFIERS & set(book["Summary"].columns)
    text = " ".join(str(v) for df in book.values() for v in df.astype(str).values.ravel())
    assert "CF-1" not in text and "CF-7" not in text
    csv = services.reports.write_export(
        "csv", tmp_path / "s.csv", table="summary", who=who(services, Org.qa)
    )
    table = pd.read_csv(csv, encoding="utf-8-sig")
    assert list(table.columns)[:3] == ["period", "activity", "outstanding"]
    assert "CF-" not in csv.path.read_text(encoding="utf-8-sig") and not csv.marked
    row = table.iloc[0]
    assert row.good_or_better_pct + row.ri_or_inadequate_pct == 100


def test_csv_of_audits_and_domain_grades(services, two_audits, tmp_path):
    audits = pd.read_csv(
        services.reports.write_export("csv", tmp_path / "a.csv", who=who(services, Org.qa)),
        encoding="utf-8-sig",
    )
    assert len(audits) == 2 and "final_grade_code" in audits.columns
    grades = pd.read_csv(
        services.reports.write_export(
            "csv", tmp_path / "d.csv", table="domain-grades", who=who(services, Org.qa)
        ),
        encoding="utf-8-sig",
    )
    assert set(grades.grade_code) <= {"O", "G", "RI", "I"}


def test_cancelled_and_failed_exports_leave_nothing(services, two_audits, tmp_path):
    stop = []
    target = tmp_path / "big.xlsx"
    with pytest.raises(Cancelled):
        services.reports.write_export(
            "xlsx",
            target,
            progress=lambda done, total, what: stop.append(done),
            cancelled=lambda: bool(stop),
            who=who(services, Org.qa),
        )
    assert stop and not [p for p in os.listdir(tmp_path) if "xlsx" in p]
    with pytest.raises(OutputError):
        services.reports.write_export("xlsx", tmp_path / "no" / "x.xlsx", who=who(services, Org.qa))
    with pytest.raises(ValidationError):
        services.reports.write_export("ods", tmp_path / "x.ods", who=who(services, Org.qa))


DANGEROUS = [
    "=1+2",
    '=HYPERLINK("http://example.com","Click me")',
    "+44 7700 900123",
    "-2+3",
    "@SUM(A1:A9)",
    "\tTabbed",
    "\rReturned",
]


def rename_people(services, org, names):
    """Give the audit's worker and auditors names a spreadsheet would run as formulas."""
    from sqlalchemy import update

    from db.models import Person

    with services.db.transaction() as s:
        for username, name in zip((org.worker, org.manager, org.senior), names, strict=False):
            s.execute(update(Person).where(Person.username == username).values(name=name))


@pytest.mark.parametrize("names", [DANGEROUS[:3], DANGEROUS[3:6], DANGEROUS[6:] + DANGEROUS[:2]])
def test_names_that_look_like_formulas_stay_text_in_every_export(
    services, org, two_audits, tmp_path, names
):
    import csv

    from openpyxl import load_workbook

    rename_people(services, org, names)
    book = load_workbook(
        services.reports.write_export("xlsx", tmp_path / "x.xlsx", who=who(services, Org.qa))
    )
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula at all
    # each name as text; OOXML writes a carriage return as _x000D_, which openpyxl leaves as is
    texts = {c.value.replace("_x000D_", "\r") for c in cells if isinstance(c.value, str)}
    assert set(names) <= texts
    assert not any(getattr(c, "hyperlink", None) for c in cells)
    for table in ("audits", "domain-grades"):
        path = services.reports.write_export(
            "csv", tmp_path / f"{table}.csv", table=table, who=who(services, Org.qa)
        ).path
        with open(path, newline="", encoding="utf-8-sig") as handle:
            values = {v for row in csv.reader(handle) for v in row}
        assert not [v for v in values if v[:1] in ("=", "+", "-", "@", "\t", "\r")]
        assert {"'" + n for n in names if n in DANGEROUS} & values


def test_xlsx_numbers_are_numbers_and_every_sheet_prints_with_the_marking(
    services, two_audits, tmp_path
):
    from openpyxl import load_workbook

    result = services.reports.write_export(
        "xlsx", tmp_path / "m.xlsx", marking="OFFICIAL & SECRET", who=who(services, Org.qa)
    )
    assert result.marked and result.marking == "OFFICIAL & SECRET" and result.rows > 0
    book = load_workbook(result.path)
    tiers = [row[3] for row in book["Domain grades"].iter_rows(min_row=2, values_only=True)]
    assert tiers and all(isinstance(t, int) for t in tiers) and set(tiers) == {1, 2, 3}
    assert all(isinstance(r[0], int) for r in book["Audits"].iter_rows(min_row=2, values_only=True))
    for sheet in book:
        assert sheet.oddHeader.center.text == "OFFICIAL && SECRET"  # & escaped for Excel
        assert "OFFICIAL && SECRET" in sheet.oddFooter.left.text
        assert "&P" in sheet.oddFooter.right.text


PRIVACY_UNDER_O = """
import sys
from pathlib import Path
from auditor.domain.errors import OutputError
from auditor.reports.export import Table, write_csv, write_xlsx
from auditor.reports.data import DocumentInfo
leaky = Table("Summary", ("period", "case_reference", "total"),
              [{"period": "2026-27", "case_reference": "CF-1", "total": 1}], 1)
folder = Path(sys.argv[1])
refused = []
for write in (lambda: write_csv(leaky, folder / "s.csv", aggregate_only=True),
              lambda: write_xlsx(DocumentInfo("t", "OFFICIAL"), "all", [leaky], folder / "s.xlsx",
                                 aggregate_only=True)):
    try:
        write()
    except OutputError as error:
        refused.append("case_reference" in str(error))
print(__debug__, refused, sorted(p.name for p in folder.iterdir()))
"""


def test_the_aggregate_privacy_check_holds_under_python_dash_o(tmp_path):
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    folder = tmp_path / "out"
    folder.mkdir()
    done = subprocess.run(
        [sys.executable, "-O", "-c", PRIVACY_UNDER_O, str(folder)],
        check=False,
        capture_output=True,
        text=True,
        cwd=root,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "False [True, True] []"  # -O on; both refused; no file
