"""Roles and reading (SET_READ_SCOPE): what each role may do, which the program fixes (one table,
the same in the app, the command line and the services), and how far each role reads, which the
council sets here: its own cases and work, the teams it manages, or every team."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from auditor.domain.permissions import PERMISSIONS, READ_SCOPE, Action, Principal, Scope
from auditor.domain.reference import Role
from auditor.services import Services
from auditor.ui.admin.common import AdminPage, caption, fill, key_of, make_table
from auditor.ui.shell import look
from auditor.ui.shell.background import Runner

COLUMNS = ("Role", "Reads", "Unless changed", "May")


def may_do(role: Role) -> str:
    """What ``role`` may do, in the table's order of actions."""
    return ", ".join(a.label for a in Action if a in PERMISSIONS[role]) or "nothing"


def reads(role: Role, scope: Scope) -> str:
    """How far ``role`` reads, or that it reads no audits at all whatever is set."""
    return scope.label if Action.READ_AUDITS in PERMISSIONS[role] else "no audits"


class RolesPage(AdminPage):
    action = Action.SET_READ_SCOPE
    title = "Roles and reading"
    intro_text = (
        "What each role may do is the same for every council and is checked on every step. How "
        "far each role reads is the council's choice: their own cases and work, the teams they "
        "manage, or every team. Choose a role, then its reach, and press Set for this role. It "
        "counts from each person's next step, and the change is recorded in the access log."
    )

    def __init__(
        self,
        services: Services,
        principal: Principal,
        runner: Runner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, principal, runner, parent)
        self.scopes: dict[Role, Scope] = {}
        self.reach = QComboBox(self)
        self.reach.setAccessibleName("Reads")
        for scope in Scope:
            self.reach.addItem(scope.label.capitalize(), scope)
        self.buttons.addWidget(caption(self, "Rea&ch", self.reach))
        self.buttons.addWidget(self.reach)
        self.set_button = self.button("Se&t for this role", self.set_scope)
        self.table = make_table(self, COLUMNS, "Roles")
        self.table.itemSelectionChanged.connect(self._on_chosen)
        self.finish_layout(self.table)
        self.detail = QLabel(self)  # the chosen role's whole list, which the table cuts short
        self.detail.setWordWrap(True)
        look.apply(self.detail, "help")
        self.column.addWidget(self.detail)
        self._on_chosen()

    def first_input(self) -> QWidget | None:
        return self.table

    def fetch(self) -> Any:
        return self.services.roles.read_scopes(who=self.principal)

    def show_rows(self, data: Any) -> None:
        self.scopes = dict(data)
        roles = list(self.scopes)
        fill(
            self.table,
            [
                (
                    role.label,
                    reads(role, self.scopes[role]),
                    reads(role, READ_SCOPE[role]),
                    may_do(role),
                )
                for role in roles
            ],
            roles,
        )
        for r, role in enumerate(roles):  # the whole list, however narrow the column
            item = self.table.item(r, 3)
            if item is not None:
                item.setToolTip(may_do(role))
        changed = sum(1 for role in roles if self.scopes[role] is not READ_SCOPE[role])
        self.count.setText(
            f"{len(roles)} roles; "
            + (f"the council has set {changed} of them." if changed else "each reads as usual.")
        )
        self._on_chosen()

    def chosen(self) -> Role | None:
        role = key_of(self.table)
        return role if isinstance(role, Role) else None

    def _on_chosen(self) -> None:
        role = self.chosen()
        settable = role is not None and Action.READ_AUDITS in PERMISSIONS[role]
        self.set_button.setEnabled(settable)
        self.reach.setEnabled(settable)
        why = "" if settable or role is None else f"{role.label}: may not read audits at all."
        self.set_button.setToolTip(why)
        self.reach.setToolTip(why)
        self.detail.setText(f"<b>{role.label}</b> may: {may_do(role)}." if role else "")
        if role is not None and role in self.scopes:
            self.reach.setCurrentIndex(self.reach.findData(self.scopes[role]))

    def set_scope(self) -> None:
        role, scope = self.chosen(), self.reach.currentData()
        if role is None or not isinstance(scope, Scope):
            return
        roles, who = self.services.roles, self.principal
        self.store(
            lambda: roles.set_read_scope(role, scope, who=who),
            f"{role.label} now reads {scope.label}."
            if self.scopes.get(role) is not scope
            else f"{role.label} already reads {scope.label}; nothing changed.",
        )

    def select(self, role: Role) -> None:
        """Choose the row of ``role`` (as a person would with the arrows)."""
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.text() == role.label:
                self.table.selectRow(r)
                return
        raise LookupError(role)
