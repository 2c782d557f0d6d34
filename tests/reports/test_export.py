"""Spreadsheet and CSV exports: one row per activity, one per domain grade, an aggregate-only table."""

import os

import pandas as pd
import pytest

from auditor.domain.errors import Cancelled, OutputError, ValidationError
from auditor.domain.grades import Grade
from auditor.reports.export import IDENTIFIERS
from tests.builders import run_to
from tests.reports.conftest import close_audit


@pytest.fixture
def two_audits(services, org):
    closed = run_to(services, org, "reconciliation", first=Grade.GOOD, final=Grade.INADEQUATE)
    close_audit(services, org, closed)
    services.directory.add_case("CF-7", "child_in_need", "North", org.worker)
    blind = services.audits.start("CF-7", by=org.manager)
    from tests.builders import feedback_answers, fill
    from auditor.domain.workflow import Part
    a = services.audits
    a.submit(blind, Part.SELF_REVIEW, by=org.worker, answers=fill(services.forms.latest("self_review")))
    a.submit(blind, Part.FAMILY_FEEDBACK, by=org.manager, answers=feedback_answers(services))
    a.submit(blind, Part.FIRST_AUDIT, by=org.manager,
             answers=fill(services.forms.latest("case_file_audit"), grade=Grade.OUTSTANDING))
    return closed, blind


def read_book(path):
    return pd.read_excel(path, sheet_name=None)


def test_xlsx_has_a_row_per_audit_and_per_domain_grade(services, two_audits, tmp_path):
    closed, blind = two_audits
    path = services.reports.write_export("xlsx", tmp_path / "all.xlsx")
    sheets = read_book(path)
    assert list(sheets) == ["About", "Audits", "Domain grades", "Summary"]
    audits = sheets["Audits"].set_index("audit_id")
    assert list(audits.index) == [closed, blind]
    assert audits.loc[closed, "final_grade"] == "Inadequate"
    assert audits.loc[closed, "first_audit_grade"] == "Good"
    assert pd.isna(audits.loc[blind, "first_audit_grade"])   # blind second audit under way
    assert audits.loc[closed, "case_reference"] == "CF-1"
    domains = sheets["Domain grades"]
    closed_rows = domains[domains.audit_id == closed]
    assert set(closed_rows.tier) == {1, 2, 3}                # tier 1: the optional self-grade
    areas = len(services.forms.latest("case_file_audit").domains("child_in_need"))
    assert len(closed_rows[closed_rows.tier > 1]) == 2 * areas
    assert set(domains[domains.audit_id == blind].tier) == {1}   # first-audit grades hidden
    assert "OFFICIAL-SENSITIVE" in sheets["About"].columns[0]


def test_aggregate_exports_carry_no_case_identifiers(services, two_audits, tmp_path):
    book = read_book(services.reports.write_export("xlsx", tmp_path / "s.xlsx", table="summary"))
    assert list(book) == ["About", "Summary"]
    assert not IDENTIFIERS & set(book["Summary"].columns)
    text = " ".join(str(v) for df in book.values() for v in df.astype(str).values.ravel())
    assert "CF-1" not in text and "CF-7" not in text
    csv = services.reports.write_export("csv", tmp_path / "s.csv", table="summary")
    table = pd.read_csv(csv, encoding="utf-8-sig")
    assert list(table.columns)[:3] == ["period", "activity", "outstanding"]
    assert "CF-" not in csv.read_text(encoding="utf-8-sig")
    row = table.iloc[0]
    assert row.good_or_better_pct + row.ri_or_inadequate_pct == 100


def test_csv_of_audits_and_domain_grades(services, two_audits, tmp_path):
    audits = pd.read_csv(services.reports.write_export("csv", tmp_path / "a.csv"),
                         encoding="utf-8-sig")
    assert len(audits) == 2 and "final_grade_code" in audits.columns
    grades = pd.read_csv(services.reports.write_export("csv", tmp_path / "d.csv",
                                                       table="domain-grades"),
                         encoding="utf-8-sig")
    assert set(grades.grade_code) <= {"O", "G", "RI", "I"}


def test_cancelled_and_failed_exports_leave_nothing(services, two_audits, tmp_path):
    stop = []
    target = tmp_path / "big.xlsx"
    with pytest.raises(Cancelled):
        services.reports.write_export("xlsx", target, progress=lambda done, total, what:
                                      stop.append(done), cancelled=lambda: bool(stop))
    assert stop and not [p for p in os.listdir(tmp_path) if "xlsx" in p]
    with pytest.raises(OutputError):
        services.reports.write_export("xlsx", tmp_path / "no" / "x.xlsx")
    with pytest.raises(ValidationError):
        services.reports.write_export("ods", tmp_path / "x.ods")
