"""The composition root of the services: one object holding every use case over one open database.

Each service gets what it needs in its constructor — the database, the forms, the clock, and any
other service it calls — and nothing reaches into another service's attributes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from auditor.domain.clock import Clock, SystemClock
from auditor.services.audits.findings import FindingService
from auditor.services.audits.service import AuditService
from auditor.services.audits.views import AuditViews
from auditor.services.audits.work import WorkService
from auditor.services.practice.dips import DipService
from auditor.services.practice.weeks import PracticeWeekService
from auditor.services.reference.directory import DirectoryService
from auditor.services.reference.history_import import HistoryImportService
from auditor.services.reporting.service import ReportService
from auditor.services.reporting.summary import SummaryService
from auditor.services.sampling import SamplingService
from db.engine import Database
from db.migrate import open_database
from forms import FormLibrary, default_library


@dataclass
class Services:
    db: Database
    forms: FormLibrary
    clock: Clock = field(default_factory=SystemClock)
    directory: DirectoryService = field(init=False)
    audits: AuditService = field(init=False)
    views: AuditViews = field(init=False)
    summary: SummaryService = field(init=False)
    history: HistoryImportService = field(init=False)
    work: WorkService = field(init=False)
    weeks: PracticeWeekService = field(init=False)
    dips: DipService = field(init=False)
    findings: FindingService = field(init=False)
    reports: ReportService = field(init=False)
    sampling: SamplingService = field(init=False)

    def __post_init__(self) -> None:
        db, forms, clock = self.db, self.forms, self.clock
        self.directory = DirectoryService(db)
        self.audits = AuditService(db, forms, clock)
        self.views = AuditViews(db, forms)
        self.summary = SummaryService(db)
        self.history = HistoryImportService(db, clock)
        self.work = WorkService(db, self.summary)
        self.dips = DipService(db, forms, self.audits, clock)
        self.weeks = PracticeWeekService(db, forms, self.audits, self.dips)
        self.findings = FindingService(db, forms, clock)
        self.reports = ReportService(db, forms, self.views, self.weeks.summary)
        self.sampling = SamplingService(db, self.audits, clock)

    def with_clock(self, clock: Clock) -> Services:
        """The same database and forms, every service composed afresh around another clock (the
        demo builder dates its history this way without touching the live services)."""
        return Services(self.db, self.forms, clock)

    @property
    def path(self) -> Path:
        return self.db.path

    def is_empty(self) -> bool:
        return not self.directory.people()

    def close(self) -> None:
        self.db.close()


def open_services(path: Path, *, create: bool = False, forms: FormLibrary | None = None,
                  clock: Clock | None = None) -> Services:
    """Open (creating or upgrading as needed) the database at ``path`` with the shipped forms."""
    return Services(open_database(path, create=create), forms or default_library(),
                    clock or SystemClock())
