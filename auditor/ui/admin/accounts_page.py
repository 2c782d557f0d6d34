"""Sign-ins (MANAGE_ACCOUNTS): who has one, when they last signed in, whether it is locked or must
be changed; give a person a sign-in, reset a password, switch a sign-in off or on, unlock it.
Passwords are never shown back: a temporary one is typed (or suggested) once, in a dialog."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from auditor.domain.permissions import Action, Principal
from auditor.services import Services
from auditor.services.access.accounts import AccountDTO
from auditor.services.dto import PersonDTO
from auditor.ui.admin.common import AdminPage, fill, key_of, make_table, when
from auditor.ui.admin.password_dialog import PasswordDialog
from auditor.ui.shell.background import Runner

COLUMNS = ("Name", "Username", "Roles", "Sign-in", "Last signed in", "Locked until", "Password")


class AccountsPage(AdminPage):
    action = Action.MANAGE_ACCOUNTS
    title = "Sign-ins"
    intro_text = (
        "Who can sign in to this database. A new sign-in, and a password you reset, has a "
        "temporary password that its owner must change at their next sign-in: tell it to them in "
        "person or by phone, never by email. A sign-in that is switched off keeps its history."
    )

    def __init__(
        self,
        services: Services,
        principal: Principal,
        runner: Runner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, principal, runner, parent)
        self.rows: list[AccountDTO] = []
        self.give_button = self.button("Give a sign-&in…", self.give)
        self.reset_button = self.button("Reset pass&word…", self.reset)
        self.switch_button = self.button("Switch &off", self.switch)
        self.unlock_button = self.button("&Unlock", self.unlock)
        self.table = make_table(self, COLUMNS, "Sign-ins")
        self.table.itemSelectionChanged.connect(self._on_chosen)
        self.finish_layout(self.table)
        self._on_chosen()

    def first_input(self) -> QWidget | None:
        return self.table

    def fetch(self) -> Any:
        who = self.principal
        return self.services.accounts.accounts(who), self.services.directory.people(who=who)

    def show_rows(self, data: Any) -> None:
        accounts, people = data
        self.rows = list(accounts)
        self.people: list[PersonDTO] = list(people)  # active ones: who may be given a sign-in
        now = self.services.clock.now()
        fill(
            self.table,
            [
                (
                    a.name,
                    a.username,
                    ", ".join(r.label for r in a.roles),
                    "On" if a.active else "Switched off",
                    when(a.last_signed_in_at, "Never"),
                    when(a.locked_until) if a.locked_until and a.locked_until > now else "",
                    "Must change at next sign-in" if a.must_change else "Their own",
                )
                for a in self.rows
            ],
            [a.username for a in self.rows],
        )
        self.count.setText(f"{len(self.rows)} sign-in{'s' if len(self.rows) != 1 else ''}.")
        self._on_chosen()

    def chosen(self) -> AccountDTO | None:
        username = key_of(self.table)
        return next((a for a in self.rows if a.username == username), None)

    def _on_chosen(self) -> None:
        account = self.chosen()
        for button in (self.reset_button, self.switch_button, self.unlock_button):
            button.setEnabled(account is not None)
        if account is None:
            return
        self.switch_button.setText("Switch &off" if account.active else "Switch &on")
        locked = account.locked_until is not None and account.locked_until > (
            self.services.clock.now()
        )
        self.unlock_button.setEnabled(locked)
        self.unlock_button.setToolTip("" if locked else "This sign-in is not locked.")

    # actions ----------------------------------------------------------------------------------
    def give(self) -> None:
        have = {a.username for a in self.rows}
        people = [
            (f"{p.name} ({p.username})", p.username)
            for p in getattr(self, "people", [])
            if p.username not in have and p.active
        ]
        if not people:
            self.clear_messages()
            self.status.setText("Everyone in the database has a sign-in already.")
            return
        dialog = PasswordDialog(
            "Give a sign-in",
            "Choose the person and a temporary password (at least 10 characters, not a common "
            "one). They choose their own when they first sign in.",
            self,
            people=people,
        )
        if dialog.exec() and dialog.person:
            username, password = dialog.person, dialog.password
            self.store(
                lambda: self.services.accounts.create(self.principal, username, password),
                f"{username} can now sign in with the temporary password; they must change it "
                "at their first sign-in.",
            )
        dialog.deleteLater()

    def reset(self) -> None:
        account = self.chosen()
        if account is None:
            return
        dialog = PasswordDialog(
            f"Reset {account.name}'s password",
            f"A temporary password for {account.name} ({account.username}). They must choose a "
            "new one at their next sign-in. Resetting also unlocks the sign-in.",
            self,
        )
        if dialog.exec():
            username, password = account.username, dialog.password
            self.store(
                lambda: self.services.accounts.reset_password(self.principal, username, password),
                f"{account.name}'s password is reset; they must choose a new one at their next "
                "sign-in.",
            )
        dialog.deleteLater()

    def switch(self) -> None:
        account = self.chosen()
        if account is None:
            return
        on, username = not account.active, account.username
        self.store(
            lambda: self.services.accounts.set_active(self.principal, username, on),
            f"{account.name} can sign in again."
            if on
            else f"{account.name} can no longer sign in; their history is kept.",
        )

    def unlock(self) -> None:
        account = self.chosen()
        if account is None:
            return
        username = account.username
        self.store(
            lambda: self.services.accounts.unlock(self.principal, username),
            f"{account.name}'s sign-in is unlocked.",
        )

    def select(self, username: str) -> None:
        """Choose the row of ``username`` (as a person would with the arrows)."""
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == username:
                self.table.selectRow(r)
                return
        raise LookupError(username)
