"""How the services are put together: data objects for the UI that import no ORM, one clock passed
to each service that stamps what it writes, and no service reaching into another's attributes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from auditor.domain.clock import ManualClock
from auditor.services import open_services
from auditor.services.demo.build import build_demo
from db.models import Audit
from tests.builders import who

ROOT = Path(__file__).resolve().parents[2]


def test_the_data_objects_handed_to_the_ui_import_no_database_code():
    code = (
        "import sys; import auditor.services.dto, auditor.services.practice.dto;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'db'));"
        "assert not bad, bad"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_every_service_that_stamps_time_reads_the_clock_it_was_given(db_path, org):
    clock = ManualClock(dt.datetime(2027, 3, 4, 10, 30))
    services = open_services(db_path, clock=clock)
    try:
        manager, senior = who(services, org.manager), who(services, org.senior)
        audit_id = services.audits.start(org.case, by=manager)
        session = services.dips.start_session("dip_statutory_visits", by=senior)
        [event] = services.views.detail(audit_id, who=manager).history
        assert event.at == clock.now()
        assert services.dips.session(session, who=senior).started_at == clock.now()
        for service in (
            services.audits,
            services.dips,
            services.findings,
            services.history,
            services.sampling,
        ):
            assert service.clock is clock
        assert services.weeks.dips is services.dips and services.weeks.audits is services.audits
    finally:
        services.close()


def test_the_demo_dates_its_history_without_touching_the_live_services(tmp_path):
    services = open_services(tmp_path / "demo.db", create=True)
    try:
        live_clock = services.clock
        build_demo(services, today=dt.date(2026, 11, 1))
        assert services.audits.clock is live_clock and services.dips.clock is live_clock
        with services.db.reading() as s:
            first, last = s.execute(
                select(func.min(Audit.created_at), func.max(Audit.created_at))
            ).one()
        assert first.date() < dt.date(2025, 11, 1) and last.date() <= dt.date(2026, 11, 1)
    finally:
        services.close()
