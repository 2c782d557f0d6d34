"""'Who looked at this': every view, print and export of one audit, for the audit editor to show
to those who may read the access log (READ_ACCESS_LOG)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from auditor.domain.errors import AuditorError
from auditor.domain.permissions import Action, Principal, require
from auditor.services import Services
from auditor.services.access.log import AccessEventDTO
from auditor.ui.admin.common import fill, make_table, when
from auditor.ui.shell import look
from auditor.ui.shell.background import Loader, Runner, SyncRunner

COLUMNS = ("When", "Who", "What", "Computer")


class WhoLookedPanel(QWidget):
    """Loads when first shown, again on ``refresh`` (or its button). Built only for a principal
    who may read the access log (``NotPermitted`` otherwise; ``allowed_for`` says beforehand)."""

    def __init__(
        self,
        services: Services,
        principal: Principal,
        audit_id: int,
        parent: QWidget | None = None,
        *,
        runner: Runner | None = None,
    ) -> None:
        require(principal, Action.READ_ACCESS_LOG)
        super().__init__(parent)
        self.services, self.principal, self.audit_id = services, principal, audit_id
        self.loader = Loader(runner or SyncRunner(), self)
        self.rows: list[AccessEventDTO] = []
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(f"Who looked at audit no. {audit_id}", self)
        look.apply(heading, "sectionTitle")
        column.addWidget(heading)
        self.summary = QLabel("Loading…", self)
        self.summary.setWordWrap(True)
        look.apply(self.summary, "subtitle")
        column.addWidget(self.summary)
        self.table = make_table(self, COLUMNS, f"Who looked at audit no. {audit_id}")
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        column.addWidget(self.table, 1)
        self.refresh_button = QPushButton("Look again", self)
        self.refresh_button.setToolTip("Read the access log again")
        self.refresh_button.clicked.connect(self.refresh)
        row = QHBoxLayout()
        row.addWidget(self.refresh_button)
        row.addStretch(1)
        column.addLayout(row)
        self._loaded = False

    @staticmethod
    def allowed_for(principal: Principal) -> bool:
        return principal.may(Action.READ_ACCESS_LOG)

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if not self._loaded:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self._loaded = True
        principal, audit_id = self.principal, self.audit_id
        self.loader.request(
            lambda: self.services.access_log.who_looked(principal, audit_id),
            self._show,
            self._refused,
        )

    def _show(self, rows: list[AccessEventDTO]) -> None:
        self.rows = list(rows)
        fill(
            self.table,
            [
                (
                    when(e.at),
                    f"{e.name} ({e.username})" if e.username else e.name,
                    e.kind.label,
                    e.machine,
                )
                for e in self.rows
            ],
            [e.id for e in self.rows],
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        people = {e.username for e in self.rows}
        self.table.setVisible(bool(self.rows))
        self.summary.setText(
            f"{len(self.rows)} time{'s' if len(self.rows) != 1 else ''}, by {len(people)} "
            f"{'person' if len(people) == 1 else 'people'}; the newest first."
            if self.rows
            else "Nobody has opened, printed or exported this audit yet."
        )

    def _refused(self, error: BaseException) -> None:
        if not isinstance(error, AuditorError):
            raise error
        self.summary.setText(str(error))
