"""The access log (READ_ACCESS_LOG): every sign-in, lock-out and password change, and every view,
print and export of an audit, filtered by person, audit number, kind and dates. It names audits by
their number and files by their name, never a child."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

from auditor.domain.permissions import AccessEventKind, Action, Principal
from auditor.services import Services
from auditor.services.access.log import AccessEventDTO, LogFilter
from auditor.ui.admin.common import AdminPage, caption, fill, make_table, when
from auditor.ui.shell.background import Runner
from auditor.ui.widgets.date_field import DateField

COLUMNS = ("When", "Who", "What", "Audit no.", "Detail", "Computer")
#: the most lines shown at once; the filter narrows what they are
LIMIT = 1000
#: a choice of the kind filter that is several kinds at once
READING = frozenset(
    {
        AccessEventKind.VIEWED_AUDIT,
        AccessEventKind.PRINTED_AUDIT,
        AccessEventKind.EXPORTED,
        AccessEventKind.REFUSED,
    }
)
SIGNING_IN = frozenset(
    {
        AccessEventKind.SIGNED_IN,
        AccessEventKind.SIGN_IN_FAILED,
        AccessEventKind.LOCKED_OUT,
        AccessEventKind.SIGNED_OUT,
    }
)


def event_rows(events: list[AccessEventDTO]) -> list[tuple[str, ...]]:
    return [
        (
            when(e.at),
            f"{e.name} ({e.username})" if e.username else e.name,
            e.kind.label,
            str(e.audit_id) if e.audit_id is not None else "",
            e.detail,
            e.machine,
        )
        for e in events
    ]


class AccessLogPage(AdminPage):
    action = Action.READ_ACCESS_LOG
    title = "Access log"
    intro_text = (
        "Who signed in, and who looked at, printed or exported which audit, when and from which "
        "computer. Choose what to look for and press Enter; the newest come first."
    )

    def __init__(
        self,
        services: Services,
        principal: Principal,
        runner: Runner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, principal, runner, parent)
        self.person = QComboBox(self)
        self.person.setAccessibleName("Who")
        self.person.addItem("Anyone", "")
        self.audit = QLineEdit(self)
        self.audit.setAccessibleName("Audit number")
        self.audit.setPlaceholderText("Any audit")
        self.audit.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,9}"), self))
        self.audit.setMaximumWidth(self.audit.fontMetrics().horizontalAdvance("M" * 10))
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind")
        self.kind.addItem("Any kind", frozenset())
        self.kind.addItem("Views, prints, exports and refusals", READING)
        self.kind.addItem("Signing in and out", SIGNING_IN)
        for kind in AccessEventKind:
            self.kind.addItem(kind.label, frozenset({kind}))
        self.start = DateField("From", self)
        self.end = DateField("To", self)
        for box in (self.person, self.kind):
            box.setMinimumWidth(box.fontMetrics().horizontalAdvance("M" * 16))
            box.setMaximumWidth(box.fontMetrics().horizontalAdvance("M" * 26))
        first = QHBoxLayout()
        for text, widget in (
            ("&Who", self.person),
            ("Audit &number", self.audit),
            ("&Kind", self.kind),
        ):
            first.addWidget(caption(self, text, widget))
            first.addWidget(widget)
            first.addSpacing(12)
        first.addStretch(1)
        second = QHBoxLayout()
        second.addWidget(caption(self, "Fr&om", self.start.edit))
        second.addWidget(self.start)
        second.addSpacing(12)
        second.addWidget(caption(self, "&To", self.end.edit))
        second.addWidget(self.end)
        second.addSpacing(12)
        self.show_button = QPushButton("&Look in the log", self)
        self.show_button.setDefault(True)
        self.show_button.clicked.connect(self.reload)
        self.clear_button = QPushButton("&Clear the filter", self)
        self.clear_button.clicked.connect(self.clear_filter)
        second.addWidget(self.show_button)
        second.addWidget(self.clear_button)
        second.addStretch(1)
        self.column.addLayout(first)
        self.column.addLayout(second)
        for edit in (self.audit, self.start.edit, self.end.edit):
            edit.returnPressed.connect(self.reload)
        self.person.activated.connect(lambda _i: self.reload())
        self.kind.activated.connect(lambda _i: self.reload())
        self.table = make_table(self, COLUMNS, "Access log")
        self.finish_layout(self.table)
        self.people_loader_done = False

    def first_input(self) -> QWidget | None:
        return self.person

    def where(self) -> LogFilter:
        text = self.audit.text().strip()
        return LogFilter(
            username=self.person.currentData() or "",
            audit_id=int(text) if text else None,
            kinds=self.kind.currentData() or frozenset(),
            start=self.start.value(),
            end=self.end.value(),
            limit=LIMIT,
        )

    def clear_filter(self) -> None:
        self.person.setCurrentIndex(0)
        self.audit.clear()
        self.kind.setCurrentIndex(0)
        self.start.set_value(None)
        self.end.set_value(None)
        self.reload()

    def fetch(self) -> Any:
        where = self.where()
        people = None
        if not self.people_loader_done:
            people = self.services.directory.people(who=self.principal, include_inactive=True)
        return self.services.access_log.events(self.principal, where), people

    def show_rows(self, data: Any) -> None:
        events, people = data
        if people is not None:
            self.people_loader_done = True
            for p in people:
                self.person.addItem(f"{p.name} ({p.username})", p.username)
        self.clear_messages()
        fill(self.table, event_rows(events), [e.id for e in events])
        n = len(events)
        self.count.setText(
            f"The newest {LIMIT} lines that match: narrow the filter to see older ones."
            if n >= LIMIT
            else f"{n} line{'s' if n != 1 else ''} match."
            if n
            else "Nothing in the log matches."
        )
