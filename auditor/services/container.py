"""The composition root of the services: one object holding every use case over one open database.

Each service gets what it needs in its constructor — the database, the forms, the clock, and any
other service it calls — and nothing reaches into another service's attributes. Each is built, and
its module imported, the first time it is used: a command that needs only the grade summary does not
pay for importing every service (and the report writers). Services hold no per-call state, so one
built twice by two threads at the same moment would do no harm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.domain.clock import Clock, SystemClock
from db.engine import Database
from db.migrate import open_database
from forms import FormLibrary, default_library

if TYPE_CHECKING:
    from auditor.services.access.accounts import AccountService
    from auditor.services.access.log import AccessLogService
    from auditor.services.access.roles import RoleScopeService
    from auditor.services.audits.findings import FindingService
    from auditor.services.audits.service import AuditService
    from auditor.services.audits.views import AuditViews
    from auditor.services.audits.work import WorkService
    from auditor.services.practice.dips import DipService
    from auditor.services.practice.weeks import PracticeWeekService
    from auditor.services.reference.directory import DirectoryService
    from auditor.services.reference.directory_import import DirectoryImportService
    from auditor.services.reference.history_import import HistoryImportService
    from auditor.services.reference.setup import SetupService
    from auditor.services.reporting.service import ReportService
    from auditor.services.reporting.summary import SummaryService
    from auditor.services.sampling import SamplingService


@dataclass
class Services:
    db: Database
    forms: FormLibrary
    clock: Clock = field(default_factory=SystemClock)

    @cached_property
    def accounts(self) -> AccountService:
        from auditor.services.access.accounts import AccountService

        return AccountService(self.db, self.clock)

    @cached_property
    def access_log(self) -> AccessLogService:
        from auditor.services.access.log import AccessLogService

        return AccessLogService(self.db, self.clock)

    @cached_property
    def directory(self) -> DirectoryService:
        from auditor.services.reference.directory import DirectoryService

        return DirectoryService(self.db, self.clock)

    @cached_property
    def roles(self) -> RoleScopeService:
        from auditor.services.access.roles import RoleScopeService

        return RoleScopeService(self.db, self.clock)

    @cached_property
    def setup(self) -> SetupService:
        from auditor.services.reference.setup import SetupService

        return SetupService(self.db, self.clock, self.accounts.hasher)

    @cached_property
    def directory_import(self) -> DirectoryImportService:
        from auditor.services.reference.directory_import import DirectoryImportService

        return DirectoryImportService(self.db, self.clock)

    @cached_property
    def audits(self) -> AuditService:
        from auditor.services.audits.service import AuditService

        return AuditService(self.db, self.forms, self.clock)

    @cached_property
    def views(self) -> AuditViews:
        from auditor.services.audits.views import AuditViews

        return AuditViews(self.db, self.forms, self.clock)

    @cached_property
    def summary(self) -> SummaryService:
        from auditor.services.reporting.summary import SummaryService

        return SummaryService(self.db)

    @cached_property
    def history(self) -> HistoryImportService:
        from auditor.services.reference.history_import import HistoryImportService

        return HistoryImportService(self.db, self.clock)

    @cached_property
    def work(self) -> WorkService:
        from auditor.services.audits.work import WorkService

        return WorkService(self.db, self.summary)

    @cached_property
    def dips(self) -> DipService:
        from auditor.services.practice.dips import DipService

        return DipService(self.db, self.forms, self.audits, self.clock)

    @cached_property
    def weeks(self) -> PracticeWeekService:
        from auditor.services.practice.weeks import PracticeWeekService

        return PracticeWeekService(self.db, self.forms, self.audits, self.dips)

    @cached_property
    def findings(self) -> FindingService:
        from auditor.services.audits.findings import FindingService

        return FindingService(self.db, self.forms, self.clock)

    @cached_property
    def reports(self) -> ReportService:
        from auditor.services.reporting.service import ReportService

        return ReportService(self.db, self.forms, self.views, self.weeks.summary, self.clock)

    @cached_property
    def sampling(self) -> SamplingService:
        from auditor.services.sampling import SamplingService

        return SamplingService(self.db, self.audits, self.clock)

    def with_clock(self, clock: Clock) -> Services:
        """The same database and forms, every service composed afresh around another clock (the
        demo builder dates its history this way without touching the live services)."""
        return Services(self.db, self.forms, clock)

    @property
    def path(self) -> Path:
        return self.db.path

    def is_empty(self) -> bool:
        """Whether the database has nobody in it yet (set-up not begun): asked before anyone can
        sign in, so it needs no principal."""
        return not self.setup.progress().people

    def close(self) -> None:
        self.db.close()


def open_services(
    path: Path,
    *,
    create: bool = False,
    forms: FormLibrary | None = None,
    clock: Clock | None = None,
    daily_backup: bool = True,
) -> Services:
    """Open the database at ``path`` with the shipped forms: checked, backed up at the first open
    of the day (``daily_backup``), upgraded if it is older; created only with ``create``."""
    return Services(
        open_database(path, create=create, daily_backup=daily_backup),
        forms or default_library(),
        clock or SystemClock(),
    )
