"""Every page shows what the services return for the person signed in, and disables what their
roles may not do with the reason on hover; a refusal that still happens is a message in words."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from auditor.domain.permissions import Action, refusal
from auditor.domain.reference import Role
from auditor.ui.audits.audit_editor import AuditEditor
from auditor.ui.audits.audit_list import AuditListPage
from auditor.ui.audits.new_audit_dialog import NewAuditDialog
from auditor.ui.models.audit_table_model import ROW_ROLE
from auditor.ui.practice.practice_weeks_page import PracticeWeeksPage
from auditor.ui.reports.reports_page import ReportsPage
from auditor.ui.sampling.sampling_page import SamplingPage
from auditor.ui.shell.background import SyncRunner
from tests.builders import admin_of, run_to, who


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    """Message boxes would block; record what they would have said instead."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    return shown


@pytest.fixture
def two_teams(services, org):
    """An audit of CF-1 (North, sw.amy's) and one of CF-9 (South, sw.sam's, tm.cat's team)."""
    admin = admin_of(services)
    services.directory.add_person(
        "sw.sam", "Sam Worker", [Role.SOCIAL_WORKER], "South", org.other_manager, who=admin
    )
    services.directory.add_case("CF-9", "child_in_need", "South", "sw.sam", who=admin)
    north = run_to(services, org, "self_review")
    south = services.audits.start("CF-9", by=who(services, org.other_manager))
    return north, south


def _listed(qtbot, services, username) -> set[str]:
    page = AuditListPage(services, who(services, username))
    qtbot.addWidget(page)
    page.refresh()
    model = page.model
    return {model.data(model.index(i, 0), ROW_ROLE).case_reference for i in range(model.rowCount())}


def test_a_social_workers_all_audits_shows_only_their_own_cases(qtbot, services, org, two_teams):
    assert _listed(qtbot, services, org.worker) == {"CF-1"}
    assert _listed(qtbot, services, "sw.sam") == {"CF-9"}


def test_a_team_managers_all_audits_shows_only_their_teams(qtbot, services, org, two_teams):
    assert _listed(qtbot, services, org.manager) == {"CF-1"}
    assert _listed(qtbot, services, org.other_manager) == {"CF-9"}
    assert _listed(qtbot, services, org.senior) == {"CF-1", "CF-9"}  # senior managers: all


def test_another_teams_audit_is_refused_with_a_message_in_words(
    qtbot, services, org, two_teams, no_modal_boxes
):
    _north, south = two_teams
    failed: list[int] = []
    editor = AuditEditor(services, SyncRunner(), south, who(services, org.worker))
    qtbot.addWidget(editor)
    editor.open_failed.connect(failed.append)
    editor.reload()
    assert failed == [south] and editor.detail is None
    assert no_modal_boxes and "CF-9" not in no_modal_boxes[-1]
    assert editor.opening is not None and "cannot be opened" in editor.opening.text()


def test_disabled_actions_say_why_on_hover(qtbot, services, org):
    dialog = NewAuditDialog(services, who(services, org.manager))
    qtbot.addWidget(dialog)
    # A team manager starts audits, but choosing the second auditor or lifting the blind is
    # for senior managers and QA.
    assert not dialog.second.isEnabled()
    assert dialog.second.toolTip() == refusal(Action.ASSIGN_SECOND_AUDIT)
    assert not dialog.blind.isEnabled()
    assert dialog.blind.toolTip() == refusal(Action.MAKE_NOT_BLIND)
    assert "senior" in dialog.blind.toolTip().lower()

    weeks = PracticeWeeksPage(services, who(services, org.worker))
    qtbot.addWidget(weeks)
    assert not weeks.new_week.isEnabled()
    assert weeks.new_week.toolTip() == refusal(Action.PLAN_PRACTICE_WEEK)
    for button in (weeks.days_button, weeks.add_button, weeks.remove_button, weeks.status_button):
        assert not button.isEnabled() and button.toolTip() == refusal(Action.PLAN_PRACTICE_WEEK)

    sampling = SamplingPage(services, who(services, org.manager))
    qtbot.addWidget(sampling)
    assert not sampling.propose_button.isEnabled()
    assert sampling.propose_button.toolTip() == refusal(Action.BUILD_SAMPLE)
    sampling.refresh()  # and the page says so, rather than asking the services to refuse
    assert sampling.counts.text() == refusal(Action.BUILD_SAMPLE)


def test_a_senior_manager_may_do_what_the_manager_may_not(qtbot, services, org):
    dialog = NewAuditDialog(services, who(services, org.senior))
    qtbot.addWidget(dialog)
    assert dialog.second.isEnabled() and dialog.blind.isEnabled()
    weeks = PracticeWeeksPage(services, who(services, org.senior))
    qtbot.addWidget(weeks)
    assert weeks.new_week.isEnabled() and weeks.new_week.toolTip() == ""


def test_reports_a_social_worker_may_not_run_are_disabled_with_the_reason(qtbot, services, org):
    page = ReportsPage(services, who(services, org.worker), SyncRunner())
    qtbot.addWidget(page)
    for key, action in (("qa", Action.RUN_QA_REPORT), ("xlsx", Action.EXPORT)):
        page.report.setCurrentIndex(page.report.findData(key))
        assert not page.save_button.isEnabled()
        assert page.save_button.toolTip() == refusal(action)
        assert refusal(action) in page.about.text()  # on the page, not only on hover
    page.report.setCurrentIndex(page.report.findData("audit"))  # their own audits they may print
    assert page.save_button.isEnabled() and page.save_button.toolTip() == ""


def test_a_refused_start_shows_the_reason_in_words(qtbot, services, org):
    dialog = NewAuditDialog(services, who(services, org.iro))  # an IRO reads, never starts
    qtbot.addWidget(dialog)
    dialog.case.setEditText(org.case)
    dialog._on_start_clicked()  # as if the disabled button were pressed anyway
    assert dialog.audit_id is None
    assert dialog.problem.text() == refusal(Action.START_AUDIT)


def test_a_sign_in_that_reads_no_audits_is_told_why_in_all_audits(qtbot, services, org):
    page = AuditListPage(services, admin_of(services))  # an administrator manages sign-ins only
    qtbot.addWidget(page)
    page.refresh()
    assert page.model.rowCount() == 0
    assert page.count_label.text() == refusal(Action.READ_AUDITS)
