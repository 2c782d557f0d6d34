"""The access log screen filters by person, audit number, kind and dates; the 'Who looked at
this' panel lists the views of one audit. On the small organisation of ``test_admin_menu``, with
two bare audit rows for the log to name (the log needs only their numbers)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from auditor.domain.permissions import AccessEventKind
from auditor.domain.workflow import ActivityKind, AuditState
from auditor.services import Services
from auditor.ui.admin.access_log_page import COLUMNS, AccessLogPage
from auditor.ui.admin.who_looked import WhoLookedPanel
from auditor.ui.shell.background import SyncRunner
from db.models import Audit, Person
from tests.ui.test_admin_menu import (
    ADMIN,
    MANAGER,
    QA,
    WORKER,
    alt,
    enter,
    focused,
    shown,
    small_org,
    table_rows,
    type_text,
    who,
)


@pytest.fixture
def org_services(services: Services) -> Services:
    small_org(services)
    return services


def bare_audit(services: Services) -> int:
    with services.db.transaction() as s:
        admin = s.scalar(select(Person.id).where(Person.username == ADMIN))
        assert admin is not None
        audit = Audit(
            kind=ActivityKind.CASE_FILE_AUDIT,
            state=AuditState.SELF_REVIEW,
            form_id="case-file-audit",
            form_version=1,
            created_by_id=admin,
            created_at=services.clock.now(),
        )
        s.add(audit)
        s.flush()
        return audit.id


@pytest.fixture
def audits(org_services: Services) -> tuple[int, int]:
    first, second = bare_audit(org_services), bare_audit(org_services)
    log = org_services.access_log
    log.record(who(org_services, WORKER), AccessEventKind.VIEWED_AUDIT, audit_id=first)
    log.record(who(org_services, MANAGER), AccessEventKind.PRINTED_AUDIT, audit_id=first)
    log.record(who(org_services, MANAGER), AccessEventKind.VIEWED_AUDIT, audit_id=second)
    return first, second


@pytest.fixture
def page(qtbot, org_services: Services, audits: tuple[int, int]) -> AccessLogPage:
    screen = AccessLogPage(org_services, who(org_services, QA), SyncRunner())
    shown(qtbot, screen)
    screen.reload()
    return screen


def column(page: AccessLogPage, name: str) -> list[str]:
    index = COLUMNS.index(name)
    return [row[index] for row in table_rows(page.table)]


def test_the_log_filters_by_audit_number(qtbot, page, audits) -> None:
    first, _second = audits
    assert page.table.rowCount() >= 3
    alt(qtbot, "n")
    type_text(qtbot, str(first))
    enter(qtbot)
    assert column(page, "Audit no.") == [str(first), str(first)]
    assert column(page, "What") == ["Printed audit", "Viewed audit"]  # the newest first
    assert page.count.text() == "2 lines match."


def test_the_log_filters_by_person_and_kind(qtbot, page, audits) -> None:
    first, second = audits
    page.person.setCurrentIndex(page.person.findData(MANAGER))
    page.person.activated.emit(page.person.currentIndex())
    assert set(column(page, "Who")) == {"Siobhan Walsh (tm.walsh)"}
    assert set(column(page, "Audit no.")) == {str(first), str(second)}
    page.kind.setCurrentIndex(page.kind.findText("Printed audit"))
    page.kind.activated.emit(page.kind.currentIndex())
    assert column(page, "Audit no.") == [str(first)]
    alt(qtbot, "c")  # Clear the filter
    assert page.table.rowCount() >= 3 and page.person.currentIndex() == 0


def test_the_log_filters_by_dates(qtbot, page, audits, org_services) -> None:
    tomorrow = org_services.clock.now().date() + dt.timedelta(days=1)
    alt(qtbot, "o")  # From
    type_text(qtbot, tomorrow.strftime("%d/%m/%Y"))
    enter(qtbot)
    assert focused() is page.start.edit
    assert page.table.rowCount() == 0 and page.count.text() == "Nothing in the log matches."
    page.start.set_value(None)
    page.end.set_value(tomorrow)
    page.reload()
    assert page.table.rowCount() >= 3


def test_the_panel_lists_who_looked(qtbot, org_services, audits) -> None:
    first, _ = audits
    panel = WhoLookedPanel(org_services, who(org_services, ADMIN), first)
    shown(qtbot, panel)
    rows = table_rows(panel.table)
    assert [r[1:3] for r in rows] == [
        ["Siobhan Walsh (tm.walsh)", "Printed audit"],
        ["Priya Patel (sw.patel)", "Viewed audit"],
    ]
    assert panel.summary.text().startswith("2 times, by 2 people")
    org_services.access_log.record(
        who(org_services, QA), AccessEventKind.VIEWED_AUDIT, audit_id=first
    )
    panel.refresh_button.click()
    assert len(table_rows(panel.table)) == 3
