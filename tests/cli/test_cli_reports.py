"""pdf, agreement and export on the command line: files written, figures printed, exit codes."""

import datetime as dt
import json

import pytest

from auditor.cli import main
from auditor.domain.grades import Grade
from auditor.domain.periods import FinancialYear
from tests.builders import run_to, today_plus, who
from tests.reports.conftest import pdf_text


@pytest.fixture
def cli(db_path, org, capsys):
    """Signed in as the QA advanced practitioner unless a test gives another ``--user``."""

    def run(*args):
        code = main(["--db", str(db_path), "--user", org.qa, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def close_audit(services, org, audit_id: int) -> None:
    """Note every difference, add an action, close (as the second auditor)."""
    senior = who(services, org.senior)
    for c in services.views.detail(audit_id, who=senior).comparisons:
        if c.differs:
            services.audits.note_difference(audit_id, c.domain_id, "Agreed.", by=senior)
    services.audits.add_action(
        audit_id, by=senior, owner=org.manager, due_on=today_plus(30), description="Plan dates."
    )
    services.audits.close(audit_id, by=senior)


@pytest.fixture
def closed(services, org):
    audit_id = run_to(
        services, org, "reconciliation", first=Grade.GOOD, final=Grade.REQUIRES_IMPROVEMENT
    )
    close_audit(services, org, audit_id)
    return audit_id


def test_pdf_audit_writes_the_summary_with_the_chosen_marking(cli, org, closed, tmp_path):
    target = tmp_path / "audit.pdf"
    code, out, _ = cli(
        "pdf",
        "audit",
        str(closed),
        "-o",
        str(target),
        "--user",
        org.manager,
        "--marking",
        "OFFICIAL",
    )
    assert code == 0 and "Wrote the summary of audit" in out
    text = pdf_text(target)
    assert "OFFICIAL" in text and "OFFICIAL-SENSITIVE" not in text and "CF-1" in text


def test_pdf_qa_report_for_a_period(cli, closed, tmp_path):
    target = tmp_path / "qa.pdf"
    year = FinancialYear.of(dt.date.today())
    code, out, _ = cli(
        "pdf",
        "qa-report",
        "--from",
        str(year.first_day),
        "--to",
        f"{year.last_day:%d/%m/%Y}",
        "-o",
        str(target),
    )
    assert code == 0 and "Wrote the QA report" in out
    assert "Grades by period and activity" in pdf_text(target)


@pytest.mark.parametrize(
    "args, message",
    [
        (("pdf", "audit", "42", "-o", "{tmp}/a.pdf"), "There is no audit number 42"),
        (("pdf", "audit", "1", "-o", "{tmp}/missing/a.pdf"), "does not exist"),
        (("pdf", "audit", "1", "-o", "{tmp}/a.txt"), "should end in .pdf"),
        (
            ("pdf", "audit", "1", "-o", "{tmp}/a.pdf", "--user", "sw.nobody"),
            "username or password is not right",
        ),
        (
            ("pdf", "qa-report", "--from", "2021-01-01", "--to", "2020-01-01", "-o", "{tmp}/q.pdf"),
            "before it starts",
        ),
        (
            ("pdf", "qa-report", "--from", "not-a-date", "--to", "2020-01-01", "-o", "{tmp}/q.pdf"),
            "not a date",
        ),
        (("export", "xlsx", "-o", "{tmp}/nowhere/x.xlsx"), "does not exist"),
    ],
)
def test_refusals_exit_2_with_one_line(cli, closed, tmp_path, args, message):
    code, _out, err = cli(*[a.format(tmp=tmp_path) for a in args])
    assert code == 2 and message in err
    assert err.strip().splitlines()[-1].startswith("error:")  # one line (after usage, if any)
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob("*.part"))


def test_agreement_table_json_and_breakdowns(cli, closed):
    code, out, _ = cli("agreement")
    assert code == 0 and "overall grade" in out and "all area grades" in out
    assert "first \\ second" in out
    code, out, _ = cli("agreement", "--format", "json")
    data = json.loads(out)
    overall = data["overall_grade"]
    assert (overall["grades"], overall["audits"], overall["exact_pct"]) == (1, 1, 0)
    assert overall["kappa"] == 0.0 and overall["lowered"] == 1  # one G -> RI pair: chance level
    assert overall["matrix"]["counts"][1][2] == 1
    code, out, _ = cli("agreement", "--by", "domain", "--format", "json")
    areas = json.loads(out)["by_domain"]
    assert all(a["exact_pct"] == 0 and a["audits"] == 1 for a in areas)
    code, out, _ = cli("agreement", "--by", "auditor")
    assert "Ben Manager" in out


def test_agreement_without_second_audits_says_not_enough_data(cli, services, org):
    run_to(services, org, "second_audit")
    code, out, _ = cli("agreement")
    assert code == 0 and out.startswith("Not enough data")
    code, out, _ = cli("agreement", "--format", "json")
    assert json.loads(out)["overall_grade"]["enough_data"] is False


def test_export_xlsx_and_aggregate_csv(cli, closed, tmp_path):
    code, out, _ = cli("export", "xlsx", "-o", str(tmp_path / "all.xlsx"))
    assert code == 0 and "Marked OFFICIAL-SENSITIVE" in out
    code, out, _ = cli("export", "csv", "-o", str(tmp_path / "grades.csv"), "--table", "summary")
    assert code == 0 and "no case identifiers" in out
    text = (tmp_path / "grades.csv").read_text(encoding="utf-8-sig")
    assert text.startswith("period,activity") and "CF-1" not in text


def _marking_in(path) -> bool:
    """Whether the written file itself carries the marking MARK (anywhere in a CSV; on an xlsx
    workbook's About sheet or in its title)."""
    if path.suffix == ".csv":
        return MARK in path.read_text(encoding="utf-8-sig")
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    about = [str(c) for row in book["About"].iter_rows(values_only=True) for c in row if c]
    found = MARK in (book.properties.title or "") or any(MARK in c for c in about)
    book.close()
    return found


MARK = "RESTRICTED-TEST-7"


@pytest.mark.parametrize(
    "args",
    [
        ("csv", "--table", "audits"),
        ("csv", "--table", "domain-grades"),
        ("xlsx",),
        ("xlsx", "--table", "summary"),
    ],
    ids="-".join,
)
def test_export_says_marked_only_when_the_file_carries_the_marking(cli, closed, tmp_path, args):
    target = tmp_path / f"out.{args[0]}"
    code, out, _ = cli("export", *args, "-o", str(target), "--marking", MARK)
    assert code == 0 and target.exists()
    assert (f"Marked {MARK}" in out) == _marking_in(target), out
    if not _marking_in(target) and "summary" not in args:
        assert "carries no sensitivity marking" in out and f"handle it as {MARK}" in out


def test_pdf_qa_report_as_accessible_html(cli, closed, tmp_path):
    year = FinancialYear.of(dt.date.today())
    target = tmp_path / "qa.html"
    span = ("--from", str(year.first_day), "--to", str(year.last_day))
    code, out, _ = cli("pdf", "qa-report", *span, "-o", str(target), "--format", "html")
    assert code == 0 and "Wrote the QA report" in out
    text = target.read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in text and "<h2>Grades by period and activity</h2>" in text
    code, _out, err = cli(
        "pdf", "qa-report", *span, "-o", str(tmp_path / "q.pdf"), "--format", "html"
    )
    assert code == 2 and "should end in .html" in err
