"""The QA report: the grade table's arithmetic, what the PDF says, and the edge cases."""

import datetime as dt
import os
from pathlib import Path

import pytest

from auditor.domain.activities import ActivityKind, Category
from auditor.domain.agreement import agreement
from auditor.domain.errors import Cancelled
from auditor.domain.grades import Grade
from auditor.domain.periods import FinancialYear
from auditor.domain.report_periods import report_periods
from auditor.domain.summary import GradeCounts
from auditor.reports.data import (
    ActionStats,
    AgreementReport,
    AgreementRow,
    DocumentInfo,
    GradeTableRow,
    GroupGrades,
    PracticeWeekLine,
    QAReport,
)
from auditor.reports.qa_pdf import write_qa_pdf
from tests.builders import Org, fill, run_to, who
from tests.reports.conftest import close_audit, pdf_text, without_dates

GOLDEN = Path(__file__).parent / "golden"
G, RI, I, O = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE, Grade.OUTSTANDING


def this_year():
    year = FinancialYear.of(dt.date.today())
    return year.first_day, year.last_day


@pytest.fixture
def graded(services, org):
    """Three closed audits (G, RI, I), one observation, all this financial year."""
    for first, final in ((G, G), (G, RI), (RI, I)):
        audit_id = run_to(services, org, "reconciliation", first=first, final=final)
        close_audit(services, org, audit_id)
    form = services.forms.latest("practice_observation")
    services.audits.record(
        ActivityKind.OBSERVATION,
        by=who(services, org.senior),
        form_id=form.id,
        case_reference=org.case,
        practitioner=org.worker,
        answers=fill(form, grade=O),
    )


def test_grade_table_percentages_are_whole_and_add_up_to_100(services, graded):
    report = services.reports.qa_report(*this_year(), who=who(services, Org.qa))
    rows = [r for r in report.table if r.counts.total]
    assert {(r.category, r.counts.total) for r in rows} == {
        (Category.AUDIT, 3),
        (Category.OBSERVATION, 1),
    }
    for row in rows:
        good, poor = row.counts.percentages
        assert isinstance(good, int) and isinstance(poor, int) and good + poor == 100
    audits = next(r for r in rows if r.category is Category.AUDIT)
    assert audits.counts.percentages == (33, 67)


def test_qa_report_pdf_says_what_a_board_needs(services, graded, tmp_path):
    start, end = this_year()
    path = services.reports.write_qa_pdf(
        start, end, tmp_path / "qa.pdf", author="Fay Quality", who=who(services, Org.qa)
    )
    text = pdf_text(path)
    for expected in (
        "Quality assurance report",
        "Grades by period and activity",
        "(for comparison)",
        "1 (33%)",
        "2 (67%)",
        "Fewer than 10 graded items",
        "The trajectory",
        "Audit grades by team",
        "North",
        "Grades by area of practice",
        "Consistency between first and second audits",
        "Ben Manager",
        "Follow-up actions",
        "Practice weeks",
        "No practice week fell in this period",
        "About these figures",
        "OFFICIAL-SENSITIVE",
        "Page 1 of",
    ):
        assert expected in text, expected
    assert "CF-1" not in text  # aggregate: no case references


def test_practice_weeks_in_the_period_are_listed_with_their_grades(services, org, tmp_path):
    start, end = this_year()
    week_id = services.weeks.create(
        "December practice week",
        start + dt.timedelta(days=3),
        start + dt.timedelta(days=12),
        by=who(services, org.qa),
        themes=["Neglect"],
        teams=["North"],
    )
    audit_id = run_to(services, org, "reconciliation", final=G)
    close_audit(services, org, audit_id)
    with services.db.transaction() as s:
        from db.models import Audit

        s.get(Audit, audit_id).practice_week_id = week_id
    report = services.reports.qa_report(start, end, who=who(services, Org.qa))
    [week] = report.practice_weeks
    assert (week.name, week.activities, week.counts[Category.AUDIT][G]) == (
        "December practice week",
        1,
        1,
    )
    assert ("Teams", "North") in week.details and week.status == "Planned"
    text = pdf_text(
        services.reports.write_qa_pdf(start, end, tmp_path / "w.pdf", who=who(services, Org.qa))
    )
    flat = " ".join(text.split())
    assert "December practice week" in flat and "Neglect" in flat


def test_with_no_second_audits_the_report_says_not_enough_data(services, org, tmp_path):
    run_to(services, org, "second_audit")
    start, end = this_year()
    report = services.reports.qa_report(start, end, who=who(services, Org.qa))
    assert report.agreement.overall_grade.n == 0 and report.agreement.overall_grade.kappa is None
    text = pdf_text(
        services.reports.write_qa_pdf(start, end, tmp_path / "e.pdf", who=who(services, Org.qa))
    )
    assert "Not enough data" in text and "No audits were closed in this period." in text


def test_cancelling_leaves_no_file(services, graded, tmp_path):
    target = tmp_path / "qa.pdf"
    with pytest.raises(Cancelled):
        services.reports.write_qa_pdf(
            *this_year(), target, cancelled=lambda: True, who=who(services, Org.qa)
        )
    assert os.listdir(tmp_path) == [p for p in os.listdir(tmp_path) if ".pdf" not in p]


def counts(o, g, ri, i) -> GradeCounts:
    c = GradeCounts()
    for grade, n in zip(Grade.ordered(), (o, g, ri, i), strict=True):
        c.add(grade, n)
    return c


def golden_report() -> QAReport:
    before, now = report_periods(dt.date(2020, 4, 1), dt.date(2021, 3, 31))
    pairs = [(G, G)] * 8 + [(G, RI)] * 3 + [(RI, RI)] * 6 + [(RI, G)] + [(I, I)] * 2
    agree = agreement(pairs, 20)
    return QAReport(
        info=DocumentInfo(
            "Quality assurance report, 2020-21",
            "OFFICIAL-SENSITIVE",
            "Helen Fraser",
            dt.datetime(2021, 4, 20, 9, 0),
        ),
        start=now.start,
        end=now.end,
        table=(
            GradeTableRow(before, Category.AUDIT, counts(1, 46, 30, 5)),
            GradeTableRow(now, Category.AUDIT, counts(2, 22, 8, 1)),
            GradeTableRow(now, Category.DIP, counts(0, 3, 2, 1)),
        ),
        trajectories=(
            "Between 2019-20 and 2020-21, the share of good or better audits rose "
            "from 57% to 73%, although fewer audits were completed (82 to 33).",
        ),
        by_team=(
            GroupGrades("Łukasz's team", counts(1, 10, 4, 0)),
            GroupGrades("Zoë's team", counts(1, 12, 4, 1)),
        ),
        by_domain=(GroupGrades("Quality of planning", counts(0, 10, 15, 8)),),
        agreement=AgreementReport(
            agree,
            agree,
            (AgreementRow("Quality of planning", agree),),
            (AgreementRow("Zoë Brennan", agree),),
        ),
        actions=ActionStats(9, 2, 1, 6, 1, dt.date(2021, 4, 20)),
        practice_weeks=(
            PracticeWeekLine(
                "February 2021 practice week",
                dt.date(2021, 2, 1),
                dt.date(2021, 2, 12),
                "Neglect",
                "Completed",
                12,
                {Category.AUDIT: counts(0, 5, 4, 1)},
            ),
        ),
    )


def test_golden_text_of_a_fixed_qa_report(tmp_path):
    text = without_dates(pdf_text(write_qa_pdf(golden_report(), tmp_path / "g.pdf")))
    golden = GOLDEN / "qa_report.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_the_overdue_figure_says_it_counts_this_periods_actions(tmp_path):
    text = " ".join(pdf_text(write_qa_pdf(golden_report(), tmp_path / "g.pdf")).split())
    assert "Overdue follow-up" not in text
    assert "Actions agreed in the period, overdue on 20 Apr 2021" in text
    assert "Home counts every open action overdue today" in text
