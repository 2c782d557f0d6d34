"""Dialogs for planning a practice week: set one up, the days a person gives, add work to the plan.

Each is a ServiceDialog: OK calls the service, and a refusal is shown without closing the dialog."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QGridLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from auditor.domain.activities import ActivityKind
from auditor.domain.errors import RuleViolation
from auditor.domain.permissions import Principal
from auditor.domain.practice_weeks import MAX_DAYS_PER_PERSON, OBSERVATION_TYPES
from auditor.services import Services
from auditor.services.practice.dto import WeekDTO
from auditor.ui.shell import look
from auditor.ui.shell.service_dialog import ServiceDialog
from auditor.ui.widgets.date_field import DateField
from auditor.ui.widgets.tick_list import tick_list, ticked


def _combo(
    parent: QWidget, name: str, items: Sequence[tuple[str, object]], editable: bool = False
) -> QComboBox:
    box = QComboBox(parent)
    box.setAccessibleName(name)
    for text, data in items:
        box.addItem(text, data)
    if editable:
        box.setEditable(True)
        completer = box.completer()
        assert completer is not None  # an editable combo box makes its own
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    return box


class NewWeekDialog(ServiceDialog):
    def __init__(
        self, services: Services, principal: Principal, parent: QWidget | None = None
    ) -> None:
        super().__init__("Set up a practice week", parent)
        self.services, self.principal = services, principal
        self.week_id: int | None = None
        monday = dt.date.today() + dt.timedelta(days=7 - dt.date.today().weekday())
        self.name = QLineEdit(f"Practice week {monday:%B %Y}", self)
        self.name.setAccessibleName("Name")
        self.starts = DateField("First day", self, required=monday)
        self.ends = DateField("Last day", self, required=monday + dt.timedelta(days=11))
        self.themes = QLineEdit(self)
        self.themes.setAccessibleName("Themes")
        self.themes.setPlaceholderText("e.g. Neglect; Management oversight")
        teams = [(team.name, team.name) for team in services.directory.teams(who=principal)]
        self.teams = tick_list(self, "Teams in scope", teams)
        self.form.addRow("&Name", self.name)
        self.form.addRow("&From", self.starts)
        self.form.addRow("&To", self.ends)
        self.form.addRow("T&hemes", self.themes)
        self.form.addRow("Teams in &scope\n(none ticked: all)", self.teams)
        self.resize(520, self.sizeHint().height())
        self.name.setFocus()  # not OK, which is first in the focus chain

    def apply(self) -> None:
        teams = ticked(self.teams)
        self.week_id = self.services.weeks.create(
            self.name.text(),
            self.starts.day(),
            self.ends.day(),
            by=self.principal,
            themes=self.themes.text().split(";"),
            teams=teams,
        )


class DaysDialog(ServiceDialog):
    """Who takes part, and on which days (up to four)."""

    def __init__(
        self, services: Services, principal: Principal, week: WeekDTO, parent: QWidget | None = None
    ) -> None:
        super().__init__(f"Who takes part in {week.name}", parent)
        self.services, self.principal, self.week = services, principal, week
        given = {p.username: p.days for p in week.participants}
        seniors = [
            p
            for p in services.directory.people(who=principal)
            if any(r.is_senior_or_qa for r in p.roles)
        ]
        self.person = _combo(
            self,
            "Senior manager",
            [(f"{p.name} ({p.role_labels})", p.username) for p in seniors],
            editable=True,
        )
        self.person.currentIndexChanged.connect(lambda _i: self._show_days(given))
        grid = QGridLayout()
        self.day_boxes: dict[dt.date, QCheckBox] = {}
        for n, day in enumerate(week.days):
            box = QCheckBox(f"{day:%a %d/%m}", self)
            box.setAccessibleName(f"Gives {day:%A %d %B}")
            self.day_boxes[day] = box
            grid.addWidget(box, n // 5, n % 5)
        self.form.addRow("&Person", self.person)
        self.form.addRow("Days given", grid)
        note = QLabel(
            f"Each person gives up to {MAX_DAYS_PER_PERSON} days. Untick every day to "
            "take someone out of the week.",
            self,
        )
        look.apply(note, "help")
        note.setWordWrap(True)
        self.form.addRow(note)
        self._show_days(given)
        self.person.setFocus()

    def _show_days(self, given: dict[str, tuple[dt.date, ...]]) -> None:
        days = given.get(self.person.currentData(), ())
        for day, box in self.day_boxes.items():
            box.setChecked(day in days)

    def apply(self) -> None:
        days = [d for d, box in self.day_boxes.items() if box.isChecked()]
        self.services.weeks.set_participant(
            self.week.id, self.person.currentData(), days, by=self.principal
        )


class AllocationDialog(ServiceDialog):
    """Add one piece of work to the plan."""

    KINDS: ClassVar[list[tuple[str, ActivityKind]]] = [
        (ActivityKind.OBSERVATION.label, ActivityKind.OBSERVATION),
        (ActivityKind.DIP_SAMPLE.label, ActivityKind.DIP_SAMPLE),
        (ActivityKind.CASE_FILE_AUDIT.label, ActivityKind.CASE_FILE_AUDIT),
    ]

    def __init__(
        self, services: Services, principal: Principal, week: WeekDTO, parent: QWidget | None = None
    ) -> None:
        super().__init__(f"Add work to {week.name}", parent)
        self.services, self.principal, self.week = services, principal, week
        self.person = _combo(self, "Who", [(p.name, p) for p in week.participants])
        self.day = _combo(self, "Day", [])
        self.person.currentIndexChanged.connect(lambda _i: self._fill_days())
        self.kind = _combo(self, "What", self.KINDS)
        self.kind.currentIndexChanged.connect(lambda _i: self._fill_details())
        in_scope = set(week.teams)
        self.case = _combo(
            self,
            "Case",
            [("No particular case", None)]
            + [
                (f"{c.reference} — {c.case_type_label}, {c.team}", c.reference)
                for c in services.directory.cases(who=principal)
                if not in_scope or c.team in in_scope
            ],
            editable=True,
        )
        self.practitioner = _combo(
            self,
            "Practitioner observed",
            [("The case's social worker", None)]
            + [(p.name, p.username) for p in services.directory.people(who=principal)],
            editable=True,
        )
        self.detail = _combo(self, "Type", [])
        self.note = QLineEdit(self)
        self.note.setAccessibleName("Note")
        for label, widget in (
            ("&Who", self.person),
            ("&Day", self.day),
            ("W&hat", self.kind),
            ("T&ype", self.detail),
            ("&Case", self.case),
            ("&Practitioner", self.practitioner),
            ("&Note", self.note),
        ):
            self.form.addRow(label, widget)
        self._fill_days()
        self._fill_details()
        self.resize(560, self.sizeHint().height())
        self.person.setFocus()

    def _fill_days(self) -> None:
        self.day.clear()
        person = self.person.currentData()
        for day in person.days if person else ():
            self.day.addItem(f"{day:%A %d %B}", day)

    def chosen_kind(self) -> ActivityKind:
        return ActivityKind(self.kind.currentData())  # Qt hands a StrEnum back as a plain str

    def _fill_details(self) -> None:
        kind = self.chosen_kind()
        self.detail.clear()
        if kind is ActivityKind.OBSERVATION:
            for code, label in OBSERVATION_TYPES.items():
                self.detail.addItem(label, code)
        elif kind is ActivityKind.DIP_SAMPLE:
            for form_id, title in self.services.dips.forms_available():
                self.detail.addItem(title, form_id)
        self.detail.setEnabled(self.detail.count() > 0)
        self.practitioner.setEnabled(kind is ActivityKind.OBSERVATION)

    def apply(self) -> None:
        person = self.person.currentData()
        if person is None:
            raise RuleViolation(
                "Nobody takes part in this practice week yet: add people and their days first."
            )
        case = self.case.currentData() if self.case.currentIndex() > 0 else None
        practitioner = self.practitioner.currentData() if self.practitioner.isEnabled() else None
        self.services.weeks.allocate(
            self.week.id,
            person.username,
            self.day.currentData(),
            self.chosen_kind(),
            by=self.principal,
            case_reference=case,
            practitioner=practitioner,
            detail=self.detail.currentData() or "",
            note=self.note.text(),
        )
