"""The services container: one object holding every use case over one open database."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from auditor.services.audits.views import AuditViews
from auditor.services.audits.service import AuditService
from auditor.services.practice.dips import DipService
from auditor.services.reference.directory import DirectoryService
from auditor.services.audits.findings import FindingService
from auditor.services.reference.history_import import HistoryImportService
from auditor.services.practice.weeks import PracticeWeekService
from auditor.services.reporting.service import ReportService
from auditor.services.sampling import SamplingService
from auditor.services.reporting.summary import SummaryService
from auditor.services.audits.work import WorkService
from db.engine import Database
from db.migrate import open_database
from forms import FormLibrary, default_library


@dataclass
class Services:
    db: Database
    forms: FormLibrary
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
        self.directory = DirectoryService(self.db)
        self.audits = AuditService(self.db, self.forms)
        self.views = AuditViews(self.db, self.forms)
        self.summary = SummaryService(self.db)
        self.history = HistoryImportService(self.db)
        self.work = WorkService(self.db)
        self.weeks = PracticeWeekService(self.db, self.forms, self.audits)
        self.dips = DipService(self.db, self.forms, self.audits)
        self.findings = FindingService(self.db, self.forms, self.audits)
        self.reports = ReportService(self.db, self.forms, self.views, self.weeks.summary)
        self.sampling = SamplingService(self.db, self.audits)

    @property
    def path(self) -> Path:
        return self.db.path

    def is_empty(self) -> bool:
        return not self.directory.people()

    def close(self) -> None:
        self.db.close()


def open_services(path: Path, *, create: bool = False, forms: FormLibrary | None = None) -> Services:
    """Open (creating or upgrading as needed) the database at ``path`` with the shipped forms."""
    return Services(open_database(path, create=create), forms or default_library())
