"""Case samples for a thematic audit or a quarterly self-evaluation: choose a theme and a cohort,
see the proposed cases (with the seed that reproduces them), save the sample, swap a case out with
the reason, and start the audits."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from auditor.domain.errors import AuditorError
from auditor.domain.permissions import Action, Principal, refusal
from auditor.domain.reference import CASE_TYPES
from auditor.domain.sampling import (
    DEFAULT_EXCLUSION_MONTHS,
    DEFAULT_SIZE,
    Criteria,
    Proposal,
    new_seed,
)
from auditor.domain.words import counted
from auditor.services import Services
from auditor.ui.shell import look
from auditor.ui.shell.background import Loader, Runner, SyncRunner
from auditor.ui.widgets.permitted import permit, permit_all
from auditor.ui.widgets.tick_list import tick_list, ticked

PURPOSES = [("Thematic audit", "thematic"), ("Quarterly self-evaluation", "self_evaluation")]


class SamplingPage(QWidget):
    def __init__(
        self,
        services: Services,
        principal: Principal,
        parent: QWidget | None = None,
        *,
        runner: Runner | None = None,
    ) -> None:
        super().__init__(parent)
        self.services, self.principal = services, principal
        self.may_build = principal.may(Action.BUILD_SAMPLE)
        self.runner = runner or SyncRunner()
        self.lists = Loader(self.runner, self)  # themes and saved samples
        self.shown = Loader(self.runner, self, self._on_loading)  # a proposal or a saved sample
        self.sample_id: int | None = None
        self.criteria: Criteria | None = None
        left = QWidget(self)
        form = QFormLayout()
        column = QVBoxLayout(left)
        column.addLayout(form)
        column.addStretch()
        self.purpose = QComboBox(left)
        self.purpose.setAccessibleName("Purpose")
        for label, value in PURPOSES:
            self.purpose.addItem(label, value)
        self.theme = QComboBox(left)
        self.theme.setAccessibleName("Theme")
        self.teams = tick_list(
            left, "Teams", [(t.name, t.name) for t in services.directory.teams(who=principal)]
        )
        self.case_types = tick_list(left, "Case types", [(v, k) for k, v in CASE_TYPES.items()])
        self.size_box = QSpinBox(left)
        self.size_box.setRange(1, 500)
        self.size_box.setValue(DEFAULT_SIZE)
        self.size_box.setAccessibleName("Number of cases")
        self.exclude = QSpinBox(left)
        self.exclude.setRange(0, 60)
        self.exclude.setValue(DEFAULT_EXCLUSION_MONTHS)
        self.exclude.setSuffix(" months")
        self.exclude.setAccessibleName("Leave out cases audited within")
        self.seed = QSpinBox(left)
        self.seed.setRange(1, 99_999)
        self.seed.setValue(new_seed())
        self.seed.setAccessibleName("Draw number")
        self.seed.setToolTip(
            "The random seed: the same number with the same settings draws the same cases, so "
            "anyone can check the sample"
        )
        new = QPushButton("New draw number", left)
        new.clicked.connect(lambda: self.seed.setValue(new_seed()))
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed, 1)
        seed_row.addWidget(new)
        self.propose_button = QPushButton("Pr&opose cases", left)
        self.propose_button.clicked.connect(self.propose)
        for label, widget in (
            ("P&urpose", self.purpose),
            ("&Theme", self.theme),
            ("Teams (&none: all)", self.teams),
            ("Case t&ypes (none: all)", self.case_types),
            ("Si&ze", self.size_box),
            ("Leave out cases\naudited within", self.exclude),
        ):
            form.addRow(label, widget)
        form.addRow("Draw number", seed_row)
        form.addRow(self.propose_button)
        self.saved = QComboBox(left)
        self.saved.setAccessibleName("Saved samples")
        self.saved.activated.connect(self._on_saved_chosen)
        form.addRow("Sa&ved samples", self.saved)
        # Kept narrow, but never narrower than its fields need (a large font needs 610 px).
        left.setMaximumWidth(max(430, left.minimumSizeHint().width()))
        layout = QHBoxLayout(self)
        layout.addWidget(left)
        layout.addLayout(self._build_right(), 1)
        self.loaded = False  # filled when first shown
        for button in (self.propose_button, self.save_button, self.swap_button):
            permit(button, principal, Action.BUILD_SAMPLE)
        permit_all(self.start_button, principal, (Action.BUILD_SAMPLE, Action.START_AUDIT))
        self._update_buttons()

    def _build_right(self) -> QVBoxLayout:
        self.title = QLabel("Case sample", self)
        look.apply(self.title, "pageTitle")
        self.counts = QLabel("Choose a theme and a cohort, then Propose cases.", self)
        self.counts.setWordWrap(True)
        look.apply(self.counts, "subtitle")
        self.table = QTableWidget(0, 6, self)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.table.setAccessibleName("Proposed cases")
        self.table.setHorizontalHeaderLabels(
            ["Case", "Team", "Case type", "Themes", "Last audited", "Swapped out because"]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Name of the sample")
        self.name.setPlaceholderText("Name, e.g. Neglect thematic audit, January")
        self.save_button = QPushButton("Save the samp&le", self)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.swap_button = QPushButton("S&wap the selected case…", self)
        self.swap_button.clicked.connect(self._on_swap_clicked)
        self.start_button = QPushButton("Start the aud&its", self)
        self.start_button.clicked.connect(self._on_start_clicked)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        look.apply(self.problem, "problem")
        actions = QHBoxLayout()
        actions.addWidget(self.name, 1)
        for b in (self.save_button, self.swap_button, self.start_button):
            actions.addWidget(b)
        right = QVBoxLayout()
        for w in (self.title, self.counts):
            right.addWidget(w)
        right.addWidget(self.table, 1)
        right.addLayout(actions)
        right.addWidget(self.problem)
        return right

    def refresh(self) -> None:
        """Themes and saved samples, fetched in the background."""
        self.loaded = True
        if not self.may_build:  # the services would refuse every call: say why instead
            self.counts.setText(refusal(Action.BUILD_SAMPLE))
            return
        sampling, principal = self.services.sampling, self.principal
        self.lists.request(
            lambda: (sampling.tags(who=principal), sampling.samples(who=principal)),
            lambda found: self._show_lists(*found),
            self._say_or_raise,
        )

    def _show_lists(self, tags: dict[str, int], samples: list) -> None:
        current = self.theme.currentData()
        self.theme.clear()
        self.theme.addItem("Any case (no theme)", "")
        for tag, n in tags.items():
            self.theme.addItem(f"{tag.replace('_', ' ')} ({counted(n, 'case')})", tag)
        self.theme.setCurrentIndex(max(self.theme.findData(current), 0))
        self.saved.clear()
        self.saved.addItem("Open a saved sample…", None)
        for sample in samples:
            self.saved.addItem(f"{sample.id}: {sample.name}", sample.id)
        self._update_buttons()

    def _on_loading(self, loading: bool) -> None:
        self.propose_button.setEnabled(not loading and self.may_build)
        if loading:
            self.counts.setText("Loading…")

    def _on_saved_chosen(self) -> None:
        if self.saved.currentData() is not None:
            self.show_sample(self.saved.currentData())

    def _update_buttons(self) -> None:
        may = self.may_build
        self.save_button.setEnabled(may and self.criteria is not None and self.sample_id is None)
        self.name.setEnabled(may and self.sample_id is None)
        self.swap_button.setEnabled(may and self.sample_id is not None)
        self.start_button.setEnabled(
            may and self.principal.may(Action.START_AUDIT) and self.sample_id is not None
        )

    def _say(self, error: AuditorError | None) -> None:
        self.problem.setText(str(error) if error else "")

    def _say_or_raise(self, error: BaseException) -> None:
        """A refusal in place, as always; a bug to the crash dialog."""
        if not isinstance(error, AuditorError):
            raise error
        self._say(error)

    # ------------------------------------------------------------------------------ actions
    def propose(self) -> None:
        self.criteria = Criteria(
            size=self.size_box.value(),
            seed=self.seed.value(),
            theme=self.theme.currentData() or "",
            teams=frozenset(ticked(self.teams)),
            case_types=frozenset(ticked(self.case_types)),
            exclusion_months=self.exclude.value(),
            today=dt.date.today(),
        )
        sampling, criteria, principal = self.services.sampling, self.criteria, self.principal
        self.shown.request(
            lambda: sampling.propose(criteria, by=principal),
            lambda proposal: self._show_proposal(proposal, criteria),
            self._say_or_raise,
        )

    def _show_proposal(self, proposal: Proposal, c: Criteria) -> None:
        self._say(None)
        self.sample_id = None
        self.title.setText("Proposed sample (not saved)")
        self._fill(
            [
                (
                    c.reference,
                    c.team,
                    CASE_TYPES.get(c.case_type, c.case_type),
                    ", ".join(sorted(c.tags)).replace("_", " "),
                    f"{c.last_audited:%d/%m/%Y}" if c.last_audited else "",
                    "",
                )
                for c in proposal.chosen
            ]
        )
        self.counts.setText(
            f"Draw number {c.seed}: {len(proposal.chosen)} of {proposal.eligible} eligible cases. Left "
            f"out: {proposal.excluded_recent} audited in the last {c.exclusion_months} months"
            + (
                f", {proposal.excluded_theme} not tagged “{c.theme.replace('_', ' ')}”"
                if c.theme
                else ""
            )
            + "."
            + (
                f" Only {proposal.eligible} were eligible for {c.size} asked for."
                if proposal.shortfall
                else ""
            )
            + " The same draw number and settings give the same cases."
        )
        self._update_buttons()

    def _fill(self, rows: list[tuple[str, ...]]) -> None:
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for col, text in enumerate(row):
                item = QTableWidgetItem(text)
                if row[5]:
                    item.setForeground(QColor(look.MUTED))
                self.table.setItem(r, col, item)

    def show_sample(self, sample_id: int, then: str = "") -> None:
        """Fetch a saved sample in the background and show it (``then``: said after its counts)."""
        sampling, principal = self.services.sampling, self.principal
        self.shown.request(
            lambda: sampling.sample(sample_id, who=principal),
            lambda sample: self._show_sample(sample, then),
            self._say_or_raise,
        )

    def _show_sample(self, sample, then: str) -> None:
        self.sample_id = sample.id
        self.title.setText(f"Sample {sample.id}: {sample.name}")
        started = sum(1 for c in sample.in_sample if c.audit_id)
        self.counts.setText(
            f"Draw number {sample.seed} · {counted(len(sample.in_sample), 'case')} · "
            f"{len(sample.cases) - len(sample.in_sample)} swapped out · "
            f"{counted(started, 'audit')} started · drawn by {sample.created_by} on "
            f"{sample.created_at:%d/%m/%Y}" + then
        )
        self._fill(
            [
                (
                    c.reference,
                    c.team,
                    CASE_TYPES.get(c.case_type, c.case_type),
                    "",
                    f"audit {c.audit_id}" if c.audit_id else "",
                    c.swapped_out_reason,
                )
                for c in sample.cases
            ]
        )
        self.table.setHorizontalHeaderItem(4, QTableWidgetItem("Audit"))
        self._update_buttons()

    def _write(self, call, on_done) -> None:
        """A change, queued with the app's other writes; its buttons wait until it is done."""
        for b in (self.save_button, self.swap_button, self.start_button):
            b.setEnabled(False)

        def done(result) -> None:
            self._say(None)
            on_done(result)

        def failed(error: BaseException) -> None:
            self._update_buttons()
            self._say_or_raise(error)

        self.runner.run(call, done, failed)

    def _on_save_clicked(self) -> None:
        sampling, name, purpose = (
            self.services.sampling,
            self.name.text(),
            self.purpose.currentData(),
        )
        criteria, by = self.criteria, self.principal
        if criteria is None:  # nothing proposed yet: the button is disabled
            return

        def saved(number: int) -> None:
            self.refresh()
            self.show_sample(number)

        self._write(lambda: sampling.save(name, purpose, criteria, by=by), saved)

    def _on_swap_clicked(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            self._say(AuditorError("Select the case to swap out first."))
            return
        item = self.table.item(row, 0)
        if item is None:
            return
        reference = item.text()
        reason, ok = QInputDialog.getText(
            self, "Swap a case out", f"Why is {reference} swapped out? (kept with the sample)"
        )
        if not ok:
            return
        self.swap(reference, reason)

    def swap(self, reference: str, reason: str) -> None:
        sampling, number, by = self.services.sampling, self.sample_id, self.principal
        if number is None:  # no saved sample shown: the button is disabled
            return
        self._write(
            lambda: sampling.swap(number, reference, reason, by=by),
            lambda _result: self.show_sample(number),
        )

    def _on_start_clicked(self) -> None:
        sampling, number, by = self.services.sampling, self.sample_id, self.principal
        if number is None:  # no saved sample shown: the button is disabled
            return
        self._write(
            lambda: sampling.start_audits(number, by=by),
            lambda started: self.show_sample(number, f" · {len(started)} started just now"),
        )
