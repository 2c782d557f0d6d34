"""A private copy of the shipped forms for tests that edit, break or delete form files, and the
work (an audit, an observation) that releases a form version, made through the real services.
Shared by the service tests of released versions and the ``forms check`` command's tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from auditor.domain.activities import ActivityKind
from auditor.services import Services, open_services
from forms import FORMS_DIR, FormLibrary
from tests.builders import Org, build_org, fill, who

AUDIT_FORM = "case_file_audit.v1.yaml"
AUDIT_FORM_V2 = "case_file_audit.v2.yaml"


def copy_forms(folder: Path) -> Path:
    """``folder``: a copy of the shipped forms folder, as it is installed (without bytecode)."""
    shutil.copytree(FORMS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


@contextmanager
def opened(db_path: Path, folder: Path) -> Iterator[Services]:
    """The services over ``db_path`` with the forms of ``folder``, closed afterwards."""
    services = open_services(db_path, forms=FormLibrary(folder))
    try:
        yield services
    finally:
        services.close()


def started_audit(db_path: Path, folder: Path) -> tuple[Org, int]:
    """The test organisation and one audit started on its case: case_file_audit v1 released."""
    with opened(db_path, folder) as services:
        org = build_org(services)
        return org, services.audits.start(org.case, by=who(services, org.manager))


def record_observation(services: Services, org: Org, form_id: str = "practice_observation") -> int:
    """A draft observation of the org's worker with the newest version of ``form_id``."""
    form = services.forms.latest(form_id)
    return services.audits.record(
        ActivityKind.OBSERVATION,
        by=who(services, org.senior),
        form_id=form.id,
        practitioner=org.worker,
        answers=fill(form, None),
        complete=False,
    )


def write_audit_v2(folder: Path, *edits: tuple[str, str], count: int = 1) -> Path:
    """case_file_audit.v2.yaml: v1 with its version raised and each ``(old, new)`` edit made
    ``count`` times (-1: everywhere)."""
    text = (folder / AUDIT_FORM).read_text(encoding="utf-8").replace("version: 1", "version: 2", 1)
    for old, new in edits:
        text = text.replace(old, new, count)
    path = folder / AUDIT_FORM_V2
    path.write_text(text, encoding="utf-8")
    return path
