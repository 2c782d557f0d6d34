"""Helpers for report tests: closing audits through the real services, reading PDFs back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from auditor.domain.grades import Grade
from auditor.domain.reference import Role
from tests.builders import run_to, today_plus, who

GENERATED = re.compile(r"Generated \d\d/\d\d/\d{4} \d\d:\d\d")


def pdf_text(path: Path) -> str:
    with open(path, "rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(handle).pages)


def pdf_metadata(path: Path) -> tuple[int, dict[str, str], set[str]]:
    """(pages, metadata, base font names)."""
    with open(path, "rb") as handle:
        reader = PdfReader(handle)
        fonts = set()
        for page in reader.pages:
            for font in (page["/Resources"].get("/Font") or {}).values():
                fonts.add(str(font.get_object()["/BaseFont"]))
        return len(reader.pages), {k: str(v) for k, v in (reader.metadata or {}).items()}, fonts


def without_dates(text: str) -> str:
    return GENERATED.sub("Generated <date>", text)


def close_audit(services, org, audit_id: int) -> None:
    """Note every difference, add an action, close."""
    for c in services.views.detail(audit_id, org.senior).comparisons:
        if c.differs:
            services.audits.note_difference(
                audit_id, c.domain_id, "Agreed at moderation.", by=who(services, org.senior)
            )
    services.audits.add_action(
        audit_id,
        by=who(services, org.senior),
        owner=org.manager,
        due_on=today_plus(30),
        description="Update the plan with dates.",
    )
    services.audits.close(audit_id, by=who(services, org.senior))


@pytest.fixture
def closed_audit(services, org) -> int:
    audit_id = run_to(
        services,
        org,
        "reconciliation",
        first=Grade.GOOD,
        final=Grade.REQUIRES_IMPROVEMENT,
        second_grades={"planning": Grade.INADEQUATE},
    )
    close_audit(services, org, audit_id)
    return audit_id


@pytest.fixture
def unicode_people(services, org):
    """A second auditor and a worker whose names Helvetica cannot draw."""
    d = services.directory
    d.add_person("ap.nowak", "Łukasz Nowak", [Role.ADVANCED_PRACTITIONER])
    d.add_person("sw.zoe", "Zoë Brennan", [Role.SOCIAL_WORKER], "North", org.manager)
    d.add_case("CF-9", "child_in_need", "North", "sw.zoe")
    return "ap.nowak", "sw.zoe"
