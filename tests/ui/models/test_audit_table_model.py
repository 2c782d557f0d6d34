"""The audit table model, checked by Qt's own model tester, paging and sorting through SQL."""

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from auditor.domain.activities import ActivityKind
from auditor.domain.workflow import AuditState
from auditor.services.audits.views import AuditFilter
from auditor.services.dto import AuditRow
from auditor.ui.models.audit_table_model import COLUMNS, PAGE, ROW_ROLE, AuditTableModel


def fake_rows(n):
    return [
        AuditRow(
            i,
            ActivityKind.CASE_FILE_AUDIT,
            AuditState.SELF_REVIEW,
            f"CF-{i}",
            "child_in_need",
            "North",
            "Amy",
            "Ben",
            None,
            None,
            dt.date(2026, 1, 1),
            None,
        )
        for i in range(n, 0, -1)
    ]


class Source:
    def __init__(self, n):
        self.data, self.calls = fake_rows(n), []

    def rows(self, f, *, after, limit, sort, descending):
        self.calls.append((after, limit, sort, descending))
        start = (
            0 if after is None else next(i for i, r in enumerate(self.data) if r.id == after) + 1
        )
        return self.data[start : start + limit]

    def count(self, f):
        return len(self.data)


def test_model_passes_qt_model_tester_and_pages_lazily(qtmodeltester):
    source = Source(450)
    model = AuditTableModel(source.rows, source.count)
    model.reload()
    assert model.rowCount() == PAGE and model.total == 450
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 450
    # each page fetched once, seeking past the last row already shown (450 down to 1)
    assert [c[0] for c in source.calls] == [None, 251, 51]
    qtmodeltester.check(model, force_py=True)


def test_sorting_asks_the_source_and_the_object_role_gives_the_row():
    source = Source(5)
    model = AuditTableModel(source.rows, source.count)
    model.reload()
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
    model.sort(
        COLUMNS.index(next(c for c in COLUMNS if c[1] == "team")), Qt.SortOrder.AscendingOrder
    )
    assert source.calls[-1][2:] == ("team", False)
    assert model.data(model.index(0, 0), ROW_ROLE).id == 5
    assert model.data(model.index(0, 1)) == "CF-5"
    del tester


def test_model_over_real_services(qtmodeltester, services, org):
    from tests.builders import run_to

    run_to(services, org, "second_audit")
    from functools import partial

    from tests.builders import who

    qa = who(services, org.qa)
    model = AuditTableModel(
        partial(services.views.rows, who=qa), partial(services.views.count, who=qa)
    )
    model.reload(AuditFilter(states=(AuditState.SECOND_AUDIT,)))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 1 and model.data(model.index(0, 3)) == "Waiting for second audit"
    model.reload(AuditFilter(case_search="nothing"))
    assert model.rowCount() == 0
