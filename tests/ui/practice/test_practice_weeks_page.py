"""The practice-weeks screen as a QA lead and a senior manager use it: set up a week, give days,
plan work, start the week, start one's own work, follow progress; refusals shown in the dialog."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QDialog, QMessageBox

from auditor.domain.activities import ActivityKind
from auditor.domain.practice_weeks import WeekStatus
from auditor.domain.workflow import Part
from auditor.ui.models.allocation_table_model import AllocationTableModel
from auditor.ui.practice import practice_weeks_page as page_module
from auditor.ui.practice.practice_weeks_page import PracticeWeeksPage
from auditor.ui.practice.week_dialogs import AllocationDialog, DaysDialog, NewWeekDialog
from tests.builders import fill, who

MON = dt.date(2027, 3, 1)


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


def make_page(qtbot, services, username):
    page = PracticeWeeksPage(services, who(services, username))
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    page.refresh()
    return page


def answer(monkeypatch, dialog_class, steps):
    """When the page opens ``dialog_class``, do ``steps(dialog)`` and press OK."""
    seen = []

    def run(dialog):
        steps(dialog)
        dialog.ok_button.click()
        seen.append(dialog)
        return dialog.result()

    monkeypatch.setattr(dialog_class, "exec", run)
    return seen


def test_a_qa_lead_plans_a_week_and_a_senior_manager_starts_their_work(
    qtbot, services, org, monkeypatch
):
    lead = make_page(qtbot, services, org.qa)
    assert "No practice week yet" in lead.empty.text()

    def new_week(d: NewWeekDialog):
        d.name.clear()
        qtbot.keyClicks(d.name, "March 2027")
        for box, typed in ((d.starts, "01032027"), (d.ends, "12/03/27")):  # typed as people do
            box.edit.selectAll()
            qtbot.keyClicks(box.edit, typed)
        qtbot.keyClicks(d.themes, "Neglect; Exploitation")
        d.teams.item(0).setCheckState(Qt.CheckState.Checked)  # North

    answer(monkeypatch, NewWeekDialog, new_week)
    qtbot.mouseClick(lead.new_week, Qt.MouseButton.LeftButton)
    assert lead.title.text() == "March 2027"
    week = services.weeks.week("March 2027", who=who(services, org.qa))
    assert week.themes == ("Neglect", "Exploitation") and week.teams == ("North",)
    assert (week.starts_on, week.ends_on) == (dt.date(2027, 3, 1), dt.date(2027, 3, 12))

    def five_days(d: DaysDialog):
        d.person.setCurrentIndex(d.person.findData(org.senior))
        for box in list(d.day_boxes.values())[:5]:
            box.setChecked(True)

    refused = answer(monkeypatch, DaysDialog, five_days)
    lead.days_button.click()
    assert "up to 4 days" in refused[0].problem.text()  # the rule, in the dialog
    assert refused[0].result() != QDialog.DialogCode.Accepted

    def two_days(d: DaysDialog):
        d.person.setCurrentIndex(d.person.findData(org.senior))
        for day, box in d.day_boxes.items():
            box.setChecked(day in (MON, MON + dt.timedelta(days=1)))

    answer(monkeypatch, DaysDialog, two_days)
    lead.days_button.click()
    assert "Eve Head (Mon 01/03, Tue 02/03)" in lead.people.text()

    def observation(d: AllocationDialog):
        d.kind.setCurrentIndex(d.kind.findData(ActivityKind.OBSERVATION))
        d.detail.setCurrentIndex(d.detail.findData("home_visit"))
        d.case.setCurrentIndex(d.case.findData(org.case))
        qtbot.keyClicks(d.note, "With the new worker")

    answer(monkeypatch, AllocationDialog, observation)
    lead.add_button.click()
    assert lead.model.rowCount() == 1
    assert lead.model.row(0).what == "Observation of practice: Home visit"
    assert not lead.start_button.isEnabled()  # not the lead's own work

    lead.status_button.click()  # start the week
    assert services.weeks.week(week.id, who=who(services, org.qa)).status is WeekStatus.RUNNING

    senior = make_page(qtbot, services, org.senior)
    senior.table.setFocus()
    senior.table.setCurrentIndex(senior.table.model().index(0, 0))
    assert senior.start_button.isEnabled()
    with qtbot.waitSignal(senior.open_activity) as opened:
        qtbot.keyClick(senior.table, Qt.Key.Key_Return)
    kind, audit_id = opened.args
    assert kind == "audit"
    services.audits.submit(
        audit_id,
        Part.RECORD,
        by=who(services, org.senior),
        answers=fill(services.forms.latest("practice_observation"), None),
    )
    senior.refresh()
    assert senior.progress.headline.text().startswith("1 of 1 planned items done")
    assert senior.progress.grades.item(1, 2).text() == "1"  # observations graded Good
    assert senior.model.row(0).done


def test_started_dip_sample_says_open_and_opens_the_same_session(qtbot, services, org):
    week = services.weeks.create("W", MON, MON + dt.timedelta(days=4), by=who(services, org.qa))
    services.weeks.set_participant(week, org.senior, [MON], by=who(services, org.qa))
    services.weeks.allocate(
        week,
        org.senior,
        MON,
        ActivityKind.DIP_SAMPLE,
        by=who(services, org.qa),
        detail="dip_statutory_visits",
    )
    services.weeks.set_status(week, WeekStatus.RUNNING, by=who(services, org.qa))
    senior = make_page(qtbot, services, org.senior)
    senior.table.setFocus()
    senior.table.setCurrentIndex(senior.table.model().index(0, 0))
    assert senior.start_button.text() == "Start this wor&k"
    with qtbot.waitSignal(senior.open_activity) as first:
        qtbot.keyClick(senior.table, Qt.Key.Key_Return)
    senior.table.setCurrentIndex(senior.table.model().index(0, 0))
    assert senior.start_button.text() == "&Open this work"
    assert senior.model.index(0, 5).data() == "Started"
    assert not senior.remove_button.isEnabled()
    with qtbot.waitSignal(senior.open_activity) as again:
        qtbot.keyClick(senior.table, Qt.Key.Key_Return)
    assert first.args[0] == again.args[0] == "dip" and first.args[1] == again.args[1]
    assert len(services.dips.sessions(org.senior, who=who(services, org.senior))) == 1


def test_someone_who_does_not_plan_sees_the_weeks_read_only(qtbot, services, org):
    services.weeks.create("W", MON, MON + dt.timedelta(days=4), by=who(services, org.qa))
    worker = make_page(qtbot, services, org.worker)
    assert worker.title.text() == "W"
    assert not worker.new_week.isEnabled() and not worker.add_button.isEnabled()
    assert not worker.status_button.isEnabled()


def test_closing_a_week_with_work_left_asks_first(qtbot, services, org, monkeypatch):
    week = services.weeks.create("W", MON, MON + dt.timedelta(days=4), by=who(services, org.qa))
    services.weeks.set_participant(week, org.senior, [MON], by=who(services, org.qa))
    services.weeks.allocate(
        week,
        org.senior,
        MON,
        ActivityKind.DIP_SAMPLE,
        by=who(services, org.qa),
        detail="dip_statutory_visits",
    )
    services.weeks.set_status(week, WeekStatus.RUNNING, by=who(services, org.qa))
    lead = make_page(qtbot, services, org.qa)
    monkeypatch.setattr(
        page_module.QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No
    )
    lead.status_button.click()
    assert services.weeks.week(week, who=who(services, org.qa)).status is WeekStatus.RUNNING
    monkeypatch.setattr(
        page_module.QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes
    )
    lead.status_button.click()
    assert services.weeks.week(week, who=who(services, org.qa)).status is WeekStatus.CLOSED
    assert not lead.add_button.isEnabled()


def test_the_allocation_model_passes_qts_model_tester(qtbot, services, org):
    week = services.weeks.create("W", MON, MON + dt.timedelta(days=4), by=who(services, org.qa))
    services.weeks.set_participant(week, org.senior, [MON], by=who(services, org.qa))
    for detail in ("home_visit", "supervision"):
        services.weeks.allocate(
            week,
            org.senior,
            MON,
            ActivityKind.OBSERVATION,
            by=who(services, org.qa),
            practitioner=org.worker,
            detail=detail,
        )
    model = AllocationTableModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_rows(list(services.weeks.week(week, who=who(services, org.qa)).allocations))
    assert model.rowCount() == 2 and model.columnCount() == 8
    model.set_rows([])
    assert model.rowCount() == 0


def test_the_summary_pdf_is_saved_in_one_click(qtbot, services, org, file_dialog, tmp_path):
    services.weeks.create("W", MON, MON + dt.timedelta(days=4), by=who(services, org.qa))
    lead = make_page(qtbot, services, org.qa)
    file_dialog.path = tmp_path / "week summary"
    qtbot.mouseClick(lead.pdf_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "week summary.pdf").read_bytes().startswith(b"%PDF")
    assert "Summary saved to" in lead.facts.text()


def test_with_the_demo_organisation_a_qa_lead_plans_for_four_senior_managers(
    qtbot, services, monkeypatch
):
    from auditor.services.demo.build import build_demo

    build_demo(services)
    lead = make_page(qtbot, services, "ap.brennan")

    def new_week(d: NewWeekDialog):
        d.name.clear()
        qtbot.keyClicks(d.name, "Spring practice week")
        d.starts.set_value(dt.date(2027, 3, 1))
        d.ends.set_value(dt.date(2027, 3, 12))

    answer(monkeypatch, NewWeekDialog, new_week)
    lead.new_week.click()
    seniors = ["hos.iqbal", "hos.marsh", "dcs.okafor", "sm.clarke"]
    for n, senior in enumerate(seniors):

        def days(d: DaysDialog, senior=senior, n=n):
            d.person.setCurrentIndex(d.person.findData(senior))
            for i, box in enumerate(d.day_boxes.values()):
                box.setChecked(i in (n, n + 7))

        answer(monkeypatch, DaysDialog, days)
        lead.days_button.click()

        def work(d: AllocationDialog, senior=senior):
            d.person.setCurrentIndex(
                next(i for i in range(d.person.count()) if d.person.itemData(i).username == senior)
            )
            d.kind.setCurrentIndex(d.kind.findData(ActivityKind.DIP_SAMPLE))

        answer(monkeypatch, AllocationDialog, work)
        lead.add_button.click()
    week = services.weeks.week("Spring practice week", who=lead.principal)
    assert sorted(p.username for p in week.participants) == sorted(seniors)
    assert len(week.allocations) == 4 and all(len(p.days) == 2 for p in week.participants)
    lead.status_button.click()
    assert services.weeks.week(week.id, who=lead.principal).status is WeekStatus.RUNNING
    lead.tabs.setCurrentWidget(lead.progress)
    assert lead.progress.headline.text().startswith("0 of 4 planned items done")


def test_week_grade_headers_are_plain_words_with_the_codes_on_hover(qtbot):
    from auditor.ui.practice.week_progress import WeekProgressView

    view = WeekProgressView()
    qtbot.addWidget(view)
    table = view.grades
    headers = [table.horizontalHeaderItem(i) for i in range(table.columnCount())]
    texts = [h.text() for h in headers]
    assert not [t for t in texts if "+" in t or t in ("O", "G", "RI", "I")], texts
    assert "Good or better" in texts
    assert "O+G" in headers[texts.index("Good or better")].toolTip()
